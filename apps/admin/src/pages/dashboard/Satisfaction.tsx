/** The dashboard's satisfaction tiles (CSAT with its interval and n, response rate), next to the process ones. */
import { Link } from "@tanstack/react-router"
import { Badge, Card, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { type Estimate, useSurveyResults } from "../../api/feedback"

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`)

const Value = ({ label, e }: { label: string; e: Estimate }) => {
  const { t } = useTranslation()
  return (
    <div style={{ flex: 1, minWidth: 160 }}>
      <div className="t-hint">{label}</div>
      <div style={{ fontSize: 26, fontWeight: 600 }}>{pct(e.value)}</div>
      <div className="t-hint">
        {e.lower !== null && e.upper !== null
          ? t("feedback.interval", { lower: pct(e.lower), upper: pct(e.upper) })
          : t("feedback.noInterval")}{" "}
        · {t("feedback.n", { n: e.n })}
      </div>
    </div>
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
