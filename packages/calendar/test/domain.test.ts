// The calendar is total over its whole input domain: any Date (invalid, NaN, ±8.64e15 ms, far past
// or future) and any duration (0, negative, huge, fractional, NaN) either gives a correct answer or
// throws CalendarRangeError naming the argument — it never loops and never poisons its cache.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  addBusinessTime,
  businessSecondsBetween,
  type Calendar,
  CalendarRangeError,
  explainAddBusinessTime,
  isOpen,
  localDate,
  makeCalendar,
  nextOpening,
  openPeriods,
  SUPPORTED_RANGE,
  subtractBusinessTime,
} from "../src/index"
import { chinaMainland } from "../src/presets/cn"

const H = 3600
const OFFICE = [
  ["09:00", "12:00"],
  ["13:00", "18:00"],
] as const
const week = { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE }
const fresh = () => makeCalendar({ timeZone: "Asia/Shanghai", hours: week })
const EXTREME = new Date("+275760-09-12T16:00:01Z")

const rangeError = (fn: () => unknown): CalendarRangeError => {
  try {
    fn()
  } catch (e) {
    if (e instanceof CalendarRangeError) return e
    throw e
  }
  throw new Error("expected a CalendarRangeError, got an answer")
}

describe("the reproducer of issue #12", () => {
  it("an instant past the largest date plus the zone offset is refused, not cached as NaN", () => {
    const cal = fresh()
    // Before the fix this returned false and cached a NaN range (every later add looped).
    expect(rangeError(() => isOpen(cal, EXTREME)).argument).toBe("at")
    expect(iso(addBusinessTime(cal, "2025-03-03T11:30:00+08:00", H))).toBe("2025-03-03T05:30:00.000Z")
  })
  it("addBusinessTime(Asia/Shanghai, +275760-09-12T16:00:01Z, 3600) throws, naming `from`", () => {
    const cal = fresh()
    const e = rangeError(() => addBusinessTime(cal, EXTREME, 3600))
    expect(e).toBeInstanceOf(RangeError)
    expect(e.argument).toBe("from")
    expect(e.code).toBe("calendar.out_of_range")
  })
  it("normal dates still work after it, on the same calendar", () => {
    const cal = fresh()
    for (const bad of [EXTREME, new Date(8.64e15), new Date(-8.64e15), new Date(Number.NaN)]) {
      rangeError(() => addBusinessTime(cal, bad, 3600))
      rangeError(() => businessSecondsBetween(cal, "2025-03-03T00:00:00Z", bad))
      rangeError(() => openPeriods(cal, bad, "2025-03-03T00:00:00Z"))
      rangeError(() => nextOpening(cal, bad))
      rangeError(() => explainAddBusinessTime(cal, bad, 60))
    }
    expect(iso(addBusinessTime(cal, "2025-03-03T11:30:00+08:00", H))).toBe("2025-03-03T05:30:00.000Z")
    expect(businessSecondsBetween(cal, "2025-03-03T09:00:00+08:00", "2025-03-03T18:00:00+08:00")).toBe(8 * H)
  })
})

describe("each argument outside the domain is named", () => {
  const cal = fresh()
  it("invalid instants", () => {
    expect(rangeError(() => addBusinessTime(cal, "not a date", 60)).code).toBe("calendar.invalid_instant")
    expect(rangeError(() => addBusinessTime(cal, Number.POSITIVE_INFINITY, 60)).argument).toBe("from")
    expect(rangeError(() => addBusinessTime(cal, 9e15, 60)).code).toBe("calendar.invalid_instant")
    expect(rangeError(() => businessSecondsBetween(cal, "2025-01-01T00:00:00Z", Number.NaN)).argument).toBe(
      "b",
    )
    expect(rangeError(() => openPeriods(cal, "2025-01-01T00:00:00Z", "x")).argument).toBe("to")
  })
  it("instants outside the supported range, and answers that would fall outside it", () => {
    expect(rangeError(() => addBusinessTime(cal, "1800-01-01T00:00:00Z", 60)).code).toBe(
      "calendar.out_of_range",
    )
    expect(rangeError(() => isOpen(cal, "2400-01-01T00:00:00Z")).argument).toBe("at")
    const near = new Date(SUPPORTED_RANGE.to.getTime() - 3 * 86_400_000)
    expect(rangeError(() => addBusinessTime(cal, near, 30 * 24 * H)).argument).toBe("seconds")
    const early = new Date(SUPPORTED_RANGE.from.getTime() + 3 * 86_400_000)
    expect(rangeError(() => subtractBusinessTime(cal, early, 30 * 24 * H)).argument).toBe("seconds")
  })
  it("durations: NaN, infinite, huge", () => {
    for (const s of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(rangeError(() => addBusinessTime(cal, "2025-01-01T00:00:00Z", s)).code).toBe(
        "calendar.invalid_duration",
      )
    }
    expect(rangeError(() => addBusinessTime(cal, "2025-01-01T00:00:00Z", 1e300)).argument).toBe("seconds")
    expect(rangeError(() => explainAddBusinessTime(cal, "2025-01-01T00:00:00Z", -1)).argument).toBe("seconds")
  })
  it("a calendar that is never open refuses without looping", () => {
    const closed = makeCalendar({ timeZone: "Pacific/Kiritimati", hours: {} })
    expect(rangeError(() => addBusinessTime(closed, "2025-01-01T00:00:00Z", 1)).code).toBe(
      "calendar.no_open_time",
    )
    expect(rangeError(() => subtractBusinessTime(closed, "2025-01-01T00:00:00Z", 1)).code).toBe(
      "calendar.no_open_time",
    )
    expect(rangeError(() => nextOpening(closed, "2025-01-01T00:00:00Z")).argument).toBe("at")
  })
  it("localDate works for any valid Date and refuses only what has no local date", () => {
    expect(localDate(cal, "1800-01-01T00:00:00Z")).toBe("1800-01-01")
    expect(localDate(cal, new Date(-8.64e15))).toBe("-271821-04-20")
    expect(localDate(cal, new Date(8.64e15 - 9 * 3_600_000))).toBe("+275760-09-12")
    expect(rangeError(() => localDate(cal, EXTREME)).argument).toBe("at")
    expect(rangeError(() => localDate(cal, new Date(Number.NaN))).code).toBe("calendar.invalid_instant")
  })
})

