/** The PI access log under the audit log: every reveal of a masked customer, who, when, why. */
import { useQuery } from "@tanstack/react-query"
import { Card, EmptyState } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { api } from "../api/client"
import { ExportLinks } from "../components/ExportLinks"
import { useFormat } from "../format"

interface PiAccessEntry {
  id: string
  at: string
  actorType: string
  actorId: string
  entityType: string
  entityId: string
  fields: string[]
  reason: string | null
}

export const PiAccessLog = () => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const log = useQuery({
    queryKey: ["pi-access"],
    queryFn: () => api<{ items: PiAccessEntry[]; retentionDays: number }>("/api/v1/pi-access?limit=50"),
  })
  if (!log.data) return null
  return (
    <Card title={t("piAccess.title")}>
      <p className="t-hint">{t("piAccess.description", { days: log.data.retentionDays })}</p>
      {log.data.items.length === 0 ? (
        <EmptyState title={t("piAccess.empty")} />
      ) : (
        <div style={{ overflowX: "auto" }}>
          <ExportLinks
            url="/api/v1/pi-access"
            columns={[
              ["at", t("piAccess.at")],
              ["actorId", t("piAccess.actor"), "user"],
              ["actorType", t("piAccess.actorType")],
              ["entityType", t("piAccess.recordType")],
              ["entityId", t("piAccess.record")],
              ["fields", t("piAccess.fields")],
              ["reason", t("piAccess.reason")],
            ]}
          />
          <table className="role-matrix">
            <thead>
              <tr>
                <th scope="col">{t("piAccess.at")}</th>
                <th scope="col">{t("piAccess.actor")}</th>
                <th scope="col">{t("piAccess.record")}</th>
                <th scope="col">{t("piAccess.fields")}</th>
                <th scope="col">{t("piAccess.reason")}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.items.map((e) => (
                <tr key={e.id}>
                  <td>{fmt.dateTime(e.at)}</td>
                  <td>
                    {e.actorId} ({e.actorType})
                  </td>
                  <td>
                    {e.entityType} {e.entityId}
                  </td>
                  <td>{e.fields.join(", ")}</td>
                  <td>{e.reason ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  )
}
