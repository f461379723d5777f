import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Link, useNavigate, useParams } from "@tanstack/react-router"
import {
  Badge,
  Button,
  Callout,
  Card,
  Dialog,
  DialogActions,
  EmptyState,
  Field,
  Input,
  PageHeader,
  Select,
  Skeleton,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, getCurrentOrg, issueText } from "../api/client"
import { DocumentImport } from "../components/DocumentImport"
import { useFormat } from "../format"
import { useSession } from "../session"

type L10n = Record<string, string>
interface Stage {
  id: string
  name: L10n
  terminal?: boolean
  dueInDays?: number
  fields?: {
    properties?: Record<string, { type?: string; title?: string; enum?: string[]; "x-widget"?: string }>
    required?: string[]
  }
  guard?: { required?: string[]; approverRole?: string }
}
interface Workflow {
  id: string
  name: L10n
  stages: Stage[]
  transitions: Array<{ from: string; to: string }>
  triggers: string[]
  plugin?: string
  source?: "plugin" | "library"
}
interface Measurement {
  from: string
  to: string
  value: number | null
  numerator?: number
  denominator?: number
  n: number
}
interface Cycle {
  id: string
  number: number
  workflowId: string
  workflow: Workflow
  title: string
  stage: string
  status: "active" | "on_hold" | "cancelled" | "closed"
  statusReason: string | null
  trigger: {
    kind: string
    metric?: string
    value?: number | null
    target?: number
    operator?: string
    period?: { from: string; to: string }
    standardId?: string
    requirementId?: string
  }
  fields: Record<string, Record<string, unknown>>
  baseline: Measurement | null
  check: null | {
    baseline: Measurement
    after: Measurement
    test: { statistic: number; pValue: number } | null
    verdict: string
    metric: { unit: string }
  }
  outcome: null | {
    decision: string
    draft?: { version: number; label: string; standardId: string }
    reason?: string
  }
  stageDueAt: string | null
  history: Array<{ at: string; by: string; from: string | null; to: string; note?: string }>
  updatedAt: string
}

const pct = (lang: string, v: number | null | undefined) =>
  v === null || v === undefined
    ? "—"
    : new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 }).format(v)

export const ImprovementsPage = () => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const session = useSession()
  const cycles = useQuery({
    queryKey: ["cycles", getCurrentOrg()],
    queryFn: () => api<{ items: Cycle[] }>("/api/v1/improvements/cycles"),
  })
  const workflows = useQuery({
    queryKey: ["workflows", getCurrentOrg()],
    queryFn: () => api<{ items: Workflow[] }>("/api/v1/improvements/workflows"),
  })
  const [newOpen, setNewOpen] = useState(false)
  const groups = new Map<string, Cycle[]>()
  for (const c of cycles.data?.items ?? []) groups.set(c.workflowId, [...(groups.get(c.workflowId) ?? []), c])
  return (
    <>
      <PageHeader
        title={t("improvements.title")}
        description={t("improvements.description")}
        actions={
          session.can("improvements:write") ? (
            <Button variant="primary" onClick={() => setNewOpen(true)}>
              {t("improvements.newIdea")}
            </Button>
          ) : null
        }
      />
      {cycles.isLoading ? <Skeleton height={200} /> : null}
      {cycles.data?.items.length === 0 ? (
        <Card>
          <EmptyState title={t("improvements.empty")} />
        </Card>
      ) : null}
      {[...groups.entries()].map(([wid, list]) => {
        const wf = list[0]!.workflow
        return (
          <section key={wid} style={{ marginBottom: 24 }}>
            <h2 style={{ fontSize: 18 }}>
              {t("improvements.board")} · {wf.name[lang] ?? wf.name.en}
            </h2>
            <div className="board" data-testid={`board-${wid}`}>
              {wf.stages.map((s) => (
                <div key={s.id} className="board__col">
                  <div className="board__head">
                    {s.name[lang] ?? s.name.en}{" "}
                    <span className="t-hint">{list.filter((c) => c.stage === s.id).length}</span>
                  </div>
                  {list
                    .filter((c) => c.stage === s.id)
                    .map((c) => (
                      <Link
                        key={c.id}
                        to="/improvements/$cycleId"
                        params={{ cycleId: c.id }}
                        className="board__card"
                      >
                        <span className="t-hint">#{c.number}</span> {c.title}
                        <div style={{ marginTop: 4, display: "flex", gap: 4, flexWrap: "wrap" }}>
                          <Badge>{t(`improvements.triggers.${c.trigger.kind}`)}</Badge>
                          {c.status !== "active" ? (
                            <Badge tone={c.status === "closed" ? "ok" : "warn"}>
                              {t(`improvements.statuses.${c.status}`)}
                            </Badge>
                          ) : null}
                        </div>
                      </Link>
                    ))}
                </div>
              ))}
            </div>
          </section>
        )
      })}
      <WorkflowLibrary workflows={workflows.data?.items ?? []} />
      {newOpen ? (
        <NewCycle workflows={workflows.data?.items ?? []} onClose={() => setNewOpen(false)} />
      ) : null}
    </>
  )
}

