/**
 * Table exports: one writer for CSV and XLSX, streamed (rows are sent as they come, never held whole),
 * and the generic export of every list endpoint marked `exportable`: the same URL as the list with
 * `export=csv|xlsx`, the view's filters and sort, and the columns the person sees with their headers
 * in the person's language (`columns`, `lang`). Keyset-paged lists are followed page after page.
 */
import { PassThrough, Readable } from "node:stream"
import { Errors } from "@tenet/core"
import type { Context } from "hono"
import { stream } from "hono/streaming"
import { listMembers } from "../iam/members"
import type { AppEnv } from "./env"
import { orgTimeZone } from "./org-zone"

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
export type TableFormat = "csv" | "xlsx"

/** `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266) for Chinese file names. */
export const attachment = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "")}"; filename*=UTF-8''${encodeURIComponent(name)}`

/**
 * An instant written in a time zone: CSV gets its text (`2026-12-03 14:05:00`), XLSX a date cell
 * whose clock reads the same (a workbook has no zones).
 */
export class LocalDateTime {
  constructor(
    readonly text: string,
    readonly wall: Date,
  ) {}
}

const formatters = new Map<string, Intl.DateTimeFormat>()
/** An instant in a time zone, as a `LocalDateTime`. */
export const localDateTime = (d: Date, timeZone: string): LocalDateTime => {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    })
    formatters.set(timeZone, f)
  }
  const p: Record<string, string> = {}
  for (const part of f.formatToParts(d)) p[part.type] = part.value
  const text = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
  return new LocalDateTime(text, new Date(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}Z`))
}

// an ISO 8601 instant as the API writes them (a bare date is a local day already and stays as it is)
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/** A value as a spreadsheet cell: dates stay dates, objects become JSON, nothing becomes empty. */
export const cellOf = (v: unknown) =>
  v === null || v === undefined
    ? null
    : v instanceof Date || v instanceof LocalDateTime
      ? v
      : typeof v === "object"
        ? JSON.stringify(v)
        : v

// a text cell a spreadsheet would read as a formula is written as text (OWASP "CSV injection")
const FORMULA = /^[=+\-@\t\r]/
const safeText = (s: string) => (FORMULA.test(s) ? `'${s}` : s)

const csvCell = (v: unknown) => {
  const c = cellOf(v)
  const s =
    c === null
      ? ""
      : c instanceof Date
        ? c.toISOString()
        : c instanceof LocalDateTime
          ? c.text
          : typeof c === "string"
            ? safeText(c)
            : String(c)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/**
 * A table streamed as CSV (UTF-8 with a BOM, so Excel opens Chinese text right) or XLSX: `produce`
 * calls `add` once per row, the header row first.
 */
export const streamTable = (
  c: Context<AppEnv>,
  opts: { readonly name: string; readonly format: TableFormat; readonly sheet?: string },
  produce: (add: (values: ReadonlyArray<unknown>) => Promise<void> | void) => Promise<void>,
) => {
  const file = `${opts.name}.${opts.format}`
  if (opts.format === "csv") {
    c.header("content-type", "text/csv; charset=utf-8")
    c.header("content-disposition", attachment(file))
    return stream(c, async (s) => {
      await s.write("\uFEFF")
      let buffer = ""
      await produce(async (values) => {
        buffer += `${values.map(csvCell).join(",")}\n`
        if (buffer.length > 64_000) {
          await s.write(buffer)
          buffer = ""
        }
      })
      if (buffer) await s.write(buffer)
    })
  }
  const out = new PassThrough()
  void (async () => {
    try {
      // loaded on first use (it costs a second or two at start)
      const { default: Excel } = await import("exceljs")
      const wb = new Excel.stream.xlsx.WorkbookWriter({
        stream: out,
        useSharedStrings: false,
        useStyles: true,
      })
      const ws = wb.addWorksheet(opts.sheet ?? opts.name.slice(0, 31))
      // (a text cell of a workbook is never read as a formula, so XLSX keeps texts as they are)
      await produce((values) => {
        const row = ws.addRow(
          values.map((v) => {
            const c = cellOf(v)
            return c instanceof LocalDateTime ? c.wall : c
          }),
        )
        values.forEach((v, i) => {
          if (v instanceof LocalDateTime) row.getCell(i + 1).numFmt = "yyyy-mm-dd hh:mm:ss"
        })
        row.commit()
      })
      ws.commit()
      await wb.commit()
    } catch (e) {
      out.destroy(e instanceof Error ? e : new Error(String(e)))
    }
  })()
  return c.body(Readable.toWeb(out) as ReadableStream, 200, {
    "content-type": XLSX,
    "content-disposition": attachment(file),
  })
}

// ---------------------------------------------------------------------------
// The generic export of a list endpoint
// ---------------------------------------------------------------------------

/** The query parameters of an export, taken off before the list's own query is decoded. */
export const EXPORT_PARAMS = ["export", "columns", "lang"] as const
const MAX_COLUMNS = 100
const COLUMN_KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/

/**
 * How a column's values are written: "user" writes a member's name for a user id; an object gives
 * the label of each value (an enumeration's words as on screen); other values are written as they are.
 */
export type ColumnLabels = "user" | Readonly<Record<string, string>>
/** [key (a dotted path into the row), header, labels?] */
export type ExportColumn = readonly [string, string] | readonly [string, string, ColumnLabels]

export interface ExportRequest {
  readonly format: TableFormat
  readonly columns: ReadonlyArray<ExportColumn> | undefined
  readonly lang: "zh-CN" | "en"
}

const MAX_LABELS = 200
const labelsOk = (l: unknown) =>
  l === "user" ||
  (l !== null &&
    typeof l === "object" &&
    !Array.isArray(l) &&
    Object.keys(l).length <= MAX_LABELS &&
    Object.entries(l).every(([k, v]) => k.length <= 200 && typeof v === "string" && v.length <= 200))

const invalid = (field: string, message: string, code: string) =>
  new Errors.ValidationError({
    message: "The query string is invalid.",
    issues: [{ path: [field], message, code }],
  })

/** The export's own parameters, checked (each refusal names its parameter). */
export const exportRequestOf = (q: Record<string, string>): ExportRequest | undefined => {
  if (q.export === undefined) return undefined
  if (q.export !== "csv" && q.export !== "xlsx") throw invalid("export", "must be one of: csv, xlsx", "oneOf")
  let columns: Array<ExportColumn> | undefined
  if (q.columns !== undefined) {
    let parsed: unknown
    try {
      parsed = JSON.parse(q.columns)
    } catch {}
    const ok =
      Array.isArray(parsed) &&
      parsed.length > 0 &&
      parsed.length <= MAX_COLUMNS &&
      parsed.every(
        (p) =>
          Array.isArray(p) &&
          (p.length === 2 || (p.length === 3 && labelsOk(p[2]))) &&
          typeof p[0] === "string" &&
          COLUMN_KEY.test(p[0]) &&
          p[0].length <= 200 &&
          typeof p[1] === "string" &&
          p[1].length <= 200,
      )
    if (!ok)
      throw invalid(
        "columns",
        `must be a JSON array of at most ${MAX_COLUMNS} [key, header] or [key, header, labels] entries (key: a field name or dotted path; labels: "user" or an object of value → label)`,
        "invalidValue",
      )
    columns = parsed as Array<ExportColumn>
  }
  const lang = q.lang === undefined ? "zh-CN" : q.lang
  if (lang !== "zh-CN" && lang !== "en") throw invalid("lang", "must be one of: zh-CN, en", "oneOf")
  return { format: q.export, columns, lang }
}

const isLocalized = (v: object): v is Record<string, unknown> => {
  const keys = Object.keys(v)
  return keys.length > 0 && keys.every((k) => k === "zh-CN" || k === "en")
}

/** The value at a dotted path of a row, written for a cell: localized texts in the reader's language. */
export const exportValue = (row: unknown, key: string, lang: "zh-CN" | "en"): unknown => {
  let v: unknown = row
  for (const part of key.split(".")) {
    if (v === null || typeof v !== "object") return null
    // a path through a list takes the field of each element (`members.userId`)
    v = Array.isArray(v)
      ? v.map((x) => (x !== null && typeof x === "object" ? (x as Record<string, unknown>)[part] : undefined))
      : (v as Record<string, unknown>)[part]
  }
  if (v === null || v === undefined) return null
  if (Array.isArray(v)) {
    const texts = v.map((x) =>
      x !== null && typeof x === "object" && !Array.isArray(x) && isLocalized(x)
        ? (x[lang] ?? x[lang === "en" ? "zh-CN" : "en"] ?? null)
        : x,
    )
    return texts.every((x) => x === null || typeof x !== "object") ? texts.join("; ") : JSON.stringify(v)
  }
  if (typeof v === "object" && !(v instanceof Date) && isLocalized(v))
    return v[lang] ?? v[lang === "en" ? "zh-CN" : "en"] ?? null
  return v
}

/** Where the rows are in an answer that holds a table (an evaluation's results, a risk's history). */
export type RowsOf = (answer: unknown) => ReadonlyArray<unknown> | undefined

/**
 * The rows a list endpoint answered (an array, or a page with `items`), or those `rows` takes from a
 * resource that holds a table.
 */
export const rowsOf = (out: unknown, rows?: RowsOf): ReadonlyArray<unknown> | undefined => {
  if (rows) return rows(out)
  if (Array.isArray(out)) return out
  if (out && typeof out === "object") {
    const items = (out as { items?: unknown }).items
    if (Array.isArray(items)) return items
  }
  return undefined
}
const nextCursorOf = (out: unknown) =>
  out && typeof out === "object" && typeof (out as { nextCursor?: unknown }).nextCursor === "string"
    ? (out as { nextCursor: string }).nextCursor
    : undefined

/** At most this many rows in one export (TENET_EXPORT_MAX_ROWS, 100,000 by default). */
export const exportMaxRows = () => {
  const n = Number(process.env.TENET_EXPORT_MAX_ROWS)
  return Number.isInteger(n) && n > 0 ? n : 100_000
}

/** A cell of a column: member names for user ids, labels of values, instants in the organisation's zone. */
const cellFor = (
  v: unknown,
  labels: ColumnLabels | undefined,
  names: ReadonlyMap<string, string>,
  zone: string,
): unknown => {
  if (v === null || v === undefined) return v
  if (labels === "user")
    return typeof v === "string"
      ? v
          .split("; ")
          .map((x) => names.get(x) ?? x)
          .join("; ")
      : v
  if (labels && (typeof v === "string" || typeof v === "number" || typeof v === "boolean")) {
    const l = Object.hasOwn(labels, String(v)) ? labels[String(v)] : undefined
    if (l !== undefined) return l
  }
  if (v instanceof Date) return localDateTime(v, zone)
  if (typeof v === "string" && INSTANT.test(v)) {
    const d = new Date(v)
    if (!Number.isNaN(d.getTime())) return localDateTime(d, zone)
  }
  if (typeof v === "string" && labels) {
    // a list of values (joined by exportValue): each one labelled
    const parts = v.split("; ")
    if (parts.length > 1 && parts.every((x) => Object.hasOwn(labels, x)))
      return parts.map((x) => (labels as Record<string, string>)[x]).join("; ")
  }
  return v
}

/**
 * The export of a list: `page(cursor)` answers one page as the endpoint would; pages are followed
 * while the list gives a `nextCursor`, up to the row limit, the rows taken by `take` from a resource
 * that holds a table (`rows`). Instants are written in the organisation's time zone.
 */
export const exportList = async (
  c: Context<AppEnv>,
  name: string,
  req: ExportRequest,
  page: (cursor: string | undefined) => Promise<unknown>,
  take?: RowsOf,
) => {
  // the first page is read before the response starts, so a bad filter is still a problem+json
  const first = await page(undefined)
  const firstRows = rowsOf(first, take)
  if (!firstRows)
    throw new Errors.ValidationError({
      message: "This operation does not answer a list, so it cannot be exported.",
      issues: [{ path: ["export"], message: "this operation answers no list", code: "invalidValue" }],
    })
  const columns: ReadonlyArray<ExportColumn> =
    req.columns ?? Object.keys((firstRows[0] as object | undefined) ?? {}).map((k) => [k, k] as const)
  const orgId = c.get("auth")?.orgId
  const db = c.get("db")
  const zone = orgId ? await orgTimeZone(db, orgId) : "UTC"
  const names = new Map<string, string>()
  if (orgId && columns.some((col) => col[2] === "user"))
    for (const m of await listMembers(db, orgId)) names.set(m.userId, m.name || m.email)
  const max = exportMaxRows()
  const date = new Date().toISOString().slice(0, 10)
  return streamTable(
    c,
    { name: `${name}-${date}`, format: req.format, sheet: name.slice(0, 31) },
    async (add) => {
      await add(columns.map((col) => col[1]))
      let out: unknown = first
      let rows = firstRows
      let written = 0
      for (;;) {
        for (const row of rows) {
          if (written >= max) return
          await add(columns.map((col) => cellFor(exportValue(row, col[0], req.lang), col[2], names, zone)))
          written++
        }
        const cursor = nextCursorOf(out)
        if (!cursor || written >= max) return
        out = await page(cursor)
        rows = rowsOf(out, take) ?? []
      }
    },
  )
}
