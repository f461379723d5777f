/**
 * Survey statistics the plain intervals do not cover: post-stratification (weights by stratum when
 * response rates differ, ISO 10004 annex D), the difference of two NPS values with its test, and
 * driver analysis (which rated dimension moves overall satisfaction most: Pearson's r with its
 * Fisher-z interval).
 *
 * @since 0.6.0
 */
import { checkConfidence, checkCount, checkFinite, fail, mean, pNormal, tFor, zFor } from "./internal"

/** A stratum: its share of the population (any positive weight; normalised) and its sample. @category models @since 0.6.0 */
export interface Stratum {
  readonly weight: number
  readonly successes: number
  readonly n: number
}

/** @category models @since 0.6.0 */
export interface WeightedProportion {
  readonly estimate: number
  readonly lower: number
  readonly upper: number
  readonly n: number
  /** Share of the population weight that had respondents (strata without any are left out). */
  readonly coveredWeight: number
}

/**
 * Post-stratified proportion: p̂ = Σ W_h·p̂_h with W_h the normalised population shares,
 * Var = Σ W_h²·p̂_h(1−p̂_h)/n_h, normal interval clamped to [0, 1]. Strata with no respondents
 * are left out and the remaining weights renormalised (`coveredWeight` says how much was covered).
 * @category constructors
 * @since 0.6.0
 */
export const poststratifiedProportion = (
  strata: ReadonlyArray<Stratum>,
  confidence = 0.95,
): WeightedProportion => {
  checkConfidence(confidence)
  strata.forEach((s, i) => {
    if (!(Number.isFinite(s.weight) && s.weight >= 0))
      fail(`strata[${i}].weight must be a number ≥ 0, got ${s.weight}`)
    checkCount(s.n, `strata[${i}].n`)
    checkCount(s.successes, `strata[${i}].successes`)
    if (s.successes > s.n) fail(`strata[${i}].successes must be at most n (${s.n}), got ${s.successes}`)
  })
  const total = strata.reduce((a, s) => a + s.weight, 0)
  const used = strata.filter((s) => s.n > 0 && s.weight > 0)
  const usedWeight = used.reduce((a, s) => a + s.weight, 0)
  if (usedWeight === 0) fail("no stratum has both weight and respondents")
  let estimate = 0
  let variance = 0
  for (const s of used) {
    const w = s.weight / usedWeight
    const p = s.successes / s.n
    estimate += w * p
    variance += (w * w * p * (1 - p)) / s.n
  }
  const half = zFor(confidence) * Math.sqrt(variance)
  return {
    estimate,
    lower: Math.max(0, estimate - half),
    upper: Math.min(1, estimate + half),
    n: used.reduce((a, s) => a + s.n, 0),
    coveredWeight: usedWeight / total,
  }
}

/** @category models @since 0.6.0 */
export interface NpsCounts {
  readonly promoters: number
  readonly passives: number
  readonly detractors: number
}

/** @category models @since 0.6.0 */
export interface Difference {
  /** b − a. */
  readonly difference: number
  readonly lower: number
  readonly upper: number
  readonly statistic: number
  /** Two-sided. */
  readonly pValue: number
}

const npsParts = (c: NpsCounts, name: string) => {
  checkCount(c.promoters, `${name}.promoters`)
  checkCount(c.passives, `${name}.passives`)
  checkCount(c.detractors, `${name}.detractors`)
  const n = c.promoters + c.passives + c.detractors
  if (n === 0) fail(`${name} has no responses`)
  const P = c.promoters / n
  const D = c.detractors / n
  return { nps: 100 * (P - D), variance: (10_000 * (P + D - (P - D) ** 2)) / n }
}

/**
 * The change of NPS from period a to period b, in points, with its interval and z test
 * (independent samples: Var = Var_a + Var_b, each [P + D − (P − D)²]/n × 100²).
 * @category constructors
 * @since 0.6.0
 */
