/**
 * Training effectiveness (seed 000 §2.3): for the people who passed a course, a linked metric's
 * values in the N days before their completion against the N days after, with Welch's two-sample
 * test from @tenet/stats and n on each side. The values come from a `Samples` source the caller
 * gives (the API reads QA scores from standards), so culture reads no other module's tables.
 *
 * @since 0.1.0
 */
import { welchTTest } from "@tenet/stats"
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
