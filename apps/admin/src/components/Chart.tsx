/**
 * Every chart in the admin app goes through this component: Apache ECharts (tree-shaken,
 * SVG renderer) with its built-in Simplified Chinese locale, coloured from the app's theme
 * variables so light and dark modes both read.
 *
 * Why ECharts: it is maintained by the Apache Software Foundation, ships zh and en locales
 * (tooltips, toolbox and data-zoom texts), renders bands, control limits, heat maps and
 * mark lines out of the box, and is the chart library Chinese operators already know.
 */
import { BarChart, HeatmapChart, LineChart, ScatterChart } from "echarts/charts"
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components"
import * as echarts from "echarts/core"
import { SVGRenderer } from "echarts/renderers"
import { type CSSProperties, useEffect, useRef } from "react"
import { useTranslation } from "react-i18next"

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
])

/** An ECharts option object (see https://echarts.apache.org/en/option.html). */
export type ChartOption = echarts.EChartsCoreOption

/** The theme's value of a CSS custom property, e.g. `themeColor("accent")`. */
export const themeColor = (name: string, fallback = "#6b7480"): string => {
  if (typeof document === "undefined") return fallback
  const v = getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim()
  return v || fallback
}

/** Axis, grid and text colours from the theme, to spread into an option. */
export const chartBase = (): ChartOption => {
  const text = themeColor("text-3")
  const border = themeColor("border", "#dde1e7")
  const axis = {
    axisLine: { lineStyle: { color: border } },
    axisLabel: { color: text, fontSize: 11 },
    splitLine: { lineStyle: { color: border, opacity: 0.6 } },
  }
  return {
    animation: false,
    textStyle: { fontFamily: "inherit", color: text },
    grid: { left: 48, right: 16, top: 16, bottom: 28, containLabel: false },
    tooltip: { trigger: "axis", confine: true },
    xAxis: { type: "category", ...axis },
    yAxis: { type: "value", scale: true, ...axis },
  }
}

export interface ChartProps {
  readonly option: ChartOption
  /** Height in pixels (width follows the container). */
  readonly height: number
  /** What the chart shows, for screen readers. */
  readonly label: string
  readonly testId?: string | undefined
  readonly style?: CSSProperties
}

/** An ECharts chart that follows the app's language and its container's width. */
export const Chart = ({ option, height, label, testId, style }: ChartProps) => {
  const ref = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  const { i18n } = useTranslation()
  const locale = i18n.language.startsWith("zh") ? "ZH" : "EN"

  useEffect(() => {
    const el = ref.current
    if (!el) return
    const c = echarts.init(el, null, { renderer: "svg", locale })
    chart.current = c
    const ro = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => c.resize())
    ro?.observe(el)
    return () => {
      ro?.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [locale])

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true })
  }, [option, locale])

  return (
    <div
      ref={ref}
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ width: "100%", height, ...style }}
    />
  )
}
