/** The heat map: likelihood (rows, highest first) × impact (columns), each cell in its band's colour with its risks. */
import { Card, ErrorState, Select, Skeleton } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { loc, useHeatMap, useRisks } from "./model"

export const HeatMapPage = () => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const heat = useHeatMap()
  const risks = useRisks()
  const [which, setWhich] = useState<"residual" | "inherent">("residual")
  if (heat.isLoading) return <Skeleton height={320} />
  if (heat.error || !heat.data) return <ErrorState title={t("risk.loadError")} />
  const { matrix, cells } = heat.data
  const num = (id: string) => risks.data?.items.find((r) => r.id === id)?.number
  return (
    <Card>
      <label className="t-label" style={{ display: "flex", gap: 8, alignItems: "center", marginBottom: 12 }}>
        {t("risk.heat.show")}
        <Select value={which} onChange={(e) => setWhich(e.target.value as "residual" | "inherent")}>
          <option value="residual">{t("risk.cols.residual")}</option>
          <option value="inherent">{t("risk.cols.inherent")}</option>
        </Select>
      </label>
      <div style={{ overflowX: "auto" }}>
        <table
          data-testid="heat-map"
          style={{ borderCollapse: "separate", borderSpacing: 4, width: "100%", tableLayout: "fixed" }}
        >
          <caption className="t-hint" style={{ captionSide: "bottom", textAlign: "left" }}>
            {t("risk.heat.axes")}
          </caption>
          <tbody>
            {Array.from({ length: matrix.likelihood.length }, (_, row) => {
              const l = matrix.likelihood.length - row
              return (
                <tr key={`l${l}`}>
                  <th scope="row" className="t-hint" style={{ textAlign: "right", fontWeight: 400 }}>
                    {l} · {loc(matrix.likelihood[l - 1]?.name, lang)}
                  </th>
                  {cells
                    .filter((c) => c.likelihood === l)
                    .map((c) => (
                      <td
                        key={`${c.likelihood}-${c.impact}`}
                        data-cell={`${c.likelihood}-${c.impact}`}
                        title={`${t("risk.heat.likelihood")} ${c.likelihood} × ${t("risk.heat.impact")} ${c.impact} = ${c.score} (${loc(matrix.bands.find((b) => b.id === c.band)?.name, lang)})`}
                        style={{
                          background: c.colour,
                          color: "#fff",
                          minWidth: 56,
                          height: 56,
                          borderRadius: 6,
                          padding: 6,
                          fontSize: 12,
                          verticalAlign: "top",
                        }}
                      >
                        <div style={{ opacity: 0.8 }}>{c.score}</div>
                        <div style={{ fontWeight: 600 }}>
                          {c[which].map((id) => `R-${num(id) ?? "?"}`).join(" ")}
                        </div>
                      </td>
                    ))}
                </tr>
              )
            })}
          </tbody>
          <tfoot>
            <tr>
              <td />
              {matrix.impact.map((lvl, i) => (
                <th key={`i${i + 1}`} scope="col" className="t-hint" style={{ fontWeight: 400 }}>
                  {i + 1} · {loc(lvl.name, lang)}
                </th>
              ))}
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="t-hint" style={{ marginTop: 8 }}>
        {matrix.bands.map((b) => `${loc(b.name, lang)} ${b.min}–${b.max}`).join(" · ")}
      </p>
    </Card>
  )
}
