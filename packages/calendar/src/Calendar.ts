/**
 * Business-hours calendars: an IANA time zone, weekly opening hours with any number of slots
 * per weekday, closed dates (holidays), extra working dates with their own hours (make-up
 * working days, 调休), and one-off closures and openings.
 *
 * A calendar is compiled lazily, per range of years, into sorted UTC open intervals with a
 * prefix sum of open time, so every operation is a binary search: due dates, elapsed
 * business time and open periods cost O(log n) whatever the duration.
 *
 * The spec and errors are in `model.ts`, the compiled form in `internal/compiled.ts`.
 *
 * @since 0.1.0
 */

import {
  CalendarInternals,
  checkResult,
  cumAt,
  internals,
  lowerBound,
  showValue,
  toMs,
  toSeconds,
  toValidMs,
  upperBound,
} from "./internal/compiled"
import { parseDate, parsePeriods, parseSlots } from "./internal/parse"
import { isValidTimeZone, offsetAt } from "./internal/tz"
import {
  CalendarRangeError,
  type CalendarSpec,
  CalendarSpecError,
  DATE_LIMIT,
  DAY,
  type InstantInput,
  MAX_INSTANT,
  MAX_YEAR,
  MIN_YEAR,
  OFFSET_PROBE_FROM,
  OFFSET_PROBE_TO,
  type OpenPeriod,
  WEEKDAYS,
  type Weekday,
} from "./model"

export {
  CalendarRangeError,
  type CalendarRangeReason,
  type CalendarSpec,
  CalendarSpecError,
  type InstantInput,
  type OpenPeriod,
  type Period,
  type Slot,
  SUPPORTED_RANGE,
  type Weekday,
  type Workday,
} from "./model"

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * A validated calendar. Opaque; build it with `makeCalendar` and read its spec with `toSpec`.
 * @category models
 * @since 0.1.0
 */
export interface Calendar {
  readonly timeZone: string
  readonly spec: CalendarSpec
}

/**
 * Validate a spec and make a calendar. Throws `CalendarSpecError` naming the offending path.
 * @category constructors
 * @since 0.1.0
 */
export const makeCalendar = (spec: CalendarSpec): Calendar => {
  if (typeof spec !== "object" || spec === null)
    throw new CalendarSpecError("(root)", "expected a calendar object")
  if (!isValidTimeZone(spec.timeZone))
    throw new CalendarSpecError("timeZone", `unknown time zone ${JSON.stringify(spec.timeZone)}`)
  if (typeof spec.hours !== "object" || spec.hours === null)
    throw new CalendarSpecError("hours", "expected weekly hours by weekday")
  const week: Array<Array<[number, number]>> = WEEKDAYS.map(() => [])
  for (const key of Object.keys(spec.hours)) {
    const idx = WEEKDAYS.indexOf(key as Weekday)
    if (idx < 0)
      throw new CalendarSpecError(
        `hours.${key}`,
        `unknown weekday; use ${["mon", "tue", "wed", "thu", "fri", "sat", "sun"].join(", ")}`,
      )
    week[idx] = parseSlots(spec.hours[key as Weekday], `hours.${key}`)
  }
  const holidays = new Set<number>()
  if (spec.holidays !== undefined) {
    if (!Array.isArray(spec.holidays)) throw new CalendarSpecError("holidays", "expected a list of dates")
    spec.holidays.forEach((d, i) => {
      holidays.add(parseDate(d, `holidays[${i}]`))
    })
  }
  const workdays = new Map<number, Array<[number, number]>>()
  if (spec.workdays !== undefined) {
    if (!Array.isArray(spec.workdays))
      throw new CalendarSpecError("workdays", "expected a list of { date, hours }")
    spec.workdays.forEach((w, i) => {
      if (typeof w !== "object" || w === null)
        throw new CalendarSpecError(`workdays[${i}]`, "expected { date, hours }")
      const day = parseDate(w.date, `workdays[${i}].date`)
      if (holidays.has(day))
        throw new CalendarSpecError(`workdays[${i}].date`, `${w.date} is also listed as a holiday`)
      if (workdays.has(day)) throw new CalendarSpecError(`workdays[${i}].date`, `${w.date} is listed twice`)
      workdays.set(day, parseSlots(w.hours, `workdays[${i}].hours`))
    })
  }
  const closures = mergeClosures(parsePeriods(spec.closures, "closures"))
  const openings = parsePeriods(spec.openings, "openings")
  const calendar: Calendar = Object.freeze({
    timeZone: spec.timeZone,
    spec: structuredClone(spec) as CalendarSpec,
  })
  internals.set(calendar, new CalendarInternals(spec.timeZone, week, holidays, workdays, closures, openings))
  return calendar
}

