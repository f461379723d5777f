/** The Check stage: the metric re-measured and tested before against after. */
import { Button, Callout, Card } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { useFormat } from "../../format"
import { type Cycle, type Measurement, useMetricValue } from "./model"

export const CheckPanel = ({
  c,
  run,
  busy,
  canRun,
}: {
  c: Cycle
  run: () => void
  busy: boolean
  canRun: boolean
}) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const r = c.check
  const metricValue = useMetricValue(c.trigger.metric)
  const row = (label: string, m: Measurement) => (
    <tr>
      <th scope="row">{label}</th>
      <td>{metricValue(m.value)}</td>
      <td>
        {m.numerator ?? "—"}/{m.denominator ?? m.n}
      </td>
      <td className="t-hint">
        {fmt.date(m.from)} – {fmt.date(m.to)}
      </td>
    </tr>
  )
  return (
    <Card title={t("improvements.checkTitle")}>
      {canRun ? (
        <Button onClick={run} disabled={busy} data-testid="run-check">
          {t("improvements.check")}
        </Button>
      ) : null}
      {r ? (
        <div style={{ marginTop: 8 }} data-testid="check-result">
          <table className="t-table">
            <tbody>
              {row(t("improvements.before"), r.baseline)}
              {row(t("improvements.after"), r.after)}
            </tbody>
          </table>
          {r.test ? (
            <p className="t-hint">
              {t("improvements.test", {
                z: r.test.statistic.toFixed(2),
                p: r.test.pValue < 0.001 ? "< 0.001" : r.test.pValue.toFixed(3),
              })}
            </p>
          ) : null}
          <Callout tone={r.verdict === "worked" ? undefined : "warn"}>
            {t(`improvements.verdicts.${r.verdict}`)}
          </Callout>
        </div>
      ) : null}
    </Card>
  )
}
