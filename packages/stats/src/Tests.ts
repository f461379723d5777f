/**
 * Means and before/after tests (PDCA "Check"): Student-t interval, two-proportion z test,
 * Welch's t test. Formulas: domain.md §D2 and §D4.
 *
 * @since 0.1.0
 */
import { checkCount, checkFinite, fail, mean, pNormal, pT, sampleVariance, tFor } from "./internal"

/** @category models @since 0.1.0 */
export interface MeanInterval {
  readonly mean: number
  readonly lower: number
  readonly upper: number
  readonly n: number
}

/**
 * Mean with its Student-t interval: x̄ ± t_{n−1}·s/√n.
 * @category constructors
 * @since 0.1.0
 */
export const meanInterval = (values: ReadonlyArray<number>, confidence = 0.95): MeanInterval => {
  checkFinite(values, "values")
  if (values.length < 2) fail(`values needs at least 2 numbers for an interval, got ${values.length}`)
  const m = mean(values)
  const half =
    (tFor(confidence, values.length - 1) * Math.sqrt(sampleVariance(values))) / Math.sqrt(values.length)
  return { mean: m, lower: m - half, upper: m + half, n: values.length }
}

/** @category models @since 0.1.0 */
export interface TestResult {
  readonly statistic: number
  /** Two-sided. */
  readonly pValue: number
}

/**
 * Two-proportion z test (pooled): z = (p̂₁ − p̂₂)/√(p̄(1−p̄)(1/n₁ + 1/n₂)), two-sided.
 * @category constructors
 * @since 0.1.0
 */
export const twoProportionTest = (
  x1: number,
  n1: number,
  x2: number,
  n2: number,
): TestResult & { readonly difference: number } => {
  for (const [v, name] of [
    [x1, "x1"],
    [n1, "n1"],
    [x2, "x2"],
    [n2, "n2"],
  ] as const)
    checkCount(v, name)
  if (n1 === 0 || n2 === 0) fail("n1 and n2 must be at least 1")
  if (x1 > n1) fail(`x1 (${x1}) cannot exceed n1 (${n1})`)
  if (x2 > n2) fail(`x2 (${x2}) cannot exceed n2 (${n2})`)
  const p1 = x1 / n1
  const p2 = x2 / n2
  const pooled = (x1 + x2) / (n1 + n2)
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
  if (se === 0) return { statistic: 0, pValue: 1, difference: p1 - p2 }
  const z = (p1 - p2) / se
  return { statistic: z, pValue: pNormal(z), difference: p1 - p2 }
}

/**
 * Welch's t test for two samples with unequal variances, two-sided, with the
 * Welch–Satterthwaite degrees of freedom.
 * @category constructors
 * @since 0.1.0
 */
export const welchTTest = (
  a: ReadonlyArray<number>,
  b: ReadonlyArray<number>,
): TestResult & { readonly df: number } => {
  checkFinite(a, "a")
  checkFinite(b, "b")
  if (a.length < 2 || b.length < 2) fail("each sample needs at least 2 values")
  const va = sampleVariance(a) / a.length
  const vb = sampleVariance(b) / b.length
  const se = Math.sqrt(va + vb)
  if (se === 0) return { statistic: 0, pValue: mean(a) === mean(b) ? 1 : 0, df: a.length + b.length - 2 }
  const t = (mean(a) - mean(b)) / se
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1))
  return { statistic: t, pValue: pT(t, df), df }
}
