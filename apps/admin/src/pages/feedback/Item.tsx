/**
 * One feedback item. A complaint shows its ISO 10002 stages as a track, the actions it may take next
 * (acknowledge; assess severity, urgency and complexity; investigate; propose the decision and the
 * remedy; communicate it; the complainant accepts, appeals or escalates; then their satisfaction with
 * the handling), its acknowledgement and response clocks with why each is due when it is, and its
 * ledger. A suggestion or praise shows its reply clock and is answered here.
 */
import { Link, useParams } from "@tanstack/react-router"
import {
  Badge,
  Button,
  Callout,
  Card,
  EmptyState,
  ErrorState,
  Field,
  Select,
  Skeleton,
  useToast,
} from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, problemText } from "../../api/client"
import {
  type Clock,
  type ComplaintStage,
  type FeedbackItemDetail,
  type StepTarget,
  useCauses,
  useFeedbackItem,
  useRateHandling,
  useReplyToItem,
  useStepComplaint,
} from "../../api/feedback"
import { useDurations, useFormat } from "../../format"
import { useSession } from "../../session"

/** The ISO 10002 track as shown: the two closing stages are one step. */
const TRACK: ReadonlyArray<ComplaintStage> = [
  "received",
  "acknowledged",
  "assessed",
  "investigating",
  "response_proposed",
  "decision_communicated",
  "closed_accepted",
]
const CLOCK_TONE = { running: undefined, met: "ok", overdue: "warn", breached: "bad" } as const
const CLOCK_ICON = { running: "◷", met: "✓", overdue: "!", breached: "✕" } as const

/** The server's sentence on why a clock is due when it is, in the reader's language (else as given). */
export const useBasisText = () => {
  const { t } = useTranslation()
  return (basis: string) => {
    const moved = basis.includes("moved to the next opening") ? ` ${t("feedback.basis.moved")}` : ""
    const hours = /^(urgent|normal|non_urgent): (\d+) h/.exec(basis)
    if (hours)
      return (
        t("feedback.basis.hours", { urgency: t(`feedback.urgencies.${hours[1]}`), hours: Number(hours[2]) }) +
        moved
      )
    const day = /^1 business day = ([\d.]+) h/.exec(basis)
    if (day) return t("feedback.basis.businessDay", { hours: Number(day[1]) })
    if (basis.startsWith("1 day (no calendar)")) return t("feedback.basis.dayNoCalendar")
    const days = /^(simple|complex|particularly_complex): (\d+) days/.exec(basis)
    if (days)
      return (
        t("feedback.basis.days", {
          complexity: t(`feedback.complexities.${days[1]}`),
          days: Number(days[2]),
        }) + moved
      )
    return basis
  }
}

export const FeedbackItemPage = () => {
  const { t } = useTranslation()
  const { itemId } = useParams({ strict: false }) as { itemId: string }
  const q = useFeedbackItem(itemId)
  if (q.isLoading)
    return (
      <Card>
        <Skeleton height={28} width="40%" />
        <div style={{ height: 12 }} />
        <Skeleton height={160} />
      </Card>
    )
  if (q.error instanceof ApiError && q.error.status === 404)
    return (
      <Card>
        <EmptyState icon="?" title={t("feedback.item.notFound")}>
          <Link to="/feedback">{t("feedback.item.back")}</Link>
        </EmptyState>
      </Card>
    )
  if (!q.data)
    return (
      <ErrorState
        title={t("common.errorTitle")}
        onRetry={() => void q.refetch()}
        retryLabel={t("common.retry")}
      />
    )
  return <ItemView d={q.data} />
}

