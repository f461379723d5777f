// Workforce planning's reads and writes: queue settings, arrivals per interval from case history, the
// day types of the organisation's calendar, the scheduled agents from core's shifts, forecasts kept for
// accuracy, and surges warned of.
import type { CalendarSpec } from "@tenet/calendar"
import { type Db, Errors, Shifts, type Tenancy } from "@tenet/core"
import type { DayType } from "@tenet/workforce"
import { sql } from "kysely"
import type { StaffingModel } from "../migrations/schema"
import { change, processDb } from "../Store"
import { defaultsFor, type QueueSettings } from "./plan"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

const MODELS: ReadonlyArray<StaffingModel> = ["erlang_c", "erlang_a", "chat", "deferred"]
const DAY_MS = 86_400_000
export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
export const queueKey = (channel: string, team: string) => `${channel}\u0000${team}`

/** The organisation's time zone and today's local date. */
export const localToday = async (db: Database, orgId: string, now = new Date()) => {
  const org = await db.kysely
    .selectFrom("core.organization")
    .select("time_zone")
    .where("id", "=", orgId)
    .executeTakeFirst()
  const timeZone = org?.time_zone ?? "Asia/Shanghai"
  const today = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now)
  return { timeZone, today }
}

/** Day types from the organisation's calendar (the one with most holidays): holidays, 调休 make-up days, open weekdays. */
export const dayTypes = async (db: Database, orgId: string): Promise<(date: string) => DayType> => {
  const rows = await processDb(db)
    .selectFrom("process.calendar")
    .select("spec")
    .where("org_id", "=", orgId)
    .execute()
  const spec: CalendarSpec | undefined = rows
    .map((r) => r.spec)
    .sort((a, b) => (b.holidays?.length ?? 0) - (a.holidays?.length ?? 0))[0]
  const holidays = new Set(spec?.holidays ?? [])
  const workdays = new Set((spec?.workdays ?? []).map((w) => w.date))
  const keys = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const
  return (date) => {
    if (holidays.has(date)) return "holiday"
    if (workdays.has(date)) return "workday"
    const wd = new Date(`${date}T00:00:00Z`).getUTCDay()
    if (!spec) return wd === 0 || wd === 6 ? "restday" : "workday"
    return (spec.hours[keys[wd] as (typeof keys)[number]]?.length ?? 0) > 0 ? "workday" : "restday"
  }
}

/** Saved settings, and defaults for every other queue that received cases in the history window. */
export const queues = async (db: Database, orgId: string, since: Date): Promise<QueueSettings[]> => {
  const saved = await processDb(db)
    .selectFrom("process.workforce_queue")
    .selectAll()
    .where("org_id", "=", orgId)
    .execute()
  const seen = await processDb(db)
    .selectFrom("process.case")
    .select(["channel", sql<string>`coalesce(team, '')`.as("team")])
    .where("org_id", "=", orgId)
    .where("received_at", ">=", since)
    .groupBy([sql`1`, sql`2`])
    .execute()
  const out = new Map<string, QueueSettings>()
  for (const s of seen) out.set(queueKey(s.channel, s.team), defaultsFor(s.channel, s.team))
  for (const r of saved)
    out.set(queueKey(r.channel, r.team), {
      channel: r.channel,
      team: r.team,
      model: r.model,
      targetLevel: r.target_level,
      targetSeconds: r.target_seconds,
      ahtSeconds: r.aht_seconds,
      patienceSeconds: r.patience_seconds,
      concurrency: r.concurrency,
      shrinkage: r.shrinkage,
      surgeThreshold: r.surge_threshold,
      saved: true,
    })
  return [...out.values()].sort((a, b) => a.channel.localeCompare(b.channel) || a.team.localeCompare(b.team))
}

/** What saving a queue's settings takes. */
export type QueueInput = Omit<QueueSettings, "saved">

const issuesOf = (q: QueueInput): Errors.FieldIssue[] => {
  const issues: Errors.FieldIssue[] = []
  const bad = (path: string, message: string, code = "invalid") =>
    issues.push({ path: [path], message, code })
  if (typeof q.channel !== "string" || q.channel.length < 1 || q.channel.length > 200)
    bad("channel", "must be 1–200 characters", "required")
  if (typeof q.team !== "string" || q.team.length > 200) bad("team", "must be at most 200 characters")
  if (!MODELS.includes(q.model)) bad("model", `must be one of ${MODELS.join(", ")}`, "oneOf")
  if (!(q.targetLevel > 0 && q.targetLevel < 1)) bad("targetLevel", "must be between 0 and 1", "number")
  if (!(Number.isInteger(q.targetSeconds) && q.targetSeconds >= 0))
    bad("targetSeconds", "must be whole seconds ≥ 0", "number")
  if (!(Number.isInteger(q.ahtSeconds) && q.ahtSeconds > 0))
    bad("ahtSeconds", "must be whole seconds > 0", "number")
  if (q.patienceSeconds !== null && !(Number.isInteger(q.patienceSeconds) && q.patienceSeconds > 0))
    bad("patienceSeconds", "must be whole seconds > 0", "number")
  if (q.model === "erlang_a" && q.patienceSeconds === null)
    bad("patienceSeconds", "is needed for Erlang A", "required")
  if (!(Number.isInteger(q.concurrency) && q.concurrency >= 1 && q.concurrency <= 20))
    bad("concurrency", "must be a whole number 1–20", "number")
  if (!(q.shrinkage >= 0 && q.shrinkage < 1)) bad("shrinkage", "must be at least 0 and below 1", "number")
  if (!(q.surgeThreshold >= 0 && q.surgeThreshold <= 10))
    bad("surgeThreshold", "must be between 0 and 10", "number")
  return issues
}

