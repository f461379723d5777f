/**
 * Volume per interval (15, 30 or 60 minutes) from history: a multiplicative seasonal-profile model with
 * a linear trend — volume(day, slot) = level(day) × dayFactor(class) × share(class, slot) — where a
 * day's class is its weekday for working days, its weekday for rest days, "holiday" for public holidays
 * and "make-up workday" for a working day on a weekend (调休). The caller supplies the day type (from
 * @tenet/calendar or any other calendar), so the library knows nothing of calendars.
 *
 * Why not Holt–Winters: with 96 intervals a day the weekly season is 672 intervals long, so 90 days of
 * history are only 13 seasons to initialise and smooth; its seasonal state is keyed by position, so a
 * holiday on a Tuesday corrupts next week's Tuesday and a make-up Saturday cannot borrow a working day's
 * shape. A profile keyed by day class handles holidays and 调休 directly, fits in one pass (linear in
 * the history) and its parts are explainable to a planner.
 *
 * Prediction intervals: counts are treated as over-dispersed Poisson, variance = φ·forecast with φ
 * estimated from the in-sample residuals (φ ≥ 1), and a normal approximation ŷ ± z·√(φŷ), floored at 0.
 *
 * @since 0.1.0
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile"
import { checkProbability, fail } from "./internal"

/** What a calendar says about a date. A 调休 make-up day is a `workday`. @since 0.1.0 */
export type DayType = "workday" | "restday" | "holiday"

export interface ForecastInput {
  /** Arrivals per interval, day after day from local midnight of `startDate`; length = days × intervalsPerDay. */
  readonly history: ReadonlyArray<number>
  /** 24, 48 or 96 (60, 30 or 15 minutes), or any whole number dividing the day. */
  readonly intervalsPerDay: number
  /** The local date of the first history day, YYYY-MM-DD. */
  readonly startDate: string
  readonly horizonDays: number
  readonly dayType: (date: string) => DayType
  /** Of the prediction interval, default 0.95. */
  readonly confidence?: number
  /**
   * How many average days of the all-days intraday shape each class's shape is blended with (default 4):
   * a class seen on 12 days has noisy 15-minute shares, and most classes share most of their shape.
   */
  readonly smoothingDays?: number
}

/** One forecast interval. @since 0.1.0 */
export interface ForecastPoint {
  readonly date: string
  readonly slot: number
  readonly forecast: number
  readonly lower: number
  readonly upper: number
}

export interface Forecast {
  readonly points: ReadonlyArray<ForecastPoint>
  /** Fitted values for the history (same length as it), for back-tests and charts. */
  readonly fitted: ReadonlyArray<number>
  /** Daily level at the end of the history and its change per day. */
  readonly level: number
  readonly trendPerDay: number
  readonly dayFactors: Readonly<Record<string, number>>
  /** Over-dispersion φ (1 = Poisson). */
  readonly dispersion: number
}

const DAY_MS = 86_400_000
const parseDate = (date: string, field: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN
  if (Number.isNaN(t)) fail(field, `must be a date YYYY-MM-DD, got ${date}`)
  return t
}
/** The date `days` after `date` (YYYY-MM-DD). @since 0.1.0 */
export const addDays = (date: string, days: number) =>
  new Date(parseDate(date, "date") + days * DAY_MS).toISOString().slice(0, 10)
const weekday = (date: string) => new Date(parseDate(date, "date")).getUTCDay()

/** The class a day's volume follows. @since 0.1.0 */
export const dayClass = (date: string, type: DayType) => {
  const wd = weekday(date)
  if (type === "holiday") return "holiday"
  if (type === "workday") return wd === 0 || wd === 6 ? "workday-makeup" : `workday-${wd}`
  return wd === 0 || wd === 6 ? `restday-${wd}` : "holiday"
}
const fallbackOf = (cls: string) =>
  cls.startsWith("workday") ? "workday" : cls.startsWith("restday") ? "restday" : "restday"

const mean = (xs: ReadonlyArray<number>) =>
  xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length

