import { Badge, Callout, Card, ErrorState, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { type Estimate, type SurveyResults, useSurveyResults } from "../../api/feedback"
import { Chart, type ChartOption, themeColor } from "../../components/Chart"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useExportLabels } from "../table-labels"
import { NpsComposition, TrendCard } from "./Trend"

const pct = (v: number | null) => (v === null ? "—" : `${(v * 100).toFixed(1)}%`)

/** A value with its interval and n, as every number in Tenet is shown. */
const Tile = ({ label, e, format }: { label: string; e: Estimate; format: (v: number | null) => string }) => {
  const { t } = useTranslation()
  return (
    <div className="t-card" style={{ padding: 16, minWidth: 180, flex: 1 }}>
      <div className="t-hint">{label}</div>
      <div style={{ fontSize: 28, fontWeight: 600 }}>{format(e.value)}</div>
      <div className="t-hint">
        {e.lower !== null && e.upper !== null
          ? t("feedback.interval", { lower: format(e.lower), upper: format(e.upper) })
          : t("feedback.noInterval")}{" "}
        · {t("feedback.n", { n: e.n })}
      </div>
    </div>
  )
}

/** Horizontal bars with their counts written on them (colour is never the only signal). */
const Bars = ({
  data,
  label,
  testId,
  labelAbove = false,
}: {
  data: Array<{ key: string; value: number; text: string }>
  label: string
  testId?: string
  /** Long value texts go above their bar, so the bars keep the width on a phone. */
  labelAbove?: boolean
}) => {
  const text = themeColor("text-3")
  const option: ChartOption = {
    animation: false,
    textStyle: { fontFamily: "inherit" },
    grid: {
      left: 8,
      right: labelAbove ? 16 : Math.max(72, ...data.map((d) => d.text.length * 6.5)),
      top: labelAbove ? 18 : 4,
      bottom: 4,
      containLabel: true,
    },
    tooltip: {
      trigger: "item",
      confine: true,
      formatter: (p: { dataIndex: number }) => {
        const d = data[p.dataIndex]!
        return `${d.key}: ${d.text}`
      },
    },
    xAxis: { type: "value", show: false },
    yAxis: {
      type: "category",
      inverse: true,
      data: data.map((d) => d.key),
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { color: text },
    },
    series: [
      {
        type: "bar",
        data: data.map((d) => d.value),
        barMaxWidth: 18,
        itemStyle: { color: themeColor("accent", "#1f5eff"), borderRadius: 3 },
        label: {
          show: true,
          position: labelAbove ? [0, -15] : "right",
          color: text,
          formatter: (p: { dataIndex: number }) => data[p.dataIndex]!.text,
        },
      },
    ],
  }
  return (
    <Chart
      option={option}
      height={data.length * (labelAbove ? 44 : 28) + (labelAbove ? 24 : 12)}
      label={label}
      testId={testId}
    />
  )
}

const scoreFormat = (kind: SurveyResults["kind"]) => (v: number | null) =>
  v === null ? "—" : kind === "csat" ? pct(v) : kind === "nps" ? v.toFixed(0) : v.toFixed(2)

