import { Link, Outlet } from "@tanstack/react-router"
import { PageHeader } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import type { Text2 } from "../../api/culture"

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
    <>
      <PageHeader title={t("culture.title")} description={t("culture.description")} />
      <nav className="settings-tabs" aria-label={t("culture.title")}>
        {tabs.map((tab) => (
          <Link
            key={tab.key}
            to={tab.to}
            activeOptions={{ exact: true }}
            activeProps={{ "aria-current": "page" }}
          >
            {t(`culture.tabs.${tab.key}`)}
          </Link>
        ))}
      </nav>
      <Outlet />
    </>
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
