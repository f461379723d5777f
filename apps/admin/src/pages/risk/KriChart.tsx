/** A KRI's readings as a line next to its amber and red thresholds (hover gives exact values). */
import { useTranslation } from "react-i18next"
import { Chart, type ChartOption, chartBase, themeColor } from "../../components/Chart"
import { useFormat } from "../../format"
import { type Kri, useKriHistory } from "./model"

const AMBER = "#f9a825"
const RED = "#c62828"
const GREEN = "#2e7d32"

export const KriChart = ({ kri }: { kri: Kri }) => {
  const { t } = useTranslation()
  const f = useFormat()
  const hist = useKriHistory(kri.id)
  const points = (hist.data?.items ?? []).filter((r) => r.value !== null) as Array<{
    at: string
    value: number
    state: string
    crossed: boolean
  }>
  if (!points.length) return <p className="t-hint">{t("risk.kri.noReadings")}</p>
  const base = chartBase()
  const oneDay = f.date(points[0]!.at) === f.date(points[points.length - 1]!.at)
  const threshold = (k: "amber" | "red", v: number, color: string) => ({
    yAxis: v,
    lineStyle: { color, type: "dashed" },
    label: { formatter: `${t(`risk.kri.${k}`)} ${v}`, color, position: "insideEndTop" },
  })
  const option: ChartOption = {
    ...base,
    grid: { left: 48, right: 24, top: 20, bottom: 28 },
    tooltip: {
      trigger: "axis",
      confine: true,
      formatter: (items: Array<{ dataIndex: number }>) => {
        const p = points[items[0]?.dataIndex ?? 0]!
        return `${f.dateTime(p.at)}<br/>${p.value} (${t(`risk.kri.state.${p.state}`)})${p.crossed ? ` · ${t("risk.kri.crossed")}` : ""}`
      },
    },
    xAxis: { ...(base.xAxis as object), data: points.map((p) => (oneDay ? f.dateTime(p.at) : f.date(p.at))) },
    yAxis: {
      ...(base.yAxis as object),
      min: (v: { min: number }) => Math.min(v.min, kri.amber, kri.red),
      max: (v: { max: number }) => Math.max(v.max, kri.amber, kri.red),
    },
    series: [
      {
        name: kri.name,
        type: "line",
        lineStyle: { color: themeColor("text-2", "#3a4350"), width: 1.5 },
        data: points.map((p) => ({
          value: p.value,
          symbolSize: p.crossed ? 10 : 6,
          itemStyle: { color: p.state === "red" ? RED : p.state === "amber" ? AMBER : GREEN },
        })),
        markLine: {
          symbol: "none",
          silent: true,
          data: [threshold("amber", kri.amber, AMBER), threshold("red", kri.red, RED)],
        },
      },
    ],
  }
  return (
    <div style={{ maxWidth: 640 }}>
      <Chart option={option} height={180} label={`${kri.name}: ${t("risk.kri.chart")}`} />
    </div>
  )
}
