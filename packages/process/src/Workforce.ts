/**
 * Workforce planning (COPC capacity management; domain.md §A 000 §2.3–2.4, 002 §4.2): per queue
 * (channel × team) and interval, the volume forecast from the last 90 days of cases, the agents the
 * queue's model and target need, the agents core's shifts schedule, and the gap; what-if changes; the
 * forecasts kept so that accuracy (wMAPE, the `process.forecast_accuracy` metric) is measured once the
 * intervals pass; and surges — forecast need above scheduled capacity by the queue's threshold — warned
 * of ahead (a notification to supervisors and the `process.workforce.surge_forecast` event, counted by
 * the `process.forecast_surges` metric that a risk KRI can watch).
 *
 * Handling time is measured per queue from the case history (the mean of the cases' recorded work,
 * `handle_seconds`, over the history window) once enough cases record one; until then the queue's
 * configured handling time is used. Each plan says which, with its sample size.
 *
 * @since 0.3.0
 */
import { type Db, Errors, type Jobs, Notifications, Tenancy } from "@tenet/core"
import { WorkforceInputError } from "@tenet/workforce"
import { sql } from "kysely"
import { forecastsWithActuals } from "./metrics/workforce"
import { change, processDb } from "./Store"
import {
  handlingFor,
  type QueueNeed,
  type QueuePlan,
  queueNeed,
  shareSchedule,
  surges,
  type WhatIf,
  withSchedule,
} from "./workforce/plan"
import * as Store from "./workforce/store"

export { type AccuracyLevel, type AccuracySummary, accuracySummary } from "./workforce/accuracy"
export {
  applyWhatIf,
  defaultsFor,
  type Handling,
  handlingFor,
  MIN_AHT_SAMPLE,
  type PlanInterval,
  planQueue,
  type QueueNeed,
  type QueuePlan,
  type QueueSettings,
  queueNeed,
  type Surge,
  shareSchedule,
  surges,
  type WhatIf,
  withSchedule,
} from "./workforce/plan"
export { localToday, type QueueInput, saveQueue } from "./workforce/store"

/**
 * Every queue's settings: saved ones, and defaults for queues that received cases in the last
 * `historyDays`; each with the handling time plans use (measured from the cases resolved in that
 * window once enough record one, else the setting) and its sample.
 * @category getters
 * @since 0.3.0
 */
export const listQueues = async (db: Db.Database, orgId: string, historyDays = 90, now = new Date()) => {
  const { timeZone, today } = await Store.localToday(db, orgId, now)
  const since = new Date(Store.dayStart(Store.addDays(today, -historyDays), timeZone))
  const measured = await Store.handlingTimes(db, orgId, since, now)
  return (await Store.queues(db, orgId, since)).map((q) => ({
    ...q,
    handling: handlingFor(q, measured.get(Store.queueKey(q.channel, q.team))),
  }))
}

type Database = Db.Database
type Ctx = Tenancy.OrgContext

export const INTERVALS = [15, 30, 60] as const
/** @category models @since 0.3.0 */
export type IntervalMinutes = (typeof INTERVALS)[number]

/** @category models @since 0.3.0 */
export interface PlanOptions {
  readonly intervalMinutes?: IntervalMinutes | undefined
  readonly historyDays?: number | undefined
  readonly horizonDays?: number | undefined
  readonly whatIf?: WhatIf | undefined
  readonly channel?: string | undefined
  readonly team?: string | undefined
  readonly now?: Date | undefined
}

/** @category models @since 0.3.0 */
export interface Plan {
  readonly timeZone: string
  readonly intervalMinutes: number
  /** First local date of the horizon (today). */
  readonly from: string
  readonly horizonDays: number
  readonly historyFrom: string
  readonly historyDays: number
  /** Instant each horizon interval begins (ISO), shared by every queue. */
  readonly starts: ReadonlyArray<string>
  readonly queues: ReadonlyArray<QueuePlan>
}

/**
 * The staffing plan of every queue (or one channel/team). Without a what-if, the forecasts for intervals
 * not yet begun are kept for accuracy.
 * @category getters
 * @since 0.3.0
 */
export const plan = async (db: Database, orgId: string, o: PlanOptions = {}): Promise<Plan> => {
  const result = await compute(db, orgId, o)
  if (!o.whatIf) await keepForecasts(db, orgId, result, o.now ?? new Date(), false)
  return result
}

