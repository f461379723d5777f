/** The QA metrics for the registry: accuracy per critical family (QLT-01…03) and the weighted score (QLT-06). @since 0.5.0 */
import type { Contracts } from "@tenet/core"
import { meanInterval, wilsonInterval } from "@tenet/stats"
import { sql } from "kysely"
import type { Family } from "../Quality"

const L = (zh: string, en: string) => ({ "zh-CN": zh, en })
const accuracy = (family: Family, code: string, zh: string, en: string): Contracts.MetricDefinition => ({
  id: `quality.${family}_critical_accuracy`,
  code,
  module: "standards",
  name: L(zh, en),
  description: L(
    "无该类致命错误的被监控单元所占比例（不含校准评分）。",
    "Share of monitored units with no error of this critical family (calibration scores excluded).",
  ),
  unit: "percent",
  direction: "higher_is_better",
  kind: "proportion",
  dimensions: ["agent"],
  compute: async (q, db) => {
    const agent = q.filter?.agent
    const r = await sql<{
      bucket: string | null
      num: string | number
      den: string | number
    }>`select ${q.bucket === "none" ? sql`null::text` : sql`to_char(date_trunc(${q.bucket}, evaluated_at at time zone ${q.timeZone}), 'YYYY-MM-DD')`} as bucket,
        count(*) filter (where not (critical->>${family})::boolean) as num, count(*) as den
      from standards.qa_evaluation where org_id = ${q.orgId} and calibration_id is null and evaluated_at >= ${q.from} and evaluated_at < ${q.to}
      ${agent ? sql`and agent_id = ${agent}` : sql``} group by 1 order by 1 nulls first`.execute(db.kysely)
    return r.rows.map((row) => {
      const num = Number(row.num)
      const den = Number(row.den)
      const w = wilsonInterval(num, den)
      return {
        ...(row.bucket ? { bucket: row.bucket } : {}),
        value: num / den,
        numerator: num,
        denominator: den,
        n: den,
        interval: { lower: w.lower, upper: w.upper, confidence: 0.95 },
      }
    })
  },
})

/** QA metrics for the registry: QLT-01…03 accuracy per critical family, QLT-06 weighted score. @category constructors @since 0.1.0 */
export const qualityMetrics: ReadonlyArray<Contracts.MetricDefinition> = [
  accuracy("customer", "QLT-01", "客户致命错误准确率", "Customer-critical error accuracy"),
  accuracy("business", "QLT-02", "业务致命错误准确率", "Business-critical error accuracy"),
  accuracy("compliance", "QLT-03", "合规致命错误准确率", "Compliance-critical error accuracy"),
  {
    id: "quality.weighted_score",
    code: "QLT-06",
    module: "standards",
    name: L("质检加权得分", "Weighted QA score"),
    unit: "score",
    direction: "higher_is_better",
    kind: "mean",
    dimensions: ["agent"],
    compute: async (q, db) => {
      const agent = q.filter?.agent
      const r = await sql<{
        score: number
      }>`select score from standards.qa_evaluation where org_id = ${q.orgId} and calibration_id is null
        and evaluated_at >= ${q.from} and evaluated_at < ${q.to} ${agent ? sql`and agent_id = ${agent}` : sql``}`.execute(
        db.kysely,
      )
      const xs = r.rows.map((x) => Number(x.score))
      if (xs.length === 0) return [{ value: null, n: 0 }]
      if (xs.length === 1) return [{ value: xs[0]!, n: 1 }]
      const m = meanInterval(xs)
      return [{ value: m.mean, n: m.n, interval: { lower: m.lower, upper: m.upper, confidence: 0.95 } }]
    },
  },
]
