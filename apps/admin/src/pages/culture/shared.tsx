import { useTranslation } from "react-i18next"
import type { Text2 } from "../../api/culture"
import { TabbedSection } from "../../components/TabbedSection"

/** The culture area: the agent's home and the supervisor's screens, as tabs. */
export const CultureLayout = () => {
  const { t } = useTranslation()
  const tabs = [
    { to: "/culture", key: "home" },
    { to: "/culture/teams", key: "teams" },
    { to: "/culture/skills", key: "skills" },
    { to: "/culture/training", key: "training" },
    { to: "/culture/certifications", key: "certifications" },
    { to: "/culture/recognition", key: "recognition" },
    { to: "/culture/knowledge", key: "knowledge" },
  ] as const
  return (
    <TabbedSection
      title={t("culture.title")}
      description={t("culture.description")}
      tabs={tabs.map((tab) => ({ to: tab.to, label: t(`culture.tabs.${tab.key}`) }))}
    />
  )
}

/** A name in the reader's language. */
export const useText2 = () => {
  const { i18n } = useTranslation()
  return (text: Text2) => (i18n.language.startsWith("zh") ? text["zh-CN"] : text.en)
}

/** The badge tone of a certification's state. */
export const stateTone = (s: string) =>
  s === "valid"
    ? "ok"
    : s === "expiring"
      ? "warn"
      : s === "expired" || s === "revoked" || s === "suspended"
        ? "bad"
        : undefined

/** A 0–1 fraction as a percentage in the reader's language (culture's rates are fractions). */
export const usePercent = () => {
  const { i18n } = useTranslation()
  const f = new Intl.NumberFormat(i18n.language, { style: "percent", maximumFractionDigits: 1 })
  return (v: number) => f.format(v)
}
