import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Link, useNavigate } from "@tanstack/react-router"
import { Badge, Button, Card, EmptyState, PageHeader, Select, Skeleton, useToast } from "@tenet/ui"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../api/client"
import { useDurations, useFormat } from "../format"
import { useSession } from "../session"

interface Tile {
  standardId: string
  version: number
  requirementId: string
  requirementTitle: Record<string, string>
  targetId: string
  metric: { id: string; code?: string; name: Record<string, string>; unit: string; kind: string }
  operator: string
  target: number
  filter: Record<string, string>
  value: number | null
  numerator?: number
  denominator?: number
  n: number
  interval?: { lower: number; upper: number }
  status: "met" | "at_risk" | "breached" | "no_data"
  series: Array<{ day: string; value: number | null; n: number }>
}

const TONE = { met: "ok", at_risk: "warn", breached: "bad", no_data: undefined } as const
const ICON = { met: "✓", at_risk: "▲", breached: "✕", no_data: "–" } as const

const useFormatValue = () => {
  const { i18n } = useTranslation()
  const { duration } = useDurations()
  return (unit: string, v: number | null | undefined) => {
    if (v === null || v === undefined) return "—"
    if (unit === "percent")
      return new Intl.NumberFormat(i18n.language, { style: "percent", maximumFractionDigits: 1 }).format(v)
    if (unit === "seconds") return duration(v)
    return new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(v)
  }
}

const Sparkline = ({ values, label }: { values: Array<number | null>; label: string }) => {
  const pts = values
    .map((v, i) => [i, v] as const)
    .filter((p): p is readonly [number, number] => p[1] !== null)
  if (pts.length < 2) return null
  const min = Math.min(...pts.map((p) => p[1]))
  const max = Math.max(...pts.map((p) => p[1]))
  const w = 160
  const h = 32
  const x = (i: number) => (i / (values.length - 1)) * w
  const y = (v: number) => (max === min ? h / 2 : h - ((v - min) / (max - min)) * (h - 4) - 2)
  return (
    <svg width={w} height={h} role="img" aria-label={label} style={{ display: "block" }}>
      <polyline
        fill="none"
        stroke="var(--accent)"
        strokeWidth="1.5"
        points={pts.map(([i, v]) => `${x(i)},${y(v)}`).join(" ")}
      />
    </svg>
  )
}

const periodOf = (days: number) => {
  const to = new Date()
  return { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() }
}

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
      <div className="grid-2" style={{ marginTop: 16 }}>
        <ControlChart period={period} />
        <Compliance period={period} />
      </div>
    </>
  )
}

const CHART_METRICS = [
  "process.first_response_sla",
  "process.resolution_sla",
  "process.initial_record_timeliness",
  "process.fcr",
  "process.escalation_rate",
  "process.first_response_time",
]

