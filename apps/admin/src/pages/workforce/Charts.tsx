/**
 * The workforce charts, all through the app's ECharts component: the forecast with its prediction band
 * (and actuals where the intervals have passed), the need against the schedule, the heat map of
 * understaffed intervals, and forecast accuracy (wMAPE) per day.
 */
import { useTranslation } from "react-i18next"
import { Chart, type ChartOption, chartBase, themeColor } from "../../components/Chart"

const RED = "#c62828"
const GREEN = "#2e7d32"

export interface SeriesPoint {
  label: string
  forecast: number
  lower: number
  upper: number
  actual?: number | null
  required?: number
  scheduled?: number
}

/** Forecast line, its prediction band (stacked area from lower to upper), actuals, and need against schedule. */
const BAND_BASE = "band-base"

export const ForecastChart = ({ points, testId }: { points: SeriesPoint[]; testId?: string }) => {
  const { t } = useTranslation()
  const base = chartBase()
  const accent = themeColor("accent", "#2f6fdf")
  const hasActual = points.some((p) => p.actual !== undefined && p.actual !== null)
  const hasNeed = points.some((p) => p.required !== undefined)
  const round = (v: number) => Math.round(v * 10) / 10
  const legendNames = [
    t("workforce.chart.band"),
    t("workforce.chart.forecast"),
    ...(hasActual ? [t("workforce.chart.actual")] : []),
    ...(hasNeed ? [t("workforce.chart.required"), t("workforce.chart.scheduled")] : []),
  ]
  const option: ChartOption = {
    ...base,
    grid: { left: 48, right: hasNeed ? 48 : 16, top: 28, bottom: 28 },
    // the band's invisible base line is not a series a reader looks for
    legend: { top: 0, textStyle: { color: themeColor("text-3") }, data: legendNames },
    xAxis: { ...(base.xAxis as object), data: points.map((p) => p.label) },
    yAxis: [
      { ...(base.yAxis as object), name: t("workforce.chart.arrivals"), min: 0 },
      ...(hasNeed
        ? [
            {
              ...(base.yAxis as object),
              name: t("workforce.chart.agents"),
              min: 0,
              splitLine: { show: false },
            },
          ]
        : []),
    ],
    series: [
      {
        name: BAND_BASE,
        type: "line",
        stack: "band",
        data: points.map((p) => round(p.lower)),
        lineStyle: { opacity: 0 },
        symbol: "none",
        tooltip: { show: false },
      },
      {
        name: t("workforce.chart.band"),
        type: "line",
        stack: "band",
        data: points.map((p) => round(p.upper - p.lower)),
        lineStyle: { opacity: 0 },
        areaStyle: { color: accent, opacity: 0.15 },
        symbol: "none",
      },
      {
        name: t("workforce.chart.forecast"),
        type: "line",
        data: points.map((p) => round(p.forecast)),
        lineStyle: { color: accent },
        itemStyle: { color: accent },
        symbol: "none",
      },
      ...(hasActual
        ? [
            {
              name: t("workforce.chart.actual"),
              type: "line",
              data: points.map((p) => p.actual ?? null),
              lineStyle: { color: themeColor("text-2", "#3a4350") },
              itemStyle: { color: themeColor("text-2", "#3a4350") },
              symbolSize: 4,
            },
          ]
        : []),
      ...(hasNeed
        ? [
            {
              name: t("workforce.chart.required"),
              type: "line",
              step: "end",
              yAxisIndex: 1,
              data: points.map((p) => round(p.required ?? 0)),
              lineStyle: { color: RED, type: "dashed" },
              itemStyle: { color: RED },
              symbol: "none",
            },
            {
              name: t("workforce.chart.scheduled"),
              type: "line",
              step: "end",
              yAxisIndex: 1,
              data: points.map((p) => round(p.scheduled ?? 0)),
              lineStyle: { color: GREEN },
              itemStyle: { color: GREEN },
              symbol: "none",
            },
          ]
        : []),
    ],
  }
  return (
    <Chart option={option} height={300} label={t("workforce.chart.label")} {...(testId ? { testId } : {})} />
  )
}

/** Days down, intervals across; each cell the gap (scheduled − required to schedule), red where short. */
export const GapHeatMap = ({ days, slots, gaps }: { days: string[]; slots: string[]; gaps: number[][] }) => {
  const { t } = useTranslation()
  const base = chartBase()
  const data = gaps.flatMap((row, d) => row.map((g, s) => [s, d, Math.round(g * 10) / 10]))
  const worst = Math.min(-1, ...gaps.flat())
  const option: ChartOption = {
    ...base,
    grid: { left: 88, right: 16, top: 8, bottom: 64 },
    tooltip: {
      trigger: "item",
      confine: true,
      formatter: (p: { value: number[] }) =>
        `${days[p.value[1] ?? 0]} ${slots[p.value[0] ?? 0]}<br/>${t("workforce.heat.gap")}: ${p.value[2]}`,
    },
    xAxis: { ...(base.xAxis as object), data: slots, splitArea: { show: true } },
    yAxis: { ...(base.yAxis as object), type: "category", data: days, scale: false },
    visualMap: {
      min: worst,
      max: 2,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      inRange: { color: [RED, "#fbe9e7", "#e8f5e9", GREEN] },
      text: [t("workforce.heat.over"), t("workforce.heat.short")],
      textStyle: { color: themeColor("text-3") },
    },
    series: [{ name: t("workforce.heat.gap"), type: "heatmap", data }],
  }
  return (
    <Chart
      option={option}
      height={Math.max(200, 24 * days.length + 90)}
      label={t("workforce.heat.label")}
      testId="workforce-heatmap"
    />
  )
}

/** wMAPE per day, with the arrivals it rests on in the tooltip. */
export const AccuracyChart = ({
  points,
}: {
  points: Array<{ day: string; wmape: number | null; actual: number; n: number }>
}) => {
  const { t } = useTranslation()
  const base = chartBase()
  const option: ChartOption = {
    ...base,
    tooltip: {
      trigger: "axis",
      confine: true,
      formatter: (items: Array<{ dataIndex: number }>) => {
        const p = points[items[0]?.dataIndex ?? 0]
        return p
          ? `${p.day}<br/>wMAPE ${p.wmape === null ? "—" : `${(p.wmape * 100).toFixed(1)} %`}<br/>${t("workforce.accuracy.sample", { actual: p.actual, n: p.n })}`
          : ""
      },
    },
    xAxis: { ...(base.xAxis as object), data: points.map((p) => p.day) },
    yAxis: {
      ...(base.yAxis as object),
      min: 0,
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)} %` },
    },
    series: [
      {
        name: "wMAPE",
        type: "line",
        data: points.map((p) => p.wmape),
        itemStyle: { color: themeColor("accent", "#2f6fdf") },
      },
    ],
  }
  return (
    <Chart
      option={option}
      height={240}
      label={t("workforce.accuracy.label")}
      testId="workforce-accuracy-chart"
    />
  )
}