const mergeClosures = (periods: Array<[number, number]>): Array<[number, number]> => {
  const out: Array<[number, number]> = []
  for (const [s, e] of periods) {
    const last = out.at(-1)
    if (last && s <= last[1]) last[1] = Math.max(last[1], e)
    else out.push([s, e])
  }
  return out
}

const inner = (calendar: Calendar): CalendarInternals => {
  const i = internals.get(calendar)
  if (!i) throw new TypeError("not a calendar: build one with makeCalendar(spec)")
  return i
}

/** The calendar's JSON spec (for storage and export). @category constructors @since 0.1.0 */
export const toSpec = (calendar: Calendar): CalendarSpec => structuredClone(calendar.spec) as CalendarSpec

/**
 * Each extension at least doubles the compiled span (or reaches the limit), so 64 rounds is far
 * more than the 401 supported years need; the bound makes termination evident.
 */
const MAX_EXTENSIONS = 64

const noOpenTime = (direction: "after" | "before") =>
  new CalendarRangeError(
    "seconds",
    "no_open_time",
    `the calendar has not that much open time ${direction} this instant within the supported range (${MIN_YEAR}–${MAX_YEAR})`,
  )

const addMs = (cal: CalendarInternals, from: number, ms: number): number => {
  let c = cal.coverInstant(from)
  for (let round = 0; round < MAX_EXTENSIONS; round++) {
    const target = cumAt(c, from) + ms
    const total = c.n === 0 ? 0 : c.cumEnd[c.n - 1]!
    if (target <= total && c.n > 0) {
      const j = lowerBound(c.cumEnd, c.n, target)
      return checkResult(c.starts[j]! + (target - c.cum[j]!))
    }
    if (!(c.yearTo < MAX_YEAR)) throw noOpenTime("after")
    c = cal.extendForward()
  }
  throw noOpenTime("after")
}

const subtractMs = (cal: CalendarInternals, from: number, ms: number): number => {
  let c = cal.coverInstant(from)
  for (let round = 0; round < MAX_EXTENSIONS; round++) {
    const target = cumAt(c, from) - ms
    if (target >= 0 && c.n > 0) {
      // the latest instant with that much open time before `from`
      const j = upperBound(c.cum, c.n, target) - 1
      return checkResult(c.starts[j]! + (target - c.cum[j]!))
    }
    if (!(c.yearFrom > MIN_YEAR)) throw noOpenTime("before")
    c = cal.extendBackward()
  }
  throw noOpenTime("before")
}

/**
 * The instant when `seconds` of open time have elapsed after `from` (the earliest such instant).
 * Zero seconds returns `from`; negative seconds count backwards.
 * @category constructors
 * @since 0.1.0
 */
export const addBusinessTime = (calendar: Calendar, from: InstantInput, seconds: number): Date => {
  const cal = inner(calendar)
  const t = toMs(from, "from")
  const s = toSeconds(seconds)
  if (s === 0) return new Date(t)
  return new Date(s > 0 ? addMs(cal, t, s * 1000) : subtractMs(cal, t, -s * 1000))
}

/**
 * The instant `seconds` of open time before `from` (the latest such instant).
 * @category constructors
 * @since 0.1.0
 */
export const subtractBusinessTime = (calendar: Calendar, from: InstantInput, seconds: number): Date => {
  const cal = inner(calendar)
  const t = toMs(from, "from")
  const s = toSeconds(seconds)
  if (s === 0) return new Date(t)
  return new Date(s > 0 ? subtractMs(cal, t, s * 1000) : addMs(cal, t, -s * 1000))
}

/**
 * Open seconds in [a, b); 0 when b ≤ a.
 * @category constructors
 * @since 0.1.0
 */
export const businessSecondsBetween = (calendar: Calendar, a: InstantInput, b: InstantInput): number => {
  const cal = inner(calendar)
  const ta = toMs(a, "a")
  const tb = toMs(b, "b")
  if (tb <= ta) return 0
  cal.coverInstant(ta)
  const c = cal.coverInstant(tb)
  return (cumAt(c, tb) - cumAt(c, ta)) / 1000
}

/** Whether the calendar is open at an instant. @category guards @since 0.1.0 */
export const isOpen = (calendar: Calendar, at: InstantInput): boolean => {
  const cal = inner(calendar)
  const t = toMs(at, "at")
  const c = cal.coverInstant(t)
  const i = upperBound(c.ends, c.n, t)
  return i < c.n && c.starts[i]! <= t
}

/**
 * The next instant the calendar is open: `at` itself when open then, otherwise the start of
 * the next open period.
 * @category constructors
 * @since 0.1.0
 */
