/**
 * The risk module's metrics for the registry, so dashboards and standards can target them: open high
 * and very-high risks, KRIs in red, treatments overdue, reviews overdue, incidents (by severity), mean
 * time to resolve, and plan exercise coverage. The counts of states (risks, KRIs, treatments, reviews)
 * are taken at the end of the period asked for.
 *
 * @since 0.1.0
 */
import type { Contracts } from "@tenet/core"
import { meanInterval, wilsonInterval } from "@tenet/stats"
import { sql } from "kysely"
import * as Matrix from "./Matrix"

type Def = Contracts.MetricDefinition
const L = (zh: string, en: string) => ({ "zh-CN": zh, en })
const at = (q: Contracts.MetricQuery) => (q.to.getTime() < Date.now() ? q.to : new Date())

const count = (
  id: string,
  name: ReturnType<typeof L>,
  description: ReturnType<typeof L>,
  compute: Def["compute"],
): Def => ({
  id,
  module: "risk",
  name,
  description,
  unit: "count",
  direction: "lower_is_better",
  kind: "count",
  dimensions: [],
  compute,
})
const one = (n: number) => [{ value: n, n }]

/** @category models @since 0.1.0 */
export const metrics: ReadonlyArray<Def> = [
  count(
    "risk.open_high_risks",
    L("高及极高风险（未关闭）", "Open high and very-high risks"),
    L(
      "剩余风险等级为高或极高、未关闭的风险数。",
      "Risks not closed whose residual rating is in a high or very-high band.",
    ),
    async (q, db) => {
      const rows = await sql<{ definition: Matrix.MatrixDefinition; l: number; i: number }>`
      select m.definition, r.residual_likelihood as l, r.residual_impact as i from risk.risk r
      join risk.matrix m on m.org_id = r.org_id and m.id = r.matrix_id
      where r.org_id = ${q.orgId} and r.status <> 'closed' and r.created_at < ${q.to}`.execute(db.kysely)
      return one(
        rows.rows.filter((r) => ["high", "very_high"].includes(Matrix.band(r.definition, r.l, r.i).severity))
          .length,
      )
    },
  ),
  count(
    "risk.kris_red",
    L("红色关键风险指标", "KRIs in red"),
    L("最近一次评估为红色的关键风险指标数。", "Key risk indicators whose latest evaluation is red."),
    async (q, db) => {
      const r = await sql<{
        n: number
      }>`select count(*)::int as n from risk.kri where org_id = ${q.orgId} and state = 'red'`.execute(
        db.kysely,
      )
      return one(r.rows[0]!.n)
    },
  ),
  count(
    "risk.treatments_overdue",
    L("逾期风险处置", "Treatments overdue"),
    L("已过期限仍未完成的风险处置措施数。", "Treatments past their due date and not done."),
    async (q, db) => {
      const r = await sql<{
        n: number
      }>`select count(*)::int as n from risk.treatment where org_id = ${q.orgId}
      and status in ('planned', 'in_progress') and due_at < ${at(q)}`.execute(db.kysely)
      return one(r.rows[0]!.n)
    },
  ),
  count(
    "risk.reviews_overdue",
    L("逾期风险评审", "Risk reviews overdue"),
    L("评审日期已过的未关闭风险数。", "Open risks whose review date has passed."),
    async (q, db) => {
      const r = await sql<{ n: number }>`select count(*)::int as n from risk.risk where org_id = ${q.orgId}
      and status <> 'closed' and next_review_at < ${at(q)}`.execute(db.kysely)
      return one(r.rows[0]!.n)
    },
  ),
  {
    ...count(
      "risk.incidents",
      L("事件数", "Incidents"),
      L(
        "期间内发现的服务与数据安全事件数，可按级别拆分。",
        "Service and data-security incidents detected in the period, by severity.",
      ),
      async (q, db) => {
        const bySeverity = q.groupBy?.includes("severity")
        const r = await sql<{
          severity: string | null
          n: number
        }>`select ${bySeverity ? sql`severity` : sql`null::text`} as severity, count(*)::int as n
        from risk.incident where org_id = ${q.orgId} and detected_at >= ${q.from} and detected_at < ${q.to}
        ${q.filter?.severity ? sql`and severity = ${q.filter.severity}` : sql``} group by 1 order by 1`.execute(
          db.kysely,
        )
        if (!r.rows.length) return bySeverity ? [] : one(0)
        return r.rows.map((x) => ({
          ...(x.severity ? { dimensions: { severity: x.severity } } : {}),
          value: x.n,
          n: x.n,
        }))
      },
    ),
    dimensions: ["severity"],
  },
  {
    id: "risk.incident_mttr",
    module: "risk",
    name: L("事件平均解决时长", "Mean time to resolve incidents"),
    description: L(
      "期间内解决的事件从发现到解决的平均时长（秒）。",
      "Mean time from detection to resolution of the incidents resolved in the period (seconds).",
    ),
    unit: "seconds",
    direction: "lower_is_better",
    kind: "mean",
    dimensions: [],
    compute: async (q, db) => {
      const r = await sql<{
        s: number
      }>`select extract(epoch from resolved_at - detected_at)::float8 as s from risk.incident
        where org_id = ${q.orgId} and resolved_at >= ${q.from} and resolved_at < ${q.to}`.execute(db.kysely)
      const xs = r.rows.map((x) => x.s)
      if (!xs.length) return [{ value: null, n: 0 }]
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length
      if (xs.length < 2) return [{ value: mean, n: 1 }]
      const ci = meanInterval(xs)
      return [{ value: mean, n: xs.length, interval: { lower: ci.lower, upper: ci.upper, confidence: 0.95 } }]
    },
  },
  {
    id: "risk.exercise_coverage",
    module: "risk",
    name: L("预案演练覆盖率", "Plan exercise coverage"),
    description: L(
      "过去 365 天内至少演练过一次的应急预案所占比例。",
      "Share of contingency plans exercised at least once in the 365 days before the period's end.",
    ),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions: [],
    compute: async (q, db) => {
      const end = at(q)
      const r = await sql<{
        num: number
        den: number
      }>`select count(*) filter (where exists (select 1 from risk.exercise e
          where e.org_id = p.org_id and e.plan_id = p.id and e.held_at < ${end} and e.held_at >= ${new Date(end.getTime() - 365 * 86_400_000)}))::int as num,
        count(*)::int as den from risk.plan p where p.org_id = ${q.orgId}`.execute(db.kysely)
      const { num, den } = r.rows[0]!
      if (!den) return [{ value: null, n: 0 }]
      const w = wilsonInterval(num, den)
      return [
        {
          value: num / den,
          numerator: num,
          denominator: den,
          n: den,
          interval: { lower: w.lower, upper: w.upper, confidence: 0.95 },
        },
      ]
    },
  },
]
