/** Records of processing: every declared data class with its purposes, lawful basis and retention; exportable. */
import { Badge, Card, ErrorState, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { ExportLinks } from "../../components/ExportLinks"
import { useExportLabels } from "../table-labels"
import { loc, useInventory } from "./model"

/** Days as text ("no maximum" for null). */
export const useDays = () => {
  const { t } = useTranslation()
  return (n: number | null) => (n === null ? t("privacy.noMaximum") : t("privacy.days", { n }))
}

export const InventoryPage = () => {
  const { t, i18n } = useTranslation()
  const exportLabels = useExportLabels()
  const inv = useInventory()
  const days = useDays()
  if (inv.isLoading) return <Skeleton height={240} />
  if (inv.error) return <ErrorState title={t("privacy.loadError")} />
  return (
    <Card>
      <p>
        <a href="/api/v1/privacy/inventory/export" download>
          {t("privacy.inventory.export")}
        </a>
      </p>
      <ExportLinks
        url="/api/v1/privacy/inventory"
        columns={[
          ["name", t("privacy.inventory.class")],
          ["table", t("privacy.inventory.table")],
          ["module", t("privacy.inventory.module")],
          ["columns", t("privacy.inventory.columns")],
          ["purposes", t("privacy.inventory.purposes")],
          ["basis", t("privacy.inventory.basis"), exportLabels("privacy.basis") ?? {}],
          ["effective.minDays", t("privacy.inventory.minimum")],
          ["effective.maxDays", t("privacy.inventory.maximum")],
        ]}
      />
      <table className="t-table" data-testid="privacy-inventory">
        <thead>
          <tr>
            <th>{t("privacy.inventory.class")}</th>
            <th>{t("privacy.inventory.module")}</th>
            <th>{t("privacy.inventory.columns")}</th>
            <th>{t("privacy.inventory.purposes")}</th>
            <th>{t("privacy.inventory.basis")}</th>
            <th>{t("privacy.inventory.minimum")}</th>
            <th>{t("privacy.inventory.maximum")}</th>
          </tr>
        </thead>
        <tbody>
          {(inv.data?.items ?? []).map((c) => {
            const p = c.policy ?? { ...c.declared, overridden: false }
            return (
              <tr key={c.id}>
                <td>
                  {loc(c.name, i18n.language)}{" "}
                  {c.category === "sensitive" ? (
                    <Badge tone="bad">{t("privacy.inventory.sensitive")}</Badge>
                  ) : null}
                  <div className="t-hint">{c.table}</div>
                </td>
                <td>{c.module}</td>
                <td>{c.columns.join(", ")}</td>
                <td>{c.purposes.map((x) => loc(x, i18n.language)).join("；")}</td>
                <td>{t(`privacy.basis.${c.basis}`)}</td>
                <td>{days(p.minDays)}</td>
                <td>
                  {days(p.maxDays)}
                  {p.overridden ? (
                    <span className="t-hint"> · {t("privacy.inventory.overridden")}</span>
                  ) : null}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </Card>
  )
}
