/**
 * Training effectiveness (seed 000 §2.3): for the people who passed a course, a linked metric's
 * values in the N days before their completion against the N days after, with Welch's two-sample
 * test from @tenet/stats and n on each side. The values come from a `Samples` source the caller
 * gives (the API reads QA scores from standards), so culture reads no other module's tables.
 *
 * @since 0.1.0
 */
import { twoProportionTest, welchTTest } from "@tenet/stats"
import { type Database, tables } from "./db"

/** Values of a metric for a person in a window (e.g. their QA scores). @category models @since 0.1.0 */
export type Samples = (orgId: string, userId: string, from: Date, to: Date) => Promise<ReadonlyArray<number>>

/** @category models @since 0.1.0 */
export interface Comparison {
  readonly before: { readonly n: number; readonly mean: number | null }
  readonly after: { readonly n: number; readonly mean: number | null }
  /** after − before */
  readonly difference: number | null
  /** Welch's t test (null when a side has fewer than 2 values). */
  readonly test: { readonly statistic: number; readonly pValue: number; readonly df: number } | null
}

const mean = (xs: ReadonlyArray<number>) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null)

/** Compare two samples. @category constructors @since 0.1.0 */
export const compare = (before: ReadonlyArray<number>, after: ReadonlyArray<number>): Comparison => {
  const mb = mean(before)
  const ma = mean(after)
  return {
    before: { n: before.length, mean: mb },
    after: { n: after.length, mean: ma },
    difference: mb === null || ma === null ? null : ma - mb,
    test: before.length >= 2 && after.length >= 2 ? welchTTest(after, before) : null,
  }
}

/**
 * A course's effectiveness on one metric: everyone who passed it, `days` before and after their
 * completion, pooled.
 * @category getters
 * @since 0.1.0
 */
export const courseEffectiveness = async (
  db: Database,
  orgId: string,
  courseId: string,
  samples: Samples,
  days = 30,
): Promise<Comparison & { readonly people: number }> => {
  const done = await tables(db)
    .selectFrom("culture.assignment")
    .select(["user_id", "completed_at"])
    .where("org_id", "=", orgId)
    .where("course_id", "=", courseId)
    .where("status", "=", "passed")
    .execute()
  const before: number[] = []
  const after: number[] = []
  const span = days * 86_400_000
  for (const d of done) {
    const at = d.completed_at!
    before.push(...(await samples(orgId, d.user_id, new Date(at.getTime() - span), at)))
    after.push(...(await samples(orgId, d.user_id, at, new Date(at.getTime() + span))))
  }
  return { ...compare(before, after), people: done.length }
}

/**
 * How a linked metric is compared: `mean` values (QA score, handling time) with Welch's t test,
 * `proportion` values (0 or 1 per case or response: CSAT satisfied, FCR) with the two-proportion z
 * test.
 * @category models
 * @since 0.7.0
 */
export type MetricKind = "mean" | "proportion"

/** A linked metric's source: its values for a person in a window. @category models @since 0.7.0 */
export interface MetricSource {
  readonly id: string
  readonly kind: MetricKind
  readonly samples: Samples
}

/** A linked metric before and after a course. @category models @since 0.7.0 */
export interface MetricComparison {
  readonly metric: string
  readonly kind: MetricKind
  readonly before: { readonly n: number; readonly mean: number | null }
  readonly after: { readonly n: number; readonly mean: number | null }
  /** after − before (a proportion's difference is a fraction). */
  readonly difference: number | null
  /** Welch's t test for means (null below 2 values a side), the two-proportion z test for proportions (null when a side is empty). */
  readonly test: {
    readonly name: "welch" | "two_proportion"
    readonly statistic: number
    readonly pValue: number
    readonly df: number | null
  } | null
}

/** Compare two samples of a metric of either kind. @category constructors @since 0.7.0 */
export const compareMetric = (
  metric: string,
  kind: MetricKind,
  before: ReadonlyArray<number>,
  after: ReadonlyArray<number>,
): MetricComparison => {
  if (kind === "mean") {
    const c = compare(before, after)
    return {
      metric,
      kind,
      before: c.before,
      after: c.after,
      difference: c.difference,
      test: c.test
        ? { name: "welch", statistic: c.test.statistic, pValue: c.test.pValue, df: c.test.df }
        : null,
    }
  }
  const xb = before.filter((v) => v > 0).length
  const xa = after.filter((v) => v > 0).length
  const nb = before.length
  const na = after.length
  const t = nb && na ? twoProportionTest(xa, na, xb, nb) : null
  return {
    metric,
    kind,
    before: { n: nb, mean: nb ? xb / nb : null },
    after: { n: na, mean: na ? xa / na : null },
    difference: nb && na ? xa / na - xb / nb : null,
    test: t ? { name: "two_proportion", statistic: t.statistic, pValue: t.pValue, df: null } : null,
  }
}

/**
 * A course's effectiveness on several linked metrics at once (QA score, CSAT when present, FCR,
 * handling time: the caller gives each metric's source, so culture reads no other module's tables):
 * for everyone who passed the course, each metric's values in the `days` before and after their
 * completion, pooled, with n on each side and the test of the metric's kind.
 * @category getters
 * @since 0.7.0
 */
export const linkedMetrics = async (
  db: Database,
  orgId: string,
  courseId: string,
  sources: ReadonlyArray<MetricSource>,
  days = 30,
): Promise<{ readonly people: number; readonly metrics: ReadonlyArray<MetricComparison> }> => {
  const done = await completions(db, orgId, courseId)
  const span = days * 86_400_000
  const metrics: MetricComparison[] = []
  for (const s of sources) {
    const before: number[] = []
    const after: number[] = []
    for (const d of done) {
      before.push(...(await s.samples(orgId, d.userId, new Date(d.at.getTime() - span), d.at)))
      after.push(...(await s.samples(orgId, d.userId, d.at, new Date(d.at.getTime() + span))))
    }
    metrics.push(compareMetric(s.id, s.kind, before, after))
  }
  return { people: done.length, metrics }
}

const completions = async (db: Database, orgId: string, courseId: string) =>
  (
    await tables(db)
      .selectFrom("culture.assignment")
      .select(["user_id", "completed_at"])
      .where("org_id", "=", orgId)
      .where("course_id", "=", courseId)
      .where("status", "=", "passed")
      .execute()
  ).map((d) => ({ userId: d.user_id, at: d.completed_at! }))
