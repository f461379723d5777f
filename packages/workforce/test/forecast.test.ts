import { describe, expect, it } from "vitest"
import {
  addDays,
  type DayType,
  forecastVolume,
  poissonFloor,
  poissonMeanAbsoluteDeviation,
  wmape,
} from "../src"

// Generated series with known parameters: level 400/day rising 2/day, weekday factors, a two-peak
// intraday shape, Poisson counts (seeded), 84 days of history and 14 days to forecast.
const mulberry32 = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const poisson = (rand: () => number, mean: number) => {
  // Knuth's method in chunks of ≤ 30 (sum of Poissons is Poisson).
  let total = 0
  for (let left = mean; left > 0; left -= 30) {
    const l = Math.exp(-Math.min(30, left))
    let k = 0
    let p = rand()
    while (p > l) {
      k++
      p *= rand()
    }
    total += k
  }
  return total
}
const start = "2026-01-05" // a Monday
const holidays = new Set(["2026-02-16", "2026-02-17", "2026-04-06"]) // the last in the forecast horizon
const makeUp = new Set(["2026-02-14", "2026-04-11"]) // Saturdays worked (调休)
const dayType = (date: string): DayType => {
  if (holidays.has(date)) return "holiday"
  if (makeUp.has(date)) return "workday"
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay()
  return wd === 0 || wd === 6 ? "restday" : "workday"
}
const weekdayFactor = [0.4, 1.25, 1.15, 1.1, 1.05, 1.0, 0.5] // Sun … Sat
const typeFactor = (date: string) => {
  const t = dayType(date)
  if (t === "holiday") return 0.3
  if (t === "workday") {
    const wd = new Date(`${date}T00:00:00Z`).getUTCDay()
    return wd === 0 || wd === 6 ? 1.1 : (weekdayFactor[wd] as number)
  }
  return weekdayFactor[new Date(`${date}T00:00:00Z`).getUTCDay()] as number
}
const k = 48
const shape = Array.from({ length: k }, (_, s) => {
  const h = (s + 0.5) / 2
  return 0.05 + Math.exp(-((h - 10.5) ** 2) / 4) + 0.8 * Math.exp(-((h - 15) ** 2) / 5)
})
const shapeTotal = shape.reduce((a, b) => a + b, 0)
const trueMean = (d: number, s: number) =>
  (400 + 2 * d) * typeFactor(addDays(start, d)) * ((shape[s] as number) / shapeTotal)
const series = (days: number, seed: number) => {
  const rand = mulberry32(seed)
  const out: number[] = []
  for (let d = 0; d < days; d++) for (let s = 0; s < k; s++) out.push(poisson(rand, trueMean(d, s)))
  return out
}

describe("forecastVolume back-test", () => {
  const all = series(98, 7)
  const history = all.slice(0, 84 * k)
  const actual = all.slice(84 * k)
  const f = forecastVolume({ history, intervalsPerDay: k, startDate: start, horizonDays: 14, dayType })
  const truth = Array.from({ length: 14 * k }, (_, i) => trueMean(84 + Math.floor(i / k), i % k))

  it("recovers the trend", () => {
    // The trend is per unit of level; with the day factors normalised to mean 1 over the history it is
    // 2/day × the mean day factor.
    expect(f.trendPerDay).toBeGreaterThan(1)
    expect(f.trendPerDay).toBeLessThan(3)
  })
  it("is close to the true means (wMAPE against the generating means < 6 %)", () => {
    const acc = wmape(
      truth,
      f.points.map((p) => p.forecast),
    )
    // Each class's half-hour share is estimated from ~12 days of ~8 arrivals a slot, so some sampling
    // error remains (5.1 % with this seed); the bound leaves room for it and no more.
    expect(acc.wmape).toBeLessThan(0.06)
  })
  it("is as accurate on the actual counts as the true means are (Poisson noise bound)", () => {
    const ours = wmape(
      actual,
      f.points.map((p) => p.forecast),
    ).wmape as number
    const best = wmape(actual, truth).wmape as number
    expect(ours).toBeLessThan(best * 1.15)
  })
  it("holidays are low and a make-up Saturday behaves like a working day", () => {
    const day = (date: string) => f.points.filter((p) => p.date === date).reduce((a, p) => a + p.forecast, 0)
    const holiday = day("2026-04-06") // Monday, a holiday
    const makeUpSaturday = day("2026-04-11")
    const sunday = day("2026-04-12")
    const tuesday = day("2026-04-07")
    expect(holiday).toBeLessThan(tuesday * 0.5)
    expect(makeUpSaturday).toBeGreaterThan(sunday * 2)
    expect(makeUpSaturday / tuesday).toBeGreaterThan(0.8)
  })
  it("95 % prediction intervals cover about 95 % of the actual counts", () => {
    const covered = f.points.filter(
      (p, i) => (actual[i] as number) >= p.lower && (actual[i] as number) <= p.upper,
    ).length
    const share = covered / f.points.length
    expect(share).toBeGreaterThan(0.9)
    expect(share).toBeLessThan(0.995)
  })
  it("refuses partial days and names the field", () => {
    expect(() =>
      forecastVolume({ history: [1, 2, 3], intervalsPerDay: 2, startDate: start, horizonDays: 1, dayType }),
    ).toThrow(/history/)
    expect(() =>
      forecastVolume({ history: [1, 2], intervalsPerDay: 7, startDate: start, horizonDays: 1, dayType }),
    ).toThrow(/intervalsPerDay/)
  })
})

