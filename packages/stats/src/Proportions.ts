/**
 * Proportions (accuracy, CSAT, FCR): Wilson intervals, margins of error, sample sizes, NPS.
 * Formulas: domain.md §D1 and §D3.
 *
 * @since 0.1.0
 */
import { checkConfidence, checkCount, fail, zFor } from "./internal"

/** @category models @since 0.1.0 */
export interface Interval {
  readonly p: number
  readonly lower: number
  readonly upper: number
}

/**
 * Wilson score interval for x successes in n trials:
 * centre = (p̂ + z²/2n)/(1 + z²/n), half-width = z/(1 + z²/n)·√(p̂(1−p̂)/n + z²/4n²).
 * Good for small n and p near 0 or 1.
 * @category constructors
 * @since 0.1.0
 */
export const wilsonInterval = (successes: number, n: number, confidence = 0.95): Interval => {
  checkCount(successes, "successes")
  checkCount(n, "n")
  if (n === 0) fail("n must be at least 1")
  if (successes > n) fail(`successes (${successes}) cannot exceed n (${n})`)
  const z = zFor(confidence)
  const p = successes / n
  const z2 = z * z
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  // exact at the ends (0 successes → lower 0; all successes → upper 1), free of rounding noise
  return {
    p,
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === n ? 1 : Math.min(1, centre + half),
  }
}

/**
 * Margin of error of a proportion: z·√(p(1−p)/n), times √((N−n)/(N−1)) when the population N is given.
 * @category constructors
 * @since 0.1.0
 */
export const proportionMarginOfError = (
  p: number,
  n: number,
  options: { readonly confidence?: number; readonly population?: number } = {},
): number => {
  if (!(p >= 0 && p <= 1)) fail(`p must be between 0 and 1, got ${p}`)
  checkCount(n, "n")
  if (n === 0) fail("n must be at least 1")
  const z = zFor(options.confidence ?? 0.95)
  let moe = z * Math.sqrt((p * (1 - p)) / n)
  if (options.population !== undefined) {
    const N = checkCount(options.population, "population")
    if (N < n) fail(`population (${N}) cannot be smaller than n (${n})`)
    moe *= N > 1 ? Math.sqrt((N - n) / (N - 1)) : 0
  }
  return moe
}

/**
 * Sample size for a proportion within ±marginOfError: n₀ = z²·p(1−p)/E², with the finite
 * population correction n = n₀/(1 + (n₀−1)/N); rounded up. p defaults to 0.5 (worst case).
 * @category constructors
 * @since 0.1.0
 */
export const sampleSizeForProportion = (options: {
  readonly marginOfError: number
  readonly confidence?: number
  readonly p?: number
  readonly population?: number
}): number => {
  const E = options.marginOfError
  if (!(E > 0 && E < 1)) fail(`marginOfError must be between 0 and 1 (e.g. 0.05 for ±5 points), got ${E}`)
  const p = options.p ?? 0.5
  if (!(p >= 0 && p <= 1)) fail(`p must be between 0 and 1, got ${p}`)
  const z = zFor(options.confidence ?? 0.95)
  const n0 = (z * z * p * (1 - p)) / (E * E)
  if (options.population === undefined) return Math.ceil(n0 - 1e-9)
  const N = checkCount(options.population, "population")
  if (N === 0) fail("population must be at least 1")
  return Math.min(N, Math.ceil(n0 / (1 + (n0 - 1) / N) - 1e-9))
}

/** @category models @since 0.1.0 */
export interface NpsResult {
  readonly nps: number
  readonly lower: number
  readonly upper: number
  readonly n: number
}

/**
 * Net Promoter Score with its interval, in points (−100…100): NPS = 100(P − D),
 * Var(NPS/100) = [P + D − (P − D)²]/n.
 * @category constructors
 * @since 0.1.0
 */
export const npsInterval = (
  counts: { readonly promoters: number; readonly passives: number; readonly detractors: number },
  confidence = 0.95,
): NpsResult => {
  checkCount(counts.promoters, "promoters")
  checkCount(counts.passives, "passives")
  checkCount(counts.detractors, "detractors")
  checkConfidence(confidence)
  const n = counts.promoters + counts.passives + counts.detractors
  if (n === 0) fail("no responses: promoters + passives + detractors must be at least 1")
  const P = counts.promoters / n
  const D = counts.detractors / n
  const nps = 100 * (P - D)
  const half = zFor(confidence) * 100 * Math.sqrt((P + D - (P - D) ** 2) / n)
  return { nps, lower: Math.max(-100, nps - half), upper: Math.min(100, nps + half), n }
}
