import type { UseQueryResult } from "@tanstack/react-query"
import type { DataTableLabels, DataTableSort } from "@tenet/ui"
import { useCallback } from "react"
import { useTranslation } from "react-i18next"

export const useTableLabels = (): DataTableLabels => {
  const { t, i18n } = useTranslation()
  return {
    exportLang: i18n.language === "en" ? "en" : "zh-CN",
    loading: t("common.loading"),
    previous: t("table.previous"),
    next: t("table.next"),
    total: (count) => t("table.total", { count }),
    page: (page) => t("table.page", { page }),
    columns: t("table.columns"),
    exportCsv: t("table.exportCsv"),
    exportXlsx: t("reports.exportXlsx"),
    errorTitle: t("common.errorTitle"),
    retry: t("common.retry"),
    sortedAscending: t("table.sortedAscending"),
    sortedDescending: t("table.sortedDescending"),
  }
}

/** A page of a keyset-paged list as the API returns it. */
interface KeysetPage<T> {
  readonly items: T[]
  readonly total?: number | undefined
  readonly nextCursor?: string | null | undefined
}

/**
 * The DataTable props of a server-driven, keyset-paged query: rows, total, loading and error
 * states, and previous/next over the stack of cursors already visited.
 */
export const keysetTableProps = <T>(
  page: UseQueryResult<KeysetPage<T>>,
  cursors: ReadonlyArray<string>,
  setCursors: (next: string[]) => void,
) => ({
  rows: page.data?.items,
  total: page.data?.total,
  loading: page.isFetching,
  error: page.isError ? (page.error as Error).message : undefined,
  onRetry: () => void page.refetch(),
  pageIndex: cursors.length,
  hasPrevious: cursors.length > 0,
  hasNext: Boolean(page.data?.nextCursor),
  onPrevious: () => setCursors(cursors.slice(0, -1)),
  onNext: () => {
    if (page.data?.nextCursor) setCursors([...cursors, page.data.nextCursor])
  },
})

/** A DataTable sort as the API's `sort` parameter (`-field` for descending). */
export const sortParam = (s: DataTableSort | undefined) => (s ? `${s.desc ? "-" : ""}${s.id}` : undefined)

/**
 * A list's URL for the table's export (CSV and XLSX of the whole view): the path and the view's
 * query, without the page's cursor and size.
 */
export const exportUrlOf = (
  path: string,
  params: Record<string, string | number | boolean | undefined> = {},
) => {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== "" && k !== "cursor" && k !== "cursors" && k !== "limit") q.set(k, String(v))
  const s = q.toString()
  return s ? `${path}?${s}` : path
}

/** How an export writes a column's values: "user" (a member's name) or each value's label. */
export type ExportLabels = "user" | Readonly<Record<string, string>>

/**
 * The on-screen words of a group of messages (`statuses`, `channels` …) as an export's value labels,
 * so the file says what the table says. A group that is not an object of texts gives undefined.
 */
export const useExportLabels = () => {
  const { t } = useTranslation()
  return useCallback(
    (group: string, format?: (text: string) => string): Record<string, string> | undefined => {
      const o: unknown = (t as (k: string, o: object) => unknown)(group, { returnObjects: true })
      if (!o || typeof o !== "object") return undefined
      const out: Record<string, string> = {}
      for (const [k, v] of Object.entries(o)) if (typeof v === "string") out[k] = format ? format(v) : v
      return Object.keys(out).length ? out : undefined
    },
    [t],
  )
}

/** Value labels from a list: each id → its name (teams, skills, standards …). */
export const labelsFrom = <T>(
  items: ReadonlyArray<T> | undefined,
  id: (x: T) => string,
  name: (x: T) => string,
): Record<string, string> => Object.fromEntries((items ?? []).map((x) => [id(x), name(x)]))
