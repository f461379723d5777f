/**
 * A report as data (title, period, sections of rows) and its three renderings: CSV (UTF-8 with
 * a byte-order mark, so Excel opens Chinese correctly; cells that would start a formula are
 * quoted), XLSX (exceljs: maintained, reads what it writes, typed numbers and a streaming writer
 * for large exports) and PDF (pdfkit: maintained, embeds a subset of a TrueType/OpenType font, so
 * Chinese text renders and can be searched and copied; the font is the system's CJK font, see
 * fonts.ts).
 */
import type ExcelJS from "exceljs"
import { requirePdfFont } from "./fonts"
import type { ReportFormat } from "./schema"

export type Cell = string | number | null

export interface Column {
  readonly key: string
  readonly label: string
  /** number: written as a number; percent: a 0–1 ratio shown as a percentage */
  readonly kind?: "text" | "number" | "percent"
  /** relative width in a PDF (default 1) */
  readonly width?: number
}

export interface Section {
  readonly title: string
  readonly columns: ReadonlyArray<Column>
  readonly rows: ReadonlyArray<Readonly<Record<string, Cell>>>
}

export interface ReportDocument {
  readonly title: string
  /** e.g. "2025-03-01 – 2025-03-31 (Asia/Shanghai)" */
  readonly subtitle: string
  readonly footer: string
  readonly sections: ReadonlyArray<Section>
}

export const CONTENT_TYPES: Readonly<Record<ReportFormat, string>> = {
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
}

export const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v)
  const safe = typeof v === "string" && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

const shown = (c: Column, v: Cell): string => {
  if (v === null || v === undefined) return "—"
  if (c.kind === "percent" && typeof v === "number") return `${(v * 100).toFixed(1)}%`
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(2)
  return v
}

/** CSV: the sections one after another, each with its title line and header row. */
export const toCsv = (doc: ReportDocument): Uint8Array => {
  const lines: string[] = [csvCell(doc.title), csvCell(doc.subtitle)]
  for (const s of doc.sections) {
    lines.push("", csvCell(s.title), s.columns.map((c) => csvCell(c.label)).join(","))
    for (const r of s.rows) lines.push(s.columns.map((c) => csvCell(r[c.key])).join(","))
  }
  return new TextEncoder().encode(`\uFEFF${lines.join("\n")}\n`)
}

/** An XLSX sheet name: at most 31 characters, none of : \ / ? * [ ]. */
export const sheetName = (title: string, i: number, used: Set<string>) => {
  let name = title.replace(/[:\\/?*[\]]/g, " ").slice(0, 28) || `Sheet ${i + 1}`
  while (used.has(name.toLowerCase())) name = `${name.slice(0, 26)} ${i + 1}`
  used.add(name.toLowerCase())
  return name
}

const addSheet = (wb: ExcelJS.Workbook, s: Section, i: number, used: Set<string>, doc: ReportDocument) => {
  const ws = wb.addWorksheet(sheetName(s.title, i, used))
  ws.addRow([doc.title]).font = { bold: true, size: 14 }
  ws.addRow([doc.subtitle])
  ws.addRow([])
  const header = ws.addRow(s.columns.map((c) => c.label))
  header.font = { bold: true }
  for (const r of s.rows) {
    const row = ws.addRow(s.columns.map((c) => r[c.key] ?? null))
    s.columns.forEach((c, j) => {
      if (c.kind === "percent") row.getCell(j + 1).numFmt = "0.0%"
    })
  }
  ws.columns.forEach((col, j) => {
    col.width = Math.min(
      48,
      Math.max(
        10,
        ...[s.columns[j]?.label ?? "", ...s.rows.map((r) => String(r[s.columns[j]?.key ?? ""] ?? ""))].map(
          (v) => v.length * 1.6,
        ),
      ),
    )
  })
  ws.views = [{ state: "frozen", ySplit: 4 }]
}

