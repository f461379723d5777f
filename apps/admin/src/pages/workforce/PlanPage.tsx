/** The staffing plan: a queue's forecast and need against its schedule, the heat map of short intervals, the table, and what-if. */
import { Card, EmptyState, ErrorState, Skeleton } from "@tenet/ui"
import type { TFunction } from "i18next"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { ExportLinks } from "../../components/ExportLinks"
import { useExportLabels } from "../table-labels"
import { ForecastChart, GapHeatMap } from "./Charts"
import { type Handling, MIN_AHT_SAMPLE, planParams, queueKey, usePlan, type WhatIf } from "./model"

const pct = (v: number) => `${Math.round(v * 100)} %`

const slotLabel = (slot: number, minutes: number) => {
  const m = slot * minutes
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`
}

const handlingText = (t: TFunction, h: Handling) =>
  h.source === "history"
    ? t("workforce.handling.history", { seconds: h.seconds, n: h.n })
    : h.n > 0
      ? t("workforce.handling.few", {
          seconds: h.seconds,
          n: h.n,
          measured: h.measuredSeconds,
          min: MIN_AHT_SAMPLE,
        })
      : t("workforce.handling.none", { seconds: h.seconds })

export const PlanPage = () => {
  const { t } = useTranslation()
  const exportLabels = useExportLabels()
  const [intervalMinutes, setIntervalMinutes] = useState(30)
  const [draft, setDraft] = useState({ volume: "", aht: "", shrinkage: "", level: "", seconds: "" })
  const [whatIf, setWhatIf] = useState<WhatIf>({})
  const plan = usePlan(intervalMinutes, 14, whatIf)
  const [selected, setSelected] = useState<string>("")
  const [day, setDay] = useState(0)
  const queues = plan.data?.queues ?? []
  const current =
    queues.find((q) => queueKey(q.queue) === selected) ??
    // the busiest queue first: the one a planner opens the page for
    [...queues].sort((a, b) => b.historyTotal - a.historyTotal)[0]
  const per = plan.data ? 1440 / plan.data.intervalMinutes : 48
  const heat = useMemo(() => {
    if (!current || !plan.data) return null
    const days = Array.from(
      { length: plan.data.horizonDays },
      (_, d) => current.intervals[d * per]?.date ?? "",
    )
    const slots = Array.from({ length: per }, (_, s) => slotLabel(s, plan.data!.intervalMinutes))
    const gaps = days.map((_, d) => current.intervals.slice(d * per, (d + 1) * per).map((i) => i.gap))
    return { days, slots, gaps }
  }, [current, plan.data, per])
  if (plan.isLoading) return <Skeleton height={320} />
  if (plan.error) return <ErrorState title={t("workforce.loadError")} />
  if (!plan.data || !current)
    return (
      <Card>
        <EmptyState title={t("workforce.empty")} />
      </Card>
    )
  const p = plan.data
  const dayIntervals = current.intervals.slice(day * per, (day + 1) * per)
  const short = current.intervals.filter((i) => i.gap < 0).length
  const num = (s: string) => (s.trim() === "" ? undefined : Number(s))
  const apply = () =>
    setWhatIf({
      volumeChange: num(draft.volume) === undefined ? undefined : (num(draft.volume) as number) / 100,
      ahtFactor: num(draft.aht) === undefined ? undefined : 1 + (num(draft.aht) as number) / 100,
      shrinkage: num(draft.shrinkage) === undefined ? undefined : (num(draft.shrinkage) as number) / 100,
      targetLevel: num(draft.level) === undefined ? undefined : (num(draft.level) as number) / 100,
      targetSeconds: num(draft.seconds),
    })
  const field = (key: keyof typeof draft, label: string, placeholder: string) => (
    <label className="field" style={{ display: "grid", gap: 4 }}>
      <span className="t-hint">{label}</span>
      <input
        type="number"
        value={draft[key]}
        placeholder={placeholder}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        data-testid={`whatif-${key}`}
        style={{ width: 110 }}
      />
    </label>
  )
  const q = current.queue
  return (
    <div style={{ display: "grid", gap: 16 }}>
      <Card>
        <div className="toolbar" style={{ flexWrap: "wrap", gap: 12, alignItems: "end" }}>
          <label style={{ display: "grid", gap: 4 }}>
            <span className="t-hint">{t("workforce.queue")}</span>
            <select
              value={queueKey(q)}
              onChange={(e) => setSelected(e.target.value)}
              data-testid="workforce-queue"
            >
              {queues.map((x) => (
                <option key={queueKey(x.queue)} value={queueKey(x.queue)}>
                  {x.queue.channel} · {x.queue.team || t("workforce.noTeam")} ({x.historyTotal})
                </option>
              ))}
            </select>
          </label>
          <label style={{ display: "grid", gap: 4 }}>
            <span className="t-hint">{t("workforce.interval")}</span>
            <select
              value={intervalMinutes}
              onChange={(e) => setIntervalMinutes(Number(e.target.value))}
              data-testid="workforce-interval"
            >
              {[15, 30, 60].map((m) => (
                <option key={m} value={m}>
                  {t("workforce.minutes", { value: m })}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="t-hint">
          {t("workforce.summary", {
            model: t(`workforce.models.${q.model}`),
            level: pct(q.targetLevel),
            seconds: q.targetSeconds,
            aht: q.ahtSeconds,
            shrinkage: pct(q.shrinkage),
            history: current.historyTotal,
            days: p.historyDays,
            short,
            total: current.intervals.length,
          })}
        </p>
        <p className="t-hint" data-testid="workforce-handling">
          {handlingText(t, current.handling)}
        </p>
      </Card>
      <Card>
        <h3>{t("workforce.whatIf.title")}</h3>
        <div className="toolbar" style={{ flexWrap: "wrap", gap: 12, alignItems: "end" }}>
          {field("volume", t("workforce.whatIf.volume"), "+20")}
          {field("aht", t("workforce.whatIf.aht"), "+10")}
          {field("shrinkage", t("workforce.whatIf.shrinkage"), String(Math.round(q.shrinkage * 100)))}
          {field("level", t("workforce.whatIf.level"), String(Math.round(q.targetLevel * 100)))}
          {field("seconds", t("workforce.whatIf.seconds"), String(q.targetSeconds))}
          <button type="button" className="btn" onClick={apply} data-testid="whatif-apply">
            {t("workforce.whatIf.apply")}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => {
              setDraft({ volume: "", aht: "", shrinkage: "", level: "", seconds: "" })
              setWhatIf({})
            }}
          >
            {t("workforce.whatIf.reset")}
          </button>
        </div>
      </Card>
      <Card>
        <h3>{t("workforce.forecastTitle")}</h3>
        <ForecastChart
          testId="workforce-forecast-chart"
          points={current.intervals.map((i) => ({
            label: `${i.date.slice(5)} ${slotLabel(i.slot, p.intervalMinutes)}`,
            forecast: i.forecast,
            lower: i.lower,
            upper: i.upper,
            required: i.requiredScheduled,
            scheduled: i.scheduled,
          }))}
        />
      </Card>
      <Card>
        <h3>{t("workforce.heat.title")}</h3>
        {heat ? <GapHeatMap days={heat.days} slots={heat.slots} gaps={heat.gaps} /> : null}
      </Card>
      <Card>
        <div className="toolbar">
          <h3>{t("workforce.table.title")}</h3>
          <ExportLinks
            url={`/api/v1/workforce/plan?${planParams(intervalMinutes, 14, whatIf)}`}
            columns={[
              ["channel", t("workforce.table.channel"), exportLabels("channels") ?? {}],
              ["team", t("workforce.table.team")],
              ["date", t("workforce.table.date")],
              ["time", t("workforce.table.interval")],
              ["forecast", t("workforce.table.forecast")],
              ["lower", t("workforce.table.lower")],
              ["upper", t("workforce.table.upper")],
              ["required", t("workforce.table.required")],
              ["requiredScheduled", t("workforce.table.toSchedule")],
              ["scheduled", t("workforce.table.scheduled")],
              ["gap", t("workforce.table.gap")],
              ["projectedServiceLevel", t("workforce.table.serviceLevel")],
            ]}
          />
          <select value={day} onChange={(e) => setDay(Number(e.target.value))} data-testid="workforce-day">
            {(heat?.days ?? []).map((d, i) => (
              <option key={d} value={i}>
                {d}
              </option>
            ))}
          </select>
        </div>
        <table className="t-table" data-testid="workforce-table">
          <thead>
            <tr>
              <th>{t("workforce.table.interval")}</th>
              <th>{t("workforce.table.forecast")}</th>
              <th>{t("workforce.table.required")}</th>
              <th>{t("workforce.table.toSchedule")}</th>
              <th>{t("workforce.table.scheduled")}</th>
              <th>{t("workforce.table.gap")}</th>
              <th>{t("workforce.table.serviceLevel")}</th>
            </tr>
          </thead>
          <tbody>
            {dayIntervals.map((i) => (
              <tr key={i.slot} style={i.gap < 0 ? { background: "rgba(198,40,40,0.08)" } : undefined}>
                <td>{slotLabel(i.slot, p.intervalMinutes)}</td>
                <td>
                  {i.forecast.toFixed(1)}{" "}
                  <span className="t-hint">
                    ({i.lower.toFixed(1)}–{i.upper.toFixed(1)})
                  </span>
                </td>
                <td>{i.required}</td>
                <td>{i.requiredScheduled.toFixed(1)}</td>
                <td>{i.scheduled.toFixed(1)}</td>
                <td>{i.gap.toFixed(1)}</td>
                <td>{i.projectedServiceLevel === null ? "—" : pct(i.projectedServiceLevel)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  )
}
