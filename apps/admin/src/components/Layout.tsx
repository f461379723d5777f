import { useQueryClient } from "@tanstack/react-query"
import { Link, Outlet, useNavigate } from "@tanstack/react-router"
import { Button, Select } from "@tenet/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { call, tenet } from "../api/client"
import { LANGUAGES, type Language, setLanguage } from "../i18n"
import { useSession } from "../session"
import { Bell } from "./Bell"

export const NAV = [
  { to: "/", key: "dashboard", icon: "◧" },
  { to: "/cases", key: "cases", icon: "☰" },
  { to: "/standards", key: "standards", icon: "§" },
  { to: "/quality", key: "quality", icon: "✓" },
  { to: "/feedback", key: "feedback", icon: "☺" },
  { to: "/risk", key: "risk", icon: "△" },
  { to: "/privacy", key: "privacy", icon: "◎" },
  { to: "/workforce", key: "workforce", icon: "▦" },
  { to: "/culture", key: "culture", icon: "✦" },
  { to: "/improvements", key: "improvements", icon: "↻" },
  { to: "/reports", key: "reports", icon: "▤", label: "reports.nav" },
  { to: "/plugins", key: "plugins", icon: "⊞" },
  { to: "/settings", key: "settings", icon: "⚙" },
] as const

const useTheme = () => {
  const [theme, setTheme] = useState<"light" | "dark">(() =>
    localStorage.getItem("tenet.theme") === "dark" ? "dark" : "light",
  )
  useEffect(() => {
    document.documentElement.dataset.theme = theme
    localStorage.setItem("tenet.theme", theme)
  }, [theme])
  return [theme, setTheme] as const
}

export const Layout = () => {
  const { t, i18n } = useTranslation()
  const session = useSession()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const [theme, setTheme] = useTheme()
  const signOut = async () => {
    const { providerSignOut } = await call(tenet.POST("/api/v1/auth/sign-out"))
    qc.clear()
    // a session opened through single sign-on: sign out of the provider too, which sends the browser back
    if (providerSignOut) window.location.assign(providerSignOut)
    else await navigate({ to: "/sign-in" })
  }
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t("topbar.skip")}
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand__mark" aria-hidden>
            T
          </span>
          <span>
            <strong>{t("app.name")}</strong>
            <small>{t("app.tagline")}</small>
          </span>
        </div>
        <nav aria-label={t("nav.main")}>
          <ul>
            {NAV.map((item) => (
              <li key={item.key}>
                <Link
                  to={item.to}
                  className="nav-link"
                  activeProps={{ className: "nav-link nav-link--active", "aria-current": "page" }}
                  activeOptions={{ exact: item.to === "/" }}
                >
                  <span aria-hidden className="nav-link__icon">
                    {item.icon}
                  </span>
                  {t("label" in item ? item.label : `nav.${item.key}`)}
                </Link>
              </li>
            ))}
            <li>
              <a className="nav-link" href="/api/docs" target="_blank" rel="noreferrer">
                <span aria-hidden className="nav-link__icon">
                  ⌘
                </span>
                {t("nav.apiDocs")} ↗
              </a>
            </li>
          </ul>
        </nav>
      </aside>
      <div className="main-col">
        <header className="topbar">
          <label className="topbar__item">
            <span className="t-visually-hidden">{t("topbar.organization")}</span>
            <Select
              value={session.org?.orgId ?? ""}
              onChange={(e) => session.switchOrg(e.target.value)}
              aria-label={t("topbar.organization")}
              data-testid="org-switcher"
            >
              {session.me?.memberships.map((m) => (
                <option key={m.orgId} value={m.orgId}>
                  {m.name} · {t(`roles.${m.role}`)}
                </option>
              ))}
            </Select>
          </label>
          <span className="topbar__spacer" />
          {session.org ? <Bell /> : null}
          <label className="topbar__item">
            <span className="t-visually-hidden">{t("topbar.language")}</span>
            <Select
              value={i18n.language}
              onChange={(e) => void setLanguage(e.target.value as Language)}
              aria-label={t("topbar.language")}
              data-testid="language-switcher"
            >
              {LANGUAGES.map((l) => (
                <option key={l.code} value={l.code} lang={l.code}>
                  {l.label}
                </option>
              ))}
            </Select>
          </label>
          <Button
            variant="ghost"
            aria-label={t("topbar.theme")}
            title={t("topbar.theme")}
            onClick={() => setTheme(theme === "dark" ? "light" : "dark")}
          >
            {theme === "dark" ? `☀ ${t("topbar.light")}` : `☾ ${t("topbar.dark")}`}
          </Button>
          <span className="topbar__user" title={session.me?.user.email}>
            {session.me?.user.name}
          </span>
          <Button onClick={() => void signOut()}>{t("topbar.signOut")}</Button>
        </header>
        <main id="main" className="content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </div>
  )
}
