/**
 * Periodic assessment: the likelihood raises KRI crossings suggested (applied or dismissed here), the
 * open risks whose review is overdue (reviewed by rating them again), and assessment rounds — opened,
 * each open risk rated in them with a rationale, closed.
 */
import { Link } from "@tanstack/react-router"
import { Badge, Button, Card, EmptyState, ErrorState, Skeleton, TextField, useToast } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { useMembers } from "../../api/hooks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { errorOf, Problems, useMatrices, useRiskPost } from "./Forms"
import {
  KRI_TONE,
  type Risk,
  type Round,
  type Suggestion,
  useKris,
  useOverdueReviews,
  useRisks,
  useRounds,
  useSuggestions,
} from "./model"
import { RatingBadge } from "./Register"
import { RateButton } from "./RiskForms"

const RiskLink = ({ risk }: { risk: Risk | undefined }) =>
  risk ? (
    <Link to="/risk/$riskId" params={{ riskId: risk.id }}>
      R-{risk.number} {risk.title}
    </Link>
  ) : (
    <span>—</span>
  )

/** Rate a risk on its own matrix (again, or in a round). */
const Rate = ({ risk, roundId, label }: { risk: Risk; roundId?: string; label: string }) => {
  const matrices = useMatrices()
  const matrix = matrices.data?.items.find((m) => m.id === risk.matrixId)
  return matrix ? (
    <RateButton riskId={risk.id} matrix={matrix} current={risk.residual} roundId={roundId} label={label} />
  ) : null
}

const Decide = ({ s }: { s: Suggestion }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const decide = useRiskPost<{ decision: "applied" | "dismissed" }>(`/api/v1/risk/suggestions/${s.id}`, () =>
    toast(t("risk.assess.decided")),
  )
  return (
    <>
      <Button
        size="sm"
        variant="primary"
        disabled={decide.isPending}
        onClick={() => decide.mutate({ decision: "applied" })}
      >
        {t("risk.assess.apply")}
      </Button>{" "}
      <Button size="sm" disabled={decide.isPending} onClick={() => decide.mutate({ decision: "dismissed" })}>
        {t("risk.assess.dismiss")}
      </Button>
      <Problems error={errorOf(decide.error)} />
    </>
  )
}

const SuggestionsCard = ({ risks, canWrite }: { risks: Risk[]; canWrite: boolean }) => {
  const { t } = useTranslation()
  const f = useFormat()
  const list = useSuggestions()
  const kris = useKris()
  const items = list.data?.items ?? []
  return (
    <Card>
      <h2 style={{ fontSize: 16 }}>{t("risk.assess.suggestions")}</h2>
      <p className="t-hint">{t("risk.assess.suggestionsHint")}</p>
      {items.length === 0 ? (
        <p className="t-hint">{t("risk.assess.noSuggestions")}</p>
      ) : (
        <ul data-testid="kri-suggestions">
          {items.map((s) => {
            const kri = kris.data?.items.find((k) => k.id === s.kriId)
            return (
              <li key={s.id} aria-label={kri?.name ?? s.kriId}>
                <RiskLink risk={risks.find((r) => r.id === s.riskId)} /> · {kri?.name ?? s.kriId}{" "}
                {kri ? <Badge tone={KRI_TONE[kri.state]}>{t(`risk.kri.state.${kri.state}`)}</Badge> : null} ·{" "}
                {t("risk.assess.likelihood")}{" "}
                {t("risk.assess.raise", { from: s.fromLikelihood, to: s.toLikelihood })} ·{" "}
                <span className="t-hint">{t("risk.assess.since", { at: f.dateTime(s.createdAt) })}</span>{" "}
                {canWrite ? <Decide s={s} /> : null}
              </li>
            )
          })}
        </ul>
      )}
    </Card>
  )
}

const OverdueCard = ({ canWrite }: { canWrite: boolean }) => {
  const { t } = useTranslation()
  const f = useFormat()
  const members = useMembers()
  const list = useOverdueReviews()
  const items = list.data?.items ?? []
  const who = (uid: string) => members.data?.items.find((m) => m.userId === uid)?.name ?? uid
  return (
    <Card>
      <h2 style={{ fontSize: 16 }}>{t("risk.assess.overdue")}</h2>
      {items.length === 0 ? (
        <p className="t-hint">{t("risk.assess.noOverdue")}</p>
      ) : (
        <ul data-testid="overdue-reviews">
          {items.map((r) => (
            <li key={r.id}>
              <RiskLink risk={r} /> · <RatingBadge r={r.residual} /> · {who(r.ownerId)} ·{" "}
              <Badge tone="bad">{t("risk.assess.dueSince", { at: f.date(r.nextReviewAt) })}</Badge>{" "}
              {canWrite ? <Rate risk={r} label={t("risk.assess.review")} /> : null}
            </li>
          ))}
        </ul>
      )}
    </Card>
  )
}