describe("sparse queues", () => {
  it("a queue with a case every few days gets a forecast of that order, not a blow-up", () => {
    const rand = mulberry32(3)
    const days = 90
    const history: number[] = []
    for (let d = 0; d < days; d++)
      for (let s = 0; s < 24; s++) history.push(poisson(rand, d < 60 ? 0.02 : 0.001))
    const f = forecastVolume({ history, intervalsPerDay: 24, startDate: start, horizonDays: 14, dayType })
    const perDay = f.points.reduce((a, p) => a + p.forecast, 0) / 14
    expect(perDay).toBeLessThan(1)
    expect(f.points.every((p) => Number.isFinite(p.upper))).toBe(true)
  })

  it("a queue whose first case is today (no arrivals in its history) forecasts zero, not NaN", () => {
    const f = forecastVolume({
      history: new Array(90 * 24).fill(0),
      intervalsPerDay: 24,
      startDate: start,
      horizonDays: 14,
      dayType,
    })
    expect(f.points.length).toBe(14 * 24)
    for (const p of f.points) expect([p.forecast, p.lower, p.upper]).toEqual([0, 0, 0])
    expect(f.fitted.every((v) => Number.isFinite(v) && v < 1e-6)).toBe(true)
  })
})

describe("wmape", () => {
  it("Σ|a − f| ÷ Σa", () => {
    const r = wmape([10, 0, 30], [12, 1, 27])
    expect(r.wmape).toBeCloseTo(6 / 40, 12)
    expect(r.bias).toBeCloseTo(0, 12)
    expect(wmape([0], [1]).wmape).toBeNull()
  })
})

describe("the Poisson floor of wMAPE", () => {
  // E|X − m| summed term by term over the Poisson probabilities (in logs), independent of the closed form
  const bruteForce = (m: number) => {
    let sum = 0
    let logP = -m
    for (let k = 0; k < m + 60 * Math.sqrt(m + 1) + 60; k++) {
      if (k > 0) logP += Math.log(m) - Math.log(k)
      sum += Math.abs(k - m) * Math.exp(logP)
    }
    return sum
  }
  it("is the Poisson mean absolute deviation: 2/e at m = 1, and the term-by-term sum elsewhere", () => {
    expect(poissonMeanAbsoluteDeviation(1)).toBeCloseTo(2 / Math.E, 14)
    expect(poissonMeanAbsoluteDeviation(0)).toBe(0)
    for (const m of [0.05, 0.2, 0.5, 2.5, 7, 19.99, 20, 37.3, 150, 1234.5])
      expect(poissonMeanAbsoluteDeviation(m) / bruteForce(m)).toBeCloseTo(1, 10)
  })
  it("is what an exactly right forecast scores on Poisson arrivals; large on quiet intervals, small on busy ones", () => {
    const rand = mulberry32(7)
    const quiet = Array.from({ length: 20_000 }, (_, i) => 0.1 + (i % 5) * 0.1)
    const busy = Array.from({ length: 8000 }, (_, i) => 40 + (i % 7) * 10)
    for (const truth of [quiet, busy]) {
      const arrivals = truth.map((m) => poisson(rand, m))
      const perfect = wmape(arrivals, truth).wmape as number
      expect(perfect / (poissonFloor(truth) as number)).toBeGreaterThan(0.97)
      expect(perfect / (poissonFloor(truth) as number)).toBeLessThan(1.03)
    }
    expect(poissonFloor(quiet)).toBeGreaterThan(1.2)
    expect(poissonFloor(busy)).toBeLessThan(0.12)
    expect(poissonFloor([0, 0])).toBeNull()
  })
})
