/** The agent's home: my cases and SLA risks, QA scores, training due, certifications, kudos. */
import { Link } from "@tanstack/react-router"
import { Badge, Button, Callout, Card, EmptyState, Input, Skeleton } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import { type Assignment, type Home, useCultureWrite, useHome } from "../../api/culture"
import { useFormat } from "../../format"
import { stateTone, usePercent, useText2 } from "./shared"

/** The person's own CSAT: the satisfied share with its interval and n, and the period before. */
const MySatisfaction = ({ s }: { s: Home["satisfaction"] }) => {
  const { t } = useTranslation()
  const pct = usePercent()
  return (
    <Card title={t("culture.home.satisfaction", { days: s.days })}>
      <div data-testid="my-satisfaction">
        {s.n === 0 || s.value === null ? (
          <p>{t("culture.home.noSatisfaction")}</p>
        ) : (
          <>
            <p>
              <strong style={{ fontSize: "1.6em" }}>{pct(s.value)}</strong>{" "}
              {t("culture.home.satisfiedOf", { satisfied: s.satisfied, n: s.n })}
            </p>
            <p>
              {s.lower !== null && s.upper !== null
                ? t("culture.home.interval", { lower: pct(s.lower), upper: pct(s.upper) })
                : null}
            </p>
            {s.warning ? (
              <Callout tone="warn">{t("culture.home.fewResponses", { n: s.n, min: s.minN })}</Callout>
            ) : null}
            <p>
              <small>
                {s.previous.value === null || s.previous.difference === null
                  ? t("culture.home.noPrevious")
                  : t("culture.home.previous", {
                      value: pct(s.previous.value),
                      n: s.previous.n,
                      change: `${s.previous.difference >= 0 ? "+" : "−"}${pct(Math.abs(s.previous.difference))}`,
                      significance: s.previous.significant
                        ? t("culture.home.significant")
                        : t("culture.home.notSignificant"),
                    })}
              </small>
            </p>
          </>
        )}
      </div>
    </Card>
  )
}

interface QuizResult {
  readonly passed: boolean
  readonly granted: ReadonlyArray<string>
}

