import { useTranslation } from "react-i18next"
import { TabbedSection } from "../../components/TabbedSection"

export const WorkforceLayout = () => {
  const { t } = useTranslation()
  const tabs = [
    { to: "/workforce", key: "plan" },
    { to: "/workforce/accuracy", key: "accuracy" },
  ] as const
  return (
    <TabbedSection
      title={t("workforce.title")}
      description={t("workforce.description")}
      tabs={tabs.map((tab) => ({ to: tab.to, label: t(`workforce.tabs.${tab.key}`) }))}
    />
  )
}
