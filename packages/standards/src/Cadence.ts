/**
 * When scheduled work runs: daily, weekly (on a weekday) or monthly (on a day of the month) at
 * a local time in an IANA time zone, and the period a run covers. Pure functions, DST-aware
 * through `Intl` (a local time that does not exist on a spring-forward day runs at the first
 * minute after the gap). Used by the compliance schedules here and by the API's scheduled reports.
 *
 * @since 0.2.0
 */

/** @category models @since 0.2.0 */
export const FREQUENCIES = ["daily", "weekly", "monthly"] as const
/** @category models @since 0.2.0 */
export type Frequency = (typeof FREQUENCIES)[number]

/** A schedule. `weekday` is ISO (1 = Monday … 7 = Sunday); `monthDay` is 1–28. @category models @since 0.2.0 */
export interface Cadence {
  readonly frequency: Frequency
  /** Local time "HH:MM" (24 h). */
  readonly time: string
  readonly weekday?: number | null | undefined
  readonly monthDay?: number | null | undefined
  readonly timeZone: string
}

interface Local {
  readonly y: number
  readonly m: number
  readonly d: number
  readonly hh: number
  readonly mm: number
  /** ISO weekday, 1 = Monday */
  readonly wd: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()
const formatter = (tz: string) => {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    })
    formatters.set(tz, f)
  }
  return f
}
const WEEKDAYS: Readonly<Record<string, number>> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }

/** The local calendar date and time of an instant in `tz`. @category constructors @since 0.2.0 */
export const localParts = (at: Date, tz: string): Local => {
  const p: Record<string, string> = {}
  for (const part of formatter(tz).formatToParts(at)) p[part.type] = part.value
  return {
    y: Number(p.year),
    m: Number(p.month),
    d: Number(p.day),
    hh: Number(p.hour),
    mm: Number(p.minute),
    wd: WEEKDAYS[p.weekday ?? "Mon"] ?? 1,
  }
}

const offsetMs = (ms: number, tz: string) => {
  const l = localParts(new Date(ms), tz)
  return Date.UTC(l.y, l.m - 1, l.d, l.hh, l.mm) - Math.floor(ms / 60_000) * 60_000
}

/** The instant of a local date and time in `tz`. @category constructors @since 0.2.0 */
export const zoned = (y: number, m: number, d: number, hh: number, mm: number, tz: string): Date => {
  const guess = Date.UTC(y, m - 1, d, hh, mm)
  const first = guess - offsetMs(guess, tz)
  return new Date(guess - offsetMs(first, tz))
}

/** "HH:MM" → [hours, minutes], or undefined. @category guards @since 0.2.0 */
export const parseTime = (time: string): readonly [number, number] | undefined => {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time)
  return m ? [Number(m[1]), Number(m[2])] : undefined
}

/** What is wrong with a cadence, field by field (empty when it is valid). @category guards @since 0.2.0 */
export const problems = (c: Partial<Cadence>): Array<{ path: string; code: string; message: string }> => {
  const out: Array<{ path: string; code: string; message: string }> = []
  if (!FREQUENCIES.includes(c.frequency as Frequency))
    out.push({ path: "frequency", code: "oneOf", message: `must be one of: ${FREQUENCIES.join(", ")}` })
  if (typeof c.time !== "string" || !parseTime(c.time))
    out.push({ path: "time", code: "localTime", message: "must be a local time HH:MM" })
  if (c.frequency === "weekly" && !(Number.isInteger(c.weekday) && c.weekday! >= 1 && c.weekday! <= 7))
    out.push({ path: "weekday", code: "weekday", message: "must be a weekday from 1 (Monday) to 7 (Sunday)" })
  if (c.frequency === "monthly" && !(Number.isInteger(c.monthDay) && c.monthDay! >= 1 && c.monthDay! <= 28))
    out.push({ path: "monthDay", code: "monthDay", message: "must be a day of the month from 1 to 28" })
  return out
}

/**
 * The first run strictly after `after`.
 * @category constructors
 * @since 0.2.0
 */
export const nextRun = (c: Cadence, after: Date): Date => {
  const [hh, mm] = parseTime(c.time) ?? [0, 0]
  const start = localParts(after, c.timeZone)
  for (let k = 0; k < 64; k++) {
    const day = new Date(Date.UTC(start.y, start.m - 1, start.d + k))
    const y = day.getUTCFullYear()
    const m = day.getUTCMonth() + 1
    const d = day.getUTCDate()
    const wd = ((day.getUTCDay() + 6) % 7) + 1
    if (c.frequency === "weekly" && wd !== c.weekday) continue
    if (c.frequency === "monthly" && d !== c.monthDay) continue
    const t = zoned(y, m, d, hh, mm, c.timeZone)
    if (t.getTime() > after.getTime()) return t
  }
  throw new RangeError("no run within 64 days: the cadence is invalid")
}

/**
 * The period a run at `runAt` covers, in whole local days: daily — the day before; weekly — the
 * seven days before; monthly — the calendar month before.
 * @category constructors
 * @since 0.2.0
 */
export const periodOf = (c: Cadence, runAt: Date): { from: Date; to: Date } => {
  const l = localParts(runAt, c.timeZone)
  const to = zoned(l.y, l.m, l.d, 0, 0, c.timeZone)
  if (c.frequency === "monthly") {
    const prev = new Date(Date.UTC(l.y, l.m - 2, 1))
    return {
      from: zoned(prev.getUTCFullYear(), prev.getUTCMonth() + 1, 1, 0, 0, c.timeZone),
      to: zoned(l.y, l.m, 1, 0, 0, c.timeZone),
    }
  }
  const back = new Date(Date.UTC(l.y, l.m - 1, l.d - (c.frequency === "weekly" ? 7 : 1)))
  return {
    from: zoned(back.getUTCFullYear(), back.getUTCMonth() + 1, back.getUTCDate(), 0, 0, c.timeZone),
    to,
  }
}
