/** A metric's control chart with its signals. */
import { useQuery } from "@tanstack/react-query"
import { Card, Select, Skeleton } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../../api/client"
import { Chart, type ChartOption, chartBase, themeColor } from "../../components/Chart"
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
  const metricLabel = t(`metricNames.${metric.replace("process.", "")}`, { defaultValue: metric })
  let body = null
  if (d?.chart && d.points.length >= 2) {
    const signalIdx = new Set(d.signals.map((s) => s.index))
    const bad = themeColor("bad", "#b42318")
    const accent = themeColor("accent", "#1f5eff")
    const base = chartBase()
    const limit = (key: "ucl" | "lcl", name: string) => ({
      name,
      type: "line",
      data: d.points.map((p) => p[key]),
      showSymbol: false,
      step: "middle",
      lineStyle: { color: bad, type: "dashed", width: 1 },
      itemStyle: { color: bad },
      tooltip: { show: false },
    })
    const option: ChartOption = {
      ...base,
      grid: { left: 56, right: 56, top: 36, bottom: 28 },
      legend: { top: 0, left: 0, textStyle: { color: themeColor("text-3") } },
      tooltip: {
        trigger: "axis",
        confine: true,
        formatter: (items: Array<{ dataIndex: number }>) => {
          const p = d.points[items[0]?.dataIndex ?? 0]!
          return `${p.day}<br/>${fv(unit, p.value)} (n = ${p.n})<br/>${t("dashboard.chartLimits")}: ${fv(unit, p.lcl)} – ${fv(unit, p.ucl)}`
        },
      },
      xAxis: { ...(base.xAxis as object), data: d.points.map((p) => p.day) },
      yAxis: { ...(base.yAxis as object), axisLabel: { formatter: (v: number) => fv(unit, v) } },
      series: [
        {
          name: metricLabel,
          type: "line",
          data: d.points.map((p, i) => ({
            value: p.value,
            symbolSize: signalIdx.has(i) ? 9 : 5,
            itemStyle: { color: signalIdx.has(i) ? bad : accent },
          })),
          lineStyle: { color: accent, width: 1.5 },
          itemStyle: { color: accent },
          markLine: {
            symbol: "none",
            silent: true,
            lineStyle: { color: themeColor("text-3"), type: "dashed" },
            label: { formatter: () => fv(unit, d.center), color: themeColor("text-3") },
            data: [{ yAxis: d.center }],
          },
        },
        limit("ucl", "UCL"),
        limit("lcl", "LCL"),
      ],
    }
    body = (
      <Chart
        option={option}
        height={220}
        label={`${t("dashboard.chartTitle")}: ${metricLabel}`}
        testId="control-chart"
      />
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
            <span data-testid="chart-kind">
              {t(`dashboard.chartKinds.${d.chart}`, { defaultValue: d.chart })}
            </span>
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