export const npsDifference = (a: NpsCounts, b: NpsCounts, confidence = 0.95): Difference => {
  const x = npsParts(a, "a")
  const y = npsParts(b, "b")
  const difference = y.nps - x.nps
  const se = Math.sqrt(x.variance + y.variance)
  const half = zFor(confidence) * se
  const statistic = se === 0 ? 0 : difference / se
  return {
    difference,
    lower: difference - half,
    upper: difference + half,
    statistic,
    pValue: se === 0 ? 1 : pNormal(statistic),
  }
}

/** @category models @since 0.6.0 */
export interface Correlation {
  readonly r: number
  readonly lower: number
  readonly upper: number
  readonly n: number
}

/**
 * Pearson's r with its Fisher-z interval (tanh(atanh r ± z/√(n−3))); needs n ≥ 4 and some spread.
 * @category constructors
 * @since 0.6.0
 */
export const pearson = (
  x: ReadonlyArray<number>,
  y: ReadonlyArray<number>,
  confidence = 0.95,
): Correlation => {
  checkFinite(x, "x")
  checkFinite(y, "y")
  if (x.length !== y.length) fail(`x and y must have the same length, got ${x.length} and ${y.length}`)
  if (x.length < 4) fail(`a correlation needs at least 4 pairs, got ${x.length}`)
  const mx = mean(x)
  const my = mean(y)
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my)
    sxx += (x[i]! - mx) ** 2
    syy += (y[i]! - my) ** 2
  }
  if (sxx === 0 || syy === 0) fail("a correlation needs values that vary in x and in y")
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)))
  const z = Math.atanh(Math.max(-0.999999, Math.min(0.999999, r)))
  const half = zFor(confidence) / Math.sqrt(x.length - 3)
  return { r, lower: Math.tanh(z - half), upper: Math.tanh(z + half), n: x.length }
}

/** @category models @since 0.6.0 */
export interface Driver extends Correlation {
  readonly driver: string
  readonly mean: number
}

/**
 * Driver analysis: for each rated dimension, its correlation with the overall score over the
 * responses that rated both, strongest first. Dimensions with fewer than 4 such responses or no
 * spread are left out.
 * @category constructors
 * @since 0.6.0
 */
export const driverAnalysis = (
  rows: ReadonlyArray<{
    readonly overall: number
    readonly drivers: Readonly<Record<string, number | undefined>>
  }>,
  confidence = 0.95,
): Driver[] => {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.drivers)))].sort()
  const out: Driver[] = []
  for (const driver of names) {
    const pairs = rows.filter((r) => typeof r.drivers[driver] === "number")
    const xs = pairs.map((r) => r.drivers[driver]!)
    const ys = pairs.map((r) => r.overall)
    if (xs.length < 4 || new Set(xs).size < 2 || new Set(ys).size < 2) continue
    out.push({ driver, mean: mean(xs), ...pearson(xs, ys, confidence) })
  }
  return out.sort((a, b) => b.r - a.r || a.driver.localeCompare(b.driver))
}

/**
 * A mean's Student-t interval from its summary (mean, sample standard deviation, n), for values
 * aggregated in the database: x̄ ± t_{n−1}·s/√n. Needs n ≥ 2.
 * @category constructors
 * @since 0.6.0
 */
export const meanIntervalFromSummary = (
  summary: { readonly mean: number; readonly sd: number; readonly n: number },
  confidence = 0.95,
): { readonly mean: number; readonly lower: number; readonly upper: number; readonly n: number } => {
  checkFinite([summary.mean, summary.sd], "summary")
  checkCount(summary.n, "n")
  if (summary.n < 2) fail(`n must be at least 2 for an interval, got ${summary.n}`)
  if (summary.sd < 0) fail(`sd must be ≥ 0, got ${summary.sd}`)
  const half = (tFor(confidence, summary.n - 1) * summary.sd) / Math.sqrt(summary.n)
  return { mean: summary.mean, lower: summary.mean - half, upper: summary.mean + half, n: summary.n }
}
