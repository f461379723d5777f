/**
 * Business-hours calendars: an IANA time zone, weekly opening hours with any number of slots
 * per weekday, closed dates (holidays), extra working dates with their own hours (make-up
 * working days, 调休), and one-off closures and openings.
 *
 * A calendar is compiled lazily, per range of years, into sorted UTC open intervals with a
 * prefix sum of open time, so every operation is a binary search: due dates, elapsed
 * business time and open periods cost O(log n) whatever the duration.
 *
 * @since 0.1.0
 */
import { instantOf, isValidTimeZone, offsetAt } from "./internal/tz"

// ---------------------------------------------------------------------------
// Spec
// ---------------------------------------------------------------------------

/** @category models @since 0.1.0 */
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun"
/** An opening slot in local time: ["09:00", "12:00"]; the end may be "24:00". @category models @since 0.1.0 */
export type Slot = readonly [start: string, end: string]
/** @category models @since 0.1.0 */
export interface Workday {
  /** Local date, YYYY-MM-DD. */
  readonly date: string
  readonly hours: ReadonlyArray<Slot>
}
/** A one-off closure or opening between two instants (ISO 8601 with offset). @category models @since 0.1.0 */
export interface Period {
  readonly start: string
  readonly end: string
}

/**
 * A calendar as plain JSON (how the API and the database store it).
 * @category models
 * @since 0.1.0
 */
export interface CalendarSpec {
  readonly timeZone: string
  readonly hours: Readonly<Partial<Record<Weekday, ReadonlyArray<Slot>>>>
  /** Local dates closed all day. */
  readonly holidays?: ReadonlyArray<string>
  /** Extra open dates with their own hours (make-up working days). */
  readonly workdays?: ReadonlyArray<Workday>
  /** One-off closures between instants. */
  readonly closures?: ReadonlyArray<Period>
  /** One-off openings between instants. */
  readonly openings?: ReadonlyArray<Period>
}

/** An instant: a Date, epoch milliseconds or an ISO 8601 string. @category models @since 0.1.0 */
export type InstantInput = Date | number | string

/** An open period. @category models @since 0.1.0 */
export interface OpenPeriod {
  readonly start: Date
  readonly end: Date
}

/**
 * The spec is invalid; `path` names the offending part (e.g. `hours.mon[1]`).
 * @category errors
 * @since 0.1.0
 */
