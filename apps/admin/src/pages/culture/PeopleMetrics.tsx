/** The people metrics by team (and for everyone), each with n, over the last 90 days. */
import { Card, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import {
  PEOPLE_METRICS,
  type PeopleMetric,
  type PeopleValue,
  usePeopleMetrics,
  useTeams,
} from "../../api/culture"
import { ExportLinks } from "../../components/ExportLinks"
import { usePercent, useText2 } from "./shared"

const DAYS = 90

export const PeopleMetrics = () => {
  const { t, i18n } = useTranslation()
  const q = usePeopleMetrics(DAYS)
  const teams = useTeams()
  const text = useText2()
  const pct = usePercent()
  const teamNames = new Map((teams.data?.items ?? []).map((x) => [x.id, text(x.name)]))
  const num = (v: number, digits: number) =>
    new Intl.NumberFormat(i18n.language, { maximumFractionDigits: digits }).format(v)
  const show = (metric: PeopleMetric, v: PeopleValue) => {
    if (v.value === null) return "—"
    // proportions are 0–1 fractions
    if (metric === "coverage" || metric === "trainingOnTime" || metric === "attrition") return pct(v.value)
    if (metric === "timeToProficiency") return t("culture.peopleMetrics.daysValue", { days: num(v.value, 0) })
    return num(v.value, metric === "skillGap" ? 2 : 0)
  }
  const cell = (metric: PeopleMetric, v: PeopleValue) => (
    <td key={metric}>
      {show(metric, v)} <small className="t-hint">{t("culture.peopleMetrics.n", { n: v.n })}</small>
    </td>
  )
  return (
    <Card title={t("culture.peopleMetrics.title", { days: DAYS })}>
      <p className="t-hint">{t("culture.peopleMetrics.hint")}</p>
      <ExportLinks
        url={`/api/v1/culture/people-metrics?days=${DAYS}`}
        columns={[
          ["team", t("culture.teams.team")],
          ...PEOPLE_METRICS.flatMap(
            (m) =>
              [
                [`${m}.value`, t(`culture.peopleMetrics.metrics.${m}`)],
                [`${m}.n`, `${t(`culture.peopleMetrics.metrics.${m}`)} n`],
              ] as const,
          ),
        ]}
      />
      {q.isLoading ? (
        <Skeleton height={80} />
      ) : (
        <table className="t-table" data-testid="people-metrics">
          <thead>
            <tr>
              <th>{t("culture.teams.team")}</th>
              {PEOPLE_METRICS.map((m) => (
                <th key={m}>{t(`culture.peopleMetrics.metrics.${m}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {q.data?.items.map((r) => (
              <tr key={r.team ?? "—"} data-testid={`people-metrics-${r.team}`}>
                <td>
                  {r.team === "—"
                    ? t("culture.peopleMetrics.noTeam")
                    : (teamNames.get(r.team ?? "") ?? r.team)}
                </td>
                {PEOPLE_METRICS.map((m) => cell(m, r[m]))}
              </tr>
            ))}
            {q.data ? (
              <tr>
                <td>
                  <strong>{t("culture.peopleMetrics.everyone")}</strong>
                </td>
                {PEOPLE_METRICS.map((m) => cell(m, q.data.total[m]))}
              </tr>
            ) : null}
          </tbody>
        </table>
      )}
    </Card>
  )
}
