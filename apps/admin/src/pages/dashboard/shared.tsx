/** The dashboard's tiles, tones, value formatting, sparklines and periods. */
import { useTranslation } from "react-i18next"
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

export const Sparkline = ({ values, label }: { values: Array<number | null>; label: string }) => {
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

export const periodOf = (days: number) => {
  const to = new Date()
  return { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() }
}
