import { useTranslation } from "react-i18next"
import { TabbedSection } from "../../components/TabbedSection"

export const RiskLayout = () => {
  const { t } = useTranslation()
  const tabs = [
    { to: "/risk", key: "register" },
    { to: "/risk/heat-map", key: "heatMap" },
    { to: "/risk/assessment", key: "assessment" },
    { to: "/risk/plans", key: "plans" },
    { to: "/risk/incidents", key: "incidents" },
    { to: "/risk/libraries", key: "libraries" },
  ] as const
  return (
    <TabbedSection
      title={t("risk.title")}
      description={t("risk.description")}
      tabs={tabs.map((tab) => ({ to: tab.to, label: t(`risk.tabs.${tab.key}`) }))}
    />
  )
}

/** Definition lists as two columns: the term, then its value. */
export const DL = {
  display: "grid",
  gridTemplateColumns: "max-content 1fr",
  gap: "6px 16px",
  margin: 0,
} as const
