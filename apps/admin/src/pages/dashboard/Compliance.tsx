/** Compliance: evaluating a published standard for the period. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Link, useNavigate } from "@tanstack/react-router"
import { Badge, Button, Callout, Card, Dialog, DialogActions, useToast } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg, problemText } from "../../api/client"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { useExportLabels } from "../table-labels"
import { ICON, type Tile, TONE, useFormatValue } from "./shared"

export const Compliance = ({
  period,
  tiles = [],
}: {
  period: { from: string; to: string }
  /** The KPI tiles above, computed now for the same period: where the evaluation differs, it says so. */
  tiles?: ReadonlyArray<Tile>
}) => {
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
        timeZone: string
        createdAt: string
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
          cases?: number
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
  // the evaluation and the tiles above agree only when they cover the same period: say when they do not
  const SLACK = 10 * 60_000
  const inStep =
    e &&
    Math.abs(new Date(e.from).getTime() - new Date(period.from).getTime()) <= SLACK &&
    Math.abs(new Date(e.to).getTime() - new Date(period.to).getTime()) <= SLACK
  const tileOf = (r: { requirementId: string; targetId: string }) =>
    e
      ? tiles.find(
          (k) => k.standardId === std?.id && k.requirementId === r.requirementId && k.targetId === r.targetId,
        )
      : undefined
  // a row whose tile shows another value or n: the data changed since the evaluation was computed
  const differs = (r: { requirementId: string; targetId: string; value: number | null; n: number }) => {
    const k = tileOf(r)
    return Boolean(
      k &&
        (k.n !== r.n ||
          (k.value === null) !== (r.value === null) ||
          Math.abs((k.value ?? 0) - (r.value ?? 0)) > 1e-9),
    )
  }
  const changed = inStep ? (e?.results.filter(differs).length ?? 0) : 0
  const [evidenceOf, setEvidenceOf] = useState<{ breachId: string; title: string }>()
  const evidence = useQuery({
    queryKey: ["breach-evidence", getCurrentOrg(), evidenceOf?.breachId],
    queryFn: () =>
      api<{
        total: number
        items: Array<{ id: string; number: number | null; subject: string | null; receivedAt: string | null }>
      }>(`/api/v1/standards/breaches/${evidenceOf!.breachId}/cases`),
    enabled: Boolean(evidenceOf),
  })
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
            <span data-testid="evaluation-period">
              {t("dashboard.lastEvaluation", {
                from: fmt.dateTime(e.from),
                to: fmt.dateTime(e.to),
                version: e.version,
              })}
            </span>
          </p>
          <p className="t-hint" style={{ margin: "0 0 4px" }} data-testid="evaluation-time">
            {t("dashboard.evaluatedAt", { at: fmt.dateTime(e.createdAt), zone: e.timeZone })}
          </p>
          {!inStep ? (
            <div style={{ margin: "0 0 8px" }} data-testid="evaluation-out-of-step">
              <Callout tone="warn">
                {t("dashboard.outOfStep", { from: fmt.dateTime(period.from), to: fmt.dateTime(period.to) })}
              </Callout>
            </div>
          ) : changed ? (
            <div style={{ margin: "0 0 8px" }} data-testid="evaluation-out-of-step">
              <Callout tone="warn">
                {t("dashboard.dataChanged", { count: changed, at: fmt.dateTime(e.createdAt) })}
              </Callout>
            </div>
          ) : null}
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
                const tile = tileOf(r)
                const unit =
                  tile?.metric.unit ??
                  (r.metric.endsWith("_time") || r.metric.endsWith("time_late")
                    ? "seconds"
                    : r.metric.endsWith("backlog")
                      ? "count"
                      : "percent")
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
                      {inStep && tile && differs(r) ? (
                        <div className="t-hint" data-testid={`tile-now-${r.targetId}`}>
                          {t("dashboard.tileNow", { value: fv(unit, tile.value), n: tile.n })}
                        </div>
                      ) : null}
                    </td>
                    <td>
                      <Badge tone={TONE[r.status]}>
                        {ICON[r.status]} {t(`targetStatus.${r.status}`)}
                      </Badge>
                      {r.breachId && r.cases !== undefined ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          data-testid={`evidence-${r.targetId}`}
                          onClick={() =>
                            setEvidenceOf({
                              breachId: r.breachId!,
                              title: `${r.requirementId} ${r.requirementTitle[lang] ?? r.requirementTitle.en}`,
                            })
                          }
                        >
                          {t("dashboard.evidence", { count: r.cases })}
                        </Button>
                      ) : null}
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
      <Dialog
        open={Boolean(evidenceOf)}
        onOpenChange={(o) => !o && setEvidenceOf(undefined)}
        title={t("dashboard.evidenceTitle", { requirement: evidenceOf?.title ?? "" })}
      >
        {evidence.data ? (
          <div data-testid="evidence-list">
            <p className="t-hint" style={{ marginTop: 0 }}>
              {evidence.data.total
                ? t("dashboard.evidenceCount", {
                    count: evidence.data.total,
                    shown: evidence.data.items.length,
                    from: e ? fmt.dateTime(e.from) : "",
                    to: e ? fmt.dateTime(e.to) : "",
                  })
                : t("dashboard.evidenceNone")}
            </p>
            <ul style={{ margin: 0, paddingLeft: 18, maxHeight: 320, overflow: "auto" }}>
              {evidence.data.items.map((k) => (
                <li key={k.id}>
                  <Link to="/cases/$caseId" params={{ caseId: k.id }}>
                    {k.number !== null ? `#${k.number}` : k.id}
                  </Link>{" "}
                  {k.subject ?? ""}{" "}
                  <span className="t-hint">{k.receivedAt ? fmt.dateTime(k.receivedAt) : ""}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="t-hint">{t("common.loading")}</p>
        )}
        <DialogActions>
          <Button onClick={() => setEvidenceOf(undefined)}>{t("common.close")}</Button>
        </DialogActions>
      </Dialog>
    </Card>
  )
}
