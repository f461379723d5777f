/** The public service report (seed S000 §7.3): no sign-in, the organisation's chosen KPIs with n and interval. */
import { useQuery } from "@tanstack/react-query"
import { useParams } from "@tanstack/react-router"
import { Badge, EmptyState, Select, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { ApiError, api } from "../api/client"
import type { PublicReport } from "../api/reports"
import { LANGUAGES, type Language, setLanguage } from "../i18n"

const TONE = { met: "ok", at_risk: "warn", breached: "bad", no_data: undefined } as const
const ICON = { met: "✓", at_risk: "!", breached: "✕", no_data: "○" } as const

export const PublicReportPage = () => {
  const { t, i18n } = useTranslation()
  const { slug } = useParams({ strict: false }) as { slug: string }
  const locale = i18n.language === "en" ? "en" : "zh-CN"
  const report = useQuery({
    queryKey: ["public-report", slug, locale],
    queryFn: () => api<PublicReport>(`/api/v1/public/${encodeURIComponent(slug)}/report?locale=${locale}`),
    retry: false,
  })
  const fmtDate = (d: string, tz: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeZone: tz }).format(new Date(d))
  return (
    <main
      id="main"
      className="public-report"
      style={{ maxWidth: 960, margin: "0 auto", padding: "32px 20px" }}
    >
      <div style={{ display: "flex", justifyContent: "flex-end" }}>
        <Select
          aria-label="Language / 语言"
          value={i18n.language}
          onChange={(e) => void setLanguage(e.target.value as Language)}
          style={{ width: "auto" }}
        >
          {LANGUAGES.map((l) => (
            <option key={l.code} value={l.code}>
              {l.label}
            </option>
          ))}
        </Select>
      </div>
      {report.isLoading ? <Skeleton height={200} /> : null}
      {report.error ? (
        <EmptyState
          title={
            report.error instanceof ApiError && report.error.status === 404
              ? t("reports.publicNotFound")
              : t("errors.network")
          }
        />
      ) : null}
      {report.data ? (
        <>
          <header style={{ margin: "8px 0 24px" }}>
            <p className="t-hint" style={{ margin: 0 }}>
              {report.data.organization}
            </p>
            <h1 style={{ margin: "4px 0" }}>{report.data.title}</h1>
            {report.data.intro ? <p>{report.data.intro}</p> : null}
            <p className="t-hint">
              {t("reports.publicPeriodText", {
                from: fmtDate(report.data.from, report.data.timeZone),
                to: fmtDate(
                  new Date(new Date(report.data.to).getTime() - 1).toISOString(),
                  report.data.timeZone,
                ),
                tz: report.data.timeZone,
              })}{" "}
              ·{" "}
              {t("reports.publicGenerated", {
                at: new Date(report.data.generatedAt).toLocaleString(i18n.language),
              })}
            </p>
          </header>
          <div
            className="kpi-grid"
            style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(260px, 1fr))", gap: 16 }}
          >
            {report.data.items.map((k) => (
              <section key={k.key} className="t-card">
                <div className="t-card__body">
                  <h2 className="t-card__title" style={{ fontSize: 15 }}>
                    {k.code ? <code className="t-code">{k.code}</code> : null} {k.metric}
                  </h2>
                  <p className="t-hint" style={{ margin: "2px 0 0" }}>
                    {k.requirement}
                  </p>
                  <p style={{ fontSize: 32, fontWeight: 600, margin: "8px 0" }}>{k.valueText}</p>
                  <p style={{ margin: "4px 0" }}>
                    <Badge tone={TONE[k.status]}>
                      {ICON[k.status]} {t(`targetStatus.${k.status}`)}
                    </Badge>{" "}
                    <span className="t-hint">
                      {t("reports.target")} {k.targetText}
                    </span>
                  </p>
                  <p className="t-hint" style={{ margin: 0 }}>
                    {t("reports.n", { n: k.n })}
                    {k.interval && k.unit === "percent"
                      ? ` · ${t("reports.interval")} ${(k.interval.lower * 100).toFixed(1)}% – ${(k.interval.upper * 100).toFixed(1)}%`
                      : ""}
                  </p>
                </div>
              </section>
            ))}
          </div>
          {report.data.report ? (
            <p style={{ marginTop: 24 }}>
              <a className="t-btn" href={report.data.report.downloadPath} download>
                {t("reports.publicDownload", { name: report.data.report.name })}
              </a>
            </p>
          ) : null}
          <p className="t-hint" style={{ marginTop: 32 }}>
            {t("reports.poweredBy")}
          </p>
        </>
      ) : null}
    </main>
  )
}
