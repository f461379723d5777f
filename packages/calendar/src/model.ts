/**
 * A calendar's spec, the errors calendar functions throw, and the supported range.
 *
 * @since 0.5.0
 */

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
  /** The discriminant every Tenet error carries (as Effect's `Data.TaggedError` does). */
  readonly _tag = "CalendarSpecError" as const
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
  /** The discriminant every Tenet error carries (as Effect's `Data.TaggedError` does). */
  readonly _tag = "CalendarRangeError" as const
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

export const WEEKDAYS: ReadonlyArray<Weekday> = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
export const DAY = 86_400_000
export const MIN_YEAR = 1900
export const MAX_YEAR = 2300
/** A day's margin inside the compiled years, so any zone's local year of a supported instant is compiled. */
export const MIN_INSTANT = Date.UTC(MIN_YEAR, 0, 2)
export const MAX_INSTANT = Date.UTC(MAX_YEAR, 11, 31)
/** The largest |ms| a JS Date holds. */
export const DATE_LIMIT = 8.64e15
export const OFFSET_PROBE_FROM = Date.UTC(1000, 0, 1)
export const OFFSET_PROBE_TO = DATE_LIMIT - 2 * DAY

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