const RoundSection = ({ round, risks, canWrite }: { round: Round; risks: Risk[]; canWrite: boolean }) => {
  const { t } = useTranslation()
  const f = useFormat()
  const toast = useToast()
  const close = useRiskPost<undefined>(`/api/v1/risk/rounds/${round.id}/close`, () =>
    toast(t("risk.assess.roundClosed")),
  )
  const open = round.status === "open"
  const todo = risks.filter((r) => round.notRated.includes(r.id))
  return (
    <section aria-label={round.title} style={{ borderTop: "1px solid var(--t-border, #ddd)", paddingTop: 8 }}>
      <div className="toolbar">
        <h3 style={{ fontSize: 14 }}>
          {round.title}{" "}
          <Badge tone={open ? "accent" : "ok"}>{t(`risk.assess.roundStatus.${round.status}`)}</Badge>
        </h3>
        {open && canWrite ? (
          <Button size="sm" disabled={close.isPending} onClick={() => close.mutate(undefined)}>
            {t("risk.assess.closeRound")}
          </Button>
        ) : null}
      </div>
      <p className="t-hint">
        {t("risk.assess.roundLine", {
          at: f.date(round.openedAt),
          rated: round.rated,
          left: round.notRated.length,
        })}
        {round.closedAt ? ` · ${t("risk.assess.closedAt", { at: f.date(round.closedAt) })}` : ""}
      </p>
      <Problems error={errorOf(close.error)} />
      {open && todo.length ? (
        <ul data-testid={`round-todo-${round.id}`}>
          {todo.map((r) => (
            <li key={r.id}>
              <RiskLink risk={r} /> · <RatingBadge r={r.residual} />{" "}
              {canWrite ? <Rate risk={r} roundId={round.id} label={t("risk.assess.rateInRound")} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}

const RoundsCard = ({ risks, canWrite }: { risks: Risk[]; canWrite: boolean }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const rounds = useRounds()
  const [title, setTitle] = useState("")
  const openRound = useRiskPost<{ title: string }>("/api/v1/risk/rounds", () => {
    toast(t("risk.assess.roundOpened"))
    setTitle("")
  })
  const error = errorOf(openRound.error)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    openRound.mutate({ title })
  }
  const items = rounds.data?.items ?? []
  return (
    <Card>
      <h2 style={{ fontSize: 16 }}>{t("risk.assess.rounds")}</h2>
      {canWrite ? (
        <form onSubmit={submit} style={{ display: "flex", gap: 8, alignItems: "flex-end", flexWrap: "wrap" }}>
          <TextField
            label={t("risk.assess.roundTitle")}
            error={error?.field("title")}
            value={title}
            onChange={setTitle}
          />
          <Button type="submit" variant="primary" disabled={!title.trim() || openRound.isPending}>
            {t("risk.assess.openRound")}
          </Button>
        </form>
      ) : null}
      {items.length === 0 ? <p className="t-hint">{t("risk.assess.noRounds")}</p> : null}
      {items.map((r) => (
        <RoundSection key={r.id} round={r} risks={risks} canWrite={canWrite} />
      ))}
    </Card>
  )
}

export const AssessmentPage = () => {
  const { t } = useTranslation()
  const risks = useRisks()
  const session = useSession()
  if (risks.isLoading) return <Skeleton height={240} />
  if (risks.error) return <ErrorState title={t("risk.loadError")} />
  const items = risks.data?.items ?? []
  if (!items.length)
    return (
      <Card>
        <EmptyState title={t("risk.empty")} />
      </Card>
    )
  const canWrite = session.can("risk:write")
  return (
    <div style={{ display: "grid", gap: 16 }}>
      <SuggestionsCard risks={items} canWrite={canWrite} />
      <OverdueCard canWrite={canWrite} />
      <RoundsCard risks={items} canWrite={canWrite} />
    </div>
  )
}