export class CalendarSpecError extends Error {
  override readonly name = "CalendarSpecError"
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`)
  }
}

/**
 * Why a calendar function refused its arguments: `invalid_instant` (not a date, NaN, or past what
 * a JS Date can hold), `invalid_duration` (not a finite number of seconds), `out_of_range` (an
 * instant, or the answer, outside the supported range — see `SUPPORTED_RANGE`) or `no_open_time`
 * (the calendar has no open time left in the supported range to satisfy the request).
 * @category models
 * @since 0.2.0
 */
export type CalendarRangeReason = "invalid_instant" | "invalid_duration" | "out_of_range" | "no_open_time"

/**
 * An argument is outside the calendar's domain. `argument` names it (`from`, `seconds`, `at`, `a`,
 * `b`, `to`); `reason` says why; `code` is stable (`calendar.<reason>`) for callers that translate it.
 * It is a `RangeError`, thrown synchronously: no calendar function loops or caches a broken state.
 * @category errors
 * @since 0.2.0
 */
export class CalendarRangeError extends RangeError {
  override readonly name = "CalendarRangeError"
  readonly code: `calendar.${CalendarRangeReason}`
  constructor(
    readonly argument: string,
    readonly reason: CalendarRangeReason,
    message: string,
  ) {
    super(`${argument}: ${message}`)
    this.code = `calendar.${reason}`
  }
}

const WEEKDAYS: ReadonlyArray<Weekday> = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
const DAY = 86_400_000
const MIN_YEAR = 1900
const MAX_YEAR = 2300
/** A day's margin inside the compiled years, so any zone's local year of a supported instant is compiled. */
const MIN_INSTANT = Date.UTC(MIN_YEAR, 0, 2)
const MAX_INSTANT = Date.UTC(MAX_YEAR, 11, 31)
/** The largest |ms| a JS Date holds. */
const DATE_LIMIT = 8.64e15
const OFFSET_PROBE_FROM = Date.UTC(1000, 0, 1)
const OFFSET_PROBE_TO = DATE_LIMIT - 2 * DAY

/**
 * The instants every calendar function accepts and returns: from 1900-01-02T00:00:00Z up to
 * 2300-12-31T00:00:00Z inclusive. Outside it (and for invalid dates) functions throw
 * `CalendarRangeError`; `localDate` alone works for any valid Date.
 * @category models
 * @since 0.2.0
 */
export const SUPPORTED_RANGE: { readonly from: Date; readonly to: Date } = Object.freeze({
  from: new Date(MIN_INSTANT),
  to: new Date(MAX_INSTANT),
})

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

const TIME = /^(\d{2}):(\d{2})$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const parseTime = (value: unknown, path: string, isEnd: boolean): number => {
  if (typeof value !== "string")
    throw new CalendarSpecError(path, `expected a time "HH:MM", got ${JSON.stringify(value)}`)
  const m = TIME.exec(value)
  if (!m) throw new CalendarSpecError(path, `expected a time "HH:MM", got "${value}"`)
  const h = Number(m[1])
  const mi = Number(m[2])
  if (mi > 59 || h > 24 || (h === 24 && mi !== 0))
    throw new CalendarSpecError(path, `"${value}" is not a time of day`)
  if (h === 24 && !isEnd) throw new CalendarSpecError(path, `"24:00" can only end a slot`)
  return h * 60 + mi
}

/** Days since 1970-01-01 of a local date string. */
const parseDate = (value: unknown, path: string): number => {
  if (typeof value !== "string")
    throw new CalendarSpecError(path, `expected a date "YYYY-MM-DD", got ${JSON.stringify(value)}`)
  const m = DATE.exec(value)
  if (!m) throw new CalendarSpecError(path, `expected a date "YYYY-MM-DD", got "${value}"`)
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  const t = Date.UTC(y, mo - 1, d)
  const back = new Date(t)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    throw new CalendarSpecError(path, `"${value}" is not a calendar date`)
  return t / DAY
}

const parseSlots = (slots: unknown, path: string): Array<[number, number]> => {
  if (!Array.isArray(slots)) throw new CalendarSpecError(path, "expected a list of slots [start, end]")
  const out: Array<[number, number, number]> = []
  slots.forEach((slot, i) => {
    const p = `${path}[${i}]`
    if (!Array.isArray(slot) || slot.length !== 2)
      throw new CalendarSpecError(p, 'expected a slot ["HH:MM", "HH:MM"]')
    const s = parseTime(slot[0], `${p}[0]`, false)
    const e = parseTime(slot[1], `${p}[1]`, true)
    if (e <= s)
      throw new CalendarSpecError(p, `the slot ends (${slot[1]}) before or when it starts (${slot[0]})`)
    out.push([s, e, i])
  })
  const sorted = [...out].sort((a, b) => a[0] - b[0])
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!
    const cur = sorted[i]!
    if (cur[0] < prev[1]) throw new CalendarSpecError(`${path}[${cur[2]}]`, `overlaps ${path}[${prev[2]}]`)
  }
  return sorted.map(([s, e]) => [s, e])
}

/** Milliseconds of a Date, a number or an ISO 8601 string; NaN for anything else. */
const instantMs = (value: unknown): number =>
  value instanceof Date
    ? value.getTime()
    : typeof value === "number"
      ? value
      : typeof value === "string"
        ? Date.parse(value)
        : Number.NaN

const parseInstant = (value: unknown, path: string): number => {
  const t = instantMs(value)
  if (!Number.isFinite(t))
    throw new CalendarSpecError(path, `expected an ISO 8601 instant, got ${JSON.stringify(value)}`)
  return t
}

const parsePeriods = (periods: unknown, path: string): Array<[number, number]> => {
  if (periods === undefined) return []
  if (!Array.isArray(periods)) throw new CalendarSpecError(path, "expected a list of { start, end }")
  const out = periods.map((p, i): [number, number] => {
    if (typeof p !== "object" || p === null)
      throw new CalendarSpecError(`${path}[${i}]`, "expected { start, end }")
    const s = parseInstant((p as Period).start, `${path}[${i}].start`)
    const e = parseInstant((p as Period).end, `${path}[${i}].end`)
    if (e <= s) throw new CalendarSpecError(`${path}[${i}]`, "ends before or when it starts")
    return [s, e]
  })
  return out.sort((a, b) => a[0] - b[0])
}

// ---------------------------------------------------------------------------
// The compiled calendar
// ---------------------------------------------------------------------------

interface Compiled {
  yearFrom: number
  yearTo: number
  starts: Float64Array
  ends: Float64Array
  /** cum[i] = open ms before interval i; cumEnd[i] = cum[i] + length of i. */
  cum: Float64Array
  cumEnd: Float64Array
  n: number
}

const internals = new WeakMap<Calendar, CalendarInternals>()

class CalendarInternals {
  compiled: Compiled | undefined
  constructor(
    readonly timeZone: string,
    readonly week: ReadonlyArray<ReadonlyArray<[number, number]>>,
    readonly holidays: ReadonlySet<number>,
    readonly workdays: ReadonlyMap<number, ReadonlyArray<[number, number]>>,
    readonly closures: ReadonlyArray<[number, number]>,
    readonly openings: ReadonlyArray<[number, number]>,
  ) {}

  get hasWeeklyHours() {
    return this.week.some((d) => d.length > 0)
  }

  /** Hours of a local day (days since epoch). */
  hoursOf(day: number): ReadonlyArray<[number, number]> {
    const w = this.workdays.get(day)
    if (w) return w
    if (this.holidays.has(day)) return []
    return this.week[(((day + 4) % 7) + 7) % 7]!
  }

  /** Local year of a supported instant (the caller checked t is within [MIN_INSTANT, MAX_INSTANT]). */
  localYearOf(t: number): number {
    return new Date(t + offsetAt(this.timeZone, t)).getUTCFullYear()
  }

  build(yearFrom: number, yearTo: number): Compiled {
    const tz = this.timeZone
    const first = Date.UTC(yearFrom, 0, 1) / DAY
    const last = Date.UTC(yearTo + 1, 0, 1) / DAY
    const raw: number[] = []
    // The zone's offset every two days from 14 h before the first local day, read lazily: a local
    // day lies in [its UTC midnight − 14 h, + 38 h], inside three consecutive probes; when they agree
    // no offset change touches the day (assuming no two changes that cancel out within four days,
    // as every zone's history has it) and its slots convert with that offset. One time-zone lookup
    // per two days instead of two per open day: the lookups are nearly all of a compile's time.
    const base = first * DAY - 14 * 3_600_000
    const probes = new Float64Array(Math.ceil((last - first) / 2) + 3).fill(Number.NaN)
    const probe = (j: number): number => {
      let o = probes[j]!
      if (Number.isNaN(o)) {
        o = offsetAt(tz, base + j * 2 * DAY)
        probes[j] = o
      }
      return o
    }
    for (let day = first; day < last; day++) {
      const slots = this.hoursOf(day)
      if (slots.length === 0) continue
      const dayMs = day * DAY
      const j = (day - first) >> 1
      const o1 = probe(j)
      const o2 = probe(j + 1) === o1 ? probe(j + 2) : Number.NaN
      for (const [s, e] of slots) {
        const ls = dayMs + s * 60_000
        const le = dayMs + e * 60_000
        const start = o1 === o2 ? ls - o1 : instantOf(tz, ls)
        const end = o1 === o2 ? le - o1 : instantOf(tz, le)
        if (end > start) raw.push(start, end)
      }
    }
    let intervals = mergeSorted(raw)
    const lo = Date.UTC(yearFrom, 0, 1) - 14 * 3_600_000
    const hi = Date.UTC(yearTo + 1, 0, 1) + 14 * 3_600_000
    if (this.openings.length > 0) {
      const extra: number[] = []
      for (const [s, e] of this.openings) if (e > lo && s < hi) extra.push(Math.max(s, lo), Math.min(e, hi))
      if (extra.length) intervals = union(intervals, extra)
    }
    if (this.closures.length > 0) intervals = subtract(intervals, this.closures)
    const n = intervals.length / 2
    const starts = new Float64Array(n)
    const ends = new Float64Array(n)
    const cum = new Float64Array(n)
    const cumEnd = new Float64Array(n)
    let acc = 0
    for (let i = 0; i < n; i++) {
      starts[i] = intervals[2 * i]!
      ends[i] = intervals[2 * i + 1]!
      cum[i] = acc
      acc += ends[i]! - starts[i]!
      cumEnd[i] = acc
    }
    return { yearFrom, yearTo, starts, ends, cum, cumEnd, n }
  }

  /** Make sure the compiled range covers local years [from, to]. */
  /**
   * Make sure the compiled range covers local years [from, to] (clamped to the supported years).
   * The new range is built first and only then cached: a failure leaves the previous one intact.
   */
  cover(from: number, to: number): Compiled {
    if (!Number.isInteger(from) || !Number.isInteger(to) || from > to)
      throw new CalendarRangeError("year", "out_of_range", `cannot compile the years ${from}–${to}`)
    const f = Math.max(MIN_YEAR, from)
    const t = Math.min(MAX_YEAR, to)
    const c = this.compiled
    if (c && c.yearFrom <= f && c.yearTo >= t) return c
    const yf = Math.min(f, c?.yearFrom ?? f)
    const yt = Math.max(t, c?.yearTo ?? t)
    const built = this.build(yf, yt)
    this.compiled = built
    return built
  }

  /** Cover a supported instant (checked by `toMs`) and the local years next to it. */
  coverInstant(t: number): Compiled {
    const c0 = this.compiled
    // Fast path (no time-zone lookup): well inside the compiled range, with a day's margin.
    if (c0 && t >= Date.UTC(c0.yearFrom, 0, 2) && t < Date.UTC(c0.yearTo, 11, 31)) return c0
    const y = this.localYearOf(t)
    const c = this.compiled
    // Cover the neighbouring years too, so instants near a year boundary are inside.
    if (c && c.yearFrom <= Math.max(MIN_YEAR, y - 1) && c.yearTo >= Math.min(MAX_YEAR, y + 1)) return c
    return this.cover(y - 1, y + 1)
  }

  extendForward(): Compiled {
    const c = this.compiled!
    const span = Math.max(1, c.yearTo - c.yearFrom + 1)
    return this.cover(c.yearFrom, Math.min(MAX_YEAR, c.yearTo + span))
  }

  extendBackward(): Compiled {
    const c = this.compiled!
    const span = Math.max(1, c.yearTo - c.yearFrom + 1)
    return this.cover(Math.max(MIN_YEAR, c.yearFrom - span), c.yearTo)
  }
}

const mergeSorted = (flat: number[]): number[] => {
  // pairs arrive in day order; slots within a day are sorted; DST can reorder nothing
  const out: number[] = []
  for (let i = 0; i < flat.length; i += 2) {
    const s = flat[i]!
    const e = flat[i + 1]!
    const n = out.length
    if (n > 0 && s <= out[n - 1]!) {
      if (e > out[n - 1]!) out[n - 1] = e
    } else out.push(s, e)
  }
  return out
}

const union = (a: number[], b: number[]): number[] => {
  const pairs: Array<[number, number]> = []
  for (let i = 0; i < a.length; i += 2) pairs.push([a[i]!, a[i + 1]!])
  for (let i = 0; i < b.length; i += 2) pairs.push([b[i]!, b[i + 1]!])
  pairs.sort((x, y) => x[0] - y[0])
  return mergeSorted(pairs.flat())
}

const subtract = (a: number[], cut: ReadonlyArray<[number, number]>): number[] => {
  const out: number[] = []
  let j = 0
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i]!
    const e = a[i + 1]!
    while (j < cut.length && cut[j]![1] <= s) j++
    let k = j
    while (k < cut.length && cut[k]![0] < e) {
      const [cs, ce] = cut[k]!
      if (cs > s) out.push(s, cs)
      s = Math.max(s, ce)
      if (s >= e) break
      k++
    }
    if (s < e) out.push(s, e)
  }
  return out
}

/** First index i with arr[i] > x (arr ascending), in [0, n]. */
const upperBound = (arr: Float64Array, n: number, x: number): number => {
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (arr[mid]! > x) hi = mid
    else lo = mid + 1
  }
  return lo
}
/** First index i with arr[i] >= x, in [0, n]. */
const lowerBound = (arr: Float64Array, n: number, x: number): number => {
  let lo = 0
  let hi = n
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (arr[mid]! >= x) hi = mid
    else lo = mid + 1
  }
  return lo
}

/** Open ms from the start of the compiled range up to t (t must be inside the range). */
const cumAt = (c: Compiled, t: number): number => {
  const i = upperBound(c.ends, c.n, t) // first interval ending after t
  if (i === c.n) return c.n === 0 ? 0 : c.cumEnd[c.n - 1]!
  return t > c.starts[i]! ? c.cum[i]! + (t - c.starts[i]!) : c.cum[i]!
}

const showValue = (value: unknown): string => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString()
  const s = typeof value === "string" ? JSON.stringify(value) : String(value)
  return s.length > 60 ? `${s.slice(0, 57)}…` : s
}

/** Any valid JS instant (±8.64e15 ms), without the supported-range check. */
const toValidMs = (value: InstantInput, name: string): number => {
  const t = instantMs(value)
  if (!Number.isFinite(t) || Math.abs(t) > DATE_LIMIT)
    throw new CalendarRangeError(name, "invalid_instant", `not a valid instant: ${showValue(value)}`)
  return t
}

const outOfRange = (name: string, t: number) =>
  new CalendarRangeError(
    name,
    "out_of_range",
    `${new Date(t).toISOString()} is outside the supported range ${SUPPORTED_RANGE.from.toISOString()} … ${SUPPORTED_RANGE.to.toISOString()}`,
  )

/** A valid instant within the supported range. */
const toMs = (value: InstantInput, name: string): number => {
  const t = toValidMs(value, name)
  if (t < MIN_INSTANT || t > MAX_INSTANT) throw outOfRange(name, t)
  return t
}

/** No request can ask for more open time than the supported range holds in wall time. */
const MAX_SECONDS = (MAX_INSTANT - MIN_INSTANT) / 1000

const toSeconds = (seconds: number): number => {
  if (typeof seconds !== "number" || !Number.isFinite(seconds))
    throw new CalendarRangeError(
      "seconds",
      "invalid_duration",
      `expected a finite number of seconds, got ${showValue(seconds)}`,
    )
  if (Math.abs(seconds) > MAX_SECONDS)
    throw new CalendarRangeError(
      "seconds",
      "out_of_range",
      `${seconds} s is more than the supported range holds (${MAX_SECONDS} s)`,
    )
  return seconds
}

/** An answer must be a supported instant too (so it can be passed back in). */
const checkResult = (t: number): number => {
  if (t < MIN_INSTANT || t > MAX_INSTANT)
    throw new CalendarRangeError(
      "seconds",
      "out_of_range",
      `the answer would fall outside the supported range ${SUPPORTED_RANGE.from.toISOString()} … ${SUPPORTED_RANGE.to.toISOString()}`,
    )
  return t
}

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
