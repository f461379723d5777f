/** A KRI's readings as a line next to its amber and red thresholds (SVG; hover gives exact values). */
import { useTranslation } from "react-i18next"
import { useFormat } from "../../format"
import { type Kri, useKriHistory } from "./model"

const W = 560
const H = 160
const PAD = 32

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
  const values = [...points.map((p) => p.value), kri.amber, kri.red]
  const lo = Math.min(...values)
  const hi = Math.max(...values)
  const span = hi - lo || 1
  const y = (v: number) => H - PAD - ((v - lo) / span) * (H - 2 * PAD)
  const x = (i: number) =>
    PAD + (points.length === 1 ? (W - 2 * PAD) / 2 : (i / (points.length - 1)) * (W - 2 * PAD))
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${kri.name}: ${t("risk.kri.chart")}`}
      style={{ width: "100%", maxWidth: W }}
    >
      {(
        [
          ["amber", kri.amber, "#f9a825"],
          ["red", kri.red, "#c62828"],
        ] as const
      ).map(([k, v, c]) => (
        <g key={k}>
          <line x1={PAD} x2={W - PAD} y1={y(v)} y2={y(v)} stroke={c} strokeDasharray="4 3" />
          <text x={W - PAD + 2} y={y(v) + 4} fontSize={10} fill={c}>
            {t(`risk.kri.${k}`)} {v}
          </text>
        </g>
      ))}
      <polyline
        fill="none"
        stroke="currentColor"
        strokeWidth={1.5}
        points={points.map((p, i) => `${x(i)},${y(p.value)}`).join(" ")}
      />
      {points.map((p, i) => (
        <circle
          key={p.at}
          cx={x(i)}
          cy={y(p.value)}
          r={p.crossed ? 5 : 3}
          fill={p.state === "red" ? "#c62828" : p.state === "amber" ? "#f9a825" : "#2e7d32"}
        >
          <title>{`${f.dateTime(p.at)}: ${p.value} (${t(`risk.kri.state.${p.state}`)})${p.crossed ? ` · ${t("risk.kri.crossed")}` : ""}`}</title>
        </circle>
      ))}
      <text x={PAD} y={H - 8} fontSize={10}>
        {f.date(points[0]!.at)}
      </text>
      <text x={W - PAD} y={H - 8} fontSize={10} textAnchor="end">
        {f.date(points[points.length - 1]!.at)}
      </text>
    </svg>
  )
}
