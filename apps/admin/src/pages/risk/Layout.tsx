/** The risk area: register, heat map, plans and incidents, under one header with tabs. */
import { Link, Outlet } from "@tanstack/react-router"
import { PageHeader } from "@tenet/ui"
import { useTranslation } from "react-i18next"

export const RiskLayout = () => {
  const { t } = useTranslation()
  const tabs = [
    { to: "/risk", key: "register" },
    { to: "/risk/heat-map", key: "heatMap" },
    { to: "/risk/plans", key: "plans" },
    { to: "/risk/incidents", key: "incidents" },
  ] as const
  return (
    <>
      <PageHeader title={t("risk.title")} description={t("risk.description")} />
      <nav className="settings-tabs" aria-label={t("risk.title")}>
        {tabs.map((tab) => (
          <Link
            key={tab.key}
            to={tab.to}
            activeOptions={{ exact: true }}
            activeProps={{ "aria-current": "page" }}
          >
            {t(`risk.tabs.${tab.key}`)}
          </Link>
        ))}
      </nav>
      <Outlet />
    </>
  )
}

/** Definition lists as two columns: the term, then its value. */
export const DL = {
  display: "grid",
  gridTemplateColumns: "max-content 1fr",
  gap: "6px 16px",
  margin: 0,
} as const
