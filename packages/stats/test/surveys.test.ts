import { describe, expect, it } from "vitest"
import {
  driverAnalysis,
  npsDifference,
  pearson,
  poststratifiedProportion,
  StatsInputError,
} from "../src/index"

describe("survey statistics (worked values)", () => {
  it("post-stratifies a proportion: 0.6·0.8 + 0.4·0.6 = 0.72, Var = 0.36·0.16/100 + 0.16·0.24/50", () => {
    const r = poststratifiedProportion([
      { weight: 60, successes: 80, n: 100 },
      { weight: 40, successes: 30, n: 50 },
    ])
    expect(r.estimate).toBeCloseTo(0.72, 12)
    expect(r.lower).toBeCloseTo(0.648147, 5)
    expect(r.upper).toBeCloseTo(0.791853, 5)
    expect(r).toMatchObject({ n: 150, coveredWeight: 1 })
    // the raw value would be 110/150 = 0.733: weighting moves it toward the under-represented stratum
    const partial = poststratifiedProportion([
      { weight: 60, successes: 80, n: 100 },
      { weight: 40, successes: 0, n: 0 },
    ])
    expect(partial).toMatchObject({ estimate: 0.8, coveredWeight: 0.6 })
    expect(() => poststratifiedProportion([{ weight: 1, successes: 3, n: 2 }])).toThrow(StatsInputError)
  })

  it("tests the change of NPS: 30 → 60 points, z = 2.928, p = 0.0034", () => {
    const d = npsDifference(
      { promoters: 50, passives: 30, detractors: 20 },
      { promoters: 70, passives: 20, detractors: 10 },
    )
    expect(d.difference).toBeCloseTo(30, 10)
    expect(d.lower).toBeCloseTo(9.9163, 3)
    expect(d.upper).toBeCloseTo(50.0837, 3)
    expect(d.statistic).toBeCloseTo(2.9277, 3)
    expect(d.pValue).toBeCloseTo(0.003415, 5)
  })

  it("correlates with a Fisher-z interval: r = 0.7746 on five pairs", () => {
    const c = pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    expect(c.r).toBeCloseTo(0.774597, 5)
    expect(c.lower).toBeCloseTo(-0.340082, 5)
    expect(c.upper).toBeCloseTo(0.984236, 5)
    expect(() => pearson([1, 1, 1, 1], [1, 2, 3, 4])).toThrow(/vary/)
  })

  it("ranks drivers by their correlation with the overall score", () => {
    const rows = [
      { overall: 1, drivers: { speed: 1, attitude: 4 } },
      { overall: 2, drivers: { speed: 2, attitude: 5 } },
      { overall: 3, drivers: { speed: 3, attitude: 3 } },
      { overall: 4, drivers: { speed: 4, attitude: 4 } },
      { overall: 5, drivers: { speed: 5, attitude: 4, accuracy: 5 } },
    ]
    const d = driverAnalysis(rows)
    expect(d.map((x) => x.driver)).toEqual(["speed", "attitude"])
    expect(d[0]).toMatchObject({ n: 5, mean: 3 })
    expect(d[0]!.r).toBeCloseTo(1, 12)
    // attitude: Σdxdy = −1, Σdx² = 2, Σdy² = 10 → r = −1/√20
    expect(d[1]!.r).toBeCloseTo(-1 / Math.sqrt(20), 12)
  })
})

describe("mean interval from a summary", () => {
  it("equals the interval of the values it summarises", async () => {
    const { meanInterval, meanIntervalFromSummary } = await import("../src/index")
    const xs = [5, 6, 7, 4, 6, 7, 3, 6]
    const m = xs.reduce((a, b) => a + b, 0) / xs.length
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1))
    const a = meanInterval(xs)
    const b = meanIntervalFromSummary({ mean: m, sd, n: xs.length })
    expect(b.lower).toBeCloseTo(a.lower, 12)
    expect(b.upper).toBeCloseTo(a.upper, 12)
    // worked: mean 5.5, s = 1.4142, t(0.975, 7) = 2.3646 → 5.5 ± 1.1823
    expect(b.upper - b.mean).toBeCloseTo(1.18229, 4)
  })
})
