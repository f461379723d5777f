/** The competency framework, the skills matrix (self / supervisor) and the team × area gap heat map. */
import { Button, Callout, Card, EmptyState, Skeleton } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import { useCultureWrite, useFramework, useGaps, useMatrix, useRoster, useTeams } from "../../api/culture"
import { ExportLinks } from "../../components/ExportLinks"
import { useSession } from "../../session"
import { labelsFrom } from "../table-labels"
import { CriterionSkillsCard } from "./CriterionSkills"
import { useText2 } from "./shared"

/** Import a framework as YAML or JSON; the server names the path of every problem. */
const FrameworkImport = () => {
  const { t } = useTranslation()
  const [text, setText] = useState("")
  const write = useCultureWrite<{ id: string; version: number }>()
  const failure = write.error instanceof ApiError ? write.error : undefined
  return (
    <Card title={t("culture.skills.import")}>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          write.mutate({ method: "PUT", path: "/api/v1/culture/framework", body: { text } })
        }}
      >
        <textarea
          className="t-input"
          aria-label={t("culture.skills.import")}
          rows={8}
          style={{ width: "100%", fontFamily: "var(--font-mono, monospace)" }}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t("culture.skills.importHint")}
        />
        <Button type="submit" variant="primary" disabled={write.isPending || !text.trim()}>
          {t("culture.skills.importButton")}
        </Button>
      </form>
      {failure ? (
        <Callout tone="bad">
          {failure.text()}
          <ul>
            {failure.fieldErrors.map((f) => (
              <li key={f.path}>
                <code className="t-code">{f.path}</code> {f.message}
              </li>
            ))}
          </ul>
        </Callout>
      ) : null}
      {write.data ? <Callout>{t("culture.skills.imported", { version: write.data.version })}</Callout> : null}
    </Card>
  )
}

const heat = (gap: number) => `rgba(220, 80, 60, ${Math.min(0.85, gap / 3)})`

export const SkillsPage = () => {
  const { t } = useTranslation()
  const framework = useFramework()
  const matrix = useMatrix()
  const gaps = useGaps()
  const roster = useRoster()
  const teamList = useTeams()
  const text = useText2()
  const session = useSession()
  const canManage = session.can("culture:manage")
  if (framework.isLoading) return <Skeleton height={120} />
  const f = framework.data?.framework
  if (!f)
    return (
      <>
        <EmptyState icon="✦" title={t("culture.skills.noFramework")} />
        {canManage ? <FrameworkImport /> : null}
      </>
    )
  const names = new Map((roster.data?.items ?? []).map((p) => [p.userId, p.displayName]))
  const people = [...new Set((matrix.data?.items ?? []).map((c) => c.userId))]
  const teams = [...new Set((gaps.data?.items ?? []).map((c) => c.teamId))]
  const areaNames = labelsFrom(
    f.areas,
    (a) => a.id,
    (a) => text(a.name),
  )
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
        <ExportLinks
          url="/api/v1/culture/gaps"
          columns={[
            [
              "teamId",
              t("culture.teams.team"),
              labelsFrom(
                teamList.data?.items,
                (x) => x.id,
                (x) => text(x.name),
              ),
            ],
            ["skillId", t("culture.skills.area"), areaNames],
            ["meanGap", t("culture.skills.meanGap")],
            ["below", t("culture.skills.below")],
            ["n", "n"],
          ]}
        />
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
                <td>
                  {(() => {
                    const found = teamList.data?.items.find((x) => x.id === team)
                    return found ? text(found.name) : team
                  })()}
                </td>
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
        <ExportLinks
          url="/api/v1/culture/skills-matrix"
          columns={[
            ["userId", t("culture.roster.name"), "user"],
            ["skillId", t("culture.skills.area"), areaNames],
            ["self", t("culture.skills.self")],
            ["supervisor", t("culture.skills.supervisor")],
          ]}
        />
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
      <CriterionSkillsCard framework={f} />
      {canManage ? <FrameworkImport /> : null}
    </div>
  )
}
