/** QA scorecard criteria mapped to skills of the competency framework. */
import { useQuery } from "@tanstack/react-query"
import { Callout, Card, Select } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { ApiError, api, getCurrentOrg } from "../../api/client"
import { type Framework, useCriterionSkills, useCultureWrite } from "../../api/culture"
import { ExportLinks } from "../../components/ExportLinks"
import { useSession } from "../../session"
import type { Scorecard } from "../quality/model"
import { useText2 } from "./shared"

export const CriterionSkillsCard = ({ framework }: { framework: Framework }) => {
  const { t, i18n } = useTranslation()
  const session = useSession()
  const cards = useQuery({
    queryKey: ["scorecards", getCurrentOrg()],
    queryFn: () => api<{ items: Scorecard[] }>("/api/v1/quality/scorecards"),
    enabled: session.can("quality:read"),
  })
  const mappings = useCriterionSkills()
  const write = useCultureWrite()
  const text = useText2()
  const canManage = session.can("culture:manage")
  const mapped = new Map((mappings.data?.items ?? []).map((m) => [m.criterionId, m.skillId]))
  const name = (c: { id: string; name: Record<string, string> }) =>
    (i18n.language.startsWith("zh") ? c.name["zh-CN"] : c.name.en) ?? c.name.en ?? c.name["zh-CN"] ?? c.id
  // each criterion once (by id), with the scorecards it is on
  const criteria = new Map<string, { id: string; name: string; cards: string[] }>()
  for (const card of cards.data?.items ?? [])
    for (const c of card.definition.sections.flatMap((s) => s.criteria)) {
      const seen = criteria.get(c.id)
      if (seen) seen.cards.push(card.name)
      else criteria.set(c.id, { id: c.id, name: name(c), cards: [card.name] })
    }
  return (
    <Card title={t("culture.criterionSkills.title")}>
      <p className="t-hint">{t("culture.criterionSkills.hint")}</p>
      <ExportLinks
        url="/api/v1/culture/criterion-skills"
        columns={[
          ["criterionId", t("culture.criterionSkills.criterion")],
          ["skillId", t("culture.criterionSkills.skill")],
        ]}
      />
      {write.error instanceof ApiError ? <Callout tone="bad">{write.error.text()}</Callout> : null}
      {criteria.size === 0 ? (
        <p>{t("culture.criterionSkills.none")}</p>
      ) : (
        <table className="t-table" data-testid="criterion-skills">
          <thead>
            <tr>
              <th>{t("culture.criterionSkills.criterion")}</th>
              <th>{t("culture.lowScore.scorecard")}</th>
              <th>{t("culture.criterionSkills.skill")}</th>
            </tr>
          </thead>
          <tbody>
            {[...criteria.values()].map((c) => (
              <tr key={c.id}>
                <td>
                  {c.name} <code className="t-code">{c.id}</code>
                </td>
                <td>{c.cards.join("、")}</td>
                <td>
                  <Select
                    aria-label={t("culture.criterionSkills.skillFor", { name: c.name })}
                    value={mapped.get(c.id) ?? ""}
                    disabled={!canManage || write.isPending}
                    onChange={(e) =>
                      write.mutate({
                        method: "PUT",
                        path: `/api/v1/culture/criterion-skills/${encodeURIComponent(c.id)}`,
                        body: { skillId: e.target.value || null },
                      })
                    }
                  >
                    <option value="">{t("culture.criterionSkills.unmapped")}</option>
                    {framework.areas.map((a) => (
                      <option key={a.id} value={a.id}>
                        {text(a.name)}
                      </option>
                    ))}
                  </Select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  )
}