export const nextOpening = (calendar: Calendar, at: InstantInput): Date => {
  const cal = inner(calendar)
  const t = toMs(at, "at")
  let c = cal.coverInstant(t)
  for (let round = 0; round < MAX_EXTENSIONS; round++) {
    const i = upperBound(c.ends, c.n, t)
    if (i < c.n) {
      const open = Math.max(t, c.starts[i]!)
      if (open > MAX_INSTANT)
        throw new CalendarRangeError(
          "at",
          "no_open_time",
          `the calendar never opens again before ${MAX_YEAR}`,
        )
      return new Date(open)
    }
    if (!(c.yearTo < MAX_YEAR)) break
    c = cal.extendForward()
  }
  throw new CalendarRangeError("at", "no_open_time", `the calendar never opens again before ${MAX_YEAR}`)
}

/**
 * Open periods within [from, to), clipped to it.
 * @category constructors
 * @since 0.1.0
 */
export const openPeriods = (calendar: Calendar, from: InstantInput, to: InstantInput): OpenPeriod[] => {
  const cal = inner(calendar)
  const a = toMs(from, "from")
  const b = toMs(to, "to")
  if (b <= a) return []
  cal.coverInstant(a)
  const c = cal.coverInstant(b)
  const out: OpenPeriod[] = []
  for (let i = upperBound(c.ends, c.n, a); i < c.n && c.starts[i]! < b; i++) {
    out.push({ start: new Date(Math.max(a, c.starts[i]!)), end: new Date(Math.min(b, c.ends[i]!)) })
  }
  return out
}

/** A local date the explanation mentions. @category models @since 0.1.0 */
export interface ExplainedDay {
  readonly date: string
  /** holiday: closed by the holiday list; makeup_workday: an extra working date (调休); closed: no hours that weekday. */
  readonly kind: "holiday" | "makeup_workday" | "closed"
}

/** Why a due date is what it is. @category models @since 0.1.0 */
export interface Explanation {
  readonly from: Date
  readonly seconds: number
  readonly due: Date
  readonly timeZone: string
  /** The open periods consumed, in order, with the seconds taken from each. */
  readonly periods: ReadonlyArray<{ readonly start: Date; readonly end: Date; readonly seconds: number }>
  /** Notable local dates between `from` and `due`: holidays and closed days skipped, make-up working days used. */
  readonly days: ReadonlyArray<ExplainedDay>
}

/** YYYY-MM-DD (or ±YYYYYY-MM-DD beyond year 9999, as toISOString writes it). */
const isoDate = (day: number) => {
  const iso = new Date(day * DAY).toISOString()
  return iso.slice(0, iso.indexOf("T"))
}

/**
 * `addBusinessTime` with its reasons: the periods it consumed and the days it skipped.
 * @category constructors
 * @since 0.1.0
 */
export const explainAddBusinessTime = (
  calendar: Calendar,
  from: InstantInput,
  seconds: number,
): Explanation => {
  const cal = inner(calendar)
  const t = toMs(from, "from")
  const s = toSeconds(seconds)
  if (s < 0)
    throw new CalendarRangeError(
      "seconds",
      "invalid_duration",
      "explainAddBusinessTime counts forward: seconds must be ≥ 0",
    )
  const due = addBusinessTime(calendar, t, s)
  const periods = openPeriods(calendar, t, due).map((p) => ({
    start: p.start,
    end: p.end,
    seconds: (p.end.getTime() - p.start.getTime()) / 1000,
  }))
  const days: ExplainedDay[] = []
  const localDay = (x: number) => Math.floor((x + offsetAt(cal.timeZone, x)) / DAY)
  const d0 = localDay(t)
  const d1 = localDay(due.getTime())
  for (let d = d0; d <= d1 && days.length < 400; d++) {
    if (cal.workdays.has(d)) days.push({ date: isoDate(d), kind: "makeup_workday" })
    else if (cal.holidays.has(d)) days.push({ date: isoDate(d), kind: "holiday" })
    else if (cal.hoursOf(d).length === 0) days.push({ date: isoDate(d), kind: "closed" })
  }
  return { from: new Date(t), seconds: s, due, timeZone: cal.timeZone, periods, days }
}

/** Local date (YYYY-MM-DD) of an instant in the calendar's zone. @category constructors @since 0.1.0 */
export const localDate = (calendar: Calendar, at: InstantInput): string => {
  const t = toValidMs(at, "at")
  // Intl writes years before 1 CE without a sign and cannot render the last hours of JS time in
  // zones east of UTC: outside [1000, the limit − 2 days] read the offset at the nearest edge (time
  // zones keep one offset before 1000 — local mean time — and their rules near the limit).
  const probe = Math.min(Math.max(t, OFFSET_PROBE_FROM), OFFSET_PROBE_TO)
  const local = t + offsetAt(inner(calendar).timeZone, probe)
  if (!(Math.abs(local) <= DATE_LIMIT))
    throw new CalendarRangeError(
      "at",
      "out_of_range",
      `the local date of ${showValue(at)} is not a valid date`,
    )
  return isoDate(Math.floor(local / DAY))
}