/**
 * Make the forecasts a plan would have kept on each of the last `days` days (the demo, or an
 * organisation that starts planning on imported history): for each day, the plan as it stood at the
 * day's local midnight — history up to the day before — and its forecasts for that day's intervals,
 * made when the first of them began. Forecast accuracy then has figures for the days that have passed.
 * Returns how many forecasts were kept.
 * @category constructors
 * @since 0.3.0
 */
export const backfillForecasts = async (
  db: Database,
  orgId: string,
  o: { days?: number; intervalMinutes?: IntervalMinutes; now?: Date } = {},
): Promise<number> => {
  const now = o.now ?? new Date()
  const { timeZone, today } = await Store.localToday(db, orgId, now)
  let kept = 0
  for (let d = o.days ?? 14; d >= 1; d--) {
    const at = new Date(Store.dayStart(Store.addDays(today, -d), timeZone))
    const p = await compute(db, orgId, { intervalMinutes: o.intervalMinutes ?? 30, horizonDays: 1, now: at })
    kept += await keepForecasts(db, orgId, p, at, true)
  }
  return kept
}

const whatIfIssues = (w: WhatIf | undefined): Errors.FieldIssue[] => {
  if (!w) return []
  const checks: Array<[keyof WhatIf, (v: number) => boolean, string]> = [
    ["targetLevel", (v) => v > 0 && v < 1, "must be between 0 and 1 (exclusive)"],
    ["targetSeconds", (v) => v >= 0, "must be seconds ≥ 0"],
    ["ahtFactor", (v) => v > 0, "must be a factor > 0"],
    ["shrinkage", (v) => v >= 0 && v < 1, "must be at least 0 and below 1"],
    ["volumeChange", (v) => v > -1, "must be a change above −100 %"],
  ]
  return checks.flatMap(([field, ok, message]) => {
    const v = w[field]
    return v === undefined || (typeof v === "number" && Number.isFinite(v) && ok(v))
      ? []
      : [{ path: [field], message, code: "number" }]
  })
}

/**
 * A setting or what-if the maths refuses (a target that cannot be met, a patience too long for the load)
 * is the caller's input: a validation error naming the field, not a failure of the server.
 */
const compute = async (db: Database, orgId: string, o: PlanOptions = {}): Promise<Plan> => {
  const issues = whatIfIssues(o.whatIf)
  if (issues.length) throw new Errors.ValidationError({ message: "invalid what-if", issues })
  try {
    return await computePlan(db, orgId, o)
  } catch (e) {
    if (e instanceof WorkforceInputError) {
      const field = e.field.split(".")[0] === "target" ? "targetLevel" : e.field
      throw new Errors.ValidationError({
        message: `the plan cannot be computed with these settings: ${e.message}`,
        issues: [{ path: [field], message: e.message, code: "outOfRange" }],
      })
    }
    throw e
  }
}

const computePlan = async (db: Database, orgId: string, o: PlanOptions = {}): Promise<Plan> => {
  const intervalMinutes = o.intervalMinutes ?? 30
  const historyDays = o.historyDays ?? 90
  const horizonDays = o.horizonDays ?? 14
  const now = o.now ?? new Date()
  const { timeZone, today } = await Store.localToday(db, orgId, now)
  const historyFrom = Store.addDays(today, -historyDays)
  const dayType = await Store.dayTypes(db, orgId)
  const since = new Date(Store.dayStart(historyFrom, timeZone))
  const all = (await Store.queues(db, orgId, since)).filter(
    (q) =>
      (o.channel === undefined || q.channel === o.channel) && (o.team === undefined || q.team === o.team),
  )
  const measured = await Store.handlingTimes(db, orgId, since, now)
  const history = await Store.arrivals(db, orgId, {
    from: historyFrom,
    days: historyDays,
    intervalMinutes,
    timeZone,
  })
  const per = 1440 / intervalMinutes
  const needs: QueueNeed[] = all.map((queue) =>
    queueNeed({
      queue,
      history:
        history.get(Store.queueKey(queue.channel, queue.team)) ??
        new Array<number>(historyDays * per).fill(0),
      historyStart: historyFrom,
      intervalsPerDay: per,
      horizonDays,
      dayType,
      whatIf: o.whatIf,
      measuredAht: measured.get(Store.queueKey(queue.channel, queue.team)),
    }),
  )
  const teams = await Store.scheduled(db, orgId, { from: today, days: horizonDays, intervalMinutes, dayType })
  const plans = new Array<QueuePlan>(needs.length)
  const byTeam = new Map<string, number[]>()
  needs.forEach((n, i) => {
    const list = byTeam.get(n.queue.team) ?? []
    list.push(i)
    byTeam.set(n.queue.team, list)
  })
  for (const [team, idx] of byTeam) {
    const roster = team === "" ? undefined : teams.get(team)
    const shares = roster
      ? shareSchedule(
          idx.map((i) => needs[i] as QueueNeed),
          roster,
        )
      : null
    idx.forEach((i, k) => {
      plans[i] = withSchedule(needs[i] as QueueNeed, shares ? (shares[k] as Float64Array) : null)
    })
  }
  const starts: string[] = []
  for (let d = 0; d < horizonDays; d++) {
    const base = Store.dayStart(Store.addDays(today, d), timeZone)
    for (let s = 0; s < per; s++) starts.push(new Date(base + s * intervalMinutes * 60_000).toISOString())
  }
  return {
    timeZone,
    intervalMinutes,
    from: today,
    horizonDays,
    historyFrom,
    historyDays,
    starts,
    queues: plans,
  }
}

