/**
 * The score week by week with its interval as a band (each point's n in the tooltip), and for NPS
 * the composition of promoters, passives and detractors — the results page's two time and share views.
 */
import { useQuery } from "@tanstack/react-query"
import { Card, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../../api/client"
import { Chart, type ChartOption, chartBase, themeColor } from "../../components/Chart"

interface MetricValue {
  bucket?: string
  value: number | null
  n: number
  interval?: { lower: number; upper: number; confidence: number }
}

const useWeekly = (metric: string, from: string, to: string) =>
  useQuery({
    queryKey: ["metric-trend", metric, from, to, getCurrentOrg()],
    queryFn: () =>
      api<{ values: MetricValue[] }>(
        `/api/v1/metrics/${metric}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&bucket=week`,
      ),
  })

export const TrendCard = ({
  kind,
  from,
  to,
  format,
}: {
  kind: "csat" | "nps" | "ces"
  from: string
  to: string
  format: (v: number | null) => string
}) => {
  const { t } = useTranslation()
  const q = useWeekly(`feedback.${kind}`, from, to)
  const points = (q.data?.values ?? []).filter((v) => v.bucket && v.value !== null)
  const accent = themeColor("accent", "#1f5eff")
  const base = chartBase()
  const lower = points.map((p) => p.interval?.lower ?? p.value)
  const option: ChartOption = {
    ...base,
    grid: { left: 56, right: 16, top: 16, bottom: 28 },
    tooltip: {
      trigger: "axis",
      confine: true,
      formatter: (items: Array<{ dataIndex: number }>) => {
        const p = points[items[0]?.dataIndex ?? 0]!
        const band = p.interval
          ? `<br/>${t("feedback.interval", { lower: format(p.interval.lower), upper: format(p.interval.upper) })}`
          : ""
        return `${t("feedback.weekOf", { date: p.bucket })}<br/>${format(p.value)} · ${t("feedback.n", { n: p.n })}${band}`
      },
    },
    xAxis: { ...(base.xAxis as object), data: points.map((p) => p.bucket) },
    yAxis: { ...(base.yAxis as object), axisLabel: { formatter: (v: number) => format(v) } },
    series: [
      // the band: an invisible lower line, then the interval's width stacked on it
      {
        type: "line",
        data: lower,
        stack: "band",
        lineStyle: { opacity: 0 },
        symbol: "none",
        silent: true,
        tooltip: { show: false },
      },
      {
        type: "line",
        data: points.map((p, i) => (p.interval ? p.interval.upper - (lower[i] ?? 0) : 0)),
        stack: "band",
        lineStyle: { opacity: 0 },
        areaStyle: { color: accent, opacity: 0.15 },
        symbol: "none",
        silent: true,
        tooltip: { show: false },
      },
      {
        name: t(`feedback.kinds.${kind}`),
        type: "line",
        data: points.map((p) => p.value),
        lineStyle: { color: accent, width: 1.5 },
        itemStyle: { color: accent },
      },
    ],
  }
  return (
    <Card title={t("feedback.trend")}>
      <p className="t-hint">{t("feedback.trendNote")}</p>
      {q.isLoading ? (
        <Skeleton height={200} />
      ) : points.length < 2 ? (
        <p className="t-hint">{t("feedback.trendTooShort")}</p>
      ) : (
        <Chart option={option} height={220} label={t("feedback.trend")} testId="feedback-trend" />
      )}
    </Card>
  )
}

/** Promoters (9–10), passives (7–8) and detractors (0–6) as one stacked bar with their counts. */
export const NpsComposition = ({
  distribution,
}: {
  distribution: Array<{ score: number; count: number }>
}) => {
  const { t } = useTranslation()
  const count = (lo: number, hi: number) =>
    distribution.filter((d) => d.score >= lo && d.score <= hi).reduce((a, d) => a + d.count, 0)
  const parts = [
    { key: "detractors", value: count(0, 6), colour: "#c62828" },
    { key: "passives", value: count(7, 8), colour: "#9e9e9e" },
    { key: "promoters", value: count(9, 10), colour: "#2e7d32" },
  ]
  const n = parts.reduce((a, p) => a + p.value, 0)
  const share = (v: number) => (n ? `${((v / n) * 100).toFixed(1)}%` : "—")
  const option: ChartOption = {
    animation: false,
    textStyle: { fontFamily: "inherit" },
    grid: { left: 8, right: 8, top: 28, bottom: 4 },
    legend: { top: 0, left: 0, textStyle: { color: themeColor("text-3") } },
    tooltip: { trigger: "item", confine: true },
    xAxis: { type: "value", show: false, max: n || 1 },
    yAxis: { type: "category", show: false, data: ["NPS"] },
    series: parts.map((p) => ({
      name: t(`feedback.nps.${p.key}`),
      type: "bar",
      stack: "nps",
      data: [p.value],
      itemStyle: { color: p.colour },
      barWidth: 28,
      label: {
        show: p.value > 0,
        color: "#fff",
        formatter: () => share(p.value),
      },
      tooltip: { valueFormatter: () => `${p.value} (${share(p.value)})` },
    })),
  }
  return (
    <Card title={t("feedback.nps.title")}>
      {n === 0 ? (
        <p className="t-hint">{t("feedback.nps.none")}</p>
      ) : (
        <>
          <Chart option={option} height={72} label={t("feedback.nps.title")} testId="nps-composition" />
          <p className="t-hint">
            {parts.map((p) => `${t(`feedback.nps.${p.key}`)} ${p.value} (${share(p.value)})`).join(" · ")} ·{" "}
            {t("feedback.n", { n })}
          </p>
        </>
      )}
    </Card>
  )
}
