// An improvement cycle as stored and read: its trigger, baseline, row mapping, locking and lists.
import { type Contracts, type Db, Errors } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import type { CycleTable } from "../migrations/schema"
import type { Ex } from "../Store"

type Database = Db.Database
type Workflow = Contracts.WorkflowDefinition

/** What started a cycle. @category models @since 0.1.0 */
export interface Trigger {
  readonly kind: Contracts.TriggerKind
  readonly breachId?: string
  readonly standardId?: string
  readonly standardVersion?: number
  readonly requirementId?: string
  readonly targetId?: string
  readonly metric?: string
  readonly filter?: Readonly<Record<string, string>>
  readonly operator?: string
  readonly target?: number
  readonly value?: number | null
  readonly period?: { readonly from: string; readonly to: string }
  readonly caseId?: string
  readonly note?: string
}

/** A measurement of the triggering metric over a window. @category models @since 0.1.0 */
export interface Measurement {
  readonly from: string
  readonly to: string
  readonly value: number | null
  readonly numerator?: number | undefined
  readonly denominator?: number | undefined
  readonly n: number
}

export type CycleRow = Selectable<CycleTable>

export const toCycle = (r: CycleRow) => ({
  id: r.id,
  number: r.number,
  workflowId: r.workflow_id,
  workflow: r.workflow,
  title: r.title,
  stage: r.stage,
  status: r.status,
  statusReason: r.status_reason,
  trigger: r.trigger,
  fields: r.fields,
  baseline: r.baseline,
  check: r.check_result,
  outcome: r.outcome,
  ownerId: r.owner_id,
  stageDueAt: r.stage_due_at,
  history: r.history,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  closedAt: r.closed_at,
})
export type Cycle = ReturnType<typeof toCycle>

export const due = (stage: Workflow["stages"][number] | undefined, from: Date) =>
  stage?.dueInDays ? new Date(from.getTime() + stage.dueInDays * 86_400_000) : null
export const lock = async (tx: Ex, orgId: string, id: string) => {
  const r =
    await sql<CycleRow>`select * from process.cycle where org_id = ${orgId} and id = ${id} for update`.execute(
      tx,
    )
  if (!r.rows[0]) throw new Errors.NotFoundError({ entity: "cycle", id })
  return toCycle(r.rows[0])
}
/** @category constructors @since 0.1.0 */
export const getCycle = async (db: Database, orgId: string, id: string) => {
  const r = await sql<CycleRow>`select * from process.cycle where org_id = ${orgId} and id = ${id}`.execute(
    db.kysely,
  )
  if (!r.rows[0]) throw new Errors.NotFoundError({ entity: "cycle", id })
  return toCycle(r.rows[0])
}

/** @category constructors @since 0.1.0 */
export const listCycles = async (db: Database, orgId: string, status?: string) =>
  (
    await sql<CycleRow>`select * from process.cycle where org_id = ${orgId} ${status ? sql`and status = ${status}` : sql``} order by updated_at desc limit 500`.execute(
      db.kysely,
    )
  ).rows.map(toCycle)
