/**
 * The server-driven table every module reuses (TanStack Table v9). The server filters, sorts
 * and pages (keyset cursors); the table renders, announces sort state, remembers which
 * columns a person hides, and offers the current view as CSV and XLSX (streamed by the
 * server: the list's URL with `export`, the visible columns with their headers, and the language). Callers keep the view state in the URL so a view can be shared.
 */
import {
  type ColumnDef,
  columnVisibilityFeature,
  createColumnHelper,
  type RowData,
  rowSortingFeature,
  type SortingState,
  tableFeatures,
  type Updater,
  useTable,
  type ColumnVisibilityState as VisibilityState,
} from "@tanstack/react-table"
import { type ReactNode, useEffect, useState } from "react"
import { Button, EmptyState, ErrorState, Skeleton } from "./primitives"

export const dataTableFeatures = tableFeatures({ rowSortingFeature, columnVisibilityFeature })
export type DataTableFeatures = typeof dataTableFeatures
/** Column helper bound to the DataTable's features. */
export const dataTableColumns = <Row extends RowData>() => createColumnHelper<DataTableFeatures, Row>()

export interface DataTableLabels {
  readonly loading: string
  readonly previous: string
  readonly next: string
  readonly total: (n: number) => string
  readonly page: (n: number) => string
  readonly columns: string
  readonly exportCsv?: string
  readonly exportXlsx?: string
  /** The language of the exported texts kept in both languages (`lang` of an export). */
  readonly exportLang?: string
  readonly errorTitle: string
  readonly retry: string
  readonly sortedAscending: string
  readonly sortedDescending: string
}

export interface DataTableSort {
  readonly id: string
  readonly desc: boolean
}

export interface DataTableProps<Row extends RowData> {
  /** Stable id; column visibility is remembered per table in this browser. */
  readonly id: string
  // biome-ignore lint/suspicious/noExplicitAny: each column has its own value type; TanStack's ColumnDef is invariant in it, so a list of columns is typed with `any` (as its docs do)
  readonly columns: ReadonlyArray<ColumnDef<DataTableFeatures, Row, any>>
  readonly rows: ReadonlyArray<Row> | undefined
  readonly getRowId: (row: Row) => string
  readonly total?: number | undefined
  readonly loading?: boolean
  readonly error?: ReactNode
  readonly onRetry?: () => void
  readonly sort?: DataTableSort | undefined
  readonly onSortChange?: (sort: DataTableSort | undefined) => void
  readonly pageIndex?: number
  readonly hasPrevious?: boolean
  readonly hasNext?: boolean
  readonly onPrevious?: () => void
  readonly onNext?: () => void
  readonly toolbar?: ReactNode
  readonly empty: ReactNode
  readonly onRowClick?: (row: Row) => void
  readonly csvHref?: string
  /** The same view as XLSX (streamed by the server too). */
  readonly xlsxHref?: string
  /**
   * The list's URL with the view's filters and sort (no cursor): the table offers CSV and XLSX of it
   * with the columns a person sees, headed as on screen (the API's `export`, `columns`, `lang`).
   */
  readonly exportUrl?: string
  readonly labels: DataTableLabels
  readonly caption: string
}

const EMPTY: never[] = []

const loadVisibility = (id: string): VisibilityState => {
  try {
    return JSON.parse(localStorage.getItem(`tenet.table.${id}.columns`) ?? "{}")
  } catch {
    return {}
  }
}

