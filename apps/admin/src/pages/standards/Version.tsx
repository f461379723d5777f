/** One version of a standard: its clauses, requirements and targets, and its diff. */
import { useQuery } from "@tanstack/react-query"
import { Badge } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../../api/client"
import { useMetricName } from "../improvements/model"

type Doc = { clauses: Array<Clause> }
type Clause = {
  id: string
  title: Record<string, string>
  requirements?: Array<{
    id: string
    title: Record<string, string>
    targets?: Array<{
      id: string
      metric: string
      operator: string
      value: number
      filter?: Record<string, string>
    }>
  }>
  clauses?: Clause[]
}

/** The `value` of a diff entry's before or after (a target's), when it has one. */
const targetValue = (v: unknown) =>
  typeof v === "object" && v !== null && "value" in v ? String((v as { value: unknown }).value) : undefined

export const VersionDetail = ({
  standardId,
  version,
  basedOn,
}: {
  standardId: string
  version: number
  basedOn: number | null
}) => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language as "zh-CN" | "en"
  const metricName = useMetricName()
  const v = useQuery({
    queryKey: ["standard-version", getCurrentOrg(), standardId, version],
    queryFn: () => api<{ document: Doc }>(`/api/v1/standards/${standardId}/versions/${version}`),
  })
  const d = useQuery({
    queryKey: ["standard-diff", getCurrentOrg(), standardId, basedOn, version],
    queryFn: () =>
      api<{
        items: Array<{
          kind: string
          what: string
          requirement: string
          target?: string
          before?: unknown
          after?: unknown
        }>
      }>(`/api/v1/standards/${standardId}/diff?a=${basedOn}&b=${version}`),
    enabled: basedOn !== null,
  })
  const render = (clauses: Clause[], depth: number): React.ReactNode =>
    clauses.map((c) => (
      <div key={c.id} style={{ marginLeft: depth * 16, marginTop: 8 }}>
        <strong>
          {c.id} {c.title[lang] ?? c.title.en}
        </strong>
        <ul style={{ margin: "4px 0", paddingLeft: 18 }}>
          {(c.requirements ?? []).map((r) => (
            <li key={r.id}>
              {r.id} {r.title[lang] ?? r.title.en}
              {(r.targets ?? []).map((tg) => (
                <span key={tg.id} className="t-hint">
                  {" "}
                  · <span title={tg.metric}>{metricName(tg.metric, lang)}</span> {tg.operator} {tg.value}
                  {tg.filter ? ` ${JSON.stringify(tg.filter)}` : ""}
                </span>
              ))}
            </li>
          ))}
        </ul>
        {c.clauses ? render(c.clauses, depth + 1) : null}
      </div>
    ))
  return (
    <div style={{ marginTop: 12 }}>
      {basedOn !== null && d.data ? (
        <div style={{ marginBottom: 12 }}>
          <div className="t-label">{t("standards.diff", { from: basedOn })}</div>
          {d.data.items.length ? (
            <ul style={{ margin: "4px 0", paddingLeft: 18 }} data-testid="standard-diff">
              {d.data.items.map((x) => (
                <li key={`${x.kind}-${x.requirement}-${x.target ?? ""}`}>
                  <Badge tone={x.kind === "added" ? "ok" : x.kind === "removed" ? "bad" : "warn"}>
                    {t(`standards.diffKinds.${x.kind}`)}
                  </Badge>{" "}
                  {x.what === "target"
                    ? `${t("standards.targetWord")} ${x.requirement}/${x.target}`
                    : `${t("standards.requirementWord")} ${x.requirement}`}
                  {x.kind === "changed" && x.what === "target" ? (
                    <span className="t-hint">
                      {" "}
                      {targetValue(x.before)} → {targetValue(x.after)}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="t-hint">{t("standards.noDiff")}</p>
          )}
        </div>
      ) : null}
      {v.data ? render(v.data.document.clauses, 0) : null}
    </div>
  )
}
