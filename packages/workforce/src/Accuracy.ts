/**
 * Forecast accuracy. wMAPE = Σ|actual − forecast| ÷ Σ actual: the absolute error weighted by volume, so
 * quiet night intervals (where percentage errors explode) count for what they weigh.
 * @since 0.1.0
 */
import { fail } from "./internal"

export interface Accuracy {
  /** null when nothing arrived (the ratio is undefined). */
  readonly wmape: number | null
  readonly absoluteError: number
  readonly actualTotal: number
  readonly forecastTotal: number
  /** Intervals compared. */
  readonly n: number
  /** (forecast − actual) ÷ actual over the total: > 0 over-forecast. */
  readonly bias: number | null
}

/** @since 0.1.0 */
export const wmape = (actual: ReadonlyArray<number>, forecast: ReadonlyArray<number>): Accuracy => {
  if (!Array.isArray(actual) || !Array.isArray(forecast) || actual.length !== forecast.length)
    fail("forecast", "must have one value for each actual value")
  let absoluteError = 0
  let actualTotal = 0
  let forecastTotal = 0
  actual.forEach((a, i) => {
    const f = forecast[i] as number
    if (!(Number.isFinite(a) && a >= 0)) fail(`actual[${i}]`, `must be a count ≥ 0, got ${a}`)
    if (!(Number.isFinite(f) && f >= 0)) fail(`forecast[${i}]`, `must be a number ≥ 0, got ${f}`)
    absoluteError += Math.abs(a - f)
    actualTotal += a
    forecastTotal += f
  })
  return {
    wmape: actualTotal > 0 ? absoluteError / actualTotal : null,
    absoluteError,
    actualTotal,
    forecastTotal,
    n: actual.length,
    bias: actualTotal > 0 ? (forecastTotal - actualTotal) / actualTotal : null,
  }
}

/** ln k! (Stirling–De Moivre series past 20, exact sums below: error < 1e-13 either way). */
const logFactorial = (k: number): number => {
  if (k < 20) {
    let s = 0
    for (let i = 2; i <= k; i++) s += Math.log(i)
    return s
  }
  const n = k + 1
  return (
    (n - 0.5) * Math.log(n) -
    n +
    0.5 * Math.log(2 * Math.PI) +
    1 / (12 * n) -
    1 / (360 * n ** 3) +
    1 / (1260 * n ** 5)
  )
}

/**
 * E|X − m| for X ~ Poisson(m): 2·e^(−m)·m^(⌊m⌋+1) / ⌊m⌋! (the mean absolute deviation of the Poisson
 * distribution about its mean).
 * @since 0.9.0
 */
export const poissonMeanAbsoluteDeviation = (m: number): number => {
  if (!(Number.isFinite(m) && m >= 0)) fail("forecast", `must be a number ≥ 0, got ${m}`)
  if (m === 0) return 0
  const k = Math.floor(m)
  return 2 * Math.exp(-m + (k + 1) * Math.log(m) - logFactorial(k))
}

/**
 * The wMAPE a forecast would score by chance alone if it were exactly right: Σ E|X − f| ÷ Σ f with
 * each interval's arrivals X Poisson around its forecast f. Arrivals are counts, so on quiet intervals
 * (a queue with a case every few hours) even a perfect forecast scores far above 100 %; a forecast's
 * wMAPE is read against this floor, not against zero. null when nothing is forecast.
 * @since 0.9.0
 */
export const poissonFloor = (forecast: ReadonlyArray<number>): number | null => {
  let deviation = 0
  let total = 0
  for (const f of forecast) {
    deviation += poissonMeanAbsoluteDeviation(f)
    total += f
  }
  return total > 0 ? deviation / total : null
}
