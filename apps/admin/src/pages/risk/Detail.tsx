/** A risk: cause, event, consequence, ratings, rating history with who and why, KRIs with their charts. */
import { useParams } from "@tanstack/react-router"
import { Badge, Card, ErrorState, PageHeader, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { useMembers } from "../../api/hooks"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { useMetricName } from "../improvements/model"
import { labelsFrom, useExportLabels } from "../table-labels"
import { KriChart } from "./KriChart"
import { EditKriButton, NewKriButton } from "./KriForms"
import { DL } from "./Layout"
import { KRI_TONE, loc, useKris, useRisk } from "./model"
import { RatingBadge } from "./Register"
import { EditRiskButton, RateButton } from "./RiskForms"
import { AcceptancesCard, TreatmentsCard } from "./Treatments"

export const RiskDetailPage = () => {
  const { riskId } = useParams({ from: "/app/risk/$riskId" })
  const { t, i18n } = useTranslation()
  const metricName = useMetricName()
  const exportLabels = useExportLabels()
  const f = useFormat()
  const risk = useRisk(riskId)
  const kris = useKris(riskId)
  const members = useMembers()
  const session = useSession()
  const who = (uid: string) => members.data?.items.find((m) => m.userId === uid)?.name ?? uid
  if (risk.isLoading) return <Skeleton height={320} />
  if (risk.error || !risk.data) return <ErrorState title={t("risk.loadError")} />
  const r = risk.data
  // a KRI's own rating is written by the server; it is told here in the reader's language from its
  // fields (the KRI, the likelihood before and after) rather than shown as the server's English note
  const ratingWhy = (h: (typeof r.history)[number], before: typeof r.history) => {
    if (h.source === "kri") {
      const prev = [...before].reverse().find((p) => p.kind === h.kind)
      const kri = (kris.data?.items ?? []).find((k) => k.id === h.kriId)
      return t("risk.history.kriRaised", {
        kri: kri?.name ?? t("risk.history.sources.kri"),
        from: prev?.likelihood ?? "—",
        to: h.likelihood,
      })
    }
    return h.rationale || (h.source === "register" ? t("risk.history.firstRating") : "—")
  }
  return (
    <>
      <PageHeader
        title={`R-${r.number} ${r.title}`}
        description={t(`risk.status.${r.status}`)}
        actions={
          session.can("risk:write") ? (
            <>
              <EditRiskButton risk={r} />
              <RateButton riskId={r.id} matrix={r.matrix} current={r.residual} />
            </>
          ) : undefined
        }
      />
      <div style={{ display: "grid", gap: 16 }}>
        <Card>
          <dl className="t-dl" style={DL}>
            <dt>{t("risk.fields.cause")}</dt>
            <dd>{r.cause}</dd>
            <dt>{t("risk.fields.event")}</dt>
            <dd>{r.event}</dd>
            <dt>{t("risk.fields.consequence")}</dt>
            <dd>{r.consequence}</dd>
            <dt>{t("risk.cols.inherent")}</dt>
            <dd style={{ margin: 0 }}>
              <RatingBadge r={r.inherent} />
            </dd>
            <dt>{t("risk.cols.residual")}</dt>
            <dd style={{ margin: 0 }}>
              <RatingBadge r={r.residual} />
            </dd>
            <dt>{t("risk.fields.controls")}</dt>
            <dd>
              {r.controls
                .map((c) =>
                  c.effectiveness
                    ? t("risk.forms.controlWith", {
                        title: c.title,
                        effectiveness: t(`risk.forms.effectiveness.${c.effectiveness}`),
                      })
                    : c.title,
                )
                .join("；") || "—"}
            </dd>
            <dt>{t("risk.cols.review")}</dt>
            <dd style={{ margin: 0 }}>
              {f.date(r.nextReviewAt)} · {t("risk.fields.cadence", { days: r.reviewCadenceDays })}
            </dd>
          </dl>
        </Card>
        <Card>
          <div className="toolbar">
            <h2 style={{ fontSize: 16 }}>{t("risk.kri.title")}</h2>
            {session.can("risk:manage") ? <NewKriButton riskId={r.id} /> : null}
          </div>
          {(kris.data?.items ?? []).length === 0 ? <p className="t-hint">{t("risk.kri.none")}</p> : null}
          {(kris.data?.items ?? []).map((k) => (
            <section key={k.id} style={{ marginBottom: 16 }} data-testid={`kri-${k.id}`}>
              <h3 style={{ fontSize: 14 }}>
                {k.name} <Badge tone={KRI_TONE[k.state]}>{t(`risk.kri.state.${k.state}`)}</Badge>{" "}
                <span className="t-hint">
                  <span title={k.metricId}>{metricName(k.metricId, i18n.language)}</span> ·{" "}
                  {t(`risk.kri.direction.${k.direction}`)} · {t(`risk.kri.mode.${k.mode}`)} ·{" "}
                  {t("risk.kri.thresholds", { amber: k.amber, red: k.red })}
                </span>{" "}
                {session.can("risk:manage") ? <EditKriButton kri={k} /> : null}
              </h3>
              <KriChart kri={k} />
            </section>
          ))}
        </Card>
        <TreatmentsCard riskId={r.id} />
        <AcceptancesCard riskId={r.id} />
        <Card>
          <div className="toolbar">
            <h2 style={{ fontSize: 16 }}>{t("risk.history.title")}</h2>
            <ExportLinks
              url={`/api/v1/risk/risks/${r.id}`}
              columns={[
                ["ratedAt", t("risk.history.when")],
                ["kind", t("risk.history.kind"), exportLabels("risk.cols") ?? {}],
                ["likelihood", t("risk.history.likelihood")],
                ["impact", t("risk.history.impact")],
                ["score", t("risk.history.score")],
                [
                  "band",
                  t("risk.history.band"),
                  labelsFrom(
                    r.matrix.bands,
                    (b) => b.id,
                    (b) => loc(b.name, i18n.language) || b.id,
                  ),
                ],
                ["source", t("risk.history.source"), exportLabels("risk.history.sources") ?? {}],
                ["ratedBy", t("risk.history.who"), "user"],
                ["rationale", t("risk.history.why")],
              ]}
            />
          </div>
          <div style={{ overflowX: "auto" }}>
            <table className="t-table">
              <thead>
                <tr>
                  <th>{t("risk.history.when")}</th>
                  <th>{t("risk.history.kind")}</th>
                  <th>{t("risk.history.rating")}</th>
                  <th>{t("risk.history.source")}</th>
                  <th>{t("risk.history.who")}</th>
                  <th>{t("risk.history.why")}</th>
                </tr>
              </thead>
              <tbody>
                {r.history
                  .map((h, i) => ({ h, why: ratingWhy(h, r.history.slice(0, i)) }))
                  .reverse()
                  .map(({ h, why }) => (
                    <tr key={h.id}>
                      <td>{f.dateTime(h.ratedAt)}</td>
                      <td>{t(`risk.cols.${h.kind}`)}</td>
                      <td>
                        {h.likelihood}×{h.impact} = {h.score} ·{" "}
                        {loc(r.matrix.bands.find((b) => b.id === h.band)?.name, i18n.language) || h.band}
                      </td>
                      <td>{t(`risk.history.sources.${h.source}`)}</td>
                      <td>{who(h.ratedBy)}</td>
                      <td>{why}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </Card>
      </div>
    </>
  )
}
