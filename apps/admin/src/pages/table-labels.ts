import type { DataTableLabels } from "@tenet/ui"
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
    errorTitle: t("common.errorTitle"),
    retry: t("common.retry"),
    sortedAscending: t("table.sortedAscending"),
    sortedDescending: t("table.sortedDescending"),
  }
}