/** XLSX: one sheet per section, numbers as numbers, ratios formatted as percentages. */
export const toXlsx = async (doc: ReportDocument): Promise<Uint8Array> => {
  // loaded on first use: the libraries cost seconds at start, and most processes (the CLI) never need them
  const { default: Excel } = await import("exceljs")
  const wb = new Excel.Workbook()
  wb.creator = "Tenet"
  wb.created = new Date()
  const used = new Set<string>()
  doc.sections.forEach((s, i) => {
    addSheet(wb, s, i, used, doc)
  })
  if (doc.sections.length === 0) wb.addWorksheet("Report").addRow([doc.title])
  return new Uint8Array(await wb.xlsx.writeBuffer())
}

/** PDF: A4 landscape, the CJK font, a table per section with repeated headers across pages. */
export const toPdf = async (doc: ReportDocument): Promise<Uint8Array> => {
  const font = requirePdfFont()
  const { default: PDFDocument } = await import("pdfkit")
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({
      size: "A4",
      layout: "landscape",
      margin: 40,
      info: { Title: doc.title, Creator: "Tenet" },
    })
    const chunks: Buffer[] = []
    pdf.on("data", (c: Buffer) => chunks.push(c))
    pdf.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))))
    pdf.on("error", reject)
    try {
      if (font.face) pdf.registerFont("cjk", font.path, font.face)
      else pdf.registerFont("cjk", font.path)
      pdf.font("cjk")
      const left = pdf.page.margins.left
      const width = pdf.page.width - left - pdf.page.margins.right
      const bottom = () => pdf.page.height - pdf.page.margins.bottom - 20
      pdf.fontSize(18).fillColor("#111").text(doc.title, left, pdf.page.margins.top, { width })
      pdf.moveDown(0.2).fontSize(10).fillColor("#555").text(doc.subtitle, { width })
      for (const s of doc.sections) {
        pdf.moveDown(1).fontSize(13).fillColor("#111").text(s.title, left, pdf.y, { width })
        pdf.moveDown(0.4)
        const total = s.columns.reduce((n, c) => n + (c.width ?? 1), 0)
        const widths = s.columns.map((c) => ((c.width ?? 1) / total) * width)
        const drawRow = (cells: string[], bold: boolean) => {
          pdf.fontSize(9)
          const h = Math.max(...cells.map((t, j) => pdf.heightOfString(t, { width: widths[j]! - 6 }))) + 6
          if (pdf.y + h > bottom()) {
            pdf.addPage()
            pdf.y = pdf.page.margins.top
            if (!bold)
              drawRow(
                s.columns.map((c) => c.label),
                true,
              )
          }
          const y = pdf.y
          if (bold) pdf.rect(left, y, width, h).fill("#eef1f5")
          let x = left
          cells.forEach((t, j) => {
            pdf.fillColor(bold ? "#111" : "#222").text(t, x + 3, y + 3, { width: widths[j]! - 6 })
            x += widths[j]!
          })
          pdf
            .moveTo(left, y + h)
            .lineTo(left + width, y + h)
            .lineWidth(0.5)
            .strokeColor("#d0d5dd")
            .stroke()
          pdf.y = y + h
          pdf.x = left
        }
        drawRow(
          s.columns.map((c) => c.label),
          true,
        )
        for (const r of s.rows)
          drawRow(
            s.columns.map((c) => shown(c, r[c.key] ?? null)),
            false,
          )
        if (s.rows.length === 0) drawRow(["—", ...s.columns.slice(1).map(() => "")], false)
      }
      pdf.moveDown(1).fontSize(8).fillColor("#777").text(doc.footer, left, pdf.y, { width })
      pdf.end()
    } catch (e) {
      reject(e)
    }
  })
}

export const render = async (doc: ReportDocument, format: ReportFormat): Promise<Uint8Array> =>
  format === "pdf" ? toPdf(doc) : format === "xlsx" ? toXlsx(doc) : toCsv(doc)
