import { Link, useParams } from "@tanstack/react-router"
import {
  Badge,
  Button,
  Callout,
  Card,
  EmptyState,
  ErrorState,
  Field,
  Input,
  Select,
  Skeleton,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import { type CaseDetail, type LedgerEntry, useCase, useCaseAction } from "../../api/process"
import { useDurations, useFormat } from "../../format"
import { useSession } from "../../session"
import { CaseIncidents } from "../risk/CaseIncidents"
import { AssignPanel } from "./Assign"
import { CustomerPii } from "./CustomerPii"
import { RecordPanel } from "./RecordPanel"
import { PriorityBadge, SlaBadge, StatusBadge, useVocabLabel } from "./shared"

export const CaseDetailPage = () => {
  const { t } = useTranslation()
  const { caseId } = useParams({ strict: false }) as { caseId: string }
  const detail = useCase(caseId)
  if (detail.isLoading)
    return (
      <Card>
        <Skeleton height={28} width="40%" />
        <div style={{ height: 12 }} />
        <Skeleton height={160} />
      </Card>
    )
  if (detail.error instanceof ApiError && detail.error.status === 404)
    return (
      <Card>
        <EmptyState icon="?" title={t("cases.notFound")}>
          <Link to="/cases">{t("cases.back")}</Link>
        </EmptyState>
      </Card>
    )
  if (!detail.data)
    return (
      <ErrorState
        title={t("common.errorTitle")}
        onRetry={() => void detail.refetch()}
        retryLabel={t("common.retry")}
      />
    )
  return <CaseView d={detail.data} />
}

const CaseView = ({ d }: { d: CaseDetail }) => {
  const { t } = useTranslation()
  const vocabLabel = useVocabLabel()
  const fmt = useFormat()
  const session = useSession()
  const c = d.case
  const canWrite = session.can("cases:write")
  return (
    <div>
      <p style={{ margin: "0 0 8px" }}>
        <Link to="/cases">← {t("cases.back")}</Link>
      </p>
      <div style={{ display: "flex", gap: 12, alignItems: "center", flexWrap: "wrap", marginBottom: 16 }}>
        <h2 style={{ margin: 0, fontSize: 22 }}>
          <span className="t-hint">#{c.number}</span> {c.subject}
        </h2>
        <StatusBadge status={c.status} />
        <PriorityBadge priority={c.priority} />
        <SlaBadge state={c.slaState} dueAt={c.nextDueAt} />
        {c.repeatOf ? <Badge tone="warn">↺ {t("eventKinds.repeat_detected")}</Badge> : null}
        {c.reopenCount > 0 ? (
          <Badge tone="warn">{t("cases.reopened", { count: c.reopenCount })}</Badge>
        ) : null}
      </div>
      <div className="case-grid">
        <div style={{ display: "flex", flexDirection: "column", gap: 16, minWidth: 0 }}>
          {canWrite ? <Transitions d={d} /> : null}
          {canWrite && c.status !== "closed" ? <Composer caseId={c.id} /> : null}
          <Card title={t("cases.timeline")}>
            <ol className="timeline">
              {[...d.events].reverse().map((e) => (
                <li key={e.id} className={`timeline__item timeline__item--${e.direction ?? "internal"}`}>
                  <div className="timeline__head">
                    <strong>{t(`eventKinds.${e.kind}`, { defaultValue: e.kind })}</strong>
                    {e.kind === "transition" || e.kind === "reopened" ? (
                      <span>
                        {t(`statuses.${e.data.from as string}`)} → {t(`statuses.${e.data.to as string}`)}
                      </span>
                    ) : null}
                    {e.kind === "sla_breach" || e.kind === "sla_warning" || e.kind === "escalation" ? (
                      <span>{t(`targets.${e.data.target as string}`)}</span>
                    ) : null}
                    {e.kind === "escalation" ? (
                      <span>
                        · L{String(e.data.level)} {t(`policies.actions.${e.data.action as string}`)}
                      </span>
                    ) : null}
                    {e.channel ? <span className="t-hint">{t(`channels.${e.channel}`)}</span> : null}
                    {e.direction === "inbound" ? <Badge>{t("cases.inbound")}</Badge> : null}
                    <span className="t-hint" style={{ marginLeft: "auto" }}>
                      {fmt.dateTime(e.at)}
                    </span>
                  </div>
                  {e.content ? <div className="timeline__body">{e.content}</div> : null}
                  {e.participants?.length ? (
                    <div className="t-hint">
                      {t("cases.participants")}: {e.participants.join(t("cases.record.separator"))}
                    </div>
                  ) : null}
                </li>
              ))}
            </ol>
          </Card>
        </div>
        <div style={{ display: "flex", flexDirection: "column", gap: 16, minWidth: 0 }}>
          <SlaPanel d={d} />
          {canWrite && c.status !== "closed" ? <RecordPanel d={d} /> : null}
          {canWrite && c.status !== "closed" ? (
            <Card title={t("cases.assign.title")}>
              <AssignPanel caseId={c.id} ownerId={c.ownerId} team={c.team} />
            </Card>
          ) : null}
          <Card title={t("cases.details")}>
            <dl className="kv">
              <dt>{t("cases.customer")}</dt>
              <dd>{d.customer ? <CustomerPii customer={d.customer} /> : "—"}</dd>
              <dt>{t("cases.type")}</dt>
              <dd>{vocabLabel("type", c.type)}</dd>
              <dt>{t("cases.channel")}</dt>
              <dd>{t(`channels.${c.channel}`)}</dd>
              <dt>{t("cases.category")}</dt>
              <dd>{vocabLabel("category", c.category)}</dd>
              <dt>{t("cases.record.recordedAt")}</dt>
              <dd data-testid="recorded-at">
                {c.recordedAt ? fmt.dateTime(c.recordedAt) : t("cases.record.incomplete")}
              </dd>
              <dt>{t("cases.urgency")}</dt>
              <dd>
                {t(`levels.${c.urgency}`)} × {t("cases.impact")} {t(`levels.${c.impact}`)} →{" "}
                {c.priority.toUpperCase()}
              </dd>
              <dt>{t("cases.team")}</dt>
              <dd>
                {c.team ?? "—"} · {c.tier}
              </dd>
              <dt>{t("cases.received")}</dt>
              <dd>{fmt.dateTime(c.receivedAt)}</dd>
              <dt>{t("cases.policy")}</dt>
              <dd>
                {d.policy
                  ? t("cases.policyVersion", { name: d.policy.name, version: d.policy.version })
                  : t("cases.noPolicy")}
              </dd>
              {d.policy ? (
                <>
                  <dt>{t("cases.calendar")}</dt>
                  <dd>{d.policy.calendar.name}</dd>
                </>
              ) : null}
            </dl>
          </Card>
          {d.followUps.length ? <FollowUps d={d} /> : null}
          <CaseIncidents caseId={c.id} />
        </div>
      </div>
    </div>
  )
}

const Transitions = ({ d }: { d: CaseDetail }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const actions = useCaseAction(d.case.id)
  const [reason, setReason] = useState("")
  const err = actions.transition.error instanceof ApiError ? actions.transition.error : undefined
  return (
    <Card>
      <div style={{ display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap" }}>
        <span className="t-label">{t("cases.move")}:</span>
        {d.allowedTransitions.map((to) => (
          <Button
            key={to}
            size="sm"
            variant={to === "resolved" ? "primary" : "default"}
            disabled={actions.transition.isPending}
            onClick={() =>
              actions.transition.mutate(
                {
                  to,
                  ...(reason ? { reason } : {}),
                  ...(to === "resolved" ? { resolutionCode: "fixed" } : {}),
                },
                {
                  onSuccess: () => {
                    toast(t("cases.transitionDone", { status: t(`statuses.${to}`) }))
                    setReason("")
                  },
                },
              )
            }
          >
            {t(`statuses.${to}`)}
          </Button>
        ))}
        <Input
          aria-label={t("cases.reason")}
          placeholder={t("cases.reason")}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          style={{ flex: 1, minWidth: 160 }}
        />
      </div>
      {err ? (
        <div style={{ marginTop: 8 }}>
          <Callout tone="bad">{err.field("to") ?? err.detail ?? err.title}</Callout>
        </div>
      ) : null}
    </Card>
  )
}

const Composer = ({ caseId }: { caseId: string }) => {
  const { t } = useTranslation()
  const actions = useCaseAction(caseId)
  const [mode, setMode] = useState<"reply" | "note" | "inbound">("reply")
  const [text, setText] = useState("")
  const [participants, setParticipants] = useState("")
  const pending = actions.reply.isPending || actions.note.isPending
  const err =
    (actions.reply.error ?? actions.note.error) instanceof ApiError
      ? ((actions.reply.error ?? actions.note.error) as ApiError)
      : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const done = {
      onSuccess: () => {
        setText("")
        setParticipants("")
      },
    }
    // who took part besides the agent (names separated by commas or 、)
    const people = participants
      .split(/[,，、]/)
      .map((x) => x.trim())
      .filter(Boolean)
    if (mode === "note") actions.note.mutate({ content: text }, done)
    else
      actions.reply.mutate(
        {
          content: text,
          direction: mode === "inbound" ? "inbound" : "outbound",
          ...(people.length ? { participants: people } : {}),
        },
        done,
      )
  }
  return (
    <Card>
      <form onSubmit={submit}>
        <div style={{ display: "flex", gap: 6, marginBottom: 8 }} role="tablist">
          {(["reply", "note", "inbound"] as const).map((m) => (
            <Button
              key={m}
              size="sm"
              variant={mode === m ? "primary" : "ghost"}
              role="tab"
              aria-selected={mode === m}
              onClick={() => setMode(m)}
            >
              {t(`cases.${m}`)}
            </Button>
          ))}
        </div>
        <textarea
          className="t-input"
          aria-label={t(`cases.${mode}`)}
          style={{ width: "100%", height: 90, padding: 8 }}
          placeholder={mode === "note" ? t("cases.notePlaceholder") : t("cases.replyPlaceholder")}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) submit(e as unknown as FormEvent)
          }}
          aria-invalid={Boolean(err?.field("content"))}
        />
        {err ? <span className="t-error-text">{err.field("content") ?? err.detail}</span> : null}
        {mode === "note" ? null : (
          <Field
            label={t("cases.participants")}
            hint={t("cases.participantsHint")}
            error={err?.field("participants")}
          >
            {(p) => <Input {...p} value={participants} onChange={(e) => setParticipants(e.target.value)} />}
          </Field>
        )}
        <div style={{ display: "flex", justifyContent: "flex-end", marginTop: 8 }}>
          <Button type="submit" variant="primary" disabled={pending || !text.trim()}>
            {mode === "note" ? t("cases.addNote") : t("cases.send")}
          </Button>
        </div>
      </form>
    </Card>
  )
}