const iso = (d: Date) => d.toISOString()

// Every instant a caller can hand over: valid dates anywhere in JS's range (biased to the edges
// and the supported range), invalid dates, numbers beyond the range, strings.
const anyInstant = fc.oneof(
  fc.date({ noInvalidDate: false }),
  fc.constantFrom(
    new Date(8.64e15),
    new Date(-8.64e15),
    EXTREME,
    new Date(Number.NaN),
    SUPPORTED_RANGE.from,
    SUPPORTED_RANGE.to,
  ),
  fc.integer({ min: SUPPORTED_RANGE.from.getTime(), max: SUPPORTED_RANGE.to.getTime() }),
  fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 31) }),
  fc.double(),
  fc.constantFrom("not a date", "+275760-09-13T00:00:00.000Z", "-271821-04-20T00:00:00Z", ""),
)
const anySeconds = fc.oneof(
  fc.double(),
  fc.integer({ min: -400 * 24 * H, max: 400 * 24 * H }),
  fc.constantFrom(0, -0, 0.5, -1.25, 1e300, -1e300, Number.MAX_VALUE, Number.MIN_VALUE),
)

/** The call answers (with a valid Date / finite number) or throws CalendarRangeError; nothing else. */
const total = (fn: () => unknown): boolean => {
  try {
    const out = fn()
    if (out instanceof Date) return !Number.isNaN(out.getTime())
    if (typeof out === "number") return Number.isFinite(out)
    return true
  } catch (e) {
    if (e instanceof CalendarRangeError) return true
    throw e
  }
}

describe("properties over the whole domain", () => {
  // One shared calendar for the whole run: a poisoned cache would show up in later runs.
  const shared: Calendar = makeCalendar(chinaMainland())
  const inRange = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 31) })
  const secs = fc.integer({ min: 0, max: 31 * 24 * H })

  it("every function terminates with an answer or a CalendarRangeError", () => {
    fc.assert(
      fc.property(anyInstant, anyInstant, anySeconds, (a, b, s) => {
        return (
          total(() => addBusinessTime(shared, a, s)) &&
          total(() => subtractBusinessTime(shared, a, s)) &&
          total(() => businessSecondsBetween(shared, a, b)) &&
          total(() => isOpen(shared, a)) &&
          total(() => nextOpening(shared, a)) &&
          total(() => localDate(shared, a)) &&
          total(() => explainAddBusinessTime(shared, a, Math.min(Math.abs(s), 40 * 24 * H))) &&
          total(() => openPeriods(shared, a, typeof a === "number" ? a + 7 * 86_400_000 : b).length)
        )
      }),
      { numRuns: 400 },
    )
  })

  it("after any of it, in-range inputs keep the invariants: elapsed(add(t, d)) == d", () => {
    fc.assert(
      fc.property(anyInstant, anySeconds, inRange, secs, (junk, s, t, d) => {
        total(() => addBusinessTime(shared, junk, s))
        total(() => subtractBusinessTime(shared, junk, s))
        const due = addBusinessTime(shared, t, d)
        const back = subtractBusinessTime(shared, due, d)
        return (
          businessSecondsBetween(shared, t, due) === d &&
          due.getTime() >= t &&
          back.getTime() <= due.getTime() &&
          businessSecondsBetween(shared, back, due) === d
        )
      }),
      { numRuns: 400 },
    )
  })
})