export const CultureHomePage = () => {
  const { t } = useTranslation()
  const home = useHome()
  const fmt = useFormat()
  const text = useText2()
  // the result of the last quiz: kept here, since a passed course leaves the list it was entered in
  const [result, setResult] = useState<QuizResult>()
  if (home.isLoading) return <Skeleton height={120} />
  const h = home.data
  if (!h)
    return (
      <Callout tone="bad">{home.error instanceof ApiError ? home.error.text() : t("errors.network")}</Callout>
    )
  const certName = (id: string) => {
    const g = h.certifications.find((x) => x.certificationId === id)
    return g ? text(g.name) : id
  }
  return (
    <div
      className="culture-grid"
      style={{
        display: "grid",
        gap: "var(--space-5)",
        gridTemplateColumns: "repeat(auto-fit, minmax(320px, 1fr))",
      }}
    >
      <Card title={t("culture.home.cases", { count: h.cases.length })}>
        {h.slaRisks.length ? (
          <Callout tone="warn">{t("culture.home.slaRisks", { count: h.slaRisks.length })}</Callout>
        ) : null}
        {h.cases.length === 0 ? (
          <p>{t("culture.home.noCases")}</p>
        ) : (
          <ul className="notif-list">
            {h.cases.slice(0, 10).map((c) => (
              <li key={c.id}>
                <Link to="/cases/$caseId" params={{ caseId: c.id }}>
                  #{c.number} {c.subject}
                </Link>
                <Badge
                  tone={c.slaState === "breached" ? "bad" : c.slaState === "warning" ? "warn" : undefined}
                >
                  {t(`culture.sla.${c.slaState}`, { defaultValue: c.slaState })}
                </Badge>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t("culture.home.training")}>
        {result ? (
          <Callout tone={result.passed ? undefined : "warn"}>
            <span data-testid="quiz-result">
              {result.granted.length
                ? t("culture.granted", { list: result.granted.map(certName).join("、") })
                : result.passed
                  ? t("culture.passed")
                  : t("culture.failed")}
            </span>
          </Callout>
        ) : null}
        {h.trainingDue.length === 0 ? (
          <p>{t("culture.home.noTraining")}</p>
        ) : (
          h.trainingDue.map((a) => <DueItem key={a.id} a={a} onResult={setResult} />)
        )}
      </Card>
      <Card title={t("culture.home.certifications")}>
        {h.certifications.length === 0 ? (
          <p>{t("culture.home.noCertifications")}</p>
        ) : (
          <ul className="notif-list" data-testid="home-certifications">
            {h.certifications.map((g) => (
              <li key={g.id}>
                <span>{text(g.name)}</span>
                <Badge tone={stateTone(g.state)}>{t(`culture.state.${g.state}`)}</Badge>
                <small>{t("culture.expires", { date: fmt.date(g.expiresAt) })}</small>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title={t("culture.home.qa")}>
        {h.qa.length === 0 ? (
          <p>{t("culture.home.noQa")}</p>
        ) : (
          <ul className="notif-list">
            {h.qa.map((e) => (
              <li key={e.id}>
                <span>{fmt.number(Math.round(e.score * 10) / 10)}</span>
                <Badge tone={e.passed ? "ok" : "bad"}>
                  {e.passed ? t("culture.passed") : t("culture.failed")}
                </Badge>
                <small>{fmt.date(e.evaluatedAt)}</small>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <MySatisfaction s={h.satisfaction} />
      {h.coaching.length ? (
        <Card title={t("culture.home.coaching")}>
          <ul className="notif-list" data-testid="home-coaching">
            {h.coaching.map((c) => (
              <li key={c.id}>
                <Link to="/cases/$caseId" params={{ caseId: c.caseId }}>
                  {t("culture.coaching.case")}
                </Link>
                <span>{t("culture.home.coachingDue", { date: fmt.date(c.dueOn) })}</span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card title={t("culture.home.kudos")}>
        {h.kudos.length === 0 ? (
          <EmptyState icon="✦" title={t("culture.home.noKudos")} />
        ) : (
          <ul className="notif-list">
            {h.kudos.map((k) => (
              <li key={k.id}>
                <span>{k.message}</span>
                <small>+{k.points}</small>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  )
}

/** A course due: the quiz score can be entered by the person; practical assessments wait for a supervisor. */
const DueItem = ({ a, onResult }: { a: Assignment; onResult: (r: QuizResult) => void }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const text = useText2()
  const write = useCultureWrite<QuizResult>()
  const [score, setScore] = useState("")
  return (
    <div className="culture-due" data-testid={`due-${a.courseId}`} style={{ marginBottom: "var(--space-4)" }}>
      <strong>{text(a.title)}</strong>{" "}
      <Badge tone={a.status === "failed" ? "bad" : "warn"}>{t(`culture.assignment.${a.status}`)}</Badge>{" "}
      <small>
        {t("culture.due", { date: fmt.date(a.dueOn) })} · {t(`culture.source.${a.source}`)}
      </small>
      {a.assessment === "quiz" ? (
        <form
          style={{ display: "flex", gap: 8, marginTop: 8 }}
          onSubmit={(e) => {
            e.preventDefault()
            write.mutate(
              {
                method: "POST",
                path: `/api/v1/culture/assignments/${a.id}/result`,
                body: { score: Number(score) },
              },
              { onSuccess: onResult },
            )
          }}
        >
          <Input
            aria-label={t("culture.score")}
            type="number"
            min={0}
            max={100}
            value={score}
            onChange={(e) => setScore(e.target.value)}
            required
          />
          <Button type="submit" disabled={write.isPending}>
            {t("culture.submitQuiz")}
          </Button>
        </form>
      ) : a.assessment === "practical" ? (
        <p>
          <small>{t("culture.practicalHint")}</small>
        </p>
      ) : null}
      {write.error instanceof ApiError ? <Callout tone="bad">{write.error.text()}</Callout> : null}
    </div>
  )
}