export const ResultsView = ({
  kind,
  from,
  to,
}: {
  kind: "csat" | "nps" | "ces"
  from: string
  to: string
}) => {
  const { t } = useTranslation()
  const exportLabels = useExportLabels()
  const fmt = useFormat()
  const r = useSurveyResults(kind, from, to)
  if (r.isLoading) return <Skeleton height={160} />
  if (r.isError || !r.data)
    return (
      <ErrorState
        title={t("common.errorTitle")}
        onRetry={() => void r.refetch()}
        retryLabel={t("common.retry")}
      />
    )
  const d = r.data
  const f = scoreFormat(kind)
  return (
    <div style={{ display: "grid", gap: 16 }}>
      {d.warning ? <Callout tone="warn">{t("feedback.minN", { n: d.n, min: d.minN })}</Callout> : null}
      <div style={{ display: "flex", gap: 12, flexWrap: "wrap" }}>
        <Tile label={t(`feedback.kinds.${kind}`)} e={d.score} format={f} />
        <Tile label={t("feedback.dissatisfied")} e={d.dissatisfied} format={pct} />
        <Tile label={t("feedback.responseRate")} e={d.responseRate} format={pct} />
        {d.weighted ? <Tile label={t("feedback.weighted")} e={d.weighted.score} format={pct} /> : null}
      </div>
      {d.weighted ? (
        <p className="t-hint">
          {t("feedback.weightedNote")}{" "}
          {d.weighted.score.coveredWeight < 1
            ? t("feedback.uncovered", { share: pct(1 - d.weighted.score.coveredWeight) })
            : null}
        </p>
      ) : null}
      <p>
        {d.previous.difference === null
          ? t("feedback.noPrevious")
          : t("feedback.change", {
              value: kind === "csat" ? pct(d.previous.difference) : d.previous.difference.toFixed(2),
            })}{" "}
        {d.previous.pValue !== null ? (
          <Badge tone={d.previous.significant ? "accent" : undefined}>
            {d.previous.significant ? t("feedback.significant") : t("feedback.notSignificant")} (p ={" "}
            {d.previous.pValue.toFixed(3)})
          </Badge>
        ) : null}
      </p>
      <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(320px, 1fr))", gap: 16 }}>
        <TrendCard kind={kind} from={from} to={to} format={f} />
        {kind === "nps" ? <NpsComposition distribution={d.distribution} /> : null}
        <Card title={t("feedback.distribution")}>
          <Bars
            label={t("feedback.distribution")}
            data={d.distribution.map((x) => ({
              key: String(x.score),
              value: x.count,
              text: fmt.number(x.count),
            }))}
          />
        </Card>
        <Card title={t("feedback.dimensionsTitle")}>
          <p className="t-hint">{t("feedback.dimensionsNote")}</p>
          <Bars
            label={t("feedback.dimensionsTitle")}
            testId="feedback-dimensions"
            labelAbove
            data={d.dimensions.map((x) => ({
              key: t(`feedback.dimensions.${x.dimension}`),
              value: x.mean,
              text:
                x.lower !== null && x.upper !== null
                  ? `${x.mean.toFixed(2)} [${x.lower.toFixed(2)}, ${x.upper.toFixed(2)}] · n = ${x.n}`
                  : `${x.mean.toFixed(2)} · n = ${x.n}`,
            }))}
          />
        </Card>
        <Card title={t("feedback.drivers")}>
          <p className="t-hint">{t("feedback.driversNote")}</p>
          {d.drivers.length ? (
            <Bars
              label={t("feedback.drivers")}
              testId="feedback-drivers"
              labelAbove
              data={d.drivers.map((x) => ({
                key: t(`feedback.dimensions.${x.driver}`),
                value: x.r,
                text: `r = ${x.r.toFixed(2)} [${x.lower.toFixed(2)}, ${x.upper.toFixed(2)}] · n = ${x.n}`,
              }))}
            />
          ) : (
            <p className="t-hint">{t("feedback.noDrivers")}</p>
          )}
        </Card>
        {d.weighted ? (
          <Card title={t("feedback.bySegment")}>
            <ExportLinks
              url={`/api/v1/feedback/results?${new URLSearchParams({ kind, from, to })}`}
              columns={[
                ["segment", t("feedback.segment"), exportLabels("segments") ?? {}],
                ["invited", t("feedback.invited")],
                ["responded", t("feedback.responded")],
                ["satisfied", t("feedback.satisfied")],
              ]}
            />
            <table className="t-table">
              <thead>
                <tr>
                  <th>{t("feedback.segment")}</th>
                  <th>{t("feedback.invited")}</th>
                  <th>{t("feedback.responded")}</th>
                  <th>{t("feedback.rate")}</th>
                </tr>
              </thead>
              <tbody>
                {d.weighted.strata.map((s) => (
                  <tr key={s.segment}>
                    <td>{t(`segments.${s.segment}`, { defaultValue: s.segment || "—" })}</td>
                    <td>{fmt.number(s.invited)}</td>
                    <td>{fmt.number(s.responded)}</td>
                    <td>{pct(s.invited ? s.responded / s.invited : null)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        ) : null}
      </div>
    </div>
  )
}
