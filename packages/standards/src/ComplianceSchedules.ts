/**
 * Compliance evaluation on a schedule, per standard: daily, weekly or monthly at a local time in
 * the organisation's time zone, run by the durable scheduler (`core.job`), so several API
 * processes on one database evaluate each period once. Each run evaluates the period before it
 * (see `Cadence.periodOf`) and schedules the next run in the same transaction that records it.
 * (A version due for review is announced by `Reminders`: the `standards.review.due` event.)
 *
 * @since 0.2.0
 */
import { Change, type Db, Errors, Jobs, Organizations, Tenancy } from "@tenet/core"
import { type Kysely, sql } from "kysely"
import { type Cadence, type Frequency, nextRun, periodOf, problems } from "./Cadence"
import type { StandardsReviewTables } from "./migrations/schema-reviews"
import { evaluate, type Registry } from "./Standards"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

/** The job kind of a scheduled compliance evaluation. @category models @since 0.2.0 */
export const COMPLIANCE_JOB = "standards.compliance"
/** Who runs scheduled evaluations (the actor of their audit records). @category models @since 0.2.0 */
export const SCHEDULER_ACTOR = "compliance-schedule"

/** @category models @since 0.2.0 */
export interface ScheduleInput {
  readonly frequency: Frequency
  readonly time: string
  readonly weekday?: number | null | undefined
  readonly monthDay?: number | null | undefined
  /** Defaults to the organisation's time zone. */
  readonly timeZone?: string | undefined
  readonly enabled?: boolean | undefined
}

const tables = (db: Database) => db.as<StandardsReviewTables>()

const toSchedule = (r: {
  standard_id: string
  frequency: Frequency
  at_time: string
  weekday: number | null
  month_day: number | null
  time_zone: string
  enabled: boolean
  next_run_at: Date | null
  last_run_at: Date | null
  last_evaluation_id: string | null
  updated_at: Date
}) => ({
  standardId: r.standard_id,
  frequency: r.frequency,
  time: r.at_time,
  weekday: r.weekday,
  monthDay: r.month_day,
  timeZone: r.time_zone,
  enabled: r.enabled,
  nextRunAt: r.next_run_at,
  lastRunAt: r.last_run_at,
  lastEvaluationId: r.last_evaluation_id,
  updatedAt: r.updated_at,
})
/** @category models @since 0.2.0 */
export type Schedule = ReturnType<typeof toSchedule>

const cadenceOf = (s: Schedule): Cadence => ({
  frequency: s.frequency,
  time: s.time,
  weekday: s.weekday,
  monthDay: s.monthDay,
  timeZone: s.timeZone,
})
const jobKey = (standardId: string, at: Date) => `${standardId}@${at.toISOString()}`

/** The schedules of an organisation. @category constructors @since 0.2.0 */
export const listSchedules = async (db: Database, orgId: string): Promise<Schedule[]> =>
  (
    await tables(db)
      .selectFrom("standards.compliance_schedule")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("standard_id")
      .execute()
  ).map(toSchedule)

/**
 * Create or change a standard's schedule; the next run is scheduled in the same transaction
 * (a run scheduled for the old cadence finds itself stale and does nothing).
 * @category constructors
 * @since 0.2.0
 */
