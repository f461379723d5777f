/** Calibration sessions and their agreement statistics. */
import { useQuery } from "@tanstack/react-query"
import { Badge, Button, Card } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../../api/client"
import { useMembers } from "../../api/hooks"
import { ExportLinks } from "../../components/ExportLinks"
import { useFormat } from "../../format"
import { band } from "./model"

export const Calibrations = () => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const members = useMembers()
  const list = useQuery({
    queryKey: ["calibrations", getCurrentOrg()],
    queryFn: () =>
      api<{ items: Array<{ id: string; name: string; createdAt: string }> }>("/api/v1/quality/calibrations"),
  })
  const [open, setOpen] = useState<string>()
  const id = open ?? list.data?.items[0]?.id
  const detail = useQuery({
    queryKey: ["calibration", getCurrentOrg(), id],
    queryFn: () =>
      api<{
        name: string
        completed: number
        expected: number
        tolerance: number
        stats: null | {
          alpha: number | null
          passFailKappa: number | null
          reference: string
          evaluators: Array<{
            evaluator: string
            bias: number
            withinTolerance: number
            kappa: number | null
            flagged: boolean
          }>
        }
      }>(`/api/v1/quality/calibrations/${id}`),
    enabled: Boolean(id),
  })
  const name = (uid: string) => members.data?.items.find((m) => m.userId === uid)?.name ?? uid
  const s = detail.data?.stats
  const num = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toFixed(3))
  return (
    <Card title={t("quality.calibrations")}>
      <div style={{ display: "flex", gap: 6, flexWrap: "wrap", marginBottom: 8 }}>
        {list.data?.items.map((c) => (
          <Button
            key={c.id}
            size="sm"
            variant={c.id === id ? "primary" : "default"}
            onClick={() => setOpen(c.id)}
          >
            {c.name} · {fmt.date(c.createdAt)}
          </Button>
        ))}
      </div>
      {detail.data ? (
        <div data-testid="calibration">
          <p className="t-hint" style={{ margin: "0 0 6px" }}>
            {t("quality.progress", { done: detail.data.completed, expected: detail.data.expected })}
          </p>
          {s ? (
            <>
              <dl className="kv">
                <dt>{t("quality.alpha")}</dt>
                <dd data-testid="alpha">{num(s.alpha)}</dd>
                <dt>{t("quality.kappa")}</dt>
                <dd data-testid="kappa">
                  {num(s.passFailKappa)}{" "}
                  {s.passFailKappa !== null ? (
                    <span className="t-hint">
                      ({t("quality.band", { band: t(`quality.bands.${band(s.passFailKappa)}`) })})
                    </span>
                  ) : null}
                </dd>
              </dl>
              <p className="t-hint">{t("quality.accept")}</p>
              <ExportLinks
                url={`/api/v1/quality/calibrations/${id}`}
                columns={[
                  ["evaluator", t("quality.evaluator"), "user"],
                  ["bias", t("quality.bias", { reference: t(`quality.${s.reference}`) })],
                  ["withinTolerance", t("quality.within", { tolerance: detail.data.tolerance })],
                  ["kappa", t("quality.evaluatorKappa")],
                  [
                    "flagged",
                    t("quality.flaggedColumn"),
                    { true: t("quality.flagged"), false: t("quality.ok") },
                  ],
                ]}
              />
              <div className="scroll-x">
                <table className="t-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("quality.evaluator")}</th>
                      <th scope="col">{t("quality.bias", { reference: t(`quality.${s.reference}`) })}</th>
                      <th scope="col">{t("quality.within", { tolerance: detail.data.tolerance })}</th>
                      <th scope="col">{t("quality.evaluatorKappa")}</th>
                      <th scope="col" />
                    </tr>
                  </thead>
                  <tbody>
                    {s.evaluators.map((e) => (
                      <tr key={e.evaluator}>
                        <td>{name(e.evaluator)}</td>
                        <td>{e.bias > 0 ? `+${e.bias}` : e.bias}</td>
                        <td>{Math.round(e.withinTolerance * 100)}%</td>
                        <td>{num(e.kappa)}</td>
                        <td>
                          {e.flagged ? (
                            <Badge tone="bad">⚠ {t("quality.flagged")}</Badge>
                          ) : (
                            <Badge tone="ok">✓ {t("quality.ok")}</Badge>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}
        </div>
      ) : null}
    </Card>
  )
}
