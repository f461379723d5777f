/** A metric's control chart with its signals. */
import { useQuery } from "@tanstack/react-query"
import { Card, Select, Skeleton } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../../api/client"
import { useFormatValue } from "./shared"

const CHART_METRICS = [
  "process.first_response_sla",
  "process.resolution_sla",
  "process.initial_record_timeliness",
  "process.fcr",
  "process.escalation_rate",
  "process.first_response_time",
]

export const ControlChart = ({ period }: { period: { from: string; to: string } }) => {
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
