/**
 * Shifts: weekly working patterns of people for teams (a person on the early shift of `technical`,
 * Monday to Friday 08:00–16:00, from 1 March). Workforce plans count the agents scheduled in each
 * interval of a team's queues from them (`scheduledPerInterval`). Times are local to the organisation;
 * an end at or before the start runs past midnight. A shift is off on public holidays unless
 * `offOnHolidays` is false; on make-up working days (调休) it follows the weekday the calendar gives it.
 *
 * @since 0.7.0
 */
import { change } from "./Change"
import type { Database } from "./Db"
import { type FieldIssue, NotFoundError, ValidationError } from "./Errors"
import * as Id from "./Id"
import type { OrgContext } from "./Tenancy"

/** @category models @since 0.7.0 */
export interface Shift {
  readonly id: string
  readonly teamId: string
  readonly userId: string
  /** 0 = Sunday … 6 = Saturday */
  readonly weekdays: ReadonlyArray<number>
  readonly startTime: string
  readonly endTime: string
  readonly validFrom: string
  readonly validTo: string | null
  readonly offOnHolidays: boolean
}

/** @category models @since 0.7.0 */
export type ShiftInput = Omit<Shift, "id" | "validTo" | "offOnHolidays"> & {
  readonly id?: string | undefined
  readonly validTo?: string | null | undefined
  readonly offOnHolidays?: boolean | undefined
}

const TIME = /^([01][0-9]|2[0-3]):[0-5][0-9]$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

const check = (input: ShiftInput): FieldIssue[] => {
  const issues: FieldIssue[] = []
  const weekdays = input.weekdays
  if (
    !Array.isArray(weekdays) ||
    weekdays.length === 0 ||
    weekdays.some((d) => !Number.isInteger(d) || d < 0 || d > 6)
  )
    issues.push({
      path: ["weekdays"],
      message: "must list weekdays 0 (Sunday) – 6 (Saturday)",
      code: "invalidWeekdays",
    })
  for (const f of ["startTime", "endTime"] as const)
    if (typeof input[f] !== "string" || !TIME.test(input[f]))
      issues.push({ path: [f], message: "must be a time HH:MM", code: "invalidTime" })
  if (typeof input.validFrom !== "string" || !DATE.test(input.validFrom))
    issues.push({ path: ["validFrom"], message: "must be a date YYYY-MM-DD", code: "dateTime" })
  if (input.validTo != null && (!DATE.test(input.validTo) || input.validTo < input.validFrom))
    issues.push({ path: ["validTo"], message: "must be a date on or after validFrom", code: "notBefore" })
  return issues
}

type Row = {
  id: string
  team_id: string
  user_id: string
  weekdays: ReadonlyArray<number>
  start_time: string
  end_time: string
  valid_from: string
  valid_to: string | null
  off_on_holidays: boolean
}
const toShift = (r: Row): Shift => ({
  id: r.id,
  teamId: r.team_id,
  userId: r.user_id,
  weekdays: r.weekdays,
  startTime: r.start_time,
  endTime: r.end_time,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  offOnHolidays: r.off_on_holidays,
})

/** The organisation's shifts, or one team's. @category getters @since 0.7.0 */
export const list = async (db: Database, orgId: string, teamId?: string): Promise<Shift[]> => {
  let q = db.kysely.selectFrom("core.shift").selectAll().where("org_id", "=", orgId)
  if (teamId) q = q.where("team_id", "=", teamId)
  return (await q.orderBy("team_id").orderBy("start_time").orderBy("user_id").execute()).map(toShift)
}

/** Add a shift, or change one (same id). @category constructors @since 0.7.0 */
export const save = async (db: Database, ctx: OrgContext, input: ShiftInput): Promise<Shift> => {
  const issues = check(input)
  if (issues.length) throw new ValidationError({ message: "invalid shift", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const team = await tx
      .selectFrom("core.team")
      .select("id")
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", input.teamId)
      .executeTakeFirst()
    if (!team) throw new NotFoundError({ entity: "team", id: input.teamId })
    const id = input.id ?? Id.make("shift")
    const values = {
      team_id: input.teamId,
      user_id: input.userId,
      weekdays: JSON.stringify([...new Set(input.weekdays)].sort()),
      start_time: input.startTime,
      end_time: input.endTime,
      valid_from: input.validFrom,
      valid_to: input.validTo ?? null,
      off_on_holidays: input.offOnHolidays ?? true,
    }
    const r = await tx
      .insertInto("core.shift")
      .values({ org_id: ctx.orgId, id, ...values })
      .onConflict((oc) => oc.columns(["org_id", "id"]).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow()
    const shift = toShift(r)
    await audit({ action: "shift.saved", entityType: "shift", entityId: id, before: null, after: shift })
    return shift
  })
}

/** Remove a shift. @category constructors @since 0.7.0 */
export const remove = async (db: Database, ctx: OrgContext, id: string): Promise<void> => {
  await change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .deleteFrom("core.shift")
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst()
    if (!r) throw new NotFoundError({ entity: "shift", id })
    await audit({
      action: "shift.removed",
      entityType: "shift",
      entityId: id,
      before: toShift(r),
      after: null,
    })
  })
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
const DAY_MS = 86_400_000
const dateAdd = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)

/**
 * Agents scheduled in each interval of `days` local days from `from`, per team: a shift counts in an
 * interval for the share of the interval it covers (a shift ending 16:10 counts ⅔ in 16:00–16:15).
 * `dayInfo` says, for a date, whether it is a public holiday and which weekday's pattern it follows
 * (a make-up working Saturday follows a working weekday); by default the date's own weekday, no holidays.
 * @category getters
 * @since 0.7.0
 */
export const scheduledPerInterval = (
  shifts: ReadonlyArray<Shift>,
  options: {
    readonly from: string
    readonly days: number
    readonly intervalMinutes: number
    readonly dayInfo?: (date: string) => { readonly holiday: boolean; readonly weekday: number }
  },
): Map<string, Float64Array> => {
  const per = 1440 / options.intervalMinutes
  const out = new Map<string, Float64Array>()
  const info =
    options.dayInfo ??
    ((date: string) => ({ holiday: false, weekday: new Date(`${date}T00:00:00Z`).getUTCDay() }))
  const add = (team: string, fromMin: number, toMin: number, dayIndex: number) => {
    let arr = out.get(team)
    if (!arr) {
      arr = new Float64Array(options.days * per)
      out.set(team, arr)
    }
    const base = dayIndex * per
    for (let s = Math.floor(fromMin / options.intervalMinutes); s * options.intervalMinutes < toMin; s++) {
      const a = Math.max(fromMin, s * options.intervalMinutes)
      const b = Math.min(toMin, (s + 1) * options.intervalMinutes)
      const i = base + s
      if (b > a && i >= 0 && i < arr.length) arr[i] = (arr[i] as number) + (b - a) / options.intervalMinutes
    }
  }
  // start a day early so that last night's overnight shifts reach into the first day
  for (let d = -1; d < options.days; d++) {
    const date = dateAdd(options.from, d)
    const day = info(date)
    for (const s of shifts) {
      if (date < s.validFrom || (s.validTo !== null && date > s.validTo)) continue
      if (day.holiday && s.offOnHolidays) continue
      if (!s.weekdays.includes(day.weekday)) continue
      const start = minutes(s.startTime)
      const end = minutes(s.endTime)
      const stop = end > start ? end : end + 1440
      add(s.teamId, start, Math.min(stop, 1440), d)
      if (stop > 1440) add(s.teamId, 0, stop - 1440, d + 1)
    }
  }
  return out
}
