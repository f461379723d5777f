/** Certifications (what each requires) and who holds them, with the expiry timeline. */
import { Badge, Card, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { useCertifications, useGrants, useRoster } from "../../api/culture"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useExportLabels } from "../table-labels"
import { stateTone, useText2 } from "./shared"

export const CertificationsPage = () => {
  const { t } = useTranslation()
  const exportLabels = useExportLabels()
  const certs = useCertifications()
  const grants = useGrants()
  const roster = useRoster()
  const fmt = useFormat()
  const text = useText2()
  const names = new Map((roster.data?.items ?? []).map((p) => [p.userId, p.displayName]))
  if (certs.isLoading) return <Skeleton height={120} />
  const timeline = [...(grants.data?.items ?? [])].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt))
  return (
    <div style={{ display: "grid", gap: "var(--space-5)" }}>
      <Card title={t("culture.certs.title")}>
        <ExportLinks
          url="/api/v1/culture/certifications"
          columns={[
            ["name", t("culture.certs.name")],
            ["scope.kind", t("culture.certs.scope"), exportLabels("culture.scopes") ?? {}],
            ["scope.value", t("culture.certs.scopeValue")],
            ["requiredCourses", t("culture.certs.requires")],
            ["minScore", t("culture.certs.minScoreColumn")],
            ["validityDays", t("culture.certs.validityDays")],
            ["remindDays", t("culture.certs.remindDays")],
          ]}
        />
        <table className="t-table">
          <thead>
            <tr>
              <th>{t("culture.certs.name")}</th>
              <th>{t("culture.certs.scope")}</th>
              <th>{t("culture.certs.requires")}</th>
              <th>{t("culture.certs.validity")}</th>
            </tr>
          </thead>
          <tbody>
            {certs.data?.items.map((c) => (
              <tr key={c.id}>
                <td>{text(c.name)}</td>
                <td>
                  {t(`culture.scopes.${c.scope.kind}`)}: <code className="t-code">{c.scope.value}</code>
                </td>
                <td>
                  {c.requiredCourses.join(", ")}
                  {c.minScore !== null ? ` · ${t("culture.certs.minScore", { score: c.minScore })}` : ""}
                </td>
                <td>{t("culture.certs.days", { days: c.validityDays, remind: c.remindDays })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title={t("culture.certs.timeline")}>
        <ExportLinks
          url="/api/v1/culture/grants"
          columns={[
            ["userId", t("culture.roster.name"), "user"],
            ["name", t("culture.certs.name")],
            ["grantedAt", t("culture.certs.granted")],
            ["expiresAt", t("culture.certs.expires")],
            ["state", t("culture.training.status"), exportLabels("culture.state") ?? {}],
          ]}
        />
        <table className="t-table" data-testid="cert-timeline">
          <thead>
            <tr>
              <th>{t("culture.roster.name")}</th>
              <th>{t("culture.certs.name")}</th>
              <th>{t("culture.certs.granted")}</th>
              <th>{t("culture.certs.expires")}</th>
              <th>{t("culture.training.status")}</th>
            </tr>
          </thead>
          <tbody>
            {timeline.map((g) => (
              <tr key={g.id}>
                <td>{names.get(g.userId) ?? g.userId}</td>
                <td>{text(g.name)}</td>
                <td>{fmt.date(g.grantedAt)}</td>
                <td>{fmt.date(g.expiresAt)}</td>
                <td>
                  <Badge tone={stateTone(g.state)}>{t(`culture.state.${g.state}`)}</Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  )
}
