/** Canonical JSON: object keys sorted, no whitespace; Dates as ISO strings. Stable across jsonb round trips. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || value === undefined) return "null"
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (typeof value === "bigint") return value.toString()
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`
  }
  return JSON.stringify(value)
}

/** Plain JSON value (Dates become ISO strings), as jsonb would return it. */
export const toJsonValue = (value: unknown): unknown =>
  value === undefined
    ? null
    : JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? Number(v) : v)))
