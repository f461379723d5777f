/**
 * CSV and XLSX of a list the page shows as a plain table (a DataTable offers them itself, through
 * its `exportUrl`): the list's URL with `export`, the columns headed as on screen, and the language.
 */
import { useTableLabels } from "../pages/table-labels"

export function ExportLinks(props: {
  /** The list's URL with the view's filters (see `exportUrlOf`). */
  readonly url: string
  /**
   * [key in the API's rows (a dotted path), header as on screen, labels?]: labels "user" writes the
   * member's name for a user id, an object the on-screen word for each value.
   */
  readonly columns: ReadonlyArray<
    readonly [string, string] | readonly [string, string, "user" | Readonly<Record<string, string>>]
  >
}) {
  const labels = useTableLabels()
  const href = (format: "csv" | "xlsx") => {
    const q = new URLSearchParams({ export: format, columns: JSON.stringify(props.columns) })
    if (labels.exportLang) q.set("lang", labels.exportLang)
    return `${props.url}${props.url.includes("?") ? "&" : "?"}${q}`
  }
  return (
    <span style={{ display: "inline-flex", gap: 6 }}>
      <a className="t-btn t-btn--sm" href={href("csv")} download>
        {labels.exportCsv}
      </a>
      <a className="t-btn t-btn--sm" href={href("xlsx")} download>
        {labels.exportXlsx}
      </a>
    </span>
  )
}
