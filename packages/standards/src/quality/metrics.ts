/** The QA metrics for the registry: accuracy per critical family (QLT-01…03) and the weighted score (QLT-06). @since 0.5.0 */
import type { Contracts } from "@tenet/core"
import { meanInterval, wilsonInterval } from "@tenet/stats"
import { sql } from "kysely"
import type { Family } from "../Quality"

const L = (zh: string, en: string) => ({ "zh-CN": zh, en })
/** The local bucket start of an evaluation (null for no bucket). */
const bucketOf = (q: Contracts.MetricQuery) =>
  q.bucket === "none"
    ? sql<string | null>`null::text`
    : sql<
        string | null
      >`to_char(date_trunc(${q.bucket}, evaluated_at at time zone ${q.timeZone}), 'YYYY-MM-DD')`
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
    const byAgent = q.groupBy?.includes("agent") ?? false
    const r = await sql<{
      bucket: string | null
      agent: string | null
      num: string | number
      den: string | number
    }>`select ${bucketOf(q)} as bucket, ${byAgent ? sql`agent_id` : sql`null::text`} as agent,
        count(*) filter (where not (critical->>${family})::boolean) as num, count(*) as den
      from standards.qa_evaluation where org_id = ${q.orgId} and calibration_id is null and evaluated_at >= ${q.from} and evaluated_at < ${q.to}
      ${agent ? sql`and agent_id = ${agent}` : sql``} group by 1, 2 order by 1 nulls first, 2`.execute(
      db.kysely,
    )
    return r.rows.map((row) => {
      const num = Number(row.num)
      const den = Number(row.den)
      const w = wilsonInterval(num, den)
      return {
        ...(row.bucket ? { bucket: row.bucket } : {}),
        ...(byAgent ? { dimensions: { agent: row.agent ?? "" } } : {}),
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
      const byAgent = q.groupBy?.includes("agent") ?? false
      const r = await sql<{ bucket: string | null; agent: string | null; score: number }>`select
          ${bucketOf(q)} as bucket, ${byAgent ? sql`agent_id` : sql`null::text`} as agent, score
        from standards.qa_evaluation where org_id = ${q.orgId} and calibration_id is null
        and evaluated_at >= ${q.from} and evaluated_at < ${q.to} ${agent ? sql`and agent_id = ${agent}` : sql``}
        order by 1 nulls first, 2`.execute(db.kysely)
      // one value per bucket (and agent), in order; with no bucket and no group, one value even when empty
      const groups = new Map<string, { bucket: string | null; agent: string | null; xs: number[] }>()
      for (const row of r.rows) {
        const key = `${row.bucket ?? ""}\u0000${row.agent ?? ""}`
        const g = groups.get(key) ?? { bucket: row.bucket, agent: row.agent, xs: [] }
        g.xs.push(Number(row.score))
        groups.set(key, g)
      }
      if (groups.size === 0) return q.bucket === "none" && !byAgent ? [{ value: null, n: 0 }] : []
      return [...groups.values()].map((g) => {
        const where = {
          ...(g.bucket ? { bucket: g.bucket } : {}),
          ...(byAgent ? { dimensions: { agent: g.agent ?? "" } } : {}),
        }
        if (g.xs.length === 1) return { ...where, value: g.xs[0]!, n: 1 }
        const m = meanInterval(g.xs)
        return {
          ...where,
          value: m.mean,
          n: m.n,
          interval: { lower: m.lower, upper: m.upper, confidence: 0.95 },
        }
      })
    },
  },
]
