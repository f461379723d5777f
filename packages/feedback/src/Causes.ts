/**
 * The root-cause taxonomy of feedback (codes with names in both languages, one level of parents)
 * and the Pareto of causes per period.
 *
 * @since 0.1.0
 */
import { type Db, Errors, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import type { ItemKind } from "./migrations/schema"
import { change, fdb } from "./store"

const invalid = (path: string, message: string, code = "invalid") =>
  new Errors.ValidationError({ message: "invalid cause", issues: [{ path: [path], message, code }] })

/** Add or rename a cause of the taxonomy. @category constructors @since 0.1.0 */
export const saveCause = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  input: {
    readonly code: string
    readonly name: { "zh-CN": string; en: string }
    readonly parentCode?: string | undefined
  },
) => {
  if (!/^[a-z0-9][a-z0-9_.-]{0,39}$/.test(input.code))
    throw invalid("code", "must be 1–40 lowercase letters, digits, _ . or -", "invalidId")
  await change(db, ctx, async ({ tx, audit }) => {
    await tx
      .insertInto("feedback.cause")
      .values({
        org_id: ctx.orgId,
        code: input.code,
        name: JSON.stringify(input.name),
        parent_code: input.parentCode ?? null,
      })
      .onConflict((oc) =>
        oc
          .columns(["org_id", "code"])
          .doUpdateSet({ name: JSON.stringify(input.name), parent_code: input.parentCode ?? null }),
      )
      .execute()
    await audit({
      action: "feedback.cause_saved",
      entityType: "feedback_cause",
      entityId: input.code,
      after: input,
    })
  })
}

/** @category constructors @since 0.1.0 */
export const listCauses = async (db: Db.Database, orgId: string) =>
  (
    await fdb(db)
      .selectFrom("feedback.cause")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("code")
      .execute()
  ).map((c) => ({
    code: c.code,
    name: c.name,
    parentCode: c.parent_code,
    active: c.active,
  }))

/**
 * The Pareto of causes in a period: counts per cause, largest first, with the cumulative share
 * (items without a cause are counted as "uncoded" last).
 * @category constructors
 * @since 0.1.0
 */
export const pareto = async (
  db: Db.Database,
  orgId: string,
  q: { readonly from: Date; readonly to: Date; readonly kind?: ItemKind | undefined },
) => {
  const rows = await sql<{
    code: string | null
    n: number
  }>`select cause_code as code, count(*)::int as n from feedback.item
    where org_id = ${orgId} and received_at >= ${q.from} and received_at < ${q.to} ${q.kind ? sql`and kind = ${q.kind}` : sql``}
    group by cause_code order by (cause_code is null), count(*) desc, cause_code`.execute(db.kysely)
  const total = rows.rows.reduce((a, r) => a + r.n, 0)
  let cumulative = 0
  return {
    total,
    causes: rows.rows.map((r) => {
      cumulative += r.n
      return { code: r.code ?? "uncoded", count: r.n, share: r.n / total, cumulative: cumulative / total }
    }),
  }
}
