/** Compliance: evaluating a published standard for the period. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Link, useNavigate } from "@tanstack/react-router"
import { Badge, Button, Card, useToast } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg, problemText } from "../../api/client"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { useExportLabels } from "../table-labels"
import { ICON, TONE, useFormatValue } from "./shared"

export const Compliance = ({ period }: { period: { from: string; to: string } }) => {
  const { t, i18n } = useTranslation()
  const exportLabels = useExportLabels()
  const lang = i18n.language as "zh-CN" | "en"
  const fmt = useFormat()
  const fv = useFormatValue()
  const session = useSession()
  const qc = useQueryClient()
  const standards = useQuery({
    queryKey: ["standards", getCurrentOrg()],
    queryFn: () => api<{ items: Array<{ id: string; title: Record<string, string> }> }>("/api/v1/standards"),
  })
  const std = standards.data?.items[0]
  const evals = useQuery({
    queryKey: ["evaluations", getCurrentOrg(), std?.id],
    queryFn: () =>
      api<{ items: Array<{ id: string }> }>(`/api/v1/standards/evaluations?standardId=${std!.id}`),
    enabled: Boolean(std),
  })
  const latestId = evals.data?.items[0]?.id
  // a breach already answered by a cycle links to it instead of offering a second one
  const breaches = useQuery({
    queryKey: ["breaches", getCurrentOrg()],
    queryFn: () =>
      api<{ items: Array<{ id: string; status: "open" | "answered"; cycleId?: string | null }> }>(
        "/api/v1/standards/breaches",
      ),
  })
  const breach = (id: string) => breaches.data?.items.find((b) => b.id === id)
  const latest = useQuery({
    queryKey: ["evaluation", getCurrentOrg(), latestId],
    queryFn: () =>
      api<{
        id: string
        version: number
        from: string
        to: string
        summary: Record<string, number>
        results: Array<{
          requirementId: string
          requirementTitle: Record<string, string>
          targetId: string
          metric: string
          value: number | null
          target: number
          operator: string
          n: number
          status: keyof typeof TONE
          breachId?: string
        }>
      }>(`/api/v1/standards/evaluations/${latestId}`),
    enabled: Boolean(latestId),
  })
  const evaluate = useMutation({
    mutationFn: () =>
      api(`/api/v1/standards/${std!.id}/evaluations`, {
        method: "POST",
        body: { from: period.from, to: period.to },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["evaluations"] }),
  })
  const e = latest.data
  const navigate = useNavigate()
  const toast = useToast()
  const open = useMutation({
    mutationFn: (breachId: string) =>
      api<{ id: string; number: number }>("/api/v1/improvements/cycles", {
        method: "POST",
        body: { workflowId: "pdca", breachId },
      }),
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: ["breaches"] })
      toast(t("improvements.started", { number: c.number }))
      void navigate({ to: "/improvements/$cycleId", params: { cycleId: c.id } })
    },
    onError: (err) => {
      void qc.invalidateQueries({ queryKey: ["breaches"] })
      toast(problemText(err), "bad")
    },
  })
  return (
    <Card title={t("dashboard.compliance")}>
      <div style={{ display: "flex", gap: 8, flexWrap: "wrap", marginBottom: 8 }} className="no-print">
        {std && session.can("standards:write") ? (
          <Button size="sm" variant="primary" onClick={() => evaluate.mutate()} disabled={evaluate.isPending}>
            {t("dashboard.evaluateNow")}
          </Button>
        ) : null}
        {e ? (
          <>
            <ExportLinks
              url={`/api/v1/standards/evaluations/${e.id}`}
              columns={[
                ["clause", t("dashboard.clause")],
                ["requirementId", t("dashboard.requirementId")],
                ["requirementTitle", t("dashboard.requirement")],
                ["targetId", t("dashboard.targetId")],
                ["metric", t("dashboard.metric")],
                ["operator", t("dashboard.operator")],
                ["target", t("dashboard.targetValue")],
                ["value", t("dashboard.value")],
                ["numerator", t("dashboard.numerator")],
                ["denominator", t("dashboard.denominator")],
                ["n", "n"],
                ["interval.lower", t("dashboard.intervalLower")],
                ["interval.upper", t("dashboard.intervalUpper")],
                ["status", t("dashboard.status"), exportLabels("targetStatus") ?? {}],
                ["breachId", t("dashboard.breach")],
              ]}
            />
            <Button size="sm" onClick={() => window.print()}>
              {t("dashboard.print")}
            </Button>
          </>
        ) : null}
      </div>
      {e ? (
        <div data-testid="compliance">
          <p style={{ margin: "0 0 4px" }}>
            <strong>{std?.title[lang] ?? std?.title.en}</strong> —{" "}
            {t("dashboard.lastEvaluation", {
              from: fmt.date(e.from),
              to: fmt.date(e.to),
              version: e.version,
            })}
          </p>
          <p className="t-hint" style={{ margin: "0 0 8px" }}>
            {t("dashboard.summary", e.summary)}
          </p>
          <table className="t-table">
            <thead>
              <tr>
                <th scope="col">{t("dashboard.requirement")}</th>
                <th scope="col">{t("dashboard.value")}</th>
                <th scope="col">{t("dashboard.status")}</th>
              </tr>
            </thead>
            <tbody>
              {e.results.map((r) => {
                const unit =
                  r.metric.endsWith("_time") || r.metric.endsWith("time_late")
                    ? "seconds"
                    : r.metric.endsWith("backlog")
                      ? "count"
                      : "percent"
                return (
                  <tr key={`${r.requirementId}-${r.targetId}`}>
                    <td>
                      {r.requirementId} {r.requirementTitle[lang] ?? r.requirementTitle.en}
                    </td>
                    <td>
                      {fv(unit, r.value)}{" "}
                      <span className="t-hint">
                        ({r.operator} {fv(unit, r.target)}, n = {r.n})
                      </span>
                    </td>
                    <td>
                      <Badge tone={TONE[r.status]}>
                        {ICON[r.status]} {t(`targetStatus.${r.status}`)}
                      </Badge>
                      {r.breachId && breach(r.breachId)?.cycleId ? (
                        <Link
                          className="t-btn t-btn--sm t-btn--ghost"
                          to="/improvements/$cycleId"
                          params={{ cycleId: breach(r.breachId)!.cycleId! }}
                          data-testid={`open-cycle-${r.targetId}`}
                        >
                          ↻ {t("improvements.viewCycle")}
                        </Link>
                      ) : r.breachId && session.can("improvements:write") ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          onClick={() => open.mutate(r.breachId!)}
                          data-testid={`start-pdca-${r.targetId}`}
                        >
                          ↻ {t("improvements.startPdca")}
                        </Button>
                      ) : null}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="t-hint">{t("dashboard.noEvaluation")}</p>
      )}
    </Card>
  )
}