export function DataTable<Row extends RowData>(props: DataTableProps<Row>) {
  const { labels } = props
  const [visibility, setVisibility] = useState<VisibilityState>(() => loadVisibility(props.id))
  const [showColumns, setShowColumns] = useState(false)
  useEffect(() => {
    try {
      localStorage.setItem(`tenet.table.${props.id}.columns`, JSON.stringify(visibility))
    } catch {}
  }, [props.id, visibility])
  const sorting: SortingState = props.sort ? [{ id: props.sort.id, desc: props.sort.desc }] : []
  const table = useTable({
    features: dataTableFeatures,
    // biome-ignore lint/suspicious/noExplicitAny: see `columns` above
    columns: props.columns as ColumnDef<DataTableFeatures, Row, any>[],
    data: (props.rows ?? EMPTY) as Row[],
    getRowId: (row: Row) => props.getRowId(row),
    manualSorting: true,
    enableSortingRemoval: false,
    state: { sorting, columnVisibility: visibility },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next: SortingState = typeof updater === "function" ? updater(sorting) : updater
      const first = next[0]
      props.onSortChange?.(first ? { id: first.id, desc: first.desc } : undefined)
    },
    onColumnVisibilityChange: (updater: Updater<VisibilityState>) =>
      setVisibility((v: VisibilityState) => (typeof updater === "function" ? updater(v) : updater)),
  })
  const columnCount = table.getVisibleLeafColumns().length
  const exportHref = (format: "csv" | "xlsx") => {
    if (!props.exportUrl) return format === "csv" ? props.csvHref : props.xlsxHref
    const columns = table.getVisibleLeafColumns().flatMap((col) => {
      const key = (col.columnDef as { accessorKey?: unknown }).accessorKey
      const header = typeof col.columnDef.header === "string" ? col.columnDef.header : col.id
      // `meta.exportLabels`: how the export writes the column's values ("user", or value → label)
      const labels = (col.columnDef as { meta?: { exportLabels?: unknown } }).meta?.exportLabels
      return typeof key === "string" ? [labels === undefined ? [key, header] : [key, header, labels]] : []
    })
    const q = new URLSearchParams({ export: format, columns: JSON.stringify(columns) })
    if (labels.exportLang) q.set("lang", labels.exportLang)
    return `${props.exportUrl}${props.exportUrl.includes("?") ? "&" : "?"}${q}`
  }
  const csvHref = exportHref("csv")
  const xlsxHref = exportHref("xlsx")
  const rows = table.getRowModel().rows
  return (
    <div className="t-table-wrap">
      <div className="t-table-toolbar">
        {props.toolbar}
        <span className="t-table-toolbar__spacer" />
        <div style={{ position: "relative" }}>
          <Button size="sm" aria-expanded={showColumns} onClick={() => setShowColumns((s) => !s)}>
            {labels.columns}
          </Button>
          {showColumns ? (
            <fieldset
              style={{
                position: "absolute",
                right: 0,
                top: 30,
                zIndex: 5,
                background: "var(--surface)",
                border: "1px solid var(--border)",
                borderRadius: 6,
                padding: 8,
                minWidth: 180,
                boxShadow: "var(--shadow)",
              }}
            >
              <legend className="t-visually-hidden">{labels.columns}</legend>
              {table.getAllLeafColumns().map((col) => (
                <label
                  key={col.id}
                  style={{ display: "flex", gap: 6, alignItems: "center", padding: "2px 0" }}
                >
                  <input
                    type="checkbox"
                    checked={col.getIsVisible()}
                    onChange={(e) => col.toggleVisibility(e.target.checked)}
                  />
                  {typeof col.columnDef.header === "string" ? col.columnDef.header : col.id}
                </label>
              ))}
            </fieldset>
          ) : null}
        </div>
        {csvHref && labels.exportCsv ? (
          <a className="t-btn t-btn--sm" href={csvHref} download>
            {labels.exportCsv}
          </a>
        ) : null}
        {xlsxHref && labels.exportXlsx ? (
          <a className="t-btn t-btn--sm" href={xlsxHref} download>
            {labels.exportXlsx}
          </a>
        ) : null}
      </div>
      <div className="t-table-scroll">
        <table className="t-table" aria-busy={props.loading ? true : undefined}>
          <caption className="t-visually-hidden">{props.caption}</caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted()
                  const canSort = header.column.getCanSort()
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={
                        sorted === "asc"
                          ? "ascending"
                          : sorted === "desc"
                            ? "descending"
                            : canSort
                              ? "none"
                              : undefined
                      }
                    >
                      {header.isPlaceholder ? null : canSort ? (
                        <button
                          type="button"
                          className="t-table__sort"
                          onClick={header.column.getToggleSortingHandler()}
                        >
                          <table.FlexRender header={header} />
                          <span aria-hidden>{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
                          {sorted ? (
                            <span className="t-visually-hidden">
                              {sorted === "asc" ? labels.sortedAscending : labels.sortedDescending}
                            </span>
                          ) : null}
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  )
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {props.error ? (
              <tr>
                <td colSpan={columnCount}>
                  <ErrorState
                    title={labels.errorTitle}
                    {...(props.onRetry ? { onRetry: props.onRetry } : {})}
                    retryLabel={labels.retry}
                  >
                    {props.error}
                  </ErrorState>
                </td>
              </tr>
            ) : props.loading && !props.rows ? (
              Array.from({ length: 6 }, (_, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: skeleton rows have no identity
                <tr key={i}>
                  {Array.from({ length: columnCount }, (_, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: skeleton cells have no identity
                    <td key={j}>
                      <Skeleton />
                    </td>
                  ))}
                </tr>
              ))
            ) : rows.length === 0 ? (
              <tr>
                <td colSpan={columnCount}>
                  {typeof props.empty === "string" ? <EmptyState title={props.empty} /> : props.empty}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr
                  key={row.id}
                  data-clickable={props.onRowClick ? "true" : undefined}
                  onClick={props.onRowClick ? () => props.onRowClick?.(row.original) : undefined}
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <div className="t-table-footer">
        <span aria-live="polite">
          {props.loading ? labels.loading : props.total !== undefined ? labels.total(props.total) : null}
        </span>
        <span className="t-table-toolbar__spacer" />
        {props.pageIndex !== undefined ? <span>{labels.page(props.pageIndex + 1)}</span> : null}
        <Button size="sm" disabled={!props.hasPrevious} onClick={props.onPrevious}>
          {labels.previous}
        </Button>
        <Button size="sm" disabled={!props.hasNext} onClick={props.onNext}>
          {labels.next}
        </Button>
      </div>
    </div>
  )
}
