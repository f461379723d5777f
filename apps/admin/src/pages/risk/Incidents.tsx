/** The incident register with its regulatory notification clocks counting down. */
import { Badge, Card, EmptyState, ErrorState, Skeleton } from "@tenet/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { useDurations, useFormat } from "../../format"
import { DL } from "./Layout"
import { useIncidents } from "./model"

/** Re-render every 30 s so the countdowns move. */
const useNow = () => {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 30_000)
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
  if (incidents.isLoading) return <Skeleton height={240} />
  if (incidents.error) return <ErrorState title={t("risk.loadError")} />
  const items = incidents.data?.items ?? []
  if (!items.length)
    return (
      <Card>
        <EmptyState title={t("risk.incidents.empty")} />
      </Card>
    )
  return (
    <div style={{ display: "grid", gap: 16 }}>
      {items.map((i) => (
        <Card key={i.id}>
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
            {t(`risk.incidents.kind.${i.kind}`)} · {t("risk.incidents.affected", { n: i.affectedCustomers })}
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
          </dl>
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
                        {t("risk.incidents.overdueBy", { d: d.duration(-left / 1000) })}
                      </Badge>
                    ) : (
                      <Badge tone="warn">{t("risk.incidents.left", { d: d.duration(left / 1000) })}</Badge>
                    )}
                  </li>
                )
              })}
            </ul>
          ) : (
            <p className="t-hint">{t("risk.incidents.noClock")}</p>
          )}
        </Card>
      ))}
    </div>
  )
}
