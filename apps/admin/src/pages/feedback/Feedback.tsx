import { PageHeader, Select } from "@tenet/ui"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { ItemsTable, ResponsesTable } from "./Lists"
import { ResultsView } from "./Results"
import { SurveysView } from "./Surveys"

const TABS = ["results", "responses", "inbox", "complaints", "surveys"] as const
type Tab = (typeof TABS)[number]

/** The customer's voice: results with their intervals, responses, the feedback inbox, complaints and surveys. */
export const FeedbackPage = () => {
  const { t } = useTranslation()
  const [tab, setTab] = useState<Tab>("results")
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
          </>
        }
      />
      <div role="tablist" style={{ display: "flex", gap: 8, marginBottom: 16 }}>
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
        {tab === "surveys" ? <SurveysView /> : null}
      </div>
    </>
  )
}
