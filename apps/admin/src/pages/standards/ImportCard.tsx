/** Importing a standard library (JSON or YAML). */
import { useQueryClient } from "@tanstack/react-query"
import { useToast } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { DocumentImport } from "../../components/DocumentImport"

export const ImportCard = () => {
  const { t } = useTranslation()
  const toast = useToast()
  const qc = useQueryClient()
  return (
    <DocumentImport<{ version: number; upgrade: boolean; diff: unknown[] }>
      title={t("standards.import")}
      hint={t("standards.importHint")}
      path="/api/v1/standards/import"
      onImported={(r) => {
        toast(
          r.upgrade
            ? t("standards.upgraded", { version: r.version, count: r.diff.length })
            : t("standards.imported", { version: r.version }),
        )
        void qc.invalidateQueries({ queryKey: ["standards"] })
      }}
    />
  )
}