const SlaPanel = ({ d }: { d: CaseDetail }) => {
  const { t } = useTranslation()
  if (!d.policy) return <Card title={t("cases.slaPanel")}>{t("cases.noPolicy")}</Card>
  return (
    <Card title={t("cases.slaPanel")}>
      <div data-testid="sla-panel" style={{ display: "flex", flexDirection: "column", gap: 12 }}>
        {d.ledger.map((l) => (
          <LedgerItem key={`${l.target}-${l.seq}`} l={l} tz={d.policy!.calendar.timeZone} />
        ))}
      </div>
    </Card>
  )
}

const LedgerItem = ({ l }: { l: LedgerEntry; tz: string }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const { duration } = useDurations()
  const [open, setOpen] = useState(false)
  const e = l.explanation
  const state =
    l.status === "running"
      ? l.dueAt && new Date(l.dueAt) < new Date()
        ? "breached"
        : "ok"
      : l.status === "paused"
        ? "paused"
        : l.status
  const lastPause = l.pauses.at(-1)
  return (
    <div className="ledger">
      <div style={{ display: "flex", justifyContent: "space-between", gap: 8, alignItems: "center" }}>
        <strong>
          {t(`targets.${l.target}`)}
          {l.seq > 1 ? ` #${l.seq}` : ""}
        </strong>
        <SlaBadge state={state as never} />
      </div>
      <div className="t-hint">
        {t("cases.consumed", { used: duration(e.consumedSeconds), target: duration(l.targetSeconds) })}
        {" · "}
        {l.stoppedAt
          ? l.status === "met"
            ? t("cases.metAt", { time: fmt.dateTime(l.stoppedAt) })
            : t("cases.breachedAt", { time: fmt.dateTime(l.breachedAt ?? l.stoppedAt) })
          : l.status === "paused" && lastPause
            ? t("cases.pausedSince", {
                time: fmt.dateTime(lastPause.from),
                reason: t(`statuses.${lastPause.reason}`, { defaultValue: lastPause.reason }),
              })
            : e.remainingSeconds >= 0
              ? `${t("cases.remaining", { time: duration(e.remainingSeconds) })} · ${t("cases.dueAt", { time: fmt.dateTime(l.dueAt) })}`
              : `${t("cases.overdueBy", { time: duration(-e.remainingSeconds) })} · ${t("cases.dueAt", { time: fmt.dateTime(l.dueAt) })}`}
      </div>
      <button type="button" className="linkish" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {t("cases.why")}
      </button>
      {open ? (
        <div className="why">
          <div className="t-label">{t("cases.periods")}</div>
          {e.periods.length ? (
            <ul>
              {e.periods.slice(0, 12).map((p) => (
                <li key={p.start}>
                  {fmt.dateTime(p.start)} – {fmt.dateTime(p.end)} ({duration(p.seconds)})
                </li>
              ))}
              {e.periods.length > 12 ? <li>…</li> : null}
            </ul>
          ) : (
            <p className="t-hint">{t("cases.noPeriods")}</p>
          )}
          {e.days.length ? (
            <>
              <div className="t-label">{t("cases.skippedDays")}</div>
              <ul>
                {e.days.slice(0, 20).map((x) => (
                  <li key={x.date}>
                    {fmt.date(`${x.date}T12:00:00Z`)} · {t(`dayKinds.${x.kind}`)}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}

const FollowUps = ({ d }: { d: CaseDetail }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const actions = useCaseAction(d.case.id)
  const [outcome, setOutcome] = useState("")
  return (
    <Card title={t("cases.followUps")}>
      <ul
        style={{ listStyle: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: 8 }}
      >
        {d.followUps.map((f) => (
          <li key={f.id} style={{ display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap" }}>
            <span style={{ flex: 1 }}>
              {t(`followUpKinds.${f.kind}`)} · {t("cases.dueAt", { time: fmt.dateTime(f.dueAt) })}
              {f.doneAt ? <span className="t-hint"> ✓ {f.outcome}</span> : null}
            </span>
            {!f.doneAt ? (
              <>
                <Select
                  aria-label={t("cases.outcome")}
                  value={outcome}
                  onChange={(e) => setOutcome(e.target.value)}
                >
                  <option value="">{t("cases.outcome")}</option>
                  <option value="confirmed">✓</option>
                  <option value="not_reached">—</option>
                </Select>
                <Button
                  size="sm"
                  disabled={!outcome}
                  onClick={() => actions.completeFollowUp.mutate({ followUpId: f.id, outcome })}
                >
                  {t("cases.complete")}
                </Button>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </Card>
  )
}
