/** The dashboard: every target's KPI tile for the period. */
import { useQuery } from "@tanstack/react-query"
import { Link } from "@tanstack/react-router"
import { Badge, Card, EmptyState, PageHeader, Select, Skeleton } from "@tenet/ui"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../../api/client"
import { Compliance } from "./Compliance"
import { ControlChart } from "./ControlChart"
import { Satisfaction } from "./Satisfaction"
import { ICON, periodOf, Sparkline, type Tile, TONE, useFormatValue } from "./shared"

export const DashboardPage = () => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language as "zh-CN" | "en"
  const fv = useFormatValue()
  const [days, setDays] = useState(30)
  const period = useMemo(() => periodOf(days), [days])
  const kpis = useQuery({
    queryKey: ["kpis", getCurrentOrg(), days],
    queryFn: () =>
      api<{ items: Tile[] }>(
        `/api/v1/dashboard/kpis?from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`,
      ),
  })
  return (
    <>
      <PageHeader
        title={t("dashboard.title")}
        description={t("dashboard.description")}
        actions={
          <Select
            aria-label={t("dashboard.period")}
            value={String(days)}
            onChange={(e) => setDays(Number(e.target.value))}
            data-testid="dashboard-period"
          >
            <option value="7">{t("dashboard.last7")}</option>
            <option value="30">{t("dashboard.last30")}</option>
            <option value="90">{t("dashboard.last90")}</option>
          </Select>
        }
      />
      {kpis.isLoading ? (
        <div className="kpi-grid">
          {Array.from({ length: 6 }, (_, i) => (
            <Card key={i}>
              <Skeleton height={90} />
            </Card>
          ))}
        </div>
      ) : kpis.data?.items.length ? (
        <div className="kpi-grid" data-testid="kpi-grid">
          {kpis.data.items.map((k) => {
            const drill = {
              status: "all",
              ...(k.filter.type ? { type: k.filter.type } : {}),
              ...(k.filter.channel ? { channel: k.filter.channel } : {}),
              ...(k.status === "breached" && k.metric.id.endsWith("_sla") ? { sla: "breached,met" } : {}),
              from: period.from,
              to: period.to,
            }
            return (
              <Card key={`${k.standardId}-${k.targetId}`} className={`kpi kpi--${k.status}`}>
                <div className="kpi__head">
                  <span className="t-hint">
                    {k.requirementId} · {k.metric.code ?? ""}
                  </span>
                  <Badge tone={TONE[k.status]}>
                    <span aria-hidden>{ICON[k.status]}</span> {t(`targetStatus.${k.status}`)}
                  </Badge>
                </div>
                <div className="kpi__title">{k.requirementTitle[lang] ?? k.requirementTitle.en}</div>
                <div className="kpi__value">
                  {k.status === "no_data" ? t("dashboard.noData") : fv(k.metric.unit, k.value)}
                </div>
                <div className="t-hint">
                  {t("dashboard.target", { op: k.operator, value: fv(k.metric.unit, k.target) })} ·{" "}
                  {t("dashboard.n", { n: k.n })}
                  {k.numerator !== undefined && k.denominator ? ` (${k.numerator}/${k.denominator})` : ""}
                </div>
                {k.interval ? (
                  <div className="t-hint">
                    {t("dashboard.ci", {
                      lower: fv(k.metric.unit, k.interval.lower),
                      upper: fv(k.metric.unit, k.interval.upper),
                    })}
                  </div>
                ) : null}
                <Sparkline
                  values={k.series.map((s) => s.value)}
                  label={`${k.metric.name[lang] ?? k.metric.name.en}: ${k.series.length}`}
                />
                <Link
                  to="/cases"
                  search={drill as never}
                  className="kpi__drill"
                  data-testid={`drill-${k.targetId}`}
                >
                  {t("dashboard.casesBehind")} →
                </Link>
              </Card>
            )
          })}
        </div>
      ) : (
        <Card>
          <EmptyState title={t("dashboard.empty")} />
        </Card>
      )}
      <div style={{ marginTop: 16 }}>
        <Satisfaction period={period} />
      </div>
      <div className="grid-2" style={{ marginTop: 16 }}>
        <ControlChart period={period} />
        <Compliance period={period} tiles={kpis.data?.items ?? []} />
      </div>
    </>
  )
}
