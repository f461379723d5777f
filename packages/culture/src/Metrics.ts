/**
 * The people metrics for the registry, each with n (and an interval for the proportions):
 * certification coverage, training completed on time, re-certifications overdue, skill-gap index,
 * attrition, time to proficiency. Computed for the whole period (`bucket: "none"`), for everyone or
 * by team (dimension `team`: a person counts in each team they were a member of at the moment the
 * metric looks at — the end of the period, the due date, the expiry, the period's start, the first
 * certification; `—` for people in no team).
 *
 * @since 0.1.0
 */
import type { Contracts } from "@tenet/core"
import { wilsonInterval } from "@tenet/stats"
import { type RawBuilder, sql } from "kysely"
import { gapAnalysis } from "./framework/Framework"

type Def = Contracts.MetricDefinition

const proportion = (num: number, den: number): Contracts.MetricValue => {
  if (!den) return { value: null, n: 0 }
  const ci = wilsonInterval(num, den)
  return {
    // a 0–1 fraction, as every proportion in the registry (process's, feedback's): a standard's target
    // of 0.95 means 95 %
    value: num / den,
    numerator: num,
    denominator: den,
    n: den,
    interval: { lower: ci.lower, upper: ci.upper, confidence: 0.95 },
  }
}
const day = (d: Date) => d.toISOString().slice(0, 10)

/** The team dimension of a query: split by team, and/or only one team. Any other dimension is refused. */
const teamOf = (q: Contracts.MetricQuery) => {
  for (const d of [...(q.groupBy ?? []), ...Object.keys(q.filter ?? {})])
    if (d !== "team") throw new RangeError(`unknown dimension "${d}"; use team`)
  const only = q.filter && Object.hasOwn(q.filter, "team") ? q.filter.team : undefined
  return { by: (q.groupBy ?? []).includes("team"), only }
}

/**
 * The team a person (`userCol`) belonged to on `on` (a date expression): a left join on core's team
 * membership when the query splits or filters by team, nothing otherwise.
 */
const memberJoin = (t: ReturnType<typeof teamOf>, orgId: string, userCol: string, on: RawBuilder<unknown>) =>
  t.by || t.only !== undefined
    ? sql`left join core.team_member tm on tm.org_id = ${orgId} and tm.user_id = ${sql.ref(userCol)}
        and tm.joined_on <= ${on} and (tm.left_on is null or tm.left_on >= ${on})`
    : sql``
const teamSelect = (t: ReturnType<typeof teamOf>) => (t.by ? sql`coalesce(tm.team_id, '—')` : sql`null::text`)
const teamWhere = (t: ReturnType<typeof teamOf>) =>
  t.only !== undefined ? sql`and tm.team_id = ${t.only}` : sql``