/**
 * Keep the forecasts of intervals not yet begun (the latest forecast before an interval starts
 * counts; with `fromNow`, also those beginning at `now`). Returns how many.
 */
const keepForecasts = async (db: Database, orgId: string, p: Plan, now: Date, fromNow: boolean) => {
  const rows = p.queues.flatMap((q) =>
    q.intervals.flatMap((iv, i) =>
      Date.parse(p.starts[i] as string) > now.getTime() - (fromNow ? 1 : 0)
        ? [
            {
              org_id: orgId,
              channel: q.queue.channel,
              team: q.queue.team,
              interval_minutes: p.intervalMinutes,
              interval_start: p.starts[i] as string,
              forecast: iv.forecast,
              lower: iv.lower,
              upper: iv.upper,
              made_at: now,
            },
          ]
        : [],
    ),
  )
  for (let i = 0; i < rows.length; i += 2000)
    await processDb(db)
      .insertInto("process.workforce_forecast")
      .values(rows.slice(i, i + 2000))
      .onConflict((oc) =>
        oc.columns(["org_id", "interval_minutes", "channel", "team", "interval_start"]).doUpdateSet({
          forecast: (eb) => eb.ref("excluded.forecast"),
          lower: (eb) => eb.ref("excluded.lower"),
          upper: (eb) => eb.ref("excluded.upper"),
          made_at: (eb) => eb.ref("excluded.made_at"),
        }),
      )
      .execute()
  return rows.length
}

/** The event a forecast surge emits (risk contingency plans and plugins may listen). @since 0.3.0 */
export const SURGE_EVENT = "process.workforce.surge_forecast"
/** The notification kind of a surge warning. @since 0.3.0 */
export const SURGE_KIND = "workforce.surge"

/**
 * Warn of surges in the next `lookaheadHours`: each run of intervals where the forecast need exceeds
 * the scheduled agents by more than the queue's threshold is recorded once (queue + start), tells the
 * supervisors and emits `process.workforce.surge_forecast`. Returns the new surges.
 * @category constructors
 * @since 0.3.0
 */
export const checkSurges = async (
  db: Database,
  ctx: Ctx,
  o: { lookaheadHours?: number | undefined; now?: Date | undefined } = {},
) => {
  const now = o.now ?? new Date()
  const p = await plan(db, ctx.orgId, { now })
  const lookahead = Math.round(((o.lookaheadHours ?? 48) * 60) / p.intervalMinutes)
  const first = p.starts.findIndex((s) => Date.parse(s) + p.intervalMinutes * 60_000 > now.getTime())
  const found = p.queues.flatMap((q) =>
    surges({ ...q, intervals: q.intervals.slice(Math.max(0, first)) }, lookahead).map((s) => {
      const off = Math.max(0, first)
      return {
        channel: q.queue.channel,
        team: q.queue.team,
        startsAt: p.starts[off + s.fromIndex] as string,
        endsAt: new Date(
          Date.parse(p.starts[off + s.toIndex - 1] as string) + p.intervalMinutes * 60_000,
        ).toISOString(),
        peakRequired: s.peakRequired,
        peakScheduled: s.peakScheduled,
        intervals: s.toIndex - s.fromIndex,
      }
    }),
  )
  if (!found.length) return []
  return change(db, ctx, async ({ tx, emit }) => {
    const raised = []
    for (const s of found) {
      const r = await tx
        .insertInto("process.workforce_surge")
        .values({
          org_id: ctx.orgId,
          channel: s.channel,
          team: s.team,
          starts_at: s.startsAt,
          ends_at: s.endsAt,
          peak_required: s.peakRequired,
          peak_scheduled: s.peakScheduled,
          intervals: s.intervals,
        })
        .onConflict((oc) => oc.columns(["org_id", "channel", "team", "starts_at"]).doNothing())
        .returning("starts_at")
        .executeTakeFirst()
      if (!r) continue
      raised.push(s)
      const id = `${s.channel}/${s.team}/${s.startsAt}`
      await emit({ type: SURGE_EVENT, aggregateType: "workforce_queue", aggregateId: id, payload: s })
      await emit(
        Notifications.requestEvent({
          kind: SURGE_KIND,
          recipients: [{ type: "role", role: "supervisor" }],
          subject: { type: "workforce_queue", id },
          params: {
            channel: s.channel,
            team: s.team,
            startsAt: s.startsAt,
            required: Math.ceil(s.peakRequired),
            scheduled: Math.round(s.peakScheduled * 10) / 10,
          },
          title: {
            "zh-CN": `人力预警：${s.channel}${s.team ? ` · ${s.team}` : ""} 预计人手不足（需 ${Math.ceil(s.peakRequired)} 人，排班 ${Math.round(s.peakScheduled * 10) / 10} 人）`,
            en: `Staffing surge: ${s.channel}${s.team ? ` · ${s.team}` : ""} is forecast short (needs ${Math.ceil(s.peakRequired)}, ${Math.round(s.peakScheduled * 10) / 10} scheduled)`,
          },
        }),
      )
    }
    return raised
  })
}

