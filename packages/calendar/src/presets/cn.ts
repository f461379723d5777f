/**
 * Mainland China presets: official public holidays and make-up working days (调休) for
 * 2015–2026 from holiday-cn (MIT, NateScarlet; see NOTICE), to combine with your own hours.
 *
 * @since 0.1.0
 */
import type { CalendarSpec, Slot, Weekday } from "../Calendar"
import { fromHolidayCn, type HolidaySet, withHolidays } from "../Holidays"
import { CN_DATA } from "./cn-data"

/** The years the preset covers. @category models @since 0.1.0 */
export const CN_YEARS: readonly [number, number] = [CN_DATA[0]!.year, CN_DATA.at(-1)!.year]

/** China's holidays and make-up working days, 2015–2026. @category constructors @since 0.1.0 */
export const chinaHolidays = (years: readonly [number, number] = CN_YEARS): HolidaySet =>
  fromHolidayCn(CN_DATA.filter((f) => f.year >= years[0] && f.year <= years[1]))

/** The State Council notices each year's data comes from. @category models @since 0.1.0 */
export const chinaSources = (): Record<number, ReadonlyArray<string>> =>
  Object.fromEntries(CN_DATA.map((f) => [f.year, f.papers]))

const OFFICE: ReadonlyArray<Slot> = [
  ["09:00", "12:00"],
  ["13:00", "18:00"],
]

/**
 * A mainland-China calendar spec: your weekly hours (default Monday–Friday 09:00–12:00 and
 * 13:00–18:00, Asia/Shanghai) plus the official holidays and make-up working days.
 * @category constructors
 * @since 0.1.0
 */
export const chinaMainland = (
  options: {
    readonly hours?: Partial<Record<Weekday, ReadonlyArray<Slot>>>
    readonly timeZone?: string
    readonly makeupHours?: ReadonlyArray<Slot>
    readonly years?: readonly [number, number]
  } = {},
): CalendarSpec => {
  const hours = options.hours ?? { mon: OFFICE, tue: OFFICE, wed: OFFICE, thu: OFFICE, fri: OFFICE }
  return withHolidays(
    { timeZone: options.timeZone ?? "Asia/Shanghai", hours },
    chinaHolidays(options.years),
    {
      ...(options.makeupHours ? { makeupHours: options.makeupHours } : {}),
    },
  )
}
