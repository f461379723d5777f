/**
 * Result types normalised across PGlite and node-postgres: both drivers parse the same
 * PostgreSQL types into the same JS values.
 *   int8 (count(*), bigint) → number when it is a safe integer, else bigint
 *   numeric                 → string (exact decimal; convert where the unit is known)
 *   date                    → "YYYY-MM-DD" string (a local date has no time zone)
 *   timestamptz/timestamp   → Date
 *   json/jsonb              → parsed value
 */
export const OID = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  json: 114,
  jsonb: 3802,
}

export const parseInt8 = (value: string): number | bigint => {
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : BigInt(value)
}
export const parseDate = (value: string): string => value
const digits = (s: string, from: number, n: number) => {
  let v = 0
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v
}

/**
 * The common shape, "YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM]", read by character codes (rows of
 * timestamps are read on every page and every intake; the general path below is several times
 * slower). Anything else (years past 9999, BC, seconds in the offset) returns undefined.
 */
export const fastTimestamptz = (v: string): Date | undefined => {
  if (v.length < 22 || v.charCodeAt(4) !== 45 || v.charCodeAt(10) !== 32 || v.charCodeAt(13) !== 58)
    return undefined
  const year = digits(v, 0, 4)
  const month = digits(v, 5, 2)
  const day = digits(v, 8, 2)
  const hour = digits(v, 11, 2)
  const minute = digits(v, 14, 2)
  const second = digits(v, 17, 2)
  // (Date.UTC reads years below 100 as 19xx)
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined
  let i = 19
  let ms = 0
  if (v.charCodeAt(i) === 46) {
    i++
    let scale = 100
    while (i < v.length) {
      const c = v.charCodeAt(i) - 48
      if (c < 0 || c > 9) break
      ms += c * scale // digits past the third (microseconds) add nothing: scale is then < 1
      scale /= 10
      i++
    }
    ms = Math.floor(ms)
  }
  const sign = v.charCodeAt(i)
  if (sign !== 43 && sign !== 45) return undefined
  const oh = digits(v, i + 1, 2)
  let om = 0
  const rest = v.length - (i + 3)
  if (rest === 3 && v.charCodeAt(i + 3) === 58) om = digits(v, i + 4, 2)
  else if (rest !== 0) return undefined
  if (oh < 0 || om < 0) return undefined
  const offset = (sign === 43 ? 1 : -1) * (oh * 60 + om)
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000)
}

export const parseTimestamptz = (value: string): Date => {
  const fast = fastTimestamptz(value)
  if (fast) return fast
  // PostgreSQL text output: "2025-01-26 09:00:00.123456+08" or "+05:30"; infinity is kept as ±Infinity dates.
  if (value === "infinity") return new Date(8.64e15)
  if (value === "-infinity") return new Date(-8.64e15)
  let s = value.replace(" ", "T")
  const tz = /([+-]\d\d)(:?\d\d)?(:?\d\d)?$/.exec(s)
  if (tz) {
    const mm = tz[2] ? tz[2].replace(":", "") : "00"
    s = `${s.slice(0, tz.index)}${tz[1]}:${mm}`
  } else if (!s.endsWith("Z")) {
    s = `${s}Z`
  }
  // Date keeps milliseconds; microseconds are truncated.
  s = s.replace(/(\.\d{3})\d+/, "$1")
  return new Date(s)
}
export const parseTimestamp = (value: string): Date => parseTimestamptz(`${value}Z`.replace(/ZZ$/, "Z"))
export const parseJson = (value: string): unknown => JSON.parse(value)

export const parsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: parseInt8,
  [OID.date]: parseDate,
  [OID.timestamptz]: parseTimestamptz,
  [OID.timestamp]: parseTimestamp,
  [OID.json]: parseJson,
  [OID.jsonb]: parseJson,
  [OID.numeric]: (v) => v,
}
