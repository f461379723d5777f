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
