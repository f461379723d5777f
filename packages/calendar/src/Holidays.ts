/**
 * Holiday feeds: iCalendar (.ics) files and the holiday-cn JSON format, read into holiday
 * dates and make-up working dates, then combined with an organisation's own hours.
 *
 * @since 0.1.0
 */
import ICAL from "ical.js"
import type { CalendarSpec, Slot, Weekday, Workday } from "./Calendar"

/** Closed dates and extra working dates read from a feed. @category models @since 0.1.0 */
export interface HolidaySet {
  readonly holidays: ReadonlyArray<string>
  /** Make-up working dates (调休): open although they fall on a weekend. */
  readonly makeupWorkdays: ReadonlyArray<string>
  /** Names by date, e.g. { "2025-01-28": "春节" }, for explanations. */
  readonly names: Readonly<Record<string, string>>
}

/** @category errors @since 0.1.0 */
export class HolidayFeedError extends Error {
  /** The discriminant every Tenet error carries (as Effect's `Data.TaggedError` does). */
  readonly _tag = "HolidayFeedError" as const
  override readonly name = "HolidayFeedError"
}

const MAKEUP = /上班|补班|调休上班|working day|workday/i

const dateOf = (t: ICAL.Time) =>
  `${String(t.year).padStart(4, "0")}-${String(t.month).padStart(2, "0")}-${String(t.day).padStart(2, "0")}`

/**
 * Read an iCalendar holiday feed. All-day events (one day or several; DTEND is exclusive) are
 * holidays, except events whose summary marks a make-up working day (上班 / 补班, the convention
 * of Chinese feeds). Recurring all-day events are expanded over `years` (default: the years the
 * feed mentions). Timed events are ignored (they are not whole-day closures).
 * @category constructors
 * @since 0.1.0
 */
export const parseIcs = (
  text: string,
  options: { readonly years?: readonly [number, number] } = {},
): HolidaySet => {
  let root: ICAL.Component
  try {
    root = new ICAL.Component(ICAL.parse(text))
  } catch (e) {
    throw new HolidayFeedError(`not an iCalendar file: ${(e as Error).message}`)
  }
  const holidays = new Set<string>()
  const makeup = new Set<string>()
  const names: Record<string, string> = {}
  const events = root.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v))
  const mentioned = events.map((e) => e.startDate?.year).filter((y): y is number => typeof y === "number")
  const [fromYear, toYear] = options.years ?? [Math.min(...mentioned), Math.max(...mentioned)]
  const add = (start: ICAL.Time, end: ICAL.Time | null, summary: string) => {
    const target = MAKEUP.test(summary) ? makeup : holidays
    const day = start.clone()
    const stop =
      end && end.compare(start) > 0
        ? end
        : (() => {
            const e = start.clone()
            e.adjust(1, 0, 0, 0)
            return e
          })()
    let guard = 0
    while (day.compare(stop) < 0 && guard++ < 366) {
      const d = dateOf(day)
      target.add(d)
      names[d] =
        summary
          .replace(/\(.*\)|（.*）/g, "")
          .replace(/假期$/, "")
          .trim() || summary
      day.adjust(1, 0, 0, 0)
    }
  }
  for (const event of events) {
    if (!event.startDate?.isDate) continue
    const summary = event.summary ?? ""
    if (event.isRecurring()) {
      const it = event.iterator()
      const length = event.endDate ? event.endDate.subtractDate(event.startDate).toSeconds() / 86400 : 1
      for (let next = it.next(); next && next.year <= toYear; next = it.next()) {
        if (next.year < fromYear) continue
        const end = next.clone()
        end.adjust(Math.max(1, Math.round(length)), 0, 0, 0)
        add(next, end, summary)
      }
    } else add(event.startDate, event.endDate, summary)
  }
  for (const d of makeup) holidays.delete(d)
  return { holidays: [...holidays].sort(), makeupWorkdays: [...makeup].sort(), names }
}

/** One file of the holiday-cn data set (https://github.com/NateScarlet/holiday-cn). @category models @since 0.1.0 */
export interface HolidayCnFile {
  readonly year: number
  readonly days: ReadonlyArray<{ readonly name: string; readonly date: string; readonly isOffDay: boolean }>
}

/**
 * Read holiday-cn JSON files (`isOffDay: true` is a holiday, `false` a make-up working day).
 * @category constructors
 * @since 0.1.0
 */
export const fromHolidayCn = (files: ReadonlyArray<HolidayCnFile>): HolidaySet => {
  const holidays: string[] = []
  const makeup: string[] = []
  const names: Record<string, string> = {}
  files.forEach((f, i) => {
    if (!f || !Array.isArray(f.days)) throw new HolidayFeedError(`file ${i}: expected { year, days: [...] }`)
    f.days.forEach((d, j) => {
      if (
        typeof d.date !== "string" ||
        !/^\d{4}-\d{2}-\d{2}$/.test(d.date) ||
        typeof d.isOffDay !== "boolean"
      )
        throw new HolidayFeedError(
          `file ${i} (year ${f.year}), days[${j}]: expected { name, date: "YYYY-MM-DD", isOffDay }`,
        )
      ;(d.isOffDay ? holidays : makeup).push(d.date)
      names[d.date] = d.name
    })
  })
  return { holidays: holidays.sort(), makeupWorkdays: makeup.sort(), names }
}

const WORKWEEK: ReadonlyArray<Weekday> = ["mon", "tue", "wed", "thu", "fri"]

/**
 * Combine an organisation's weekly hours with a holiday set. Make-up working days get
 * `makeupHours`, by default the hours of the first working weekday (Monday to Friday) that has any.
 * Dates already in the spec are kept; a spec workday wins over a feed holiday.
 * @category constructors
 * @since 0.1.0
 */
export const withHolidays = (
  spec: CalendarSpec,
  set: HolidaySet,
  options: { readonly makeupHours?: ReadonlyArray<Slot> } = {},
): CalendarSpec => {
  const makeupHours =
    options.makeupHours ?? WORKWEEK.map((d) => spec.hours[d]).find((h) => h && h.length > 0) ?? []
  const ownWorkdays = new Set((spec.workdays ?? []).map((w) => w.date))
  const ownHolidays = new Set(spec.holidays ?? [])
  const holidays = [
    ...new Set([...(spec.holidays ?? []), ...set.holidays.filter((d) => !ownWorkdays.has(d))]),
  ].sort()
  const workdays: Workday[] = [
    ...(spec.workdays ?? []),
    ...set.makeupWorkdays
      .filter((d) => !ownWorkdays.has(d) && !ownHolidays.has(d))
      .map((date) => ({ date, hours: makeupHours })),
  ].sort((a, b) => a.date.localeCompare(b.date))
  return { ...spec, holidays, workdays }
}
