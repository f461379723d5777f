/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, as `Array.prototype.sort`), no
 * whitespace; Dates as ISO strings. Stable across jsonb round trips. The audit chain hashes this
 * text, so its output must never change; it is written as loops because it runs for every audited
 * row (the tests pin it to worked values).
 */
export const canonicalJson = (value: unknown): string => {
  if (value === null || value === undefined) return "null"
  if (typeof value === "bigint") return value.toString()
  if (typeof value !== "object") return JSON.stringify(value)
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) {
    let out = "["
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i])
    return `${out}]`
  }
  const object = value as Record<string, unknown>
  const keys = Object.keys(object).sort()
  let out = "{"
  let first = true
  for (const key of keys) {
    const v = object[key]
    if (v === undefined) continue
    out += `${first ? "" : ","}${JSON.stringify(key)}:${canonicalJson(v)}`
    first = false
  }
  return `${out}}`
}

/**
 * Plain JSON value, as `JSON.parse(JSON.stringify(value))` would give it (Dates become ISO
 * strings, `toJSON` is honoured, undefined and functions are dropped from objects and become null
 * in arrays, non-finite numbers become null) — and as jsonb would return it; bigints become numbers.
 */
export const toJsonValue = (value: unknown): unknown => {
  const plain = toPlain(value, "")
  return plain === undefined ? null : plain
}

const toPlain = (value: unknown, key: string): unknown => {
  if (value === null) return null
  switch (typeof value) {
    case "string":
    case "boolean":
      return value
    case "number":
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : null
    case "bigint":
      return toPlain(Number(value), key)
    case "object":
      break
    default:
      return undefined
  }
  const v = value as { toJSON?: (key: string) => unknown }
  if (typeof v.toJSON === "function") return toPlain(v.toJSON(key), key)
  if (v instanceof Number || v instanceof String || v instanceof Boolean) return toPlain(v.valueOf(), key)
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length)
    for (let i = 0; i < v.length; i++) {
      const p = toPlain(v[i], String(i))
      out[i] = p === undefined ? null : p
    }
    return out
  }
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v)) {
    const p = toPlain((v as Record<string, unknown>)[k], k)
    if (p === undefined) continue
    if (k === "__proto__")
      Object.defineProperty(out, k, { value: p, enumerable: true, writable: true, configurable: true })
    else out[k] = p
  }
  return out
}