const ControlChart = ({ period }: { period: { from: string; to: string } }) => {
  const { t } = useTranslation()
  const fv = useFormatValue()
  const [metric, setMetric] = useState(CHART_METRICS[0]!)
  const chart = useQuery({
    queryKey: ["chart", getCurrentOrg(), metric, period.from],
    queryFn: () =>
      api<{
        chart: string | null
        center?: number
        points: Array<{ day: string; value: number; n: number; lcl: number; ucl: number }>
        signals: Array<{ day: string; rule: number; index: number }>
      }>(
        `/api/v1/metrics/${metric}/control-chart?from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`,
      ),
  })
  const unit = metric.endsWith("_time") ? "seconds" : "percent"
  const d = chart.data
  const W = 560
  const H = 200
  const pad = 36
  let body = null
  if (d?.chart && d.points.length >= 2) {
    const all = d.points.flatMap((p) => [p.value, p.lcl, p.ucl])
    const min = Math.min(...all)
    const max = Math.max(...all)
    const x = (i: number) => pad + (i / (d.points.length - 1)) * (W - pad - 8)
    const y = (v: number) => H - 20 - ((v - min) / (max - min || 1)) * (H - 40)
    const signalIdx = new Set(d.signals.map((s) => s.index))
    body = (
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={`${t("dashboard.chartTitle")}: ${metric}`}
        data-testid="control-chart"
      >
        <line
          x1={pad}
          x2={W - 8}
          y1={y(d.center!)}
          y2={y(d.center!)}
          stroke="var(--text-3)"
          strokeDasharray="4 3"
        />
        <polyline
          fill="none"
          stroke="var(--bad)"
          strokeDasharray="2 3"
          points={d.points.map((p, i) => `${x(i)},${y(p.ucl)}`).join(" ")}
        />
        <polyline
          fill="none"
          stroke="var(--bad)"
          strokeDasharray="2 3"
          points={d.points.map((p, i) => `${x(i)},${y(p.lcl)}`).join(" ")}
        />
        <polyline
          fill="none"
          stroke="var(--accent)"
          strokeWidth="1.5"
          points={d.points.map((p, i) => `${x(i)},${y(p.value)}`).join(" ")}
        />
        {d.points.map((p, i) => (
          <circle
            key={p.day}
            cx={x(i)}
            cy={y(p.value)}
            r={signalIdx.has(i) ? 4.5 : 2.5}
            fill={signalIdx.has(i) ? "var(--bad)" : "var(--accent)"}
          >
            <title>{`${p.day}: ${fv(unit, p.value)} (n = ${p.n})`}</title>
          </circle>
        ))}
        <text x={4} y={y(max) + 4} fontSize="10" fill="var(--text-3)">
          {fv(unit, max)}
        </text>
        <text x={4} y={y(min)} fontSize="10" fill="var(--text-3)">
          {fv(unit, min)}
        </text>
        <text x={pad} y={H - 4} fontSize="10" fill="var(--text-3)">
          {d.points[0]!.day}
        </text>
        <text x={W - 70} y={H - 4} fontSize="10" fill="var(--text-3)">
          {d.points.at(-1)!.day}
        </text>
      </svg>
    )
  }
  return (
    <Card title={t("dashboard.chartTitle")}>
      <Select
        aria-label={t("dashboard.chartMetric")}
        value={metric}
        onChange={(e) => setMetric(e.target.value)}
      >
        {CHART_METRICS.map((m) => (
          <option key={m} value={m}>
            {t(`metricNames.${m.replace("process.", "")}`, { defaultValue: m })}
          </option>
        ))}
      </Select>
      <div style={{ marginTop: 8 }}>
        {chart.isLoading ? (
          <Skeleton height={200} />
        ) : (
          (body ?? <p className="t-hint">{t("dashboard.notEnough")}</p>)
        )}
      </div>
      {d?.chart ? (
        <>
          <p className="t-hint" style={{ margin: "4px 0" }}>
            {t("dashboard.chartCenter", { value: fv(unit, d.center) })} · {t("dashboard.chartLimits")} ·{" "}
            {d.chart === "xmr" ? "XmR" : d.chart === "laney" ? "Laney p′" : "p-chart"}
          </p>
          <div className="t-label">{t("dashboard.signals")}</div>
          {d.signals.length ? (
            <ul style={{ margin: "4px 0", paddingLeft: 18 }} data-testid="signals">
              {d.signals.map((s) => (
                <li key={`${s.index}-${s.rule}`}>
                  {t("dashboard.signal", { day: s.day, rule: s.rule, text: t(`dashboard.rules.${s.rule}`) })}
                </li>
              ))}
            </ul>
          ) : (
            <p className="t-hint">{t("dashboard.noSignals")}</p>
          )}
        </>
      ) : null}
    </Card>
  )
}

