/** The dashboard's tiles, tones, value formatting, sparklines and periods. */
import { useTranslation } from "react-i18next"
import { Chart, type ChartOption, themeColor } from "../../components/Chart"
import { useDurations } from "../../format"

export interface Tile {
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

export const TONE = { met: "ok", at_risk: "warn", breached: "bad", no_data: undefined } as const
export const ICON = { met: "✓", at_risk: "▲", breached: "✕", no_data: "–" } as const

export const useFormatValue = () => {
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

/** A trend without axes, for a tile: the chart library's line, no hand-drawn SVG. */
export const Sparkline = ({ values, label }: { values: Array<number | null>; label: string }) => {
  if (values.filter((v) => v !== null).length < 2) return null
  const accent = themeColor("accent", "#1f5eff")
  const option: ChartOption = {
    animation: false,
    grid: { left: 1, right: 1, top: 2, bottom: 2 },
    xAxis: { type: "category", show: false, data: values.map((_, i) => i) },
    yAxis: { type: "value", show: false, scale: true },
    series: [
      {
        type: "line",
        data: values,
        connectNulls: true,
        showSymbol: false,
        silent: true,
        lineStyle: { color: accent, width: 1.5 },
      },
    ],
  }
  return <Chart option={option} height={32} label={label} style={{ width: 160, display: "block" }} />
}

export const periodOf = (days: number) => {
  const to = new Date()
  return { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() }
}
