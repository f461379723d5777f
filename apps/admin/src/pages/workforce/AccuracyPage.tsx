/**
 * Forecast accuracy: wMAPE per day over the intervals that have passed, the same error per queue interval,
 * per queue day and per day with the floor chance alone sets at those volumes, and the kept forecasts
 * against the arrivals.
 */
import { Card, EmptyState, ErrorState, Skeleton } from "@tenet/ui"
import { useMemo } from "react"
import { useTranslation } from "react-i18next"
import { AccuracyChart, ForecastChart } from "./Charts"
import { type AccuracyLevel, useAccuracy } from "./model"

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)} %`)

/** Each level's wMAPE next to its Poisson floor, with the sample. */
const Levels = ({ levels }: { levels: Record<"interval" | "queueDay" | "day", AccuracyLevel> }) => {
  const { t } = useTranslation()
  return (
    <table className="t-table" data-testid="workforce-accuracy-levels">
      <thead>
        <tr>
          <th>{t("workforce.accuracy.level")}</th>
          <th>wMAPE</th>
          <th>{t("workforce.accuracy.floor")}</th>
          <th>{t("workforce.accuracy.arrivals")}</th>
          <th>n</th>
        </tr>
      </thead>
      <tbody>
        {(["interval", "queueDay", "day"] as const).map((k) => (
          <tr key={k} data-testid={`accuracy-${k}`}>
            <td>{t(`workforce.accuracy.levels.${k}`)}</td>
            <td>{pct(levels[k].wmape)}</td>
            <td>{pct(levels[k].floor)}</td>
            <td>{levels[k].actual}</td>
            <td>{levels[k].n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

export const AccuracyPage = () => {
  const { t } = useTranslation()
  const range = useMemo(() => {
    const to = new Date()
    return { from: new Date(to.getTime() - 28 * 86_400_000).toISOString(), to: to.toISOString() }
  }, [])
  const acc = useAccuracy(range.from, range.to, 30)
  if (acc.isLoading) return <Skeleton height={240} />
  if (acc.error) return <ErrorState title={t("workforce.loadError")} />
  const daily = acc.data?.daily ?? []
  if (!daily.length)
    return (
      <Card>
        <EmptyState title={t("workforce.accuracy.empty")} />
      </Card>
    )
  const totalErr = daily.reduce((a, d) => a + (d.numerator ?? 0), 0)
  const totalActual = daily.reduce((a, d) => a + (d.denominator ?? 0), 0)
  const n = daily.reduce((a, d) => a + d.n, 0)
  // all queues together per interval start
  const byStart = new Map<string, { forecast: number; lower: number; upper: number; actual: number }>()
  for (const i of acc.data?.intervals ?? []) {
    const e = byStart.get(i.start) ?? { forecast: 0, lower: 0, upper: 0, actual: 0 }
    e.forecast += i.forecast
    e.lower += i.lower
    e.upper += i.upper
    e.actual += i.actual
    byStart.set(i.start, e)
  }
  return (
    <div style={{ display: "grid", gap: 16 }}>
      <Card>
        <h3>{t("workforce.accuracy.title")}</h3>
        <p className="t-hint">
          {t("workforce.accuracy.overall", {
            wmape: totalActual > 0 ? `${((totalErr / totalActual) * 100).toFixed(1)} %` : "—",
            actual: totalActual,
            n,
          })}
        </p>
        {acc.data?.summary ? (
          <>
            <Levels levels={acc.data.summary} />
            <p className="t-hint">{t("workforce.accuracy.floorHint")}</p>
          </>
        ) : null}
        <AccuracyChart
          points={daily.map((d) => ({
            day: d.bucket ?? "",
            wmape: d.value,
            actual: d.denominator ?? 0,
            n: d.n,
          }))}
        />
      </Card>
      <Card>
        <h3>{t("workforce.accuracy.vsActual")}</h3>
        <ForecastChart
          testId="workforce-actuals-chart"
          points={[...byStart].map(([start, e]) => ({ label: new Date(start).toLocaleString(), ...e }))}
        />
      </Card>
    </div>
  )
}