export const setSchedule = async (
  db: Database,
  ctx: Ctx,
  standardId: string,
  input: ScheduleInput,
  now: Date = new Date(),
): Promise<Schedule> => {
  const timeZone = input.timeZone ?? (await Organizations.get(db, ctx.orgId)).timeZone
  const cadence: Cadence = {
    frequency: input.frequency,
    time: input.time,
    weekday: input.frequency === "weekly" ? (input.weekday ?? null) : null,
    monthDay: input.frequency === "monthly" ? (input.monthDay ?? null) : null,
    timeZone,
  }
  const issues = problems(cadence)
  if (!Organizations.isValidTimeZone(timeZone))
    issues.push({
      path: "timeZone",
      code: "timeZone",
      message: `unknown time zone: ${timeZone.slice(0, 64)}`,
    })
  if (issues.length)
    throw new Errors.ValidationError({
      message: "invalid schedule",
      issues: issues.map((i) => ({ path: [i.path], message: i.message, code: i.code })),
    })
  const exists = await sql<{
    id: string
  }>`select id from standards.standard where org_id = ${ctx.orgId} and id = ${standardId}`.execute(db.kysely)
  if (!exists.rows[0]) throw new Errors.NotFoundError({ entity: "standard", id: standardId })
  const enabled = input.enabled ?? true
  const next = enabled ? nextRun(cadence, now) : null
  return Change.change(db, ctx, async ({ tx, audit }) => {
    const row = {
      org_id: ctx.orgId,
      standard_id: standardId,
      frequency: cadence.frequency,
      at_time: cadence.time,
      weekday: cadence.weekday ?? null,
      month_day: cadence.monthDay ?? null,
      time_zone: timeZone,
      enabled,
      next_run_at: next,
      updated_by: ctx.actor.id,
    }
    const saved = await (tx as unknown as Kysely<StandardsReviewTables>)
      .insertInto("standards.compliance_schedule")
      .values(row)
      .onConflict((oc) =>
        oc.columns(["org_id", "standard_id"]).doUpdateSet({ ...row, updated_at: sql`now()` as never }),
      )
      .returningAll()
      .executeTakeFirstOrThrow()
    if (next)
      await Jobs.scheduleIn(tx, {
        orgId: ctx.orgId,
        kind: COMPLIANCE_JOB,
        key: jobKey(standardId, next),
        runAt: next,
        payload: { standardId, runAt: next.toISOString() },
      })
    await audit({
      action: "standard.compliance_scheduled",
      entityType: "standard",
      entityId: standardId,
      after: { ...cadence, enabled, nextRunAt: next?.toISOString() ?? null },
    })
    return toSchedule(saved as never)
  })
}

/**
 * The job handlers: a scheduled evaluation, and the review-due sweep. Both are safe to run twice
 * (a stale or repeated run changes nothing).
 * @category constructors
 * @since 0.2.0
 */
export const jobHandlers = (registry: Registry): Jobs.JobHandlers => ({
  [COMPLIANCE_JOB]: async (job, db) => {
    const { standardId, runAt: runAtText } = job.payload as { standardId: string; runAt: string }
    const runAt = new Date(runAtText)
    const row = await tables(db)
      .selectFrom("standards.compliance_schedule")
      .selectAll()
      .where("org_id", "=", job.orgId)
      .where("standard_id", "=", standardId)
      .executeTakeFirst()
    if (!row) return
    const s = toSchedule(row as never)
    // a run of an older cadence (changed or disabled since): nothing to do
    if (!s.enabled || s.nextRunAt?.getTime() !== runAt.getTime()) return
    const cadence = cadenceOf(s)
    const period = periodOf(cadence, runAt)
    const ctx = Tenancy.system(job.orgId, SCHEDULER_ACTOR)
    // a run repeated after a crash finds the evaluation it made
    const done = await sql<{ id: string }>`select id from standards.evaluation where org_id = ${job.orgId}
        and standard_id = ${standardId} and period_from = ${period.from} and period_to = ${period.to}
        and created_by = ${SCHEDULER_ACTOR} limit 1`.execute(db.kysely)
    let evaluationId = done.rows[0]?.id ?? null
    if (!evaluationId) {
      try {
        evaluationId = (await evaluate(db, ctx, registry, standardId, { ...period, timeZone: s.timeZone })).id
      } catch (e) {
        // no published version yet: the schedule goes on, there is nothing to evaluate this time
        if (!(e instanceof Errors.ConflictError)) throw e
      }
    }
    const next = nextRun(cadence, new Date(Math.max(Date.now(), runAt.getTime())))
    await db.kysely.transaction().execute(async (tx) => {
      const moved =
        await sql`update standards.compliance_schedule set next_run_at = ${next}, last_run_at = now(),
          last_evaluation_id = coalesce(${evaluationId}, last_evaluation_id)
        where org_id = ${job.orgId} and standard_id = ${standardId} and next_run_at = ${runAt}`.execute(tx)
      if (Number(moved.numAffectedRows ?? 0) === 0) return
      await Jobs.scheduleIn(tx, {
        orgId: job.orgId,
        kind: COMPLIANCE_JOB,
        key: jobKey(standardId, next),
        runAt: next,
        payload: { standardId, runAt: next.toISOString() },
      })
    })
  },
})
