/** One improvement cycle: its stages, fields, moves, status and standardising. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Link, useParams } from "@tanstack/react-router"
import { Badge, Button, Callout, Card, Field, Input, Select, Skeleton, useToast } from "@tenet/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, getCurrentOrg, issueText } from "../../api/client"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { CheckPanel } from "./CheckPanel"
import {
  type Cycle,
  fieldLabel,
  historyNote,
  inUnitText,
  parseInUnit,
  useMetricName,
  useMetricUnit,
  useMetricValue,
} from "./model"

export const CyclePage = () => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const { cycleId } = useParams({ strict: false }) as { cycleId: string }
  const fmt = useFormat()
  const toast = useToast()
  const qc = useQueryClient()
  const session = useSession()
  const q = useQuery({
    queryKey: ["cycle", getCurrentOrg(), cycleId],
    queryFn: () => api<Cycle>(`/api/v1/improvements/cycles/${cycleId}`),
  })
  const c = q.data
  const metricValue = useMetricValue(c?.trigger.metric)
  const unit = useMetricUnit(c?.trigger.metric)
  const metricName = useMetricName()
  // closing a cycle that has a metric, without data after the change, needs a reason (the server says so too)
  const [closeNote, setCloseNote] = useState("")
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ["cycle"] }),
      qc.invalidateQueries({ queryKey: ["cycles"] }),
    ])
  const [values, setValues] = useState<Record<string, unknown>>({})
  // number fields are edited as text (a rate in percent when the field is in the metric's unit)
  const numberProps = (): Array<[string, string]> => {
    if (!c) return []
    const st = c.workflow.stages.find((x) => x.id === c.stage)
    return Object.entries(st?.fields?.properties ?? {})
      .filter(([, p]) => p.type === "number")
      .map(([k, p]) => [k, p["x-unit"] === "metric" ? unit : "number"])
  }
  const [texts, setTexts] = useState<Record<string, string>>({})
  useEffect(() => {
    if (!c) return
    const v = c.fields[c.stage] ?? {}
    setValues(v)
    setTexts(Object.fromEntries(numberProps().map(([k, u]) => [k, inUnitText(u, v[k])])))
    // biome-ignore lint/correctness/useExhaustiveDependencies: the texts follow the stored values and the unit
  }, [c?.id, c?.stage, c, unit])
  /** The values to send, with the number fields parsed; a field that is not a number stops the save. */
  const payload = () => {
    const out: Record<string, unknown> = { ...values }
    for (const [k, u] of numberProps()) {
      const n = parseInUnit(u, texts[k] ?? "")
      if (n === undefined) throw new Error(`${fieldTitle(k)}: ${t("improvements.notANumber")}`)
      out[k] = n
    }
    return out
  }
  const fieldTitle = (k: string) =>
    fieldLabel(c?.workflow.stages.find((x) => x.id === c.stage)?.fields?.properties?.[k], k, lang)
  const [error, setError] = useState<string>()
  const onErr = (e: unknown) =>
    setError(
      e instanceof ApiError
        ? // a stage field is named; a refused move or status change needs no path
          e.fieldErrors
            .map((f) => `${f.path.startsWith("/values/") ? `${f.path.slice(8)}: ` : ""}${issueText(f)}`)
            .join("; ") || e.detail
        : (e as Error).message,
    )
  const save = useMutation({
    mutationFn: () =>
      api(`/api/v1/improvements/cycles/${cycleId}/fields`, { method: "PATCH", body: { values: payload() } }),
    onSuccess: () => {
      setError(undefined)
      toast(t("improvements.saved"))
      void refresh()
    },
    onError: onErr,
  })
  const move = useMutation({
    mutationFn: async (to: string) => {
      await api(`/api/v1/improvements/cycles/${cycleId}/fields`, {
        method: "PATCH",
        body: { values: payload() },
      })
      const terminal = c?.workflow.stages.find((s) => s.id === to)?.terminal
      return api<Cycle>(`/api/v1/improvements/cycles/${cycleId}/moves`, {
        method: "POST",
        body: { to, ...(terminal && closeNote.trim() ? { note: closeNote.trim() } : {}) },
      })
    },
    onSuccess: (n) => {
      setError(undefined)
      toast(
        t("improvements.moved", {
          stage: n.workflow.stages.find((s) => s.id === n.stage)?.name[lang] ?? n.stage,
        }),
      )
      void refresh()
    },
    onError: onErr,
  })
  const check = useMutation({
    mutationFn: () => api(`/api/v1/improvements/cycles/${cycleId}/check`, { method: "POST", body: {} }),
    onSuccess: () => void refresh(),
    onError: onErr,
  })
  const [decision, setDecision] = useState("standardize")
  const [target, setTarget] = useState("")
  const act = useMutation({
    mutationFn: () => {
      const targetValue = parseInUnit(unit, target)
      if (targetValue === undefined)
        throw new Error(`${t("improvements.newTarget")}: ${t("improvements.notANumber")}`)
      return api(`/api/v1/improvements/cycles/${cycleId}/act`, {
        method: "POST",
        body: {
          decision,
          ...(targetValue !== null ? { targetValue } : {}),
          ...(decision === "abandon" ? { reason: String(values.lessons ?? "") } : {}),
        },
      })
    },
    onSuccess: () => {
      setError(undefined)
      void refresh()
      void qc.invalidateQueries({ queryKey: ["standards"] })
    },
    onError: onErr,
  })
  const status = useMutation({
    mutationFn: (s: "on_hold" | "active" | "cancelled") => {
      const reason = s === "active" ? undefined : (window.prompt(t("improvements.reasonPrompt")) ?? "")
      return api(`/api/v1/improvements/cycles/${cycleId}/status`, {
        method: "POST",
        body: { status: s, ...(reason !== undefined ? { reason } : {}) },
      })
    },
    onSuccess: () => void refresh(),
    onError: onErr,
  })
  if (!c)
    return q.isLoading ? <Skeleton height={300} /> : <Callout tone="bad">{t("common.errorTitle")}</Callout>
  const stage = c.workflow.stages.find((s) => s.id === c.stage)!
  const next = c.workflow.transitions
    .filter((tr) => tr.from === c.stage)
    .map((tr) => c.workflow.stages.find((s) => s.id === tr.to)!)
  const canWrite = session.can("improvements:write") && c.status === "active"
  const props = stage.fields?.properties ?? {}
  const closesWithoutData =
    next.some((s) => s.terminal) &&
    Boolean(c.trigger.metric) &&
    (!c.check || (c.check as { verdict?: string }).verdict === "no_data")
  // what was written in the stages already left (all of them once the cycle is closed or cancelled)
  const written = c.workflow.stages.filter(
    (s) =>
      (s.id !== c.stage || stage.terminal || c.status !== "active") &&
      Object.values(c.fields[s.id] ?? {}).some((v) => v !== null && v !== undefined && v !== ""),
  )
  return (
    <div>
      <p style={{ margin: "0 0 8px" }}>
        <Link to="/improvements">← {t("improvements.title")}</Link>
      </p>
      <div style={{ display: "flex", gap: 10, alignItems: "center", flexWrap: "wrap", marginBottom: 12 }}>
        <h2 style={{ margin: 0 }}>
          <span className="t-hint">#{c.number}</span> {c.title}
        </h2>
        <Badge tone="accent">{c.workflow.name[lang] ?? c.workflow.name.en}</Badge>
        <Badge tone={c.status === "active" ? "ok" : c.status === "closed" ? undefined : "warn"}>
          {t(`improvements.statuses.${c.status}`)}
        </Badge>
        {c.stageDueAt && c.status === "active" ? (
          <span className="t-hint">{t("improvements.due", { date: fmt.date(c.stageDueAt) })}</span>
        ) : null}
      </div>
      <ol className="stages" aria-label={t("improvements.workflow")}>
        {c.workflow.stages.map((s) => (
          <li
            key={s.id}
            className={s.id === c.stage ? "stages__item stages__item--current" : "stages__item"}
            aria-current={s.id === c.stage ? "step" : undefined}
          >
            {s.name[lang] ?? s.name.en}
          </li>
        ))}
      </ol>
      <div className="case-grid">
        <div style={{ display: "flex", flexDirection: "column", gap: 16, minWidth: 0 }}>
          {!stage.terminal ? (
            <Card title={stage.name[lang] ?? stage.name.en}>
              <form
                onSubmit={(e) => {
                  e.preventDefault()
                  save.mutate()
                }}
              >
                <fieldset disabled={!canWrite} style={{ border: 0, padding: 0, margin: 0 }}>
                  {Object.entries(props).map(([k, p]) => (
                    <Field
                      key={k}
                      label={`${fieldLabel(p, k, lang)}${stage.guard?.required?.includes(k) ? " *" : ""}`}
                    >
                      {(fp) =>
                        p.enum ? (
                          <Select
                            {...fp}
                            value={String(values[k] ?? "")}
                            onChange={(e) => setValues({ ...values, [k]: e.target.value })}
                          >
                            <option value="" />
                            {p.enum.map((o) => (
                              <option key={o} value={o}>
                                {t(`improvements.decisions.${o}`, { defaultValue: o })}
                              </option>
                            ))}
                          </Select>
                        ) : p.type === "number" ? (
                          <span style={{ display: "inline-flex", gap: 4, alignItems: "center" }}>
                            <Input
                              {...fp}
                              inputMode="decimal"
                              value={texts[k] ?? ""}
                              onChange={(e) => setTexts({ ...texts, [k]: e.target.value })}
                            />
                            {p["x-unit"] === "metric" && unit === "percent" ? <span>%</span> : null}
                          </span>
                        ) : p["x-widget"] === "textarea" ? (
                          <textarea
                            {...fp}
                            className="t-input"
                            style={{ height: 70, padding: 8 }}
                            value={String(values[k] ?? "")}
                            onChange={(e) => setValues({ ...values, [k]: e.target.value })}
                          />
                        ) : (
                          <Input
                            {...fp}
                            value={String(values[k] ?? "")}
                            onChange={(e) => setValues({ ...values, [k]: e.target.value })}
                          />
                        )
                      }
                    </Field>
                  ))}
                  {closesWithoutData ? (
                    <Field label={t("improvements.closeReason")} hint={t("improvements.closeReasonHint")}>
                      {(fp) => (
                        <textarea
                          {...fp}
                          className="t-input"
                          style={{ height: 56, padding: 8 }}
                          value={closeNote}
                          onChange={(e) => setCloseNote(e.target.value)}
                          data-testid="close-reason"
                        />
                      )}
                    </Field>
                  ) : null}
                  <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
                    <Button type="submit">{t("improvements.save")}</Button>
                    {next.map((s) => (
                      <Button
                        key={s.id}
                        variant="primary"
                        onClick={() => move.mutate(s.id)}
                        disabled={move.isPending}
                      >
                        {t("improvements.moveTo", { stage: s.name[lang] ?? s.name.en })}
                      </Button>
                    ))}
                  </div>
                </fieldset>
              </form>
              {error ? (
                <div style={{ marginTop: 8 }}>
                  <Callout tone="bad">{error}</Callout>
                </div>
              ) : null}
            </Card>
          ) : null}
          {written.length ? (
            <Card title={t("improvements.stagesRecord")}>
              <div data-testid="stages-record">
                {written.map((s) => (
                  <section key={s.id} style={{ marginBottom: 12 }}>
                    <h3 style={{ margin: "0 0 4px", fontSize: 14 }}>{s.name[lang] ?? s.name.en}</h3>
                    <dl className="kv">
                      {Object.entries(c.fields[s.id] ?? {})
                        .filter(([, v]) => v !== null && v !== undefined && v !== "")
                        .map(([k, v]) => {
                          const p = s.fields?.properties?.[k]
                          return (
                            <div key={k} style={{ display: "contents" }}>
                              <dt>{fieldLabel(p, k, lang)}</dt>
                              <dd style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                                {typeof v === "number"
                                  ? p?.["x-unit"] === "metric"
                                    ? metricValue(v)
                                    : fmt.number(v)
                                  : p?.enum
                                    ? t(`improvements.decisions.${String(v)}`, { defaultValue: String(v) })
                                    : String(v)}
                              </dd>
                            </div>
                          )
                        })}
                    </dl>
                  </section>
                ))}
              </div>
            </Card>
          ) : null}
          {c.stage === "check" || c.check ? (
            <CheckPanel
              c={c}
              run={() => check.mutate()}
              busy={check.isPending}
              canRun={canWrite && c.stage === "check"}
            />
          ) : null}
          {(c.stage === "act" || c.outcome) && c.workflowId === "pdca" ? (
            <Card title={t("improvements.act")}>
              {c.outcome?.draft ? (
                <Callout>
                  <span data-testid="draft-created">
                    {t("improvements.draftCreated", {
                      label: c.outcome.draft.label,
                      version: c.outcome.draft.version,
                    })}
                  </span>{" "}
                  <Link to="/standards">{t("improvements.goStandards")}</Link>
                </Callout>
              ) : canWrite ? (
                <div style={{ display: "flex", gap: 8, alignItems: "flex-end", flexWrap: "wrap" }}>
                  <label>
                    <span className="t-label">{t("improvements.decision")} </span>
                    <Select
                      value={decision}
                      onChange={(e) => setDecision(e.target.value)}
                      data-testid="act-decision"
                    >
                      {["standardize", "adjust", "abandon"].map((d) => (
                        <option key={d} value={d}>
                          {t(`improvements.decisions.${d}`)}
                        </option>
                      ))}
                    </Select>
                  </label>
                  {decision === "standardize" && c.trigger.target !== undefined ? (
                    <label>
                      <span className="t-label">
                        {t("improvements.newTarget")}
                        {unit === "percent" ? " (%)" : ""}{" "}
                      </span>
                      <Input
                        inputMode="decimal"
                        value={target}
                        placeholder={inUnitText(unit, c.trigger.target)}
                        onChange={(e) => setTarget(e.target.value)}
                        style={{ width: 100 }}
                        data-testid="act-target"
                      />
                    </label>
                  ) : null}
                  <Button variant="primary" onClick={() => act.mutate()} disabled={act.isPending}>
                    {t("improvements.apply")}
                  </Button>
                </div>
              ) : null}
            </Card>
          ) : null}
        </div>
        <div style={{ display: "flex", flexDirection: "column", gap: 16, minWidth: 0 }}>
          <Card title={t("improvements.trigger")}>
            <p style={{ margin: 0 }}>
              <Badge>{t(`improvements.triggers.${c.trigger.kind}`)}</Badge>
            </p>
            {c.trigger.metric && c.trigger.period ? (
              <p>
                {t("improvements.breachEvidence", {
                  metric: metricName(c.trigger.metric, lang),
                  value: metricValue(c.trigger.value),
                  op: c.trigger.operator,
                  target: metricValue(c.trigger.target),
                  from: fmt.date(c.trigger.period.from),
                  to: fmt.date(c.trigger.period.to),
                })}
              </p>
            ) : null}
            {c.baseline ? (
              <p className="t-hint">
                {t("improvements.baseline")}:{" "}
                {t("improvements.baselineValue", {
                  value: metricValue(c.baseline.value),
                  n: c.baseline.n,
                  detail: c.baseline.denominator ? `, ${c.baseline.numerator}/${c.baseline.denominator}` : "",
                })}
              </p>
            ) : null}
            <div style={{ display: "flex", gap: 6, flexWrap: "wrap" }}>
              {session.can("improvements:write") && c.status === "active" ? (
                <Button size="sm" onClick={() => status.mutate("on_hold")}>
                  {t("improvements.hold")}
                </Button>
              ) : null}
              {session.can("improvements:write") && c.status === "on_hold" ? (
                <Button size="sm" onClick={() => status.mutate("active")}>
                  {t("improvements.resume")}
                </Button>
              ) : null}
              {session.can("improvements:write") && (c.status === "active" || c.status === "on_hold") ? (
                <Button size="sm" variant="danger" onClick={() => status.mutate("cancelled")}>
                  {t("improvements.cancel")}
                </Button>
              ) : null}
            </div>
          </Card>
          <Card title={t("improvements.history")}>
            <ol style={{ margin: 0, paddingLeft: 18 }}>
              {c.history.map((h) => (
                <li key={h.at + h.to}>
                  {fmt.dateTime(h.at)} ·{" "}
                  {h.from ? `${c.workflow.stages.find((s) => s.id === h.from)?.name[lang] ?? h.from} → ` : ""}
                  {c.workflow.stages.find((s) => s.id === h.to)?.name[lang] ?? h.to}
                  {h.note ? <span className="t-hint"> — {historyNote(h.note)}</span> : null}
                </li>
              ))}
            </ol>
          </Card>
        </div>
      </div>
    </div>
  )
}
