import { useNavigate, useSearch } from "@tanstack/react-router"
import { PageHeader, Select } from "@tenet/ui"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { CausesView } from "./Causes"
import { ItemsTable, ResponsesTable } from "./Lists"
import { ResultsView } from "./Results"
import { RulesView } from "./Rules"
import { SurveysView } from "./Surveys"

const TABS = ["results", "responses", "inbox", "complaints", "causes", "surveys", "rules"] as const
type Tab = (typeof TABS)[number]
/** The tabs the period applies to. */
const DATED: ReadonlyArray<Tab> = ["results", "responses", "causes"]

/** The open tab is in the address (`/feedback?tab=complaints`), so a complaint's page links back to it. */
export const validateFeedbackSearch = (s: Record<string, unknown>): { tab?: Tab } =>
  typeof s.tab === "string" && (TABS as ReadonlyArray<string>).includes(s.tab) ? { tab: s.tab as Tab } : {}

/**
 * The customer's voice: results with their intervals, responses, the feedback inbox, complaints, the
 * Pareto of causes, surveys and the rules that send them.
 */
export const FeedbackPage = () => {
  const { t } = useTranslation()
  const search = useSearch({ strict: false }) as { tab?: Tab }
  const navigate = useNavigate()
  const tab: Tab = search.tab ?? "results"
  const setTab = (x: Tab) => void navigate({ to: "/feedback", search: { tab: x }, replace: true })
  const [days, setDays] = useState(30)
  const [kind, setKind] = useState<"csat" | "nps" | "ces">("csat")
  const { from, to } = useMemo(() => {
    const end = new Date()
    return { from: new Date(end.getTime() - days * 86_400_000).toISOString(), to: end.toISOString() }
  }, [days])
  return (
    <>
      <PageHeader
        title={t("nav.feedback")}
        description={t("feedback.description")}
        actions={
          DATED.includes(tab) ? (
            <>
              <Select
                aria-label={t("feedback.period")}
                value={days}
                onChange={(e) => setDays(Number(e.target.value))}
              >
                {[7, 30, 90].map((d) => (
                  <option key={d} value={d}>
                    {t("feedback.lastDays", { count: d })}
                  </option>
                ))}
              </Select>
              {tab === "results" ? (
                <Select
                  aria-label={t("feedback.kind")}
                  value={kind}
                  onChange={(e) => setKind(e.target.value as typeof kind)}
                >
                  {(["csat", "nps", "ces"] as const).map((k) => (
                    <option key={k} value={k}>
                      {t(`feedback.kinds.${k}`)}
                    </option>
                  ))}
                </Select>
              ) : null}
            </>
          ) : null
        }
      />
      <div
        role="tablist"
        aria-label={t("nav.feedback")}
        style={{ display: "flex", gap: 8, marginBottom: 16, flexWrap: "wrap" }}
      >
        {TABS.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            aria-selected={tab === x}
            className={tab === x ? "t-btn t-btn--primary" : "t-btn"}
            onClick={() => setTab(x)}
          >
            {t(`feedback.tabs.${x}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel">
        {tab === "results" ? <ResultsView kind={kind} from={from} to={to} /> : null}
        {tab === "responses" ? <ResponsesTable from={from} to={to} /> : null}
        {tab === "inbox" ? <ItemsTable /> : null}
        {tab === "complaints" ? <ItemsTable kind="complaint" /> : null}
        {tab === "causes" ? <CausesView from={from} to={to} /> : null}
        {tab === "surveys" ? <SurveysView /> : null}
        {tab === "rules" ? <RulesView /> : null}
      </div>
    </>
  )
}
