/** The standards list, each standard with its versions and lifecycle actions. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Badge, Button, Callout, Card, EmptyState, PageHeader, useToast } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../../api/client"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { useExportLabels } from "../table-labels"
import { ImportCard } from "./ImportCard"
import { MappingsCard } from "./Mappings"
import { NEXT, type StandardSummary, TONE } from "./model"
import { VersionDetail } from "./Version"

export const StandardsPage = () => {
  const { t } = useTranslation()
  const session = useSession()
  const standards = useQuery({
    queryKey: ["standards", getCurrentOrg()],
    queryFn: () => api<{ items: StandardSummary[] }>("/api/v1/standards"),
  })
  const due = useQuery({
    queryKey: ["reviews-due", getCurrentOrg()],
    queryFn: () =>
      api<{ items: Array<{ key: string; label: string; nextReviewAt: string }> }>(
        "/api/v1/standards/reviews/due",
      ),
  })
  const fmt = useFormat()
  return (
    <>
      <PageHeader title={t("standards.title")} description={t("standards.description")} />
      {due.data?.items.length ? (
        <div style={{ marginBottom: 16 }}>
          <Callout tone="warn">
            {t("standards.dueReviews")}:{" "}
            {due.data.items.map((d) => `${d.key} ${d.label} (${fmt.date(d.nextReviewAt)})`).join(", ")}
          </Callout>
        </div>
      ) : null}
      <div style={{ display: "flex", flexDirection: "column", gap: 16 }}>
        {standards.data?.items.length === 0 ? (
          <Card>
            <EmptyState title={t("standards.noStandards")} />
          </Card>
        ) : null}
        {standards.data?.items.map((s) => (
          <StandardCard key={s.id} s={s} />
        ))}
        {standards.data?.items.length ? <MappingsCard standards={standards.data.items} /> : null}
        {session.can("standards:manage") ? <ImportCard /> : null}
      </div>
    </>
  )
}

const StandardCard = ({ s }: { s: StandardSummary }) => {
  const { t, i18n } = useTranslation()
  const exportLabels = useExportLabels()
  const lang = i18n.language as "zh-CN" | "en"
  const fmt = useFormat()
  const toast = useToast()
  const qc = useQueryClient()
  const session = useSession()
  const [open, setOpen] = useState<number>()
  const step = useMutation({
    mutationFn: ({ version, to }: { version: number; to: string }) =>
      api(`/api/v1/standards/${s.id}/versions/${version}/steps`, { method: "POST", body: { to } }),
    onSuccess: (_d, v) => {
      toast(t("standards.stepped", { version: v.version, status: t(`standards.statuses.${v.to}`) }))
      void qc.invalidateQueries({ queryKey: ["standards"] })
    },
    onError: (e) => toast((e as Error).message, "bad"),
  })
  return (
    <Card title={s.title[lang] ?? s.title.en}>
      <p className="t-hint" style={{ marginTop: -8 }}>
        <code className="t-code">{s.key}</code> {s.provider ? `· ${s.provider}` : ""}{" "}
        {s.licence ? `· ${s.licence}` : ""}
      </p>
      <ExportLinks
        url={`/api/v1/standards/${s.id}/versions`}
        columns={[
          ["version", t("standards.versionNumber")],
          ["label", t("standards.versionLabel")],
          ["status", t("dashboard.status"), exportLabels("standards.statuses") ?? {}],
          ["requirements", t("standards.requirementCount")],
          ["nextReviewAt", t("standards.nextReviewAt")],
          ["basedOn", t("standards.basedOn")],
          ["sourceCycleId", t("standards.sourceCycle")],
        ]}
      />
      <table className="t-table">
        <thead>
          <tr>
            <th scope="col">{t("standards.versions")}</th>
            <th scope="col">{t("dashboard.status")}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {s.versions.map((v) => (
            <tr key={v.version}>
              <td>
                {t("standards.version", { label: v.label, version: v.version })}
                <br />
                <span className="t-hint">
                  {t("standards.requirements", { count: v.requirements })}
                  {v.nextReviewAt
                    ? ` · ${t("standards.nextReview", { date: fmt.date(v.nextReviewAt) })}`
                    : ""}
                  {v.sourceCycleId ? ` · ${v.sourceCycleId}` : ""}
                </span>
              </td>
              <td>
                <Badge tone={TONE[v.status]}>{t(`standards.statuses.${v.status}`)}</Badge>
                <div className="t-hint">{v.history.at(-1) ? fmt.dateTime(v.history.at(-1)!.at) : ""}</div>
              </td>
              <td style={{ display: "flex", gap: 6, flexWrap: "wrap" }}>
                {session.can("standards:manage")
                  ? NEXT[v.status]!.map((to) => (
                      <Button
                        key={to}
                        size="sm"
                        variant={to === "published" ? "primary" : "default"}
                        onClick={() => step.mutate({ version: v.version, to })}
                      >
                        {t(`standards.steps.${to}`)}
                      </Button>
                    ))
                  : null}
                <a
                  className="t-btn t-btn--sm"
                  href={`/api/v1/standards/${s.id}/versions/${v.version}/export?format=yaml`}
                  download={`${s.key}-${v.label}.yaml`}
                >
                  {t("standards.export")}
                </a>
                <Button
                  size="sm"
                  variant="ghost"
                  aria-expanded={open === v.version}
                  onClick={() => setOpen(open === v.version ? undefined : v.version)}
                >
                  {open === v.version ? t("standards.hide") : t("standards.view")}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open ? (
        <VersionDetail
          standardId={s.id}
          version={open}
          basedOn={s.versions.find((v) => v.version === open)?.basedOn ?? null}
        />
      ) : null}
    </Card>
  )
}
