/**
 * The people metrics for the registry, each with n (and an interval for the proportions):
 * certification coverage, training completed on time, re-certifications overdue, skill-gap index,
 * attrition. Computed for the whole period (`bucket: "none"`).
 *
 * @since 0.1.0
 */
import type { Contracts } from "@tenet/core"
import { wilsonInterval } from "@tenet/stats"
import { sql } from "kysely"
import { gapAnalysis } from "./framework/Framework"

type Def = Contracts.MetricDefinition

const proportion = (num: number, den: number): Contracts.MetricValue => {
  if (!den) return { value: null, n: 0 }
  const ci = wilsonInterval(num, den)
  return {
    value: (num / den) * 100,
    numerator: num,
    denominator: den,
    n: den,
    interval: { lower: ci.lower * 100, upper: ci.upper * 100, confidence: 0.95 },
  }
}
const day = (d: Date) => d.toISOString().slice(0, 10)

/** Share of current team members certified for their queue (members of queues that require one). */
export const certificationCoverage: Def = {
  id: "culture.certification_coverage",
  module: "culture",
  name: { "zh-CN": "认证覆盖率", en: "Certification coverage" },
  description: {
    "zh-CN": "需要认证的队列中，持有有效认证的在岗坐席占比（按期末计）。",
    en: "Share of active members of queues that require certification who hold a valid one (at the end of the period).",
  },
  unit: "percent",
  direction: "higher_is_better",
  kind: "proportion",
  dimensions: [],
  compute: async (q, db) => {
    const r = await sql<{ num: string; den: string }>`
      with m as (
        select distinct tm.user_id, c.id as cert
        from core.team_member tm
        join culture.certification c on c.org_id = tm.org_id and c.scope_kind = 'queue' and c.scope_value = tm.team_id
        where tm.org_id = ${q.orgId} and tm.joined_on <= ${day(q.to)}::date and (tm.left_on is null or tm.left_on >= ${day(q.to)}::date)
      ), p as (
        select m.user_id, bool_and(exists (
          select 1 from culture.grant g where g.org_id = ${q.orgId} and g.user_id = m.user_id and g.certification_id = m.cert
            and g.status = 'active' and g.granted_at <= ${q.to} and g.expires_at > ${q.to})) as ok
        from m group by m.user_id
      )
      select count(*) filter (where ok) as num, count(*) as den from p`.execute(db.kysely)
    return [proportion(Number(r.rows[0]?.num ?? 0), Number(r.rows[0]?.den ?? 0))]
  },
}

/** Of the training due in the period, the share passed by its due date. */
export const trainingOnTime: Def = {
  id: "culture.training_on_time",
  module: "culture",
  name: { "zh-CN": "培训按时完成率", en: "Training completed on time" },
  unit: "percent",
  direction: "higher_is_better",
  kind: "proportion",
  dimensions: [],
  compute: async (q, db) => {
    const r = await sql<{ num: string; den: string }>`
      select count(*) filter (where status = 'passed' and completed_at::date <= due_on) as num, count(*) as den
      from culture.assignment where org_id = ${q.orgId} and due_on >= ${day(q.from)}::date and due_on < ${day(q.to)}::date`.execute(
      db.kysely,
    )
    return [proportion(Number(r.rows[0]?.num ?? 0), Number(r.rows[0]?.den ?? 0))]
  },
}

/** Certifications that expired in the period and were not renewed by its end. */
export const recertsOverdue: Def = {
  id: "culture.recertifications_overdue",
  module: "culture",
  name: { "zh-CN": "逾期未复证数", en: "Re-certifications overdue" },
  unit: "count",
  direction: "lower_is_better",
  kind: "count",
  dimensions: [],
  compute: async (q, db) => {
    const r = await sql<{ n: string; held: string }>`
      select count(*) filter (where not exists (
          select 1 from culture.grant h where h.org_id = g.org_id and h.user_id = g.user_id and h.certification_id = g.certification_id
            and h.status = 'active' and h.expires_at > ${q.to} and h.granted_at <= ${q.to})) as n,
        count(*) as held
      from culture.grant g where g.org_id = ${q.orgId} and g.status = 'active' and g.expires_at >= ${q.from} and g.expires_at < ${q.to}`.execute(
      db.kysely,
    )
    return [{ value: Number(r.rows[0]?.n ?? 0), n: Number(r.rows[0]?.held ?? 0) }]
  },
}

/** Mean shortfall below the required level per member and area (0 = no gap), at the end of the period. */
export const skillGapIndex: Def = {
  id: "culture.skill_gap_index",
  module: "culture",
  name: { "zh-CN": "技能差距指数", en: "Skill-gap index" },
  unit: "score",
  direction: "lower_is_better",
  kind: "index",
  dimensions: [],
  compute: async (q, db) => {
    const cells = await gapAnalysis(db, q.orgId, q.to)
    const n = cells.reduce((a, c) => a + c.n, 0)
    return [{ value: n ? cells.reduce((a, c) => a + c.meanGap * c.n, 0) / n : null, n }]
  },
}

/** People who left in the period over the headcount at its start. */
export const attrition: Def = {
  id: "culture.attrition_rate",
  module: "culture",
  name: { "zh-CN": "人员流失率", en: "Attrition rate" },
  unit: "percent",
  direction: "lower_is_better",
  kind: "proportion",
  dimensions: [],
  compute: async (q, db) => {
    const r = await sql<{ num: string; den: string }>`
      select count(*) filter (where left_on >= ${day(q.from)}::date and left_on < ${day(q.to)}::date) as num,
        count(*) filter (where started_on < ${day(q.from)}::date and (left_on is null or left_on >= ${day(q.from)}::date)) as den
      from culture.person where org_id = ${q.orgId}`.execute(db.kysely)
    return [proportion(Number(r.rows[0]?.num ?? 0), Number(r.rows[0]?.den ?? 0))]
  },
}

/** Mean days from a person's start to their first certification, for the people first certified in the period. */
export const timeToProficiency: Def = {
  id: "culture.time_to_proficiency",
  module: "culture",
  name: { "zh-CN": "达标用时", en: "Time to proficiency" },
  description: {
    "zh-CN": "从入职到首次获得认证的平均天数。",
    en: "Mean days from start to first certification.",
  },
  unit: "count",
  direction: "lower_is_better",
  kind: "mean",
  dimensions: [],
  compute: async (q, db) => {
    const r = await sql<{ v: string | null; n: string }>`
      select avg(extract(epoch from (f.first - p.started_on::timestamptz)) / 86400) as v, count(*) as n
      from culture.person p join (
        select user_id, min(granted_at) as first from culture.grant where org_id = ${q.orgId} group by user_id
      ) f on f.user_id = p.user_id
      where p.org_id = ${q.orgId} and f.first >= ${q.from} and f.first < ${q.to}`.execute(db.kysely)
    return [
      {
        value: r.rows[0]?.v === null || r.rows[0]?.v === undefined ? null : Number(r.rows[0].v),
        n: Number(r.rows[0]?.n ?? 0),
      },
    ]
  },
}

/** The culture metrics. @category constructors @since 0.1.0 */
export const cultureMetrics = (): ReadonlyArray<Def> => [
  certificationCoverage,
  trainingOnTime,
  recertsOverdue,
  skillGapIndex,
  attrition,
  timeToProficiency,
]