/** Surges warned of, latest first. @category getters @since 0.3.0 */
export const surgeLog = async (db: Database, orgId: string, limit = 100) =>
  (
    await processDb(db)
      .selectFrom("process.workforce_surge")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("starts_at", "desc")
      .limit(limit)
      .execute()
  ).map((r) => ({
    channel: r.channel,
    team: r.team,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    peakRequired: r.peak_required,
    peakScheduled: r.peak_scheduled,
    intervals: r.intervals,
    raisedAt: r.raised_at.toISOString(),
  }))

/** The job that checks every organisation for surges (the API schedules it hourly). @since 0.3.0 */
export const SURGE_JOB = "process.workforce-surges"

/** @category constructors @since 0.3.0 */
export const jobHandlers: Jobs.JobHandlers = {
  [SURGE_JOB]: async (_job, db) => {
    const orgs = await db.kysely.selectFrom("core.organization").select("id").execute()
    for (const o of orgs) await checkSurges(db, Tenancy.system(o.id, "workforce"))
  },
}

/**
 * Kept forecasts for an interval range, with the arrivals that came (for the accuracy chart): per queue,
 * or with `total`, summed over the queues per interval (what the chart of all queues draws; a fraction
 * of the rows).
 * @category getters
 * @since 0.3.0
 */
export const forecastVsActual = async (
  db: Database,
  orgId: string,
  o: {
    from: Date
    to: Date
    intervalMinutes: number
    channel?: string | undefined
    team?: string | undefined
    total?: boolean | undefined
  },
): Promise<
  Array<{
    channel?: string
    team?: string
    start: string
    forecast: number
    lower: number
    upper: number
    actual: number
  }>
> => {
  const where = sql.join(
    [
      sql``,
      ...(o.channel !== undefined ? [sql`and w.channel = ${o.channel}`] : []),
      ...(o.team !== undefined ? [sql`and w.team = ${o.team}`] : []),
    ],
    sql` `,
  )
  const source = forecastsWithActuals({ orgId, minutes: o.intervalMinutes, from: o.from, to: o.to, where })
  if (o.total) {
    const rows = await sql<{ start: Date; forecast: number; lower: number; upper: number; actual: number }>`
      select f.interval_start as start, sum(f.forecast)::float8 as forecast, sum(f.lower)::float8 as lower,
        sum(f.upper)::float8 as upper, sum(f.actual)::int as actual
      from ${source} f
      group by f.interval_start
      order by f.interval_start`.execute(db.kysely)
    return rows.rows.map((r) => ({
      start: new Date(r.start).toISOString(),
      forecast: Number(r.forecast),
      lower: Number(r.lower),
      upper: Number(r.upper),
      actual: Number(r.actual),
    }))
  }
  const rows = await sql<{
    channel: string
    team: string
    start: Date
    forecast: number
    lower: number
    upper: number
    actual: number
  }>`
    select f.channel, f.team, f.interval_start as start, f.forecast, f.lower, f.upper, f.actual
    from ${source} f
    order by f.channel, f.team, f.interval_start`.execute(db.kysely)
  return rows.rows.map((r) => ({ ...r, start: new Date(r.start).toISOString(), actual: Number(r.actual) }))
}