const ItemView = ({ d }: { d: FeedbackItemDetail }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const session = useSession()
  const canWrite = session.can("feedback:write")
  const complaint = d.kind === "complaint"
  return (
    <div>
      <p style={{ margin: "0 0 8px" }}>
        <Link to="/feedback" search={{ tab: complaint ? "complaints" : "inbox" }}>
          ← {complaint ? t("feedback.item.backComplaints") : t("feedback.item.back")}
        </Link>
      </p>
      <div style={{ display: "flex", gap: 12, alignItems: "center", flexWrap: "wrap", marginBottom: 16 }}>
        <h2 style={{ margin: 0, fontSize: 22 }}>{d.summary}</h2>
        <Badge>{t(`feedback.itemKinds.${d.kind}`)}</Badge>
        {d.stage ? (
          <Badge tone={d.stage.startsWith("closed") ? "ok" : "accent"}>
            {t(`feedback.stages.${d.stage}`)}
          </Badge>
        ) : (
          <Badge>{t(`feedback.statuses.${d.status}`)}</Badge>
        )}
        <Badge tone={d.urgency === "urgent" ? "bad" : undefined}>
          {t(`feedback.urgencies.${d.urgency}`)}
        </Badge>
        {d.repeatOf ? (
          <Link to="/feedback/items/$itemId" params={{ itemId: d.repeatOf }}>
            <Badge tone="warn">↺ {t("feedback.repeatYes")}</Badge>
          </Link>
        ) : null}
      </div>
      <div className="case-grid">
        <div style={{ display: "flex", flexDirection: "column", gap: 16, minWidth: 0 }}>
          {complaint && d.stage ? <StageTrack stage={d.stage} /> : null}
          {complaint && canWrite && d.next.length ? <StageActions d={d} /> : null}
          {complaint && d.stage?.startsWith("closed") ? <HandlingRating d={d} canWrite={canWrite} /> : null}
          {!complaint && canWrite && d.status === "open" ? <ReplyForm d={d} /> : null}
          <Card title={t("feedback.item.ledger")}>
            <ol className="timeline" data-testid="feedback-ledger">
              {[...d.ledger].reverse().map((e) => (
                <li key={e.seq} className="timeline__item">
                  <div className="timeline__head">
                    <strong>
                      {e.kind === "stage" && e.to
                        ? t(`feedback.stages.${e.to}`)
                        : t(`feedback.item.ledgerKinds.${e.kind}`, { defaultValue: e.kind })}
                    </strong>
                    {e.kind === "stage" && e.from ? (
                      <span className="t-hint">
                        {t("feedback.item.fromStage", { stage: t(`feedback.stages.${e.from}`) })}
                      </span>
                    ) : null}
                    <span className="t-hint" style={{ marginLeft: "auto" }}>
                      {fmt.dateTime(e.at)}
                    </span>
                  </div>
                  {e.note ? <div className="timeline__body">{e.note}</div> : null}
                </li>
              ))}
            </ol>
          </Card>
        </div>
        <div style={{ display: "flex", flexDirection: "column", gap: 16, minWidth: 0 }}>
          <Card title={t("feedback.clocks")}>
            <div data-testid="feedback-clocks" style={{ display: "flex", flexDirection: "column", gap: 12 }}>
              {d.clocks.map((c) => (
                <ClockView key={c.target} c={c} />
              ))}
            </div>
          </Card>
          <Details d={d} />
        </div>
      </div>
    </div>
  )
}

/** Where the complaint is on the ISO 10002 track; the step done, the one it is at, the ones to come. */
const StageTrack = ({ stage }: { stage: ComplaintStage }) => {
  const { t } = useTranslation()
  const at = stage === "closed_escalated" ? TRACK.length - 1 : TRACK.indexOf(stage)
  return (
    <Card title={t("feedback.item.track")}>
      <ol
        aria-label={t("feedback.item.track")}
        style={{ display: "flex", flexWrap: "wrap", gap: 6, listStyle: "none", margin: 0, padding: 0 }}
      >
        {TRACK.map((s, i) => {
          const shown = i === TRACK.length - 1 ? (stage === "closed_escalated" ? "closed_escalated" : s) : s
          const state = i < at || stage.startsWith("closed") ? "done" : i === at ? "current" : "todo"
          return (
            <li
              key={s}
              aria-current={state === "current" ? "step" : undefined}
              className="t-badge"
              style={{
                fontWeight: state === "current" ? 600 : 400,
                opacity: state === "todo" ? 0.6 : 1,
                background: state === "current" ? "var(--accent-soft)" : undefined,
              }}
            >
              {state === "done" ? "✓ " : state === "current" ? "● " : "○ "}
              {t(`feedback.stages.${shown}`)}
            </li>
          )
        })}
      </ol>
    </Card>
  )
}

