// The workflow library: definitions the organisation imported as data.
import type { Contracts, Db, Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { change, processDb } from "../Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext
type Workflow = Contracts.WorkflowDefinition

/** A workflow definition imported by the organisation as data. @category models @since 0.1.0 */
export interface LibraryWorkflow extends Workflow {
  readonly source: "library"
  readonly importedAt: Date
  readonly importedBy: string
}

/**
 * Store a workflow definition imported as data (already validated by the caller, e.g. with
 * `validateWorkflow` from @tenet/plugin-sdk). Importing the same id again replaces it; running
 * cycles keep the copy they opened with.
 * @category constructors
 * @since 0.1.0
 */
export const saveWorkflow = (db: Database, ctx: Ctx, workflow: Workflow) =>
  change(db, ctx, async ({ tx, audit, emit }) => {
    const before = await sql<{
      version: string
    }>`select version from process.workflow_library where org_id = ${ctx.orgId} and id = ${workflow.id} for update`.execute(
      tx,
    )
    const version = workflow.version ?? "1.0.0"
    await sql`insert into process.workflow_library (org_id, id, version, definition, imported_by)
      values (${ctx.orgId}, ${workflow.id}, ${version}, ${JSON.stringify({ ...workflow, version })}::json, ${ctx.actor.id})
      on conflict (org_id, id) do update set version = excluded.version, definition = excluded.definition, imported_at = now(), imported_by = excluded.imported_by`.execute(
      tx,
    )
    await audit({
      action: "workflow.imported",
      entityType: "workflow",
      entityId: workflow.id,
      before: before.rows[0] ?? null,
      after: { version },
    })
    await emit({
      type: "process.workflow.imported",
      aggregateType: "workflow",
      aggregateId: workflow.id,
      payload: { version, replaced: before.rows.length > 0 },
    })
    return { id: workflow.id, version, replaced: before.rows.length > 0 }
  })

/** The organisation's imported workflow definitions. @category constructors @since 0.1.0 */
export const listWorkflows = async (db: Database, orgId: string): Promise<LibraryWorkflow[]> =>
  (
    await processDb(db)
      .selectFrom("process.workflow_library")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("id")
      .execute()
  ).map((r) => ({
    ...r.definition,
    source: "library" as const,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
  }))