/** The workflows cycles can run (from plugins and imported as data), and the import of a definition. */
const WorkflowLibrary = ({ workflows }: { workflows: Workflow[] }) => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const session = useSession()
  const toast = useToast()
  const qc = useQueryClient()
  return (
    <section style={{ marginTop: 24 }}>
      <h2 style={{ fontSize: 18 }}>{t("improvements.workflows")}</h2>
      <Card>
        <table className="t-table" data-testid="workflow-list">
          <thead>
            <tr>
              <th scope="col">{t("improvements.workflowName")}</th>
              <th scope="col">ID</th>
              <th scope="col">{t("improvements.workflowStages")}</th>
              <th scope="col">{t("improvements.workflowSource")}</th>
            </tr>
          </thead>
          <tbody>
            {workflows.map((w) => (
              <tr key={w.id}>
                <td>{w.name[lang] ?? w.name.en ?? w.name["zh-CN"]}</td>
                <td>
                  <code className="t-code">{w.id}</code>
                </td>
                <td>{w.stages.map((s) => s.name[lang] ?? s.name.en ?? s.name["zh-CN"]).join(" → ")}</td>
                <td>
                  {w.source === "library" ? (
                    <Badge tone="accent">{t("improvements.sourceLibrary")}</Badge>
                  ) : (
                    <Badge>{t("improvements.sourcePlugin", { plugin: w.plugin ?? "" })}</Badge>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      {session.can("improvements:manage") ? (
        <div style={{ marginTop: 16 }}>
          <DocumentImport<{ id: string; version: string; replaced: boolean }>
            testId="workflow-import"
            title={t("improvements.importWorkflow")}
            hint={t("improvements.importWorkflowHint")}
            path="/api/v1/improvements/workflows/import"
            onImported={(r) => {
              toast(
                t(r.replaced ? "improvements.workflowReplaced" : "improvements.workflowImported", {
                  id: r.id,
                  version: r.version,
                }),
              )
              void qc.invalidateQueries({ queryKey: ["workflows"] })
            }}
          />
        </div>
      ) : null}
    </section>
  )
}

const NewCycle = ({ workflows, onClose }: { workflows: Workflow[]; onClose: () => void }) => {
  const { t, i18n } = useTranslation()
  const navigate = useNavigate()
  const [title, setTitle] = useState("")
  const [workflowId, setWorkflowId] = useState(workflows[0]?.id ?? "pdca")
  const open = useMutation({
    mutationFn: () =>
      api<Cycle>("/api/v1/improvements/cycles", {
        method: "POST",
        body: { workflowId, title, kind: "idea" },
      }),
    onSuccess: (c) => void navigate({ to: "/improvements/$cycleId", params: { cycleId: c.id } }),
  })
  const err = open.error instanceof ApiError ? open.error : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    open.mutate()
  }
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title={t("improvements.newIdea")}>
      <form onSubmit={submit}>
        <Field label={t("improvements.titleLabel")} error={err?.field("title")}>
          {(p) => <Input {...p} value={title} onChange={(e) => setTitle(e.target.value)} autoFocus />}
        </Field>
        <Field label={t("improvements.workflow")} error={err?.field("workflowId") ?? err?.field("trigger")}>
          {(p) => (
            <Select {...p} value={workflowId} onChange={(e) => setWorkflowId(e.target.value)}>
              {workflows
                .filter((w) => w.triggers.includes("idea"))
                .map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name[i18n.language] ?? w.name.en}
                  </option>
                ))}
            </Select>
          )}
        </Field>
        <DialogActions>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="primary">
            {t("common.create")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}

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
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: ["cycle"] }),
      qc.invalidateQueries({ queryKey: ["cycles"] }),
    ])
  const [values, setValues] = useState<Record<string, unknown>>({})
  useEffect(() => {
    if (c) setValues(c.fields[c.stage] ?? {})
  }, [c?.id, c?.stage, c])
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
      api(`/api/v1/improvements/cycles/${cycleId}/fields`, { method: "PATCH", body: { values } }),
    onSuccess: () => {
      setError(undefined)
      toast(t("improvements.saved"))
      void refresh()
    },
    onError: onErr,
  })
  const move = useMutation({
    mutationFn: async (to: string) => {
      await api(`/api/v1/improvements/cycles/${cycleId}/fields`, { method: "PATCH", body: { values } })
      return api<Cycle>(`/api/v1/improvements/cycles/${cycleId}/moves`, { method: "POST", body: { to } })
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
    mutationFn: () =>
      api(`/api/v1/improvements/cycles/${cycleId}/act`, {
        method: "POST",
        body: {
          decision,
          ...(target ? { targetValue: Number(target) } : {}),
          ...(decision === "abandon" ? { reason: String(values.lessons ?? "") } : {}),
        },
      }),
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
                    <Field key={k} label={`${p.title ?? k}${stage.guard?.required?.includes(k) ? " *" : ""}`}>
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
                          <Input
                            {...fp}
                            inputMode="decimal"
                            value={values[k] === undefined ? "" : String(values[k])}
                            onChange={(e) =>
                              setValues({
                                ...values,
                                [k]: e.target.value === "" ? null : Number(e.target.value),
                              })
                            }
                          />
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
                      <span className="t-label">{t("improvements.newTarget")} </span>
                      <Input
                        inputMode="decimal"
                        value={target}
                        placeholder={String(c.trigger.target)}
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
                  metric: c.trigger.metric,
                  value: pct(lang, c.trigger.value),
                  op: c.trigger.operator,
                  target: pct(lang, c.trigger.target),
                  from: fmt.date(c.trigger.period.from),
                  to: fmt.date(c.trigger.period.to),
                })}
              </p>
            ) : null}
            {c.baseline ? (
              <p className="t-hint">
                {t("improvements.baseline")}:{" "}
                {t("improvements.baselineValue", {
                  value: pct(lang, c.baseline.value),
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
                  {h.note ? <span className="t-hint"> — {h.note}</span> : null}
                </li>
              ))}
            </ol>
          </Card>
        </div>
      </div>
    </div>
  )
}

const CheckPanel = ({
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
  const { t, i18n } = useTranslation()
  const fmt = useFormat()
  const lang = i18n.language
  const r = c.check
  const row = (label: string, m: Measurement) => (
    <tr>
      <th scope="row">{label}</th>
      <td>{pct(lang, m.value)}</td>
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
