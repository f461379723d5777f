/** Contingency plans with their steps, backup channels and contacts, and their activations. */
import { Link } from "@tanstack/react-router"
import { Badge, Card, EmptyState, ErrorState, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { useFormat } from "../../format"
import { loc, useActivations, usePlans } from "./model"

export const PlansPage = () => {
  const { t, i18n } = useTranslation()
  const f = useFormat()
  const plans = usePlans()
  const acts = useActivations()
  if (plans.isLoading) return <Skeleton height={240} />
  if (plans.error) return <ErrorState title={t("risk.loadError")} />
  const items = plans.data?.items ?? []
  if (!items.length)
    return (
      <Card>
        <EmptyState title={t("risk.plans.empty")} />
      </Card>
    )
  return (
    <div style={{ display: "grid", gap: 16 }}>
      {items.map((p) => (
        <Card key={p.id}>
          <h2 style={{ fontSize: 16 }}>
            {p.title} <Badge>{t(`risk.plans.scenario.${p.scenario}`)}</Badge>
          </h2>
          <p className="t-hint">
            {t("risk.plans.lastExercised")}: {f.date(p.lastExercisedAt)} · {t("risk.plans.lastActivated")}:{" "}
            {f.date(p.lastActivatedAt)}
          </p>
          <h3 className="t-label">{t("risk.plans.tiers")}</h3>
          <p>{p.tiers.map((x) => `${loc(x.name, i18n.language)}（${x.criteria}）`).join("；")}</p>
          <h3 className="t-label">{t("risk.plans.steps")}</h3>
          <ol>
            {p.steps.map((s) => (
              <li key={s.id}>
                {s.title} — {s.role} · {t("risk.plans.within", { minutes: s.limitMinutes })}
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
        </Card>
      ))}
    </div>
  )
}
