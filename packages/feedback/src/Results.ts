/**
 * Survey results, honest: every value with its n and interval (Wilson for CSAT, DSAT and the
 * response rate, the NPS interval, a t interval for CES), a warning under the minimum n, scores by
 * dimension, the change from the period before with its test, the value post-stratified by segment
 * (weights: each segment's share of the invitations sent, so segments that answer less count as
 * much as they should) next to the raw value, and the drivers of the overall score.
 *
 * @since 0.1.0
 */
import type { Db } from "@tenet/core"
import {
  type Driver,
  driverAnalysis,
  meanInterval,
  npsDifference,
  npsInterval,
  poststratifiedProportion,
  twoProportionTest,
  welchTTest,
  wilsonInterval,
} from "@tenet/stats"
import { sql } from "kysely"
import type { Dimension } from "./Survey"

/** @category models @since 0.1.0 */
export type ScoreKind = "csat" | "nps" | "ces"

/** @category models @since 0.1.0 */
export interface ResultsQuery {
  readonly kind: ScoreKind
  readonly from: Date
  readonly to: Date
  readonly surveyId?: string | undefined
  readonly channel?: string | undefined
  readonly segment?: string | undefined
  readonly team?: string | undefined
  readonly agentId?: string | undefined
  /** Under this many responses the result carries a warning (default 30). */
  readonly minN?: number | undefined
}

/** A value with its interval. @category models @since 0.1.0 */
export interface Estimate {
  readonly value: number | null
  readonly lower: number | null
  readonly upper: number | null
  readonly numerator?: number
  readonly n: number
}

/** @category models @since 0.1.0 */
export interface Results {
  readonly kind: ScoreKind
  readonly n: number
  readonly invited: number
  readonly responseRate: Estimate
  /** CSAT: top-2-box share; NPS: the score in points; CES: the mean. */
  readonly score: Estimate
  /** CSAT: bottom-2-box share; NPS: the share of detractors; CES: share 1–3. */
  readonly dissatisfied: Estimate
  readonly distribution: ReadonlyArray<{ readonly score: number; readonly count: number }>
  readonly warning: "below_minimum_n" | null
  readonly minN: number
  readonly previous: {
    readonly score: Estimate
    readonly difference: number | null
    readonly pValue: number | null
    readonly significant: boolean
  }
  readonly dimensions: ReadonlyArray<{
    readonly dimension: Dimension
    readonly n: number
    readonly mean: number
    readonly lower: number | null
    readonly upper: number | null
  }>
  /** Post-stratified by segment (CSAT and DSAT shares; NPS/CES report the raw value only). */
  readonly weighted: {
    readonly by: "segment"
    readonly score: Estimate & { readonly coveredWeight: number }
    readonly strata: ReadonlyArray<{
      readonly segment: string
      readonly invited: number
      readonly responded: number
      readonly satisfied: number
    }>
  } | null
  readonly drivers: ReadonlyArray<Driver>
}

interface Row {
  score: number
  segment: string | null
  dimensions: Partial<Record<Dimension, number>>
}

const filterSql = (orgId: string, q: ResultsQuery, alias: string, timeCol: string, from: Date, to: Date) => {
  const c = (col: string) => sql.ref(`${alias}.${col}`)
  return sql`${c("org_id")} = ${orgId} and ${sql.ref(`${alias}.${timeCol}`)} >= ${from} and ${sql.ref(`${alias}.${timeCol}`)} < ${to}
    ${q.surveyId ? sql`and ${c("survey_id")} = ${q.surveyId}` : sql``}
    ${q.channel ? sql`and ${c("channel")} = ${q.channel}` : sql``}
    ${q.segment ? sql`and ${c("segment")} = ${q.segment}` : sql``}
    ${q.team ? sql`and ${c("team")} = ${q.team}` : sql``}
    ${q.agentId ? sql`and ${c("agent_id")} = ${q.agentId}` : sql``}`
}

const good = (kind: ScoreKind, s: number) => (kind === "csat" ? s >= 4 : kind === "nps" ? s >= 9 : s >= 5)
const bad = (kind: ScoreKind, s: number) => (kind === "csat" ? s <= 2 : kind === "nps" ? s <= 6 : s <= 3)

const proportion = (x: number, n: number): Estimate => {
  if (n === 0) return { value: null, lower: null, upper: null, numerator: 0, n: 0 }
  const w = wilsonInterval(x, n)
  return { value: x / n, lower: w.lower, upper: w.upper, numerator: x, n }
}

/** The headline score of a set of scores. @category constructors @since 0.1.0 */
export const scoreOf = (kind: ScoreKind, scores: ReadonlyArray<number>): Estimate => {
  const n = scores.length
  if (kind === "csat") return proportion(scores.filter((s) => good(kind, s)).length, n)
  if (n === 0) return { value: null, lower: null, upper: null, n: 0 }
  if (kind === "nps") {
    const promoters = scores.filter((s) => s >= 9).length
    const detractors = scores.filter((s) => s <= 6).length
    const r = npsInterval({ promoters, detractors, passives: n - promoters - detractors })
    return { value: r.nps, lower: r.lower, upper: r.upper, n }
  }
  if (n < 2) return { value: scores[0]!, lower: null, upper: null, n }
  const m = meanInterval(scores)
  return { value: m.mean, lower: m.lower, upper: m.upper, n }
}

