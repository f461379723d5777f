/** Parsing a calendar spec: times, dates, slots, instants and periods, each error naming its path. */
import { CalendarSpecError, DAY, type Period } from "../model"

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

export const TIME = /^(\d{2}):(\d{2})$/
export const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

export const parseTime = (value: unknown, path: string, isEnd: boolean): number => {
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
export const parseDate = (value: unknown, path: string): number => {
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

export const parseSlots = (slots: unknown, path: string): Array<[number, number]> => {
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
export const instantMs = (value: unknown): number =>
  value instanceof Date
    ? value.getTime()
    : typeof value === "number"
      ? value
      : typeof value === "string"
        ? Date.parse(value)
        : Number.NaN

export const parseInstant = (value: unknown, path: string): number => {
  const t = instantMs(value)
  if (!Number.isFinite(t))
    throw new CalendarSpecError(path, `expected an ISO 8601 instant, got ${JSON.stringify(value)}`)
  return t
}

export const parsePeriods = (periods: unknown, path: string): Array<[number, number]> => {
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
