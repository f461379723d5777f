/**
 * The compiled calendar: sorted UTC open intervals per range of years with a prefix sum of open
 * time, and the binary searches and argument checks every public function uses.
 */
import type { Calendar } from "../Calendar"
import {
  CalendarRangeError,
  DATE_LIMIT,
  DAY,
  type InstantInput,
  MAX_INSTANT,
  MAX_YEAR,
  MIN_INSTANT,
  MIN_YEAR,
  SUPPORTED_RANGE,
} from "../model"
import { instantMs } from "./parse"
import { instantOf, offsetAt } from "./tz"

// ---------------------------------------------------------------------------
// The compiled calendar
// ---------------------------------------------------------------------------

export interface Compiled {
  yearFrom: number
  yearTo: number
  starts: Float64Array
  ends: Float64Array
  /** cum[i] = open ms before interval i; cumEnd[i] = cum[i] + length of i. */
  cum: Float64Array
  cumEnd: Float64Array
  n: number
}

export const internals = new WeakMap<Calendar, CalendarInternals>()

export class CalendarInternals {
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

export const mergeSorted = (flat: number[]): number[] => {
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

export const union = (a: number[], b: number[]): number[] => {
  const pairs: Array<[number, number]> = []
  for (let i = 0; i < a.length; i += 2) pairs.push([a[i]!, a[i + 1]!])
  for (let i = 0; i < b.length; i += 2) pairs.push([b[i]!, b[i + 1]!])
  pairs.sort((x, y) => x[0] - y[0])
  return mergeSorted(pairs.flat())
}

export const subtract = (a: number[], cut: ReadonlyArray<[number, number]>): number[] => {
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
export const upperBound = (arr: Float64Array, n: number, x: number): number => {
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
export const lowerBound = (arr: Float64Array, n: number, x: number): number => {
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
export const cumAt = (c: Compiled, t: number): number => {
  const i = upperBound(c.ends, c.n, t) // first interval ending after t
  if (i === c.n) return c.n === 0 ? 0 : c.cumEnd[c.n - 1]!
  return t > c.starts[i]! ? c.cum[i]! + (t - c.starts[i]!) : c.cum[i]!
}

export const showValue = (value: unknown): string => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString()
  const s = typeof value === "string" ? JSON.stringify(value) : String(value)
  return s.length > 60 ? `${s.slice(0, 57)}…` : s
}

/** Any valid JS instant (±8.64e15 ms), without the supported-range check. */
export const toValidMs = (value: InstantInput, name: string): number => {
  const t = instantMs(value)
  if (!Number.isFinite(t) || Math.abs(t) > DATE_LIMIT)
    throw new CalendarRangeError(name, "invalid_instant", `not a valid instant: ${showValue(value)}`)
  return t
}

export const outOfRange = (name: string, t: number) =>
  new CalendarRangeError(
    name,
    "out_of_range",
    `${new Date(t).toISOString()} is outside the supported range ${SUPPORTED_RANGE.from.toISOString()} … ${SUPPORTED_RANGE.to.toISOString()}`,
  )

/** A valid instant within the supported range. */
export const toMs = (value: InstantInput, name: string): number => {
  const t = toValidMs(value, name)
  if (t < MIN_INSTANT || t > MAX_INSTANT) throw outOfRange(name, t)
  return t
}

/** No request can ask for more open time than the supported range holds in wall time. */
export const MAX_SECONDS = (MAX_INSTANT - MIN_INSTANT) / 1000

export const toSeconds = (seconds: number): number => {
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
export const checkResult = (t: number): number => {
  if (t < MIN_INSTANT || t > MAX_INSTANT)
    throw new CalendarRangeError(
      "seconds",
      "out_of_range",
      `the answer would fall outside the supported range ${SUPPORTED_RANGE.from.toISOString()} … ${SUPPORTED_RANGE.to.toISOString()}`,
    )
  return t
}
