/**
 * Improvement stage reminders: an active cycle whose stage is past its due date raises
 * `process.cycle.stage_due` once per stage and due date, so the notification centre tells the
 * cycle's owner. Runs on the durable scheduler; recorded once whichever process runs it.
 *
 * @since 0.5.0
 */
import { Change, type Db, type Jobs, Outbox, Tenancy } from "@tenet/core"
import { sql } from "kysely"

/** The job kind of the stage reminder sweep. @category models @since 0.5.0 */
export const STAGE_JOB = "process.cycle-stage-reminders"

/** The payload of `process.cycle.stage_due`. @category models @since 0.5.0 */
export interface StageDue {
  readonly number: number
  readonly title: string
  readonly stage: string
  readonly ownerId: string | null
  readonly dueAt: string
}

/**
 * Raise `process.cycle.stage_due` for every active cycle whose stage is overdue, once each. Returns how many were raised.
 * @category constructors
 * @since 0.5.0
 */
export const remindStages = async (db: Db.Database, now = new Date()): Promise<number> => {
  const due = await sql<{
    org_id: string
    id: string
    number: number
    title: string
    stage: string
    owner_id: string | null
    stage_due_at: Date
  }>`select org_id, id, number, title, stage, owner_id, stage_due_at from process.cycle
    where status = 'active' and stage_due_at is not null and stage_due_at <= ${now}
    order by org_id, stage_due_at limit 1000`.execute(db.kysely)
  let raised = 0
  for (const r of due.rows) {
    const payload: StageDue = {
      number: r.number,
      title: r.title,
      stage: r.stage,
      ownerId: r.owner_id,
      dueAt: r.stage_due_at.toISOString(),
    }
    const fresh = await Change.change(
      db,
      Tenancy.system(r.org_id, "stage-reminder"),
      async ({ tx, emit }) => {
        if (!(await Outbox.once(tx, STAGE_JOB, `${r.org_id}:${r.id}:${r.stage}:${payload.dueAt}`)))
          return false
        await emit({ type: "process.cycle.stage_due", aggregateType: "cycle", aggregateId: r.id, payload })
        return true
      },
    )
    if (fresh) raised++
  }
  return raised
}

/** The job handlers of this module's reminders. @category constructors @since 0.5.0 */
export const reminderJobs: Jobs.JobHandlers = {
  [STAGE_JOB]: async (_job, db) => {
    await remindStages(db)
  },
}
