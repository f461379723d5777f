/** Forecast accuracy: wMAPE per day over the intervals that have passed, and the kept forecasts against the arrivals. */
import { Card, EmptyState, ErrorState, Skeleton } from "@tenet/ui"
import { useMemo } from "react"
import { useTranslation } from "react-i18next"
import { AccuracyChart, ForecastChart } from "./Charts"
import { useAccuracy } from "./model"

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
