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
import type { AppEnv } from "./env"

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
export type TableFormat = "csv" | "xlsx"

/** `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266) for Chinese file names. */
export const attachment = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "")}"; filename*=UTF-8''${encodeURIComponent(name)}`

/** A value as a spreadsheet cell: dates stay dates, objects become JSON, nothing becomes empty. */
export const cellOf = (v: unknown) =>
  v === null || v === undefined ? null : v instanceof Date ? v : typeof v === "object" ? JSON.stringify(v) : v

// a text cell a spreadsheet would read as a formula is written as text (OWASP "CSV injection")
const FORMULA = /^[=+\-@\t\r]/
const safeText = (s: string) => (FORMULA.test(s) ? `'${s}` : s)

const csvCell = (v: unknown) => {
  const c = cellOf(v)
  const s =
    c === null ? "" : c instanceof Date ? c.toISOString() : typeof c === "string" ? safeText(c) : String(c)
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
      await produce((values) => ws.addRow(values.map(cellOf)).commit())
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

export interface ExportRequest {
  readonly format: TableFormat
  /** [key (a dotted path into the row), header] */
  readonly columns: ReadonlyArray<readonly [string, string]> | undefined
  readonly lang: "zh-CN" | "en"
}

const invalid = (field: string, message: string, code: string) =>
  new Errors.ValidationError({
    message: "The query string is invalid.",
    issues: [{ path: [field], message, code }],
  })

/** The export's own parameters, checked (each refusal names its parameter). */
export const exportRequestOf = (q: Record<string, string>): ExportRequest | undefined => {
  if (q.export === undefined) return undefined
  if (q.export !== "csv" && q.export !== "xlsx") throw invalid("export", "must be one of: csv, xlsx", "oneOf")
  let columns: Array<readonly [string, string]> | undefined
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
          p.length === 2 &&
          typeof p[0] === "string" &&
          COLUMN_KEY.test(p[0]) &&
          p[0].length <= 200 &&
          typeof p[1] === "string" &&
          p[1].length <= 200,
      )
    if (!ok)
      throw invalid(
        "columns",
        `must be a JSON array of at most ${MAX_COLUMNS} [key, header] pairs (key: a field name or dotted path)`,
        "invalidValue",
      )
    columns = parsed as Array<readonly [string, string]>
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
    v = (v as Record<string, unknown>)[part]
  }
  if (v === null || v === undefined) return null
  if (Array.isArray(v))
    return v.every((x) => x === null || typeof x !== "object") ? v.join("; ") : JSON.stringify(v)
  if (typeof v === "object" && !(v instanceof Date) && isLocalized(v))
    return v[lang] ?? v[lang === "en" ? "zh-CN" : "en"] ?? null
  return v
}

/** The rows a list endpoint answered (an array, or a page with `items`). */
export const rowsOf = (out: unknown): ReadonlyArray<unknown> | undefined => {
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

/**
 * The export of a list: `page(cursor)` answers one page as the endpoint would; pages are followed
 * while the list gives a `nextCursor`, up to the row limit.
 */
export const exportList = async (
  c: Context<AppEnv>,
  name: string,
  req: ExportRequest,
  page: (cursor: string | undefined) => Promise<unknown>,
) => {
  // the first page is read before the response starts, so a bad filter is still a problem+json
  const first = await page(undefined)
  const firstRows = rowsOf(first)
  if (!firstRows)
    throw new Errors.ValidationError({
      message: "This operation does not answer a list, so it cannot be exported.",
      issues: [{ path: ["export"], message: "this operation answers no list", code: "invalidValue" }],
    })
  const columns: ReadonlyArray<readonly [string, string]> =
    req.columns ?? Object.keys((firstRows[0] as object | undefined) ?? {}).map((k) => [k, k] as const)
  const max = exportMaxRows()
  const date = new Date().toISOString().slice(0, 10)
  return streamTable(
    c,
    { name: `${name}-${date}`, format: req.format, sheet: name.slice(0, 31) },
    async (add) => {
      await add(columns.map(([, header]) => header))
      let out: unknown = first
      let rows = firstRows
      let written = 0
      for (;;) {
        for (const row of rows) {
          if (written >= max) return
          await add(columns.map(([key]) => exportValue(row, key, req.lang)))
          written++
        }
        const cursor = nextCursorOf(out)
        if (!cursor || written >= max) return
        out = await page(cursor)
        rows = rowsOf(out) ?? []
      }
    },
  )
}
