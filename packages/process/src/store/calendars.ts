// Business calendars: records, compiled calendars (cached by version), their range and its errors.
import {
  type Calendar,
  CalendarRangeError,
  type CalendarSpec,
  CalendarSpecError,
  makeCalendar,
  SUPPORTED_RANGE,
} from "@tenet/calendar"
import { Errors } from "@tenet/core"
import type { Selectable } from "kysely"
import type { CalendarTable } from "../migrations/schema"
import type { Ex } from "./db"

export interface CalendarRecord {
  readonly id: string
  readonly name: string
  readonly spec: CalendarSpec
  readonly version: number
  readonly updatedAt: Date
}

export const toCalendarRecord = (r: Selectable<CalendarTable>): CalendarRecord => ({
  id: r.id,
  name: r.name,
  spec: r.spec,
  version: r.version,
  updatedAt: r.updated_at,
})

export const calendarCache = new Map<string, Calendar>()

/** Validate a spec; a CalendarSpecError becomes a ValidationError naming `spec.<path>`. */
export const compileSpec = (spec: unknown, field = "spec"): Calendar => {
  try {
    return makeCalendar(spec as CalendarSpec)
  } catch (e) {
    if (e instanceof CalendarSpecError)
      throw new Errors.ValidationError({
        message: "invalid calendar",
        issues: [
          {
            path: [field, ...e.path.split(/[.[\]]+/).filter(Boolean)],
            message: e.reason,
            code: "calendarSpec",
            params: { detail: e.reason },
          },
        ],
      })
    throw e
  }
}

/** The instants business calendars (and so SLA clocks) work with. */
export const CALENDAR_RANGE = {
  min: SUPPORTED_RANGE.from.toISOString(),
  max: SUPPORTED_RANGE.to.toISOString(),
} as const

/** Whether a date lies in the calendars' range (checked at intake, before any clock runs). */
export const inCalendarRange = (d: Date): boolean =>
  d.getTime() >= SUPPORTED_RANGE.from.getTime() && d.getTime() <= SUPPORTED_RANGE.to.getTime()

/** A date outside the calendars' range, as a field issue (code `calendarRange`). */
export const calendarRangeIssue = (path: ReadonlyArray<string | number>): Errors.FieldIssue => ({
  path,
  message: `must be between ${CALENDAR_RANGE.min} and ${CALENDAR_RANGE.max}`,
  code: "calendarRange",
  params: { min: CALENDAR_RANGE.min, max: CALENDAR_RANGE.max },
})

/**
 * Run calendar work whose instants come from `path`: a `CalendarRangeError` (an instant, or the
 * due date it leads to, outside the calendar's range; or no open time left to reach it) becomes a
 * ValidationError on that field — a 400 naming it, never a 500.
 */
export const onCalendar = <A>(path: ReadonlyArray<string | number>, fn: () => A): A => {
  try {
    return fn()
  } catch (e) {
    if (!(e instanceof CalendarRangeError)) throw e
    throw new Errors.ValidationError({
      message: "date outside the business calendar's range",
      issues: [
        e.reason === "no_open_time"
          ? {
              path,
              message: "the business calendar has no open time left to reach this due date",
              code: "calendarNoOpenTime",
            }
          : calendarRangeIssue(path),
      ],
    })
  }
}

/** A calendar compiled once per (organisation, id, version). */
const compiled = (orgId: string, id: string, version: number, spec: CalendarSpec): Calendar => {
  const key = `${orgId}:${id}:${version}`
  let calendar = calendarCache.get(key)
  if (!calendar) {
    calendar = makeCalendar(spec)
    if (calendarCache.size > 500) calendarCache.clear()
    calendarCache.set(key, calendar)
  }
  return calendar
}

export const loadCalendar = async (
  ex: Ex,
  orgId: string,
  id: string,
): Promise<{ record: CalendarRecord; calendar: Calendar }> => {
  const row = await ex
    .selectFrom("process.calendar")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!row) throw new Errors.NotFoundError({ entity: "calendar", id })
  const record = toCalendarRecord(row)
  const calendar = compiled(orgId, id, record.version, record.spec)
  return { record, calendar }
}
