import normalCdf from "@stdlib/stats-base-dists-normal-cdf"
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile"
import tCdf from "@stdlib/stats-base-dists-t-cdf"
import tQuantile from "@stdlib/stats-base-dists-t-quantile"

/** Thrown on invalid input; the message names the argument. */
export class StatsInputError extends RangeError {
  /** The discriminant every Tenet error carries (as Effect's `Data.TaggedError` does). */
  readonly _tag = "StatsInputError" as const
  override readonly name = "StatsInputError"
}

export const fail = (message: string): never => {
  throw new StatsInputError(message)
}

export const checkConfidence = (confidence: number) => {
  if (!(typeof confidence === "number" && confidence > 0 && confidence < 1))
    fail(`confidence must be between 0 and 1 (exclusive), got ${confidence}`)
  return confidence
}
export const checkCount = (value: number, name: string) => {
  if (!Number.isInteger(value) || value < 0) fail(`${name} must be a whole number ≥ 0, got ${value}`)
  return value
}
export const checkFinite = (values: ReadonlyArray<number>, name: string) => {
  if (!Array.isArray(values)) fail(`${name} must be an array of numbers`)
  values.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) fail(`${name}[${i}] must be a finite number, got ${v}`)
  })
  return values
}

/** Two-sided critical value z_{1−α/2}. */
export const zFor = (confidence: number) => normalQuantile(1 - (1 - checkConfidence(confidence)) / 2, 0, 1)
/** Two-sided critical value t_{1−α/2, df}. */
export const tFor = (confidence: number, df: number) =>
  tQuantile(1 - (1 - checkConfidence(confidence)) / 2, df)
/** Two-sided p-value of a standard normal statistic. */
export const pNormal = (z: number) => Math.min(1, 2 * (1 - normalCdf(Math.abs(z), 0, 1)))
/** Two-sided p-value of a t statistic. */
export const pT = (t: number, df: number) => Math.min(1, 2 * (1 - tCdf(Math.abs(t), df)))

export const mean = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0) / xs.length
export const sampleVariance = (xs: ReadonlyArray<number>) => {
  const m = mean(xs)
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1)
}
