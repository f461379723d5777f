import type { Db } from "@tenet/core"

type Database = Db.Database

import { type CaseQuery, listCases } from "./Queue"

/** The columns of the case export (CSV and XLSX), in order. @category models @since 0.2.0 */
export const CSV_COLUMNS = [
  "number",
  "subject",
  "type",
  "channel",
  "status",
  "priority",
  "tier",
  "team",
  "customer",
  "segment",
  "receivedAt",
  "firstResponseAt",
  "resolvedAt",
  "slaState",
  "nextDueAt",
] as const

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v)
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s // no formula injection in spreadsheets
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/**
 * The current view as CSV, page by page (streamed by the API). First line is the header.
 * @category constructors
 * @since 0.1.0
 */
export async function* exportCases(
  db: Database,
  orgId: string,
  q: CaseQuery,
  /** `maskName`: how the customer's name is written (masked for readers without the PI permission). */
  options: { readonly maskName?: ((name: string) => string) | undefined } = {},
): AsyncGenerator<string> {
  yield `\uFEFF${CSV_COLUMNS.join(",")}\n`
  let cursor: string | undefined = q.cursor
  for (let pages = 0; pages < 2000; pages++) {
    const page = await listCases(db, orgId, { ...q, cursor, limit: 500 })
    let chunk = ""
    for (const c of page.items) {
      const name = c.customerName ?? ""
      const row = { ...c, customer: name && options.maskName ? options.maskName(name) : name } as Record<
        string,
        unknown
      >
      chunk += `${CSV_COLUMNS.map((k) => csvCell(row[k])).join(",")}\n`
    }
    if (chunk) yield chunk
    if (!page.nextCursor) return
    cursor = page.nextCursor
  }
}
