/** The incident register with its regulatory notification clocks counting down. */
import { Link } from "@tanstack/react-router"
import {
  Badge,
  Button,
  Callout,
  Card,
  EmptyState,
  ErrorState,
  Skeleton,
  TextField,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { type ApiError, issueText } from "../../api/client"
import { useDurations, useFormat } from "../../format"
import { useSession } from "../../session"
import { errorOf, useRiskPost } from "./Forms"
import { NoticeActions, ProgressButton } from "./IncidentActions"
import { NewIncidentButton } from "./IncidentForm"
import { DL } from "./Layout"
import { caseRefs, type Incident, useIncidents } from "./model"

/** What was wrong with the cases sent, each named by the number or id that was typed. */
/** Under two days: a running clock (hh:mm:ss); beyond: the duration in words. */
const clock = (ms: number, words: (seconds: number) => string) => {
  if (ms >= 48 * 3_600_000) return words(ms / 1000)
  const s = Math.floor(ms / 1000)
  const pad = (n: number) => String(n).padStart(2, "0")
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`
}

const CaseProblems = ({ error, sent }: { error: ApiError | undefined; sent: ReadonlyArray<string> }) =>
  error ? (
    <Callout tone="bad">
      {error.fieldErrors.length
        ? error.fieldErrors
            .map((e) => {
              const m = /^\/affectedCases\/(\d+)$/.exec(e.path)
              return m ? `${sent[Number(m[1])]}: ${issueText(e)}` : issueText(e)
            })
            .join("；")
        : error.text()}
    </Callout>
  ) : null

/** The cases an incident affected, each a link to its page, and (with risk:write) a form to change them. */
const AffectedCases = ({ i }: { i: Incident }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const session = useSession()
  const current = i.cases.map((c) => (c.number === null ? c.id : String(c.number))).join(", ")
  const [text, setText] = useState(current)
  const [editing, setEditing] = useState(false)
  const save = useRiskPost<{ affectedCases: string[] }>(
    `/api/v1/risk/incidents/${i.id}`,
    () => {
      toast(t("risk.incidents.casesSaved"))
      setEditing(false)
    },
    "PATCH",
  )
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate({ affectedCases: caseRefs(text) })
  }
  return (
    <div data-testid={`incident-cases-${i.number}`}>
      <h3 className="t-label">{t("risk.incidents.cases")}</h3>
      {i.cases.length ? (
        <p style={{ display: "flex", flexWrap: "wrap", gap: 8, margin: "4px 0" }}>
          {i.cases.map((c) =>
            c.number === null ? (
              <span key={c.id} className="t-hint">
                {t("risk.incidents.caseGone")}
              </span>
            ) : (
              <Link key={c.id} to="/cases/$caseId" params={{ caseId: c.id }}>
                #{c.number}
              </Link>
            ),
          )}
        </p>
      ) : (
        <p className="t-hint">{t("risk.incidents.noCases")}</p>
      )}
      {session.can("risk:write") && !editing ? (
        <Button
          onClick={() => {
            setText(current)
            save.reset()
            setEditing(true)
          }}
        >
          {t("risk.incidents.linkCases")}
        </Button>
      ) : null}
      {editing ? (
        <form onSubmit={submit} style={{ display: "grid", gap: 6, maxWidth: 520 }}>
          <TextField
            label={t("risk.incidents.caseNumbers")}
            hint={t("risk.incidents.caseNumbersHint")}
            value={text}
            onChange={setText}
          />
          <div style={{ display: "flex", gap: 6 }}>
            <Button type="submit" variant="primary" disabled={save.isPending}>
              {t("risk.forms.save")}
            </Button>
            <Button type="button" onClick={() => setEditing(false)}>
              {t("common.cancel")}
            </Button>
          </div>
          <CaseProblems error={errorOf(save.error)} sent={save.variables?.affectedCases ?? []} />
        </form>
      ) : null}
    </div>
  )
}

/** Re-render every second so the countdowns move. */
const useNow = () => {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1_000)
    return () => clearInterval(id)
  }, [])
  return now
}

export const IncidentsPage = () => {
  const { t } = useTranslation()
  const f = useFormat()
  const d = useDurations()
  const now = useNow()
  const incidents = useIncidents()
  const session = useSession()
  const toolbar = session.can("risk:write") ? (
    <div className="toolbar" style={{ justifyContent: "flex-end" }}>
      <NewIncidentButton />
    </div>
  ) : null
  if (incidents.isLoading) return <Skeleton height={240} />
  if (incidents.error) return <ErrorState title={t("risk.loadError")} />
  const items = incidents.data?.items ?? []
  if (!items.length)
    return (
      <div style={{ display: "grid", gap: 16 }}>
        {toolbar}
        <Card>
          <EmptyState title={t("risk.incidents.empty")} />
        </Card>
      </div>
    )
  return (
    <div style={{ display: "grid", gap: 16 }}>
      {toolbar}
      {items.map((i) => (
        <Card key={i.id}>
          <section id={`inc-${i.number}`} aria-label={`INC-${i.number}`}>
            <h2 style={{ fontSize: 16 }}>
              INC-{i.number} {i.title}{" "}
              <Badge tone={i.severity === "general" ? "accent" : "bad"}>
                {t(`risk.incidents.severity.${i.severity}`)}
              </Badge>{" "}
              <Badge tone={i.status === "resolved" ? "ok" : "warn"}>
                {t(`risk.incidents.status.${i.status}`)}
              </Badge>
            </h2>
            <p className="t-hint">
              {t(`risk.incidents.kind.${i.kind}`)} ·{" "}
              {t("risk.incidents.affected", { n: i.affectedCustomers })}
            </p>
            <dl className="t-dl" style={DL}>
              <dt>{t("risk.incidents.started")}</dt>
              <dd>{f.dateTime(i.startedAt)}</dd>
              <dt>{t("risk.incidents.detected")}</dt>
              <dd>{f.dateTime(i.detectedAt)}</dd>
              <dt>{t("risk.incidents.contained")}</dt>
              <dd>{f.dateTime(i.containedAt)}</dd>
              <dt>{t("risk.incidents.resolved")}</dt>
              <dd>{f.dateTime(i.resolvedAt)}</dd>
              <dt>{t("risk.incidents.lessons")}</dt>
              <dd>{i.lessons || "—"}</dd>
            </dl>
            {session.can("risk:write") ? <ProgressButton i={i} /> : null}
            {i.notices.length ? (
              <ul data-testid={`clocks-${i.number}`}>
                {i.notices.map((n) => {
                  const left = new Date(n.dueAt).getTime() - now
                  return (
                    <li key={`${n.regime}-${n.notice}`}>
                      {t(`risk.incidents.notice.${n.regime}_${n.notice}`)} · {t("risk.incidents.due")}{" "}
                      {f.dateTime(n.dueAt)}{" "}
                      {n.sentAt ? (
                        <Badge tone="ok">{t("risk.incidents.sent", { at: f.dateTime(n.sentAt) })}</Badge>
                      ) : left < 0 ? (
                        <Badge tone="bad">
                          {t("risk.incidents.overdueBy", { d: clock(-left, d.duration) })}
                        </Badge>
                      ) : (
                        <Badge tone="warn">
                          <span role="timer">{t("risk.incidents.left", { d: clock(left, d.duration) })}</span>
                        </Badge>
                      )}{" "}
                      {!n.sentAt && session.can("risk:write") ? <NoticeActions i={i} n={n} /> : null}
                    </li>
                  )
                })}
              </ul>
            ) : (
              <p className="t-hint">{t("risk.incidents.noClock")}</p>
            )}
            <AffectedCases i={i} />
          </section>
        </Card>
      ))}
    </div>
  )
}
