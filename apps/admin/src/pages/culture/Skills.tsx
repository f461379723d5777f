/** The competency framework, the skills matrix (self / supervisor) and the team × area gap heat map. */
import { Card, EmptyState, Skeleton } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { useFramework, useGaps, useMatrix, useRoster } from "../../api/culture"
import { useText2 } from "./shared"

const heat = (gap: number) => `rgba(220, 80, 60, ${Math.min(0.85, gap / 3)})`

export const SkillsPage = () => {
  const { t } = useTranslation()
  const framework = useFramework()
  const matrix = useMatrix()
  const gaps = useGaps()
  const roster = useRoster()
  const text = useText2()
  if (framework.isLoading) return <Skeleton height={120} />
  const f = framework.data?.framework
  if (!f) return <EmptyState icon="✦" title={t("culture.skills.noFramework")} />
  const names = new Map((roster.data?.items ?? []).map((p) => [p.userId, p.displayName]))
  const people = [...new Set((matrix.data?.items ?? []).map((c) => c.userId))]
  const teams = [...new Set((gaps.data?.items ?? []).map((c) => c.teamId))]
  return (
    <div style={{ display: "grid", gap: "var(--space-5)" }}>
      <Card title={`${text(f.name)} · ${t("culture.skills.levels")}`}>
        <ol>
          {f.levels.map((l) => (
            <li key={l.level}>
              <strong>{text(l.name)}</strong> — {text(l.behaviour)}
            </li>
          ))}
        </ol>
      </Card>
      <Card title={t("culture.skills.heatMap")}>
        <p>{t("culture.skills.heatHint")}</p>
        <table className="t-table" data-testid="heat-map">
          <thead>
            <tr>
              <th>{t("culture.teams.team")}</th>
              {f.areas.map((a) => (
                <th key={a.id}>{text(a.name)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {teams.map((team) => (
              <tr key={team}>
                <td>{team}</td>
                {f.areas.map((a) => {
                  const c = gaps.data?.items.find((x) => x.teamId === team && x.skillId === a.id)
                  return (
                    <td
                      key={a.id}
                      style={{ background: heat(c?.meanGap ?? 0) }}
                      title={t("culture.skills.cell", { below: c?.below ?? 0, n: c?.n ?? 0 })}
                    >
                      {(c?.meanGap ?? 0).toFixed(2)} <small>n={c?.n ?? 0}</small>
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title={t("culture.skills.matrix")}>
        <table className="t-table">
          <thead>
            <tr>
              <th>{t("culture.roster.name")}</th>
              {f.areas.map((a) => (
                <th key={a.id}>{text(a.name)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p}>
                <td>{names.get(p) ?? p}</td>
                {f.areas.map((a) => {
                  const c = matrix.data?.items.find((x) => x.userId === p && x.skillId === a.id)
                  return (
                    <td key={a.id} title={t("culture.skills.selfSupervisor")}>
                      {c ? `${c.self ?? "—"} / ${c.supervisor ?? "—"}` : "—"}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  )
}
