// Downloads: streamed XLSX workbooks, cells and the attachment header.
import { PassThrough, Readable } from "node:stream"
import type { Context } from "hono"
import type { AppEnv } from "../../http/env"

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
export const attachment = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "")}"; filename*=UTF-8''${encodeURIComponent(name)}`

/** A streamed XLSX: rows are written (and sent) as they come, never held whole in memory. */
export const streamXlsx = (
  c: Context<AppEnv>,
  name: string,
  sheet: string,
  produce: (add: (values: ReadonlyArray<unknown>) => void) => Promise<void>,
) => {
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
      const ws = wb.addWorksheet(sheet)
      await produce((values) => ws.addRow([...values]).commit())
      ws.commit()
      await wb.commit()
    } catch (e) {
      out.destroy(e instanceof Error ? e : new Error(String(e)))
    }
  })()
  return c.body(Readable.toWeb(out) as ReadableStream, 200, {
    "content-type": XLSX,
    "content-disposition": attachment(name),
  })
}

export const cellOf = (v: unknown) =>
  v === null || v === undefined ? null : v instanceof Date ? v : typeof v === "object" ? JSON.stringify(v) : v
