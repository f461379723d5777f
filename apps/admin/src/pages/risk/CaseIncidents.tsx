/** On a service case's page: the incidents that affected it (from the risk module's incident register). */
import { Link } from "@tanstack/react-router"
import { Badge, Card } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { useCaseIncidents } from "./model"

export const CaseIncidents = ({ caseId }: { caseId: string }) => {
  const { t } = useTranslation()
  const f = useFormat()
  const session = useSession()
  const can = session.can("risk:read")
  const list = useCaseIncidents(caseId, can)
  const items = list.data?.items ?? []
  if (!can || !items.length) return null
  return (
    <Card title={t("risk.incidents.ofCase")}>
      <ul data-testid="case-incidents" style={{ margin: 0, paddingLeft: 18 }}>
        {items.map((i) => (
          <li key={i.id}>
            <Link to="/risk/incidents" hash={`inc-${i.number}`}>
              INC-{i.number} {i.title}
            </Link>{" "}
            <Badge tone={i.severity === "general" ? "accent" : "bad"}>
              {t(`risk.incidents.severity.${i.severity}`)}
            </Badge>{" "}
            <Badge tone={i.status === "resolved" ? "ok" : "warn"}>
              {t(`risk.incidents.status.${i.status}`)}
            </Badge>
            <div className="t-hint">
              {t("risk.incidents.detected")} {f.dateTime(i.detectedAt)}
            </div>
          </li>
        ))}
      </ul>
    </Card>
  )
}
