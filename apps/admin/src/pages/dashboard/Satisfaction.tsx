/**
 * The dashboard's satisfaction tiles (CSAT with its interval and n, dissatisfied, response rate, the
 * weighted value; NPS and CES when those surveys have answers in the period), next to the process ones.
 */

import { useQuery } from "@tanstack/react-query"
import { Link } from "@tanstack/react-router"
import { Badge, Card, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../../api/client"
import { type Estimate, useSurveyResults } from "../../api/feedback"

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`)

const Value = ({
  label,
  e,
  format = pct,
}: {
  label: string
  e: Estimate
  format?: (v: number | null) => string
}) => {
  const { t } = useTranslation()
  return (
    <div style={{ flex: 1, minWidth: 160 }}>
      <div className="t-hint">{label}</div>
      <div style={{ fontSize: 26, fontWeight: 600 }}>{format(e.value)}</div>
      <div className="t-hint">
        {e.lower !== null && e.upper !== null
          ? t("feedback.interval", { lower: format(e.lower), upper: format(e.upper) })
          : t("feedback.noInterval")}{" "}
        · {t("feedback.n", { n: e.n })}
      </div>
    </div>
  )
}

interface MetricValue {
  value: number | null
  n: number
  interval?: { lower: number; upper: number }
}

/** A feedback metric over the period from the registry, as an estimate (n = 0 when nobody answered). */
const useMetric = (id: string, from: string, to: string) =>
  useQuery({
    queryKey: ["dashboard-metric", id, from, to, getCurrentOrg()],
    queryFn: async (): Promise<Estimate> => {
      const r = await api<{ values: MetricValue[] }>(
        `/api/v1/metrics/${id}?${new URLSearchParams({ from, to })}`,
      )
      const v = r.values[0]
      return {
        value: v?.value ?? null,
        lower: v?.interval?.lower ?? null,
        upper: v?.interval?.upper ?? null,
        n: v?.n ?? 0,
      }
    },
  })

const OtherKinds = ({ from, to }: { from: string; to: string }) => {
  const { t } = useTranslation()
  const nps = useMetric("feedback.nps", from, to)
  const ces = useMetric("feedback.ces", from, to)
  return (
    <>
      {nps.data && nps.data.n > 0 ? (
        <Value
          label={t("feedback.kinds.nps")}
          e={nps.data}
          format={(v) => (v === null ? "—" : v.toFixed(0))}
        />
      ) : null}
      {ces.data && ces.data.n > 0 ? (
        <Value
          label={t("feedback.kinds.ces")}
          e={ces.data}
          format={(v) => (v === null ? "—" : v.toFixed(2))}
        />
      ) : null}
    </>
  )
}

export const Satisfaction = ({ period }: { period: { from: string; to: string } }) => {
  const { t } = useTranslation()
  const r = useSurveyResults("csat", period.from, period.to)
  return (
    <Card title={t("dashboard.satisfaction")}>
      {r.isLoading || !r.data ? (
        <Skeleton height={72} />
      ) : (
        <>
          <div style={{ display: "flex", gap: 16, flexWrap: "wrap" }}>
            <Value label={t("feedback.kinds.csat")} e={r.data.score} />
            <Value label={t("feedback.dissatisfied")} e={r.data.dissatisfied} />
            <Value label={t("feedback.responseRate")} e={r.data.responseRate} />
            {r.data.weighted ? <Value label={t("feedback.weighted")} e={r.data.weighted.score} /> : null}
            <OtherKinds from={period.from} to={period.to} />
          </div>
          <p style={{ margin: "8px 0 0" }}>
            {r.data.warning ? (
              <Badge tone="warn">{t("feedback.minN", { n: r.data.n, min: r.data.minN })}</Badge>
            ) : null}{" "}
            <Link to="/feedback">{t("dashboard.satisfactionMore")}</Link>
          </p>
        </>
      )}
    </Card>
  )
}