/** Fit the model and forecast `horizonDays` after the history. @since 0.1.0 */
export const forecastVolume = (input: ForecastInput): Forecast => {
  const k = input.intervalsPerDay
  if (!(Number.isInteger(k) && k >= 1 && 1440 % k === 0))
    fail("intervalsPerDay", `must divide the day's 1440 minutes, got ${k}`)
  if (!Array.isArray(input.history) || input.history.length === 0 || input.history.length % k !== 0)
    fail("history", `must hold whole days of ${k} intervals, got ${input.history?.length}`)
  input.history.forEach((v, i) => {
    if (!(typeof v === "number" && Number.isFinite(v) && v >= 0))
      fail(`history[${i}]`, `must be a count ≥ 0, got ${v}`)
  })
  parseDate(input.startDate, "startDate")
  if (!(Number.isInteger(input.horizonDays) && input.horizonDays >= 0 && input.horizonDays <= 366))
    fail("horizonDays", `must be a whole number of days 0–366, got ${input.horizonDays}`)
  const z = normalQuantile(1 - (1 - checkProbability(input.confidence ?? 0.95, "confidence")) / 2, 0, 1)
  const days = input.history.length / k
  const classes: string[] = []
  const totals: number[] = []
  for (let d = 0; d < days; d++) {
    const date = addDays(input.startDate, d)
    classes.push(dayClass(date, input.dayType(date)))
    let t = 0
    for (let s = 0; s < k; s++) t += input.history[d * k + s] as number
    totals.push(t)
  }
  // Alternate: day factors given the trend line, trend line (least squares) given the factors.
  let factors = new Map<string, number>()
  let a = mean(totals)
  let b = 0
  // A sparse queue's trend line can reach zero inside the history; levels are floored at a tenth of
  // the mean day so that day factors stay ratios of comparable numbers.
  const floor = Math.max(1e-9, 0.1 * mean(totals))
  for (let iter = 0; iter < 8; iter++) {
    // factor = Σ volume ÷ Σ level over the class's days, with one arrival at factor 1 added so that a
    // sparse queue's class seen on few quiet days cannot take an extreme factor (negligible at volume)
    const sums = new Map<string, { volume: number; level: number }>()
    const prior = 1
    classes.forEach((c, d) => {
      const e = sums.get(c) ?? { volume: prior, level: prior }
      e.volume += totals[d] as number
      e.level += Math.max(floor, a + b * d)
      sums.set(c, e)
    })
    factors = new Map([...sums].map(([c, e]) => [c, e.volume / e.level]))
    const norm = mean(classes.map((c) => factors.get(c) as number)) || 1
    factors = new Map([...factors].map(([c, f]) => [c, f / norm]))
    const ys = totals.map((t, d) => t / Math.max(0.05, factors.get(classes[d] as string) as number))
    const xm = (days - 1) / 2
    const ym = mean(ys)
    let sxy = 0
    let sxx = 0
    ys.forEach((y, d) => {
      sxy += (d - xm) * (y - ym)
      sxx += (d - xm) ** 2
    })
    // under 5 arrivals a day a fitted slope is mostly noise: such queues get a level, no trend
    b = sxx > 0 && mean(totals) >= 5 ? sxy / sxx : 0
    a = ym - b * xm
  }
  // Intraday shares per class, shrunk towards the all-days shape by `smoothingDays` average days.
  const overall = new Array<number>(k).fill(0)
  const byClass = new Map<string, { counts: number[]; total: number }>()
  classes.forEach((c, d) => {
    const entry = byClass.get(c) ?? { counts: new Array<number>(k).fill(0), total: 0 }
    for (let s = 0; s < k; s++) {
      const v = input.history[d * k + s] as number
      entry.counts[s] = (entry.counts[s] as number) + v
      overall[s] = (overall[s] as number) + v
    }
    entry.total += totals[d] as number
    byClass.set(c, entry)
  })
  const grand = overall.reduce((x, y) => x + y, 0)
  const flat = 1 / k
  const overallShare = overall.map((v) => (grand > 0 ? v / grand : flat))
  const smoothing = input.smoothingDays ?? 4
  if (!(Number.isFinite(smoothing) && smoothing >= 0))
    fail("smoothingDays", `must be a number ≥ 0, got ${smoothing}`)
  const prior = (smoothing * grand) / days
  const shares = new Map<string, number[]>()
  for (const [c, e] of byClass)
    shares.set(
      c,
      // a queue without arrivals in its history (grand = 0) has no shape of its own: a flat day
      e.total + prior > 0
        ? e.counts.map((v, s) => (v + prior * (overallShare[s] as number)) / (e.total + prior))
        : overallShare.slice(),
    )
  // Classes never seen in the history borrow from their family (working or rest days), then from all.
  const family = (name: string) => [...byClass.keys()].filter((c) => fallbackOf(c) === name)
  const resolve = (cls: string): { factor: number; share: ReadonlyArray<number> } => {
    const f = factors.get(cls)
    const sh = shares.get(cls)
    if (f !== undefined && sh !== undefined) return { factor: f, share: sh }
    const members = family(fallbackOf(cls))
    const pool = members.length > 0 ? members : [...byClass.keys()]
    const factor = mean(pool.map((c) => factors.get(c) as number))
    const share = overallShare.map((_, s) => mean(pool.map((c) => (shares.get(c) as number[])[s] as number)))
    return { factor, share }
  }
  const fitted: number[] = []
  let chi = 0
  let used = 0
  for (let d = 0; d < days; d++) {
    const { factor, share } = resolve(classes[d] as string)
    const lvl = Math.max(floor, a + b * d)
    for (let s = 0; s < k; s++) {
      const f = lvl * factor * (share[s] as number)
      fitted.push(f)
      if (f > 0) {
        chi += ((input.history[d * k + s] as number) - f) ** 2 / f
        used++
      }
    }
  }
  const params = byClass.size + k + 2
  const dispersion = Math.max(1, used > params ? chi / (used - params) : 1)
  const points: ForecastPoint[] = []
  // The trend is extrapolated within ±50 % of the level at the end of the history: a line fitted to a
  // sparse or changing queue must not run away over a two-week horizon.
  const last = Math.max(0, a + b * (days - 1))
  for (let h = 0; h < input.horizonDays; h++) {
    const d = days + h
    const date = addDays(input.startDate, d)
    const { factor, share } = resolve(dayClass(date, input.dayType(date)))
    const lvl = Math.min(1.5 * last, Math.max(0.5 * last, a + b * d))
    for (let s = 0; s < k; s++) {
      const f = lvl * factor * (share[s] as number)
      const half = z * Math.sqrt(dispersion * f)
      points.push({ date, slot: s, forecast: f, lower: Math.max(0, f - half), upper: f + half })
    }
  }
  return {
    points,
    fitted,
    level: Math.max(0, a + b * (days - 1)),
    trendPerDay: b,
    dayFactors: Object.fromEntries(factors),
    dispersion,
  }
}