/** Save a queue's staffing settings. */
export const saveQueue = async (db: Database, ctx: Ctx, q: QueueInput): Promise<QueueSettings> => {
  const issues = issuesOf(q)
  if (issues.length) throw new Errors.ValidationError({ message: "invalid queue settings", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const values = {
      model: q.model,
      target_level: q.targetLevel,
      target_seconds: q.targetSeconds,
      aht_seconds: q.ahtSeconds,
      patience_seconds: q.patienceSeconds,
      concurrency: q.concurrency,
      shrinkage: q.shrinkage,
      surge_threshold: q.surgeThreshold,
      updated_at: new Date(),
    }
    await tx
      .insertInto("process.workforce_queue")
      .values({ org_id: ctx.orgId, channel: q.channel, team: q.team, ...values })
      .onConflict((oc) => oc.columns(["org_id", "channel", "team"]).doUpdateSet(values))
      .execute()
    const saved = { ...q, saved: true }
    await audit({
      action: "workforce.queue_saved",
      entityType: "workforce_queue",
      entityId: queueKey(q.channel, q.team).replace("\u0000", "/"),
      after: saved,
    })
    return saved
  })
}

/** Each queue's handling time measured from the case history: mean seconds of work over the cases resolved since `since` that record it. */
export const handlingTimes = async (
  db: Database,
  orgId: string,
  since: Date,
  until: Date,
): Promise<Map<string, { seconds: number; n: number }>> => {
  const rows = await sql<{ channel: string; team: string; mean: number; n: number }>`
    select channel, coalesce(team, '') as team, avg(handle_seconds)::float8 as mean, count(*)::int as n
    from process.case
    where org_id = ${orgId} and handle_seconds is not null
      and resolved_at >= ${since} and resolved_at < ${until}
    group by 1, 2`.execute(db.kysely)
  return new Map(
    rows.rows.map((r) => [queueKey(r.channel, r.team), { seconds: Number(r.mean), n: Number(r.n) }]),
  )
}

/** Arrivals per queue and interval for `days` local days from `from` (00:00 local). */
export const arrivals = async (
  db: Database,
  orgId: string,
  o: {
    readonly from: string
    readonly days: number
    readonly intervalMinutes: number
    readonly timeZone: string
  },
): Promise<Map<string, number[]>> => {
  const per = 1440 / o.intervalMinutes
  const start = sql`(${o.from}::timestamp at time zone ${o.timeZone})`
  const end = sql`(${addDays(o.from, o.days)}::timestamp at time zone ${o.timeZone})`
  const rows = await sql<{ channel: string; team: string; idx: number; n: number }>`
    select channel, coalesce(team, '') as team,
      floor(extract(epoch from ((received_at at time zone ${o.timeZone}) - ${o.from}::timestamp)) / ${o.intervalMinutes * 60})::int as idx,
      count(*)::int as n
    from process.case
    where org_id = ${orgId} and received_at >= ${start} and received_at < ${end}
    group by 1, 2, 3`.execute(db.kysely)
  const out = new Map<string, number[]>()
  for (const r of rows.rows) {
    const key = queueKey(r.channel, r.team)
    let arr = out.get(key)
    if (!arr) {
      arr = new Array<number>(o.days * per).fill(0)
      out.set(key, arr)
    }
    if (r.idx >= 0 && r.idx < arr.length) arr[r.idx] = Number(r.n)
  }
  return out
}

/** Agents scheduled per team and interval of the horizon, from core's shifts. */
export const scheduled = async (
  db: Database,
  orgId: string,
  o: {
    readonly from: string
    readonly days: number
    readonly intervalMinutes: number
    readonly dayType: (date: string) => DayType
  },
) =>
  Shifts.scheduledPerInterval(await Shifts.list(db, orgId), {
    from: o.from,
    days: o.days,
    intervalMinutes: o.intervalMinutes,
    dayInfo: (date) => {
      const t = o.dayType(date)
      const wd = new Date(`${date}T00:00:00Z`).getUTCDay()
      // a make-up working weekend day (调休) follows Monday's pattern
      return { holiday: t === "holiday", weekday: t === "workday" && (wd === 0 || wd === 6) ? 1 : wd }
    },
  })

const formats = new Map<string, Intl.DateTimeFormat>()
const offsetAt = (timeZone: string, t: number) => {
  let f = formats.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
    formats.set(timeZone, f)
  }
  const parts = f.formatToParts(new Date(t))
  const v = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return Date.UTC(v("year"), v("month") - 1, v("day"), v("hour"), v("minute"), v("second")) - t
}

/** The instant local midnight of a date begins (slots are minutes after it; a DST day is off by its shift). */
export const dayStart = (date: string, timeZone: string) => {
  const local = Date.parse(`${date}T00:00:00Z`)
  const first = local - offsetAt(timeZone, local)
  return local - offsetAt(timeZone, first)
}
