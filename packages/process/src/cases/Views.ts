import { type Db, Errors, Id, type Tenancy } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import type { ProcessTables } from "../migrations/schema"
import { change } from "../Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

// ---------------------------------------------------------------------------
// saved views
// ---------------------------------------------------------------------------

/** A person's saved queue views. @category constructors @since 0.1.0 */
export const listViews = async (db: Database, orgId: string, ownerId: string) =>
  (
    await sql<
      Pick<Selectable<ProcessTables["process.saved_view"]>, "id" | "name" | "query" | "created_at">
    >`select id, name, query, created_at from process.saved_view where org_id = ${orgId} and owner_id = ${ownerId} order by name`.execute(
      db.kysely,
    )
  ).rows.map((r) => ({
    id: r.id,
    name: r.name,
    // saved by saveView, whose query values are strings
    query: r.query as Record<string, string>,
    createdAt: r.created_at,
  }))

/** Save a queue view (same name replaces). @category constructors @since 0.1.0 */
export const saveView = async (
  db: Database,
  ctx: Ctx,
  input: { name: string; query: Record<string, string> },
) => {
  if (!input.name?.trim())
    throw new Errors.ValidationError({
      message: "invalid view",
      issues: [{ path: ["name"], message: "must not be empty", code: "required" }],
    })
  return change(db, ctx, async ({ tx, audit }) => {
    await sql`delete from process.saved_view where org_id = ${ctx.orgId} and owner_id = ${ctx.actor.id} and name = ${input.name.trim()}`.execute(
      tx,
    )
    const id = Id.make("view")
    await sql`insert into process.saved_view (org_id, id, owner_id, name, query) values (${ctx.orgId}, ${id}, ${ctx.actor.id}, ${input.name.trim()}, ${JSON.stringify(input.query)}::jsonb)`.execute(
      tx,
    )
    await audit({ action: "view.saved", entityType: "saved_view", entityId: id, after: input })
    return { id, name: input.name.trim(), query: input.query }
  })
}

/** @category constructors @since 0.1.0 */
export const deleteView = async (db: Database, ctx: Ctx, id: string) =>
  change(db, ctx, async ({ tx, audit }) => {
    const r =
      await sql`delete from process.saved_view where org_id = ${ctx.orgId} and id = ${id} and owner_id = ${ctx.actor.id}`.execute(
        tx,
      )
    if (Number(r.numAffectedRows ?? 0) === 0) throw new Errors.NotFoundError({ entity: "saved_view", id })
    await audit({ action: "view.deleted", entityType: "saved_view", entityId: id })
  })