/** One value per team (or one for everyone, even with no rows). */
const perTeam = <R extends { team: string | null }>(
  t: ReturnType<typeof teamOf>,
  rows: ReadonlyArray<R>,
  value: (row: R | undefined) => Contracts.MetricValue,
): Contracts.MetricValue[] =>
  t.by
    ? // in code-point order, the same on every engine whatever its collation
      [...rows]
        .sort((a, b) => ((a.team ?? "—") < (b.team ?? "—") ? -1 : (a.team ?? "—") > (b.team ?? "—") ? 1 : 0))
        .map((r) => ({ ...value(r), dimensions: { team: r.team ?? "—" } }))
    : [value(rows[0])]

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
  dimensions: ["team"],
  compute: async (q, db) => {
    const t = teamOf(q)
    const r = await sql<{ team: string | null; num: string; den: string }>`
      with m as (
        select distinct tm.user_id, tm.team_id, c.id as cert
        from core.team_member tm
        join culture.certification c on c.org_id = tm.org_id and c.scope_kind = 'queue' and c.scope_value = tm.team_id
        where tm.org_id = ${q.orgId} and tm.joined_on <= ${day(q.to)}::date and (tm.left_on is null or tm.left_on >= ${day(q.to)}::date)
          ${t.only !== undefined ? sql`and tm.team_id = ${t.only}` : sql``}
      ), p as (
        select m.user_id, ${t.by ? sql`m.team_id` : sql`null::text`} as team, bool_and(exists (
          select 1 from culture.grant g where g.org_id = ${q.orgId} and g.user_id = m.user_id and g.certification_id = m.cert
            and g.status = 'active' and g.granted_at <= ${q.to} and g.expires_at > ${q.to})) as ok
        from m group by 1, 2
      )
      select team, count(*) filter (where ok) as num, count(*) as den from p group by team order by team`.execute(
      db.kysely,
    )
    return perTeam(t, r.rows, (row) => proportion(Number(row?.num ?? 0), Number(row?.den ?? 0)))
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
  dimensions: ["team"],
  compute: async (q, db) => {
    const t = teamOf(q)
    const r = await sql<{ team: string | null; num: string; den: string }>`
      select ${teamSelect(t)} as team,
        count(*) filter (where a.status = 'passed' and a.completed_at::date <= a.due_on) as num, count(*) as den
      from culture.assignment a ${memberJoin(t, q.orgId, "a.user_id", sql`a.due_on`)}
      where a.org_id = ${q.orgId} and a.due_on >= ${day(q.from)}::date and a.due_on < ${day(q.to)}::date ${teamWhere(t)}
      group by 1 order by 1`.execute(db.kysely)
    return perTeam(t, r.rows, (row) => proportion(Number(row?.num ?? 0), Number(row?.den ?? 0)))
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
  dimensions: ["team"],
  compute: async (q, db) => {
    const t = teamOf(q)
    const r = await sql<{ team: string | null; n: string; held: string }>`
      select ${teamSelect(t)} as team, count(*) filter (where not exists (
          select 1 from culture.grant h where h.org_id = g.org_id and h.user_id = g.user_id and h.certification_id = g.certification_id
            and h.status = 'active' and h.expires_at > ${q.to} and h.granted_at <= ${q.to})) as n,
        count(*) as held
      from culture.grant g ${memberJoin(t, q.orgId, "g.user_id", sql`g.expires_at::date`)}
      where g.org_id = ${q.orgId} and g.status = 'active' and g.expires_at >= ${q.from} and g.expires_at < ${q.to} ${teamWhere(t)}
      group by 1 order by 1`.execute(db.kysely)
    return perTeam(t, r.rows, (row) => ({ value: Number(row?.n ?? 0), n: Number(row?.held ?? 0) }))
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
  dimensions: ["team"],
  compute: async (q, db) => {
    const t = teamOf(q)
    const cells = (await gapAnalysis(db, q.orgId, q.to)).filter(
      (c) => t.only === undefined || c.teamId === t.only,
    )
    const index = (cs: typeof cells): Contracts.MetricValue => {
      const n = cs.reduce((a, c) => a + c.n, 0)
      return { value: n ? cs.reduce((a, c) => a + c.meanGap * c.n, 0) / n : null, n }
    }
    if (!t.by) return [index(cells)]
    return [...new Set(cells.map((c) => c.teamId))]
      .sort()
      .map((team) => ({ ...index(cells.filter((c) => c.teamId === team)), dimensions: { team } }))
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
  dimensions: ["team"],
  compute: async (q, db) => {
    const t = teamOf(q)
    const r = await sql<{ team: string | null; num: string; den: string }>`
      select ${teamSelect(t)} as team,
        count(*) filter (where p.left_on >= ${day(q.from)}::date and p.left_on < ${day(q.to)}::date
          and p.started_on < ${day(q.from)}::date) as num,
        count(*) filter (where p.started_on < ${day(q.from)}::date and (p.left_on is null or p.left_on >= ${day(q.from)}::date)) as den
      from culture.person p ${memberJoin(t, q.orgId, "p.user_id", sql`${day(q.from)}::date`)}
      where p.org_id = ${q.orgId} ${teamWhere(t)}
      group by 1 order by 1`.execute(db.kysely)
    return perTeam(t, r.rows, (row) => proportion(Number(row?.num ?? 0), Number(row?.den ?? 0)))
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
  dimensions: ["team"],
  compute: async (q, db) => {
    const t = teamOf(q)
    const r = await sql<{ team: string | null; v: string | null; n: string }>`
      select ${teamSelect(t)} as team, avg(extract(epoch from (f.first - p.started_on::timestamptz)) / 86400) as v, count(*) as n
      from culture.person p join (
        select user_id, min(granted_at) as first from culture.grant where org_id = ${q.orgId} group by user_id
      ) f on f.user_id = p.user_id
      ${memberJoin(t, q.orgId, "p.user_id", sql`f.first::date`)}
      where p.org_id = ${q.orgId} and f.first >= ${q.from} and f.first < ${q.to} ${teamWhere(t)}
      group by 1 order by 1`.execute(db.kysely)
    return perTeam(t, r.rows, (row) => ({
      value: row?.v === null || row?.v === undefined ? null : Number(row.v),
      n: Number(row?.n ?? 0),
    }))
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