const load = async (db: Db.Database, orgId: string, q: ResultsQuery, from: Date, to: Date): Promise<Row[]> =>
  (
    await sql<Row>`select r.score, r.segment, r.dimensions from feedback.response r
      where ${filterSql(orgId, q, "r", "submitted_at", from, to)} and r.score_kind = ${q.kind} and r.score is not null`.execute(
      db.kysely,
    )
  ).rows

const compare = (kind: ScoreKind, a: number[], b: number[]) => {
  if (a.length === 0 || b.length === 0) return { difference: null, pValue: null }
  if (kind === "csat") {
    const xa = a.filter((s) => good(kind, s)).length
    const xb = b.filter((s) => good(kind, s)).length
    return {
      difference: xb / b.length - xa / a.length,
      pValue: twoProportionTest(xa, a.length, xb, b.length).pValue,
    }
  }
  if (kind === "nps") {
    const counts = (s: number[]) => ({
      promoters: s.filter((x) => x >= 9).length,
      passives: s.filter((x) => x >= 7 && x <= 8).length,
      detractors: s.filter((x) => x <= 6).length,
    })
    const d = npsDifference(counts(a), counts(b))
    return { difference: d.difference, pValue: d.pValue }
  }
  if (a.length < 2 || b.length < 2) return { difference: null, pValue: null }
  const t = welchTTest(a, b)
  return {
    difference: b.reduce((x, y) => x + y, 0) / b.length - a.reduce((x, y) => x + y, 0) / a.length,
    pValue: t.pValue,
  }
}

/**
 * The results of a period (`from` inclusive, `to` exclusive), compared with the period of the
 * same length before it.
 * @category constructors
 * @since 0.1.0
 */
export const results = async (db: Db.Database, orgId: string, q: ResultsQuery): Promise<Results> => {
  const minN = q.minN ?? 30
  const span = q.to.getTime() - q.from.getTime()
  const prevFrom = new Date(q.from.getTime() - span)
  const [rows, prevRows, invitedRows] = await Promise.all([
    load(db, orgId, q, q.from, q.to),
    load(db, orgId, q, prevFrom, q.from),
    sql<{ segment: string | null; invited: number; responded: number }>`
      select i.segment, count(*)::int as invited, count(*) filter (where i.status = 'answered')::int as responded
      from feedback.invitation i join feedback.survey s on s.org_id = i.org_id and s.id = i.survey_id and s.kind = ${q.kind}
      where ${filterSql(orgId, q, "i", "sent_at", q.from, q.to)} group by i.segment order by i.segment`.execute(
      db.kysely,
    ),
  ])
  const scores = rows.map((r) => r.score)
  const prev = prevRows.map((r) => r.score)
  const invited = invitedRows.rows.reduce((a, r) => a + r.invited, 0)
  const responded = invitedRows.rows.reduce((a, r) => a + r.responded, 0)
  const counts = new Map<number, number>()
  for (const s of scores) counts.set(s, (counts.get(s) ?? 0) + 1)
  const cmp = compare(q.kind, prev, scores)
  const dims = new Map<Dimension, number[]>()
  for (const r of rows)
    for (const [k, v] of Object.entries(r.dimensions))
      dims.set(k as Dimension, [...(dims.get(k as Dimension) ?? []), v as number])
  const bySegment = new Map<string, number[]>()
  for (const r of rows) bySegment.set(r.segment ?? "", [...(bySegment.get(r.segment ?? "") ?? []), r.score])
  const strata = invitedRows.rows.map((s) => ({
    segment: s.segment ?? "",
    invited: s.invited,
    responded: s.responded,
    satisfied: (bySegment.get(s.segment ?? "") ?? []).filter((x) => good(q.kind, x)).length,
    n: (bySegment.get(s.segment ?? "") ?? []).length,
  }))
  let weighted: Results["weighted"] = null
  if (q.kind === "csat" && strata.some((s) => s.n > 0 && s.invited > 0)) {
    const w = poststratifiedProportion(
      strata.map((s) => ({ weight: s.invited, successes: s.satisfied, n: s.n })),
    )
    weighted = {
      by: "segment",
      score: { value: w.estimate, lower: w.lower, upper: w.upper, n: w.n, coveredWeight: w.coveredWeight },
      strata: strata.map(({ n: _n, ...s }) => s),
    }
  }
  return {
    kind: q.kind,
    n: scores.length,
    invited,
    responseRate: proportion(responded, invited),
    score: scoreOf(q.kind, scores),
    dissatisfied: proportion(scores.filter((s) => bad(q.kind, s)).length, scores.length),
    distribution: [...counts].sort((a, b) => a[0] - b[0]).map(([score, count]) => ({ score, count })),
    warning: scores.length < minN ? "below_minimum_n" : null,
    minN,
    previous: { score: scoreOf(q.kind, prev), ...cmp, significant: cmp.pValue !== null && cmp.pValue < 0.05 },
    dimensions: [...dims]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([dimension, vs]) => {
        const m = vs.length >= 2 ? meanInterval(vs) : null
        return {
          dimension,
          n: vs.length,
          mean: vs.reduce((a, b) => a + b, 0) / vs.length,
          lower: m?.lower ?? null,
          upper: m?.upper ?? null,
        }
      }),
    weighted,
    drivers: driverAnalysis(rows.map((r) => ({ overall: r.score, drivers: r.dimensions }))),
  }
}
