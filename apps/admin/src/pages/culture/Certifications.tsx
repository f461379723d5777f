/** Certifications (what each requires) and who holds them, with the expiry timeline. */
import { Badge, Button, Card, Skeleton } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { type Certification, useCertifications, useCourses, useGrants, useRoster } from "../../api/culture"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { useExportLabels } from "../table-labels"
import { CertificationDialog } from "./CertificationForm"
import { stateTone, useText2 } from "./shared"

export const CertificationsPage = () => {
  const { t } = useTranslation()
  const exportLabels = useExportLabels()
  const certs = useCertifications()
  const grants = useGrants()
  const roster = useRoster()
  const fmt = useFormat()
  const text = useText2()
  const session = useSession()
  const courses = useCourses()
  const courseNames = new Map((courses.data?.items ?? []).map((c) => [c.id, text(c.title)]))
  const [editing, setEditing] = useState<{ certification: Certification | null; key: number }>()
  const canManage = session.can("culture:manage")
  const names = new Map((roster.data?.items ?? []).map((p) => [p.userId, p.displayName]))
  if (certs.isLoading) return <Skeleton height={120} />
  const timeline = [...(grants.data?.items ?? [])].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt))
  return (
    <div style={{ display: "grid", gap: "var(--space-5)" }}>
      {editing ? (
        <CertificationDialog
          key={editing.key}
          certification={editing.certification}
          open
          onOpenChange={(open) => (open ? null : setEditing(undefined))}
        />
      ) : null}
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
        {canManage ? (
          <p>
            <Button variant="primary" onClick={() => setEditing({ certification: null, key: Date.now() })}>
              {t("culture.certForm.new")}
            </Button>
          </p>
        ) : null}
        <table className="t-table">
          <thead>
            <tr>
              <th>{t("culture.certs.name")}</th>
              <th>{t("culture.certs.scope")}</th>
              <th>{t("culture.certs.requires")}</th>
              <th>{t("culture.certs.validity")}</th>
              {canManage ? <th /> : null}
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
                  {c.requiredCourses.map((id) => courseNames.get(id) ?? id).join("、")}
                  {c.minScore !== null ? ` · ${t("culture.certs.minScore", { score: c.minScore })}` : ""}
                </td>
                <td>{t("culture.certs.days", { days: c.validityDays, remind: c.remindDays })}</td>
                {canManage ? (
                  <td>
                    <Button
                      aria-label={t("culture.certForm.editOne", { name: text(c.name) })}
                      onClick={() => setEditing({ certification: c, key: Date.now() })}
                    >
                      {t("culture.edit")}
                    </Button>
                  </td>
                ) : null}
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
