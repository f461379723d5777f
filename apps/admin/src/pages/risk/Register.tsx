/** The risk register: every risk with its inherent and residual band, owner, status and review date. */
import { Link } from "@tanstack/react-router"
import { Badge, Card, EmptyState, ErrorState, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { loc, type Rating, TONE, useCategories, useRisks } from "./model"
import { NewRiskButton } from "./RiskForms"

export const RatingBadge = ({ r }: { r: Rating }) => {
  const { t } = useTranslation()
  return (
    <Badge tone={TONE[r.severity]} title={`${r.likelihood}×${r.impact} = ${r.score}`}>
      <span
        aria-hidden
        style={{
          display: "inline-block",
          width: 8,
          height: 8,
          borderRadius: 4,
          background: r.colour,
          marginRight: 4,
        }}
      />
      {t(`risk.bands.${r.severity}`)} · {r.score}
    </Badge>
  )
}

export const RegisterPage = () => {
  const { t, i18n } = useTranslation()
  const f = useFormat()
  const risks = useRisks()
  const cats = useCategories()
  const session = useSession()
  const canWrite = session.can("risk:write")
  const catName = (id: string) => loc(cats.data?.items.find((c) => c.id === id)?.name, i18n.language) || id
  if (risks.isLoading) return <Skeleton height={240} />
  if (risks.error) return <ErrorState title={t("risk.loadError")} />
  const items = risks.data?.items ?? []
  if (!items.length)
    return (
      <Card>
        <EmptyState title={t("risk.empty")}>{canWrite ? <NewRiskButton /> : null}</EmptyState>
      </Card>
    )
  return (
    <Card>
      <div className="toolbar">
        {canWrite ? <NewRiskButton /> : <span />}
        <ExportLinks
          url="/api/v1/risk/risks"
          columns={[
            ["number", "#"],
            ["title", t("risk.cols.title")],
            ["categoryId", t("risk.cols.category")],
            ["inherent.score", `${t("risk.cols.inherent")} (L×I)`],
            ["inherent.band", t("risk.cols.inherent")],
            ["residual.score", `${t("risk.cols.residual")} (L×I)`],
            ["residual.band", t("risk.cols.residual")],
            ["status", t("risk.cols.status")],
            ["nextReviewAt", t("risk.cols.review")],
          ]}
        />
      </div>
      <div style={{ overflowX: "auto" }}>
        <table className="t-table" data-testid="risk-register">
          <thead>
            <tr>
              <th>#</th>
              <th>{t("risk.cols.title")}</th>
              <th>{t("risk.cols.category")}</th>
              <th>{t("risk.cols.inherent")}</th>
              <th>{t("risk.cols.residual")}</th>
              <th>{t("risk.cols.status")}</th>
              <th>{t("risk.cols.review")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id}>
                <td>R-{r.number}</td>
                <td>
                  <Link to="/risk/$riskId" params={{ riskId: r.id }}>
                    {r.title}
                  </Link>
                </td>
                <td>{catName(r.categoryId)}</td>
                <td>
                  <RatingBadge r={r.inherent} />
                </td>
                <td>
                  <RatingBadge r={r.residual} />
                </td>
                <td>{t(`risk.status.${r.status}`)}</td>
                <td>
                  {f.date(r.nextReviewAt)}{" "}
                  {r.reviewOverdue ? <Badge tone="bad">{t("risk.overdue")}</Badge> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  )
}
