import type { UseQueryResult } from "@tanstack/react-query"
import type { DataTableLabels, DataTableSort } from "@tenet/ui"
import { useTranslation } from "react-i18next"

export const useTableLabels = (): DataTableLabels => {
  const { t } = useTranslation()
  return {
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