const Compliance = ({ period }: { period: { from: string; to: string } }) => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language as "zh-CN" | "en"
  const fmt = useFormat()
  const fv = useFormatValue()
  const session = useSession()
  const qc = useQueryClient()
  const standards = useQuery({
    queryKey: ["standards", getCurrentOrg()],
    queryFn: () => api<{ items: Array<{ id: string; title: Record<string, string> }> }>("/api/v1/standards"),
  })
  const std = standards.data?.items[0]
  const evals = useQuery({
    queryKey: ["evaluations", getCurrentOrg(), std?.id],
    queryFn: () =>
      api<{ items: Array<{ id: string }> }>(`/api/v1/standards/evaluations?standardId=${std!.id}`),
    enabled: Boolean(std),
  })
  const latestId = evals.data?.items[0]?.id
  const latest = useQuery({
    queryKey: ["evaluation", getCurrentOrg(), latestId],
    queryFn: () =>
      api<{
        id: string
        version: number
        from: string
        to: string
        summary: Record<string, number>
        results: Array<{
          requirementId: string
          requirementTitle: Record<string, string>
          targetId: string
          metric: string
          value: number | null
          target: number
          operator: string
          n: number
          status: keyof typeof TONE
          breachId?: string
        }>
      }>(`/api/v1/standards/evaluations/${latestId}`),
    enabled: Boolean(latestId),
  })
  const evaluate = useMutation({
    mutationFn: () =>
      api(`/api/v1/standards/${std!.id}/evaluations`, {
        method: "POST",
        body: { from: period.from, to: period.to },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["evaluations"] }),
  })
  const e = latest.data
  const navigate = useNavigate()
  const toast = useToast()
  const open = useMutation({
    mutationFn: (breachId: string) =>
      api<{ id: string; number: number }>("/api/v1/improvements/cycles", {
        method: "POST",
        body: { workflowId: "pdca", breachId },
      }),
    onSuccess: (c) => {
      toast(t("improvements.started", { number: c.number }))
      void navigate({ to: "/improvements/$cycleId", params: { cycleId: c.id } })
    },
    onError: (err) => toast((err as Error).message, "bad"),
  })
  return (
    <Card title={t("dashboard.compliance")}>
      <div style={{ display: "flex", gap: 8, flexWrap: "wrap", marginBottom: 8 }} className="no-print">
        {std && session.can("standards:write") ? (
          <Button size="sm" variant="primary" onClick={() => evaluate.mutate()} disabled={evaluate.isPending}>
            {t("dashboard.evaluateNow")}
          </Button>
        ) : null}
        {e ? (
          <>
            <a className="t-btn t-btn--sm" href={`/api/v1/standards/evaluations/${e.id}/report.csv`} download>
              {t("dashboard.report")}
            </a>
            <a
              className="t-btn t-btn--sm"
              href={`/api/v1/standards/evaluations/${e.id}/report.xlsx`}
              download
            >
              {t("reports.reportXlsx")}
            </a>
            <Button size="sm" onClick={() => window.print()}>
              {t("dashboard.print")}
            </Button>
          </>
        ) : null}
      </div>
      {e ? (
        <div data-testid="compliance">
          <p style={{ margin: "0 0 4px" }}>
            <strong>{std?.title[lang] ?? std?.title.en}</strong> —{" "}
            {t("dashboard.lastEvaluation", {
              from: fmt.date(e.from),
              to: fmt.date(e.to),
              version: e.version,
            })}
          </p>
          <p className="t-hint" style={{ margin: "0 0 8px" }}>
            {t("dashboard.summary", e.summary)}
          </p>
          <table className="t-table">
            <thead>
              <tr>
                <th scope="col">{t("dashboard.requirement")}</th>
                <th scope="col">{t("dashboard.value")}</th>
                <th scope="col">{t("dashboard.status")}</th>
              </tr>
            </thead>
            <tbody>
              {e.results.map((r) => {
                const unit =
                  r.metric.endsWith("_time") || r.metric.endsWith("time_late")
                    ? "seconds"
                    : r.metric.endsWith("backlog")
                      ? "count"
                      : "percent"
                return (
                  <tr key={`${r.requirementId}-${r.targetId}`}>
                    <td>
                      {r.requirementId} {r.requirementTitle[lang] ?? r.requirementTitle.en}
                    </td>
                    <td>
                      {fv(unit, r.value)}{" "}
                      <span className="t-hint">
                        ({r.operator} {fv(unit, r.target)}, n = {r.n})
                      </span>
                    </td>
                    <td>
                      <Badge tone={TONE[r.status]}>
                        {ICON[r.status]} {t(`targetStatus.${r.status}`)}
                      </Badge>
                      {r.breachId && session.can("improvements:write") ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          onClick={() => open.mutate(r.breachId!)}
                          data-testid={`start-pdca-${r.targetId}`}
                        >
                          ↻ {t("improvements.startPdca")}
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="t-hint">{t("dashboard.noEvaluation")}</p>
      )}
    </Card>
  )
}
