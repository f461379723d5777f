/** Contingency plans with their steps, backup channels and contacts, and their activations. */
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { Link, useNavigate } from "@tanstack/react-router"
import { Badge, Button, Card, EmptyState, ErrorState, SelectField, Skeleton, TextField } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api } from "../../api/client"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { ExerciseList, RecordExerciseButton } from "./Exercises"
import { loc, type Plan, useActivations, useKris, usePlans } from "./model"
import { EditPlanButton, NewPlanButton } from "./PlanForm"

/** Activate a plan: a tier and a reason; the activation page opens at once. */
const Activate = ({ plan }: { plan: Plan }) => {
  const { t, i18n } = useTranslation()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const [tier, setTier] = useState(plan.tiers[0]?.id ?? "")
  const [reason, setReason] = useState("")
  const [error, setError] = useState<string | null>(null)
  const go = useMutation({
    mutationFn: () =>
      api<{ id: string }>(`/api/v1/risk/plans/${plan.id}/activations`, {
        method: "POST",
        body: { tier, reason },
      }),
    onSuccess: (a) => {
      qc.invalidateQueries({ queryKey: ["risk"] })
      navigate({ to: "/risk/activations/$activationId", params: { activationId: a.id } })
    },
    onError: (e) => setError(e instanceof ApiError ? e.text() : String(e)),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    go.mutate()
  }
  return (
    <form onSubmit={submit} style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "flex-end" }}>
      <SelectField
        label={t("risk.plans.tier")}
        value={tier}
        onChange={setTier}
        options={plan.tiers.map((x) => ({ value: x.id, label: loc(x.name, i18n.language) }))}
      />
      <TextField label={t("risk.plans.reason")} required value={reason} onChange={setReason} />
      <Button type="submit" variant="primary" disabled={!reason.trim() || go.isPending}>
        {t("risk.plans.activate")}
      </Button>
      {error ? <span role="alert">{error}</span> : null}
    </form>
  )
}

export const PlansPage = () => {
  const { t, i18n } = useTranslation()
  const f = useFormat()
  const plans = usePlans()
  const acts = useActivations()
  const kris = useKris()
  const session = useSession()
  if (plans.isLoading) return <Skeleton height={240} />
  if (plans.error) return <ErrorState title={t("risk.loadError")} />
  const items = plans.data?.items ?? []
  const toolbar = session.can("risk:manage") ? (
    <div className="toolbar" style={{ justifyContent: "flex-end" }}>
      <NewPlanButton />
    </div>
  ) : null
  if (!items.length)
    return (
      <div style={{ display: "grid", gap: 16 }}>
        {toolbar}
        <Card>
          <EmptyState title={t("risk.plans.empty")} />
        </Card>
      </div>
    )
  return (
    <div style={{ display: "grid", gap: 16 }}>
      {toolbar}
      {items.map((p) => (
        <Card key={p.id}>
          <section aria-label={p.title}>
            <div className="toolbar">
              <h2 style={{ fontSize: 16 }}>
                {p.title} <Badge>{t(`risk.plans.scenario.${p.scenario}`)}</Badge>
              </h2>
              {session.can("risk:manage") ? <EditPlanButton plan={p} /> : null}
            </div>
            <p className="t-hint">
              {t("risk.plans.lastExercised")}: {f.date(p.lastExercisedAt)} · {t("risk.plans.lastActivated")}:{" "}
              {f.date(p.lastActivatedAt)}
            </p>
            {session.can("risk:write") ? <Activate plan={p} /> : null}
            <h3 className="t-label">{t("risk.planForm.triggers")}</h3>
            <ul>
              {p.triggers.map((x, i) => (
                <li key={`${x.kind}-${i}`}>
                  {x.kind === "kri"
                    ? t("risk.plans.kriTrigger", {
                        kri: kris.data?.items.find((k) => k.id === x.kriId)?.name ?? x.kriId,
                      })
                    : t("risk.planForm.manual")}
                  : {x.description}
                </li>
              ))}
            </ul>
            <h3 className="t-label">{t("risk.plans.tiers")}</h3>
            <p>{p.tiers.map((x) => `${loc(x.name, i18n.language)}（${x.criteria}）`).join("；")}</p>
            <h3 className="t-label">{t("risk.plans.steps")}</h3>
            <ol>
              {p.steps.map((s) => (
                <li key={s.id}>
                  {s.title} — {t(`roles.${s.role}`, { defaultValue: s.role })} ·{" "}
                  {t("risk.plans.within", { minutes: s.limitMinutes })}
                  {s.tiers?.length
                    ? ` · ${s.tiers.map((id) => loc(p.tiers.find((x) => x.id === id)?.name, i18n.language) || id).join("、")}`
                    : ""}
                </li>
              ))}
            </ol>
            <h3 className="t-label">{t("risk.plans.channels")}</h3>
            <ul>
              {p.channels.map((c) => (
                <li key={`${c.channel}-${c.instead}`}>
                  {t("risk.plans.instead", { channel: c.channel, instead: c.instead })}: {c.how}
                </li>
              ))}
            </ul>
            <h3 className="t-label">{t("risk.plans.contacts")}</h3>
            <ul>
              {p.contacts.map((c) => (
                <li key={c.name}>
                  {c.name} · {c.role} {c.phone ? <a href={`tel:${c.phone}`}>{c.phone}</a> : null}{" "}
                  {c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : null}
                </li>
              ))}
            </ul>
            <div className="toolbar">
              <h3 className="t-label">{t("risk.exercises.title")}</h3>
              {session.can("risk:write") ? <RecordExerciseButton plan={p} /> : null}
            </div>
            <ExerciseList planId={p.id} />
            <h3 className="t-label">{t("risk.plans.activations")}</h3>
            <ul>
              {(acts.data?.items ?? [])
                .filter((a) => a.planId === p.id)
                .map((a) => (
                  <li key={a.id}>
                    <Link to="/risk/activations/$activationId" params={{ activationId: a.id }}>
                      {f.dateTime(a.startedAt)} · {a.reason}
                    </Link>{" "}
                    <Badge tone={a.status === "active" ? "bad" : "ok"}>
                      {t(`risk.activation.status.${a.status}`)}
                    </Badge>
                  </li>
                ))}
            </ul>
          </section>
        </Card>
      ))}
    </div>
  )
}
