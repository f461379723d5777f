import { Badge, DataTable, dataTableColumns } from "@tenet/ui"
import { useMemo } from "react"
import { useTranslation } from "react-i18next"
import { type ReportFile, useReportFiles, useReportSchedules } from "../../api/reports"
import { useFormat } from "../../format"
import { exportUrlOf, useTableLabels } from "../table-labels"
import { fileSize } from "./shared"

const col = dataTableColumns<ReportFile>()

export const FilesPage = () => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const labels = useTableLabels()
  const files = useReportFiles()
  const schedules = useReportSchedules()
  const names = useMemo(
    () => new Map((schedules.data?.items ?? []).map((s) => [s.id, s.name])),
    [schedules.data],
  )
  const columns = useMemo(
    () =>
      col.columns([
        col.accessor("name", {
          header: t("reports.name"),
          enableSorting: false,
          cell: (i) => (
            <a href={`/api/v1/reports/files/${i.row.original.id}/download`} download>
              {i.getValue()}
            </a>
          ),
        }),
        col.accessor("scheduleId", {
          header: t("reports.tabs.schedules"),
          enableSorting: false,
          cell: (i) => names.get(i.getValue() ?? "") ?? "—",
        }),
        col.accessor("format", {
          header: t("reports.format"),
          enableSorting: false,
          cell: (i) => <Badge>{i.getValue().toUpperCase()}</Badge>,
        }),
        col.display({
          id: "period",
          header: t("reports.period"),
          cell: (i) =>
            i.row.original.from
              ? `${fmt.date(i.row.original.from)} – ${fmt.date(new Date(new Date(i.row.original.to!).getTime() - 1))}`
              : "—",
        }),
        col.accessor("size", {
          header: t("reports.size"),
          enableSorting: false,
          cell: (i) => fileSize(i.getValue()),
        }),
        col.accessor("createdAt", {
          header: t("reports.producedAt"),
          enableSorting: false,
          cell: (i) => fmt.dateTime(i.getValue()),
        }),
      ]),
    [t, fmt, names],
  )
  return (
    <DataTable
      id="report-files"
      caption={t("reports.tabs.files")}
      exportUrl={exportUrlOf("/api/v1/reports/files")}
      columns={columns}
      rows={files.data?.items}
      getRowId={(f) => f.id}
      loading={files.isLoading}
      error={files.isError ? (files.error as Error).message : undefined}
      onRetry={() => void files.refetch()}
      total={files.data?.items.length}
      empty={t("reports.filesEmpty")}
      labels={labels}
    />
  )
}
