import { useTranslation } from "react-i18next"
import { TabbedSection } from "../../components/TabbedSection"

export const PrivacyLayout = () => {
  const { t } = useTranslation()
  const tabs = [
    { to: "/privacy", key: "requests" },
    { to: "/privacy/inventory", key: "inventory" },
    { to: "/privacy/retention", key: "retention" },
  ] as const
  return (
    <TabbedSection
      title={t("privacy.title")}
      description={t("privacy.description")}
      tabs={tabs.map((tab) => ({ to: tab.to, label: t(`privacy.tabs.${tab.key}`) }))}
    />
  )
}