/** The label of moving to a stage: from the decision, `investigating` is the complainant's appeal. */
const actionKey = (from: string | null, to: StepTarget) =>
  to === "investigating" && from === "decision_communicated"
    ? "appeal"
    : to === "investigating" && from === "response_proposed"
      ? "reinvestigate"
      : to

/** The fields the action form shows its errors on; any other problem is shown under the buttons. */
const SHOWN_FIELDS = ["severity", "urgency", "complexity", "decision", "remedyOffered"]

const StageActions = ({ d }: { d: FeedbackItemDetail }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const step = useStepComplaint(d.id)
  const [note, setNote] = useState("")
  const [severity, setSeverity] = useState<"low" | "medium" | "high" | "">("")
  const [urgency, setUrgency] = useState<FeedbackItemDetail["urgency"]>(d.urgency)
  const [complexity, setComplexity] = useState<"simple" | "complex" | "particularly_complex" | "">("")
  const [decision, setDecision] = useState(d.decision ?? "")
  const [remedy, setRemedy] = useState(d.remedyOffered ?? "")
  const err = step.error instanceof ApiError ? step.error : undefined
  const needsAssessment = d.next.includes("assessed")
  const needsResponse = d.next.includes("response_proposed")
  const go = (to: StepTarget) =>
    step.mutate(
      {
        to,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(to === "assessed"
          ? {
              ...(severity ? { severity } : {}),
              urgency,
              ...(complexity ? { complexity } : {}),
            }
          : {}),
        ...(to === "response_proposed" ? { decision, remedyOffered: remedy } : {}),
      },
      {
        onSuccess: () => {
          toast(t("feedback.item.stepDone", { stage: t(`feedback.stages.${to}`) }))
          setNote("")
        },
      },
    )
  return (
    <Card title={t("feedback.item.next")}>
      <div style={{ display: "grid", gap: 12 }}>
        {needsAssessment ? (
          <div
            style={{ display: "grid", gap: 8, gridTemplateColumns: "repeat(auto-fit, minmax(160px, 1fr))" }}
          >
            <Field label={t("feedback.item.severity")} error={err?.field("severity")}>
              {(p) => (
                <Select
                  {...p}
                  value={severity}
                  onChange={(e) => setSeverity(e.target.value as typeof severity)}
                >
                  <option value="">—</option>
                  {(["low", "medium", "high"] as const).map((s) => (
                    <option key={s} value={s}>
                      {t(`levels.${s}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={t("feedback.urgency")} error={err?.field("urgency")}>
              {(p) => (
                <Select {...p} value={urgency} onChange={(e) => setUrgency(e.target.value as typeof urgency)}>
                  {(["urgent", "normal", "non_urgent"] as const).map((s) => (
                    <option key={s} value={s}>
                      {t(`feedback.urgencies.${s}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={t("feedback.item.complexity")} error={err?.field("complexity")}>
              {(p) => (
                <Select
                  {...p}
                  value={complexity}
                  onChange={(e) => setComplexity(e.target.value as typeof complexity)}
                >
                  <option value="">—</option>
                  {(["simple", "complex", "particularly_complex"] as const).map((s) => (
                    <option key={s} value={s}>
                      {t(`feedback.complexities.${s}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <p className="t-hint" style={{ gridColumn: "1 / -1", margin: 0 }}>
              {t("feedback.item.assessHint")}
            </p>
          </div>
        ) : null}
        {needsResponse ? (
          <>
            <Field label={t("feedback.item.decision")} error={err?.field("decision")}>
              {(p) => (
                <textarea
                  {...p}
                  className="t-input"
                  style={{ width: "100%", height: 70, padding: 8 }}
                  value={decision}
                  onChange={(e) => setDecision(e.target.value)}
                />
              )}
            </Field>
            <Field label={t("feedback.item.remedyOffered")} error={err?.field("remedyOffered")}>
              {(p) => (
                <textarea
                  {...p}
                  className="t-input"
                  style={{ width: "100%", height: 56, padding: 8 }}
                  value={remedy}
                  onChange={(e) => setRemedy(e.target.value)}
                />
              )}
            </Field>
          </>
        ) : null}
        <Field label={t("feedback.item.note")} hint={t("feedback.item.noteHint")}>
          {(p) => (
            <textarea
              {...p}
              className="t-input"
              style={{ width: "100%", height: 56, padding: 8 }}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          )}
        </Field>
        <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
          {d.next.map((to, i) => (
            <Button
              key={to}
              variant={i === 0 ? "primary" : to === "closed_escalated" ? "danger" : "default"}
              disabled={
                step.isPending ||
                (to === "assessed" && (!severity || !complexity)) ||
                (to === "response_proposed" && (!decision.trim() || !remedy.trim()))
              }
              onClick={() => go(to)}
            >
              {t(`feedback.item.actions.${actionKey(d.stage, to)}`)}
            </Button>
          ))}
        </div>
        {err && !SHOWN_FIELDS.some((f) => err.field(f)) ? (
          <Callout tone="bad">{problemText(err)}</Callout>
        ) : null}
      </div>
    </Card>
  )
}

const HandlingRating = ({ d, canWrite }: { d: FeedbackItemDetail; canWrite: boolean }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const rate = useRateHandling(d.id)
  const [score, setScore] = useState<number | null>(null)
  return (
    <Card title={t("feedback.item.handling")}>
      <p className="t-hint" style={{ marginTop: 0 }}>
        {t("feedback.item.handlingHint")}
      </p>
      {d.handlingSatisfaction !== null ? (
        <p data-testid="handling-rating" style={{ fontSize: 20, fontWeight: 600, margin: 0 }}>
          {t("feedback.item.handlingScore", { score: d.handlingSatisfaction })}
        </p>
      ) : canWrite ? (
        <div style={{ display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap" }}>
          <fieldset style={{ border: 0, padding: 0, margin: 0, display: "flex", gap: 4 }}>
            <legend className="t-label">{t("feedback.item.handlingLegend")}</legend>
            {[1, 2, 3, 4, 5].map((s) => (
              <Button
                key={s}
                size="sm"
                variant={score === s ? "primary" : "default"}
                aria-pressed={score === s}
                onClick={() => setScore(s)}
              >
                {s}
              </Button>
            ))}
          </fieldset>
          <Button
            variant="primary"
            disabled={score === null || rate.isPending}
            onClick={() =>
              score !== null &&
              rate.mutate(score, { onSuccess: () => toast(t("feedback.item.handlingSaved")) })
            }
          >
            {t("feedback.item.handlingSave")}
          </Button>
        </div>
      ) : (
        <p className="t-hint">{t("feedback.item.handlingNone")}</p>
      )}
      {rate.error ? <Callout tone="bad">{problemText(rate.error)}</Callout> : null}
    </Card>
  )
}

const ReplyForm = ({ d }: { d: FeedbackItemDetail }) => {
  const { t, i18n } = useTranslation()
  const toast = useToast()
  const reply = useReplyToItem(d.id)
  const causes = useCauses()
  const [text, setText] = useState("")
  const [cause, setCause] = useState(d.causeCode ?? "")
  const err = reply.error instanceof ApiError ? reply.error : undefined
  const lang = i18n.language.startsWith("zh") ? "zh-CN" : "en"
  return (
    <Card title={t("feedback.item.reply")}>
      <form
        style={{ display: "grid", gap: 8 }}
        onSubmit={(e) => {
          e.preventDefault()
          reply.mutate(
            { reply: text, ...(cause ? { causeCode: cause } : {}) },
            { onSuccess: () => toast(t("feedback.item.replied")) },
          )
        }}
      >
        <Field label={t("feedback.item.replyText")} error={err?.field("reply")}>
          {(p) => (
            <textarea
              {...p}
              className="t-input"
              style={{ width: "100%", height: 80, padding: 8 }}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          )}
        </Field>
        <Field label={t("feedback.cause")} error={err?.field("causeCode")}>
          {(p) => (
            <Select {...p} value={cause} onChange={(e) => setCause(e.target.value)}>
              <option value="">{t("feedback.uncoded")}</option>
              {(causes.data?.items ?? []).map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name[lang]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {err && !err.field("reply") && !err.field("causeCode") ? (
          <Callout tone="bad">{problemText(err)}</Callout>
        ) : null}
        <div>
          <Button type="submit" variant="primary" disabled={!text.trim() || reply.isPending}>
            {t("feedback.item.sendReply")}
          </Button>
        </div>
      </form>
    </Card>
  )
}

const ClockView = ({ c }: { c: Clock }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const { duration } = useDurations()
  const basis = useBasisText()
  const [open, setOpen] = useState(false)
  const left = (new Date(c.dueAt).getTime() - Date.now()) / 1000
  return (
    <div className="ledger">
      <div style={{ display: "flex", justifyContent: "space-between", gap: 8, alignItems: "center" }}>
        <strong>{t(`feedback.clockTargets.${c.target}`)}</strong>
        <Badge tone={CLOCK_TONE[c.state]}>
          {CLOCK_ICON[c.state]} {t(`feedback.clockStates.${c.state}`)}
        </Badge>
      </div>
      <div className="t-hint">
        {c.stoppedAt
          ? t("feedback.item.stoppedAt", { time: fmt.dateTime(c.stoppedAt), due: fmt.dateTime(c.dueAt) })
          : left >= 0
            ? t("feedback.item.remaining", { time: duration(left), due: fmt.dateTime(c.dueAt) })
            : t("feedback.item.overdueBy", { time: duration(-left), due: fmt.dateTime(c.dueAt) })}
      </div>
      <button type="button" className="linkish" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {t("cases.why")}
      </button>
      {open ? <div className="why">{basis(c.basis)}</div> : null}
    </div>
  )
}

const Details = ({ d }: { d: FeedbackItemDetail }) => {
  const { t, i18n } = useTranslation()
  const fmt = useFormat()
  const causes = useCauses()
  const lang = i18n.language.startsWith("zh") ? "zh-CN" : "en"
  const cause = causes.data?.items.find((c) => c.code === d.causeCode)
  return (
    <Card title={t("cases.details")}>
      <dl className="kv">
        <dt>{t("feedback.channel")}</dt>
        <dd>{t(`channels.${d.channel}`, { defaultValue: d.channel })}</dd>
        <dt>{t("feedback.receivedAt")}</dt>
        <dd>{fmt.dateTime(d.receivedAt)}</dd>
        <dt>{t("feedback.cause")}</dt>
        <dd>{cause ? cause.name[lang] : (d.causeCode ?? t("feedback.uncoded"))}</dd>
        <dt>{t("feedback.case")}</dt>
        <dd>
          {d.caseId ? (
            <Link to="/cases/$caseId" params={{ caseId: d.caseId }}>
              {t("feedback.openCase")}
            </Link>
          ) : (
            "—"
          )}
        </dd>
        {d.kind === "complaint" ? (
          <>
            <dt>{t("feedback.item.remedySought")}</dt>
            <dd>{d.remedySought ?? "—"}</dd>
            <dt>{t("feedback.item.severity")}</dt>
            <dd>{d.severity ? t(`levels.${d.severity}`) : "—"}</dd>
            <dt>{t("feedback.item.complexity")}</dt>
            <dd>{d.complexity ? t(`feedback.complexities.${d.complexity}`) : "—"}</dd>
            <dt>{t("feedback.item.decision")}</dt>
            <dd>{d.decision ?? "—"}</dd>
            <dt>{t("feedback.item.remedyOffered")}</dt>
            <dd>{d.remedyOffered ?? "—"}</dd>
            <dt>{t("feedback.item.accepted")}</dt>
            <dd>
              {d.accepted === null
                ? "—"
                : d.accepted
                  ? t("feedback.item.acceptedYes")
                  : t("feedback.item.acceptedNo")}
            </dd>
          </>
        ) : (
          <>
            <dt>{t("feedback.item.reply")}</dt>
            <dd>{d.reply ?? "—"}</dd>
          </>
        )}
      </dl>
      {d.details ? (
        <p style={{ whiteSpace: "pre-wrap", marginBottom: 0 }}>
          <span className="t-label">{t("feedback.item.details")}</span>
          <br />
          {d.details}
        </p>
      ) : null}
    </Card>
  )
}
