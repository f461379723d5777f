/** The columns an import format reads (`IMPORT_COLUMNS` of @tenet/process, as `tenet import cases --help` lists them). */
import { IMPORT_COLUMNS, type IMPORT_FORMATS } from "@tenet/process/case"
import { useTranslation } from "react-i18next"

export const ImportColumns = ({ format }: { format: (typeof IMPORT_FORMATS)[number] }) => {
  const { t } = useTranslation()
  return (
    <details data-testid="import-columns" style={{ overflowX: "auto", margin: "12px 0" }}>
      <summary style={{ cursor: "pointer" }}>{t("imports.columnsSummary")}</summary>
      <p className="t-hint" style={{ margin: "12px 0 6px" }}>
        {t(format === "csv" || format === "ndjson" ? "imports.columnsTabular" : "imports.columnsVendor", {
          format: t(`imports.formats.${format}`),
        })}
      </p>
      <table className="t-table">
        <thead>
          <tr>
            <th scope="col">{t("imports.sourceColumn")}</th>
            <th scope="col">{t("imports.tenetField")}</th>
          </tr>
        </thead>
        <tbody>
          {IMPORT_COLUMNS[format].map(([column, field]) => (
            <tr key={column}>
              <td>
                <code>{column}</code>
              </td>
              <td>
                <code>{field}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}
