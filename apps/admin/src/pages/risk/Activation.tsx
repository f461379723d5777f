/**
 * An activation, usable on a phone during an outage: the checklist with deadlines, a form to record what
 * happened (when it happened; Tenet keeps when and by whom it was recorded), the timeline, and closing.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { useParams } from "@tanstack/react-router"
import {
  Badge,
  Button,
  Card,
  ErrorState,
  Field,
  Input,
  PageHeader,
  Select,
  Skeleton,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, issueText } from "../../api/client"
import { useFormat } from "../../format"
import { useActivation } from "./model"

/** Inputs as wide as the card and no wider (a phone during an outage). */
const FULL = { width: "100%", maxWidth: "100%", boxSizing: "border-box" } as const

const localInput = (d: Date) =>
  new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)

export const ActivationPage = () => {
  const { activationId } = useParams({ from: "/app/risk/activations/$activationId" })
  const { t } = useTranslation()
  const f = useFormat()
  const toast = useToast()
  const qc = useQueryClient()
  const act = useActivation(activationId)
  const [note, setNote] = useState("")
  const [stepId, setStepId] = useState("")
  const [happenedAt, setHappenedAt] = useState(localInput(new Date()))
  const [summary, setSummary] = useState("")
  const [error, setError] = useState<string | null>(null)
  const refresh = () => qc.invalidateQueries({ queryKey: ["risk"] })
  const fail = (e: unknown) =>
    setError(
      e instanceof ApiError ? e.fieldErrors.map((i) => issueText(i)).join("; ") || e.text() : String(e),
    )
  const record = useMutation({
    mutationFn: () =>
      api(`/api/v1/risk/activations/${activationId}/entries`, {
        method: "POST",
        body: { note, ...(stepId ? { stepId } : {}), happenedAt: new Date(happenedAt).toISOString() },
      }),
    onSuccess: () => {
      setNote("")
      setStepId("")
      setError(null)
      toast(t("risk.activation.recorded"))
      refresh()
    },
    onError: fail,
  })
  const close = useMutation({
    mutationFn: () =>
      api(`/api/v1/risk/activations/${activationId}/close`, {
        method: "POST",
        body: { review: { summary, whatWorked: "", whatFailed: "", actions: [] }, cycleWorkflowId: "pdca" },
      }),
    onSuccess: () => {
      toast(t("risk.activation.closed"))
      refresh()
    },
    onError: fail,
  })
  if (act.isLoading) return <Skeleton height={320} />
  if (act.error || !act.data) return <ErrorState title={t("risk.loadError")} />
  const a = act.data
  const submit = (e: FormEvent) => {
    e.preventDefault()
    record.mutate()
  }
  return (
    <div style={{ maxWidth: 720 }}>
      <PageHeader title={a.plan.title} description={`${a.reason} · ${f.dateTime(a.startedAt)}`} />
      <Badge tone={a.status === "active" ? "bad" : "ok"}>{t(`risk.activation.status.${a.status}`)}</Badge>
      {error ? (
        <p role="alert" className="t-error">
          {error}
        </p>
      ) : null}
      <Card>
        <h2 style={{ fontSize: 16 }}>{t("risk.activation.checklist")}</h2>
        <ul style={{ listStyle: "none", padding: 0 }} data-testid="checklist">
          {a.checklist.map((s) => (
            <li key={s.id} style={{ padding: "8px 0", borderBottom: "1px solid var(--t-border, #ddd)" }}>
              <span aria-hidden>{s.doneAt ? "✓" : "○"}</span> {s.title}{" "}
              <span className="t-hint">({s.role})</span>
              <div className="t-hint">
                {t("risk.activation.due")}: {f.dateTime(s.dueAt)}
                {s.doneAt ? ` · ${t("risk.activation.done")}: ${f.dateTime(s.doneAt)}` : ""}{" "}
                {s.late ? <Badge tone="bad">{t("risk.activation.late")}</Badge> : null}
              </div>
            </li>
          ))}
        </ul>
      </Card>
      {a.status === "active" ? (
        <Card>
          <form onSubmit={submit} style={{ display: "grid", gap: 8 }}>
            <h2 style={{ fontSize: 16 }}>{t("risk.activation.record")}</h2>
            <Field label={t("risk.activation.note")}>
              {(p) => (
                <Input {...p} style={FULL} value={note} onChange={(e) => setNote(e.target.value)} required />
              )}
            </Field>
            <Field label={t("risk.activation.step")}>
              {(p) => (
                <Select {...p} style={FULL} value={stepId} onChange={(e) => setStepId(e.target.value)}>
                  <option value="">{t("risk.activation.noStep")}</option>
                  {a.checklist.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.title}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={t("risk.activation.happenedAt")} hint={t("risk.activation.happenedHint")}>
              {(p) => (
                <Input
                  {...p}
                  type="datetime-local"
                  value={happenedAt}
                  onChange={(e) => setHappenedAt(e.target.value)}
                />
              )}
            </Field>
            <Button type="submit" variant="primary" disabled={record.isPending}>
              {t("risk.activation.save")}
            </Button>
          </form>
        </Card>
      ) : null}
      <Card>
        <h2 style={{ fontSize: 16 }}>{t("risk.activation.timeline")}</h2>
        <ol data-testid="timeline">
          {a.timeline.map((e) => (
            <li key={e.id}>
              <strong>{f.dateTime(e.happenedAt)}</strong> {e.note}
              <div className="t-hint">
                {t("risk.activation.recordedBy", { at: f.dateTime(e.recordedAt), who: e.recordedBy })}
                {e.recordedLate ? ` · ${t("risk.activation.afterTheFact")}` : ""}
              </div>
            </li>
          ))}
        </ol>
      </Card>
      {a.status === "active" ? (
        <Card>
          <h2 style={{ fontSize: 16 }}>{t("risk.activation.close")}</h2>
          <Field label={t("risk.activation.summary")} hint={t("risk.activation.closeHint")}>
            {(p) => (
              <Input {...p} style={FULL} value={summary} onChange={(e) => setSummary(e.target.value)} />
            )}
          </Field>
          <Button
            variant="primary"
            disabled={!summary.trim() || close.isPending}
            onClick={() => close.mutate()}
          >
            {t("risk.activation.closeAction")}
          </Button>
        </Card>
      ) : a.review ? (
        <Card>
          <h2 style={{ fontSize: 16 }}>{t("risk.activation.review")}</h2>
          <p>{a.review.summary}</p>
          {a.cycleId ? <p className="t-hint">{t("risk.activation.cycle", { id: a.cycleId })}</p> : null}
        </Card>
      ) : null}
    </div>
  )
}
