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
export const parseTimestamptz = (value: string): Date => {
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
