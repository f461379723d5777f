// Worked values: computed by hand (see the comments) or from published examples.
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  cohensKappa,
  fleissKappa,
  krippendorffAlpha,
  landisKoch,
  laneyPChart,
  meanInterval,
  npsInterval,
  pChart,
  proportionMarginOfError,
  StatsInputError,
  sampleSizeForProportion,
  twoProportionTest,
  welchTTest,
  westernElectricSignals,
  wilsonInterval,
  xmrChart,
} from "../src/index"

describe("proportions (domain.md §D1)", () => {
  it("Wilson interval, 8 of 10: [0.4902, 0.9433]", () => {
    const r = wilsonInterval(8, 10)
    expect(r.p).toBe(0.8)
    expect(r.lower).toBeCloseTo(0.490162, 5)
    expect(r.upper).toBeCloseTo(0.943318, 5)
  })
  it("Wilson interval, 0 of 10: upper 0.2775 (z²/n ÷ (1 + z²/n)); never below 0", () => {
    const r = wilsonInterval(0, 10)
    expect(r.lower).toBe(0)
    expect(r.upper).toBeCloseTo(0.277533, 5)
  })
  it("margin of error: n = 30, p = 0.95 → ±7.8 points; n = 10, p = 0.9 → ±18.6 points", () => {
    expect(proportionMarginOfError(0.95, 30)).toBeCloseTo(0.07799, 4)
    expect(proportionMarginOfError(0.9, 10)).toBeCloseTo(0.18594, 4)
  })
  it("margin of error shrinks with the finite population correction", () => {
    // 0.5, n = 100 of N = 500: 1.96·0.05·√(400/499) = 0.08774
    expect(proportionMarginOfError(0.5, 100, { population: 500 })).toBeCloseTo(0.087742, 4)
    expect(proportionMarginOfError(0.5, 500, { population: 500 })).toBe(0)
  })
  it("sample sizes from the domain doc: 385, 1,068, 2,401; 323 of 2,000; 218 of 500", () => {
    expect(sampleSizeForProportion({ marginOfError: 0.05 })).toBe(385)
    expect(sampleSizeForProportion({ marginOfError: 0.03 })).toBe(1068)
    expect(sampleSizeForProportion({ marginOfError: 0.02 })).toBe(2401)
    expect(sampleSizeForProportion({ marginOfError: 0.05, population: 2000 })).toBe(323)
    expect(sampleSizeForProportion({ marginOfError: 0.05, population: 500 })).toBe(218)
  })
  it("NPS: P = 0.5, D = 0.2, n = 400 → 30 ± 7.65 (domain.md §D3)", () => {
    const r = npsInterval({ promoters: 200, passives: 120, detractors: 80 })
    expect(r.nps).toBeCloseTo(30, 10)
    expect(r.n).toBe(400)
    expect(r.upper - r.nps).toBeCloseTo(7.6539, 3)
    expect(r.nps - r.lower).toBeCloseTo(7.6539, 3)
  })
})

describe("means and before/after tests (§D2, §D4)", () => {
  it("Student-t interval: [2,4,4,4,5,5,7,9] → 5 ± 2.3646·2.1381/√8 = 5 ± 1.7875", () => {
    const r = meanInterval([2, 4, 4, 4, 5, 5, 7, 9])
    expect(r.mean).toBe(5)
    expect(r.lower).toBeCloseTo(3.21251, 4)
    expect(r.upper).toBeCloseTo(6.78749, 4)
  })
  it("two-proportion z test: 45/100 vs 30/100 → z = 2.1909, p = 0.0285", () => {
    const r = twoProportionTest(45, 100, 30, 100)
    expect(r.statistic).toBeCloseTo(2.19089, 4)
    expect(r.pValue).toBeCloseTo(0.02846, 4)
    expect(r.difference).toBeCloseTo(0.15, 10)
  })
  it("Welch's t test, the published example: t = −2.46, ν ≈ 25.0, p = 0.021", () => {
    const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]
    const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]
    const r = welchTTest(a, b)
    expect(r.statistic).toBeCloseTo(-2.46, 2)
    expect(r.df).toBeCloseTo(25.0, 0)
    expect(r.pValue).toBeCloseTo(0.021, 3)
  })
})

describe("agreement (§D5)", () => {
  it("Cohen's kappa, 50 items: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → p_o 0.7, p_e 0.5, κ 0.4", () => {
    const a = [
      ...Array(20).fill("yes"),
      ...Array(5).fill("yes"),
      ...Array(10).fill("no"),
      ...Array(15).fill("no"),
    ]
    const b = [
      ...Array(20).fill("yes"),
      ...Array(5).fill("no"),
      ...Array(10).fill("yes"),
      ...Array(15).fill("no"),
    ]
    const r = cohensKappa(a, b)
    expect(r.observed).toBeCloseTo(0.7, 10)
    expect(r.expected).toBeCloseTo(0.5, 10)
    expect(r.kappa).toBeCloseTo(0.4, 10)
  })
  it("weighted kappa on a 3-point scale (worked by hand: linear 0.4318, quadratic 0.4615, nominal 0.4030)", () => {
    const a = [1, 2, 3, 1, 2, 3, 3, 2, 1, 1]
    const b = [1, 2, 3, 2, 3, 1, 3, 2, 2, 1]
    expect(cohensKappa(a, b).kappa).toBeCloseTo(0.402985, 5)
    expect(cohensKappa(a, b, { weights: "linear" }).kappa).toBeCloseTo(0.431818, 5)
    expect(cohensKappa(a, b, { weights: "quadratic" }).kappa).toBeCloseTo(0.461538, 5)
  })
  it("Fleiss' kappa, Fleiss (1971) example of 10 items × 14 raters: κ = 0.210", () => {
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ]
    expect(fleissKappa(counts).kappa).toBeCloseTo(0.20993, 4)
  })
  it("Krippendorff's alpha, Krippendorff (2011) example: nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797", () => {
    const _ = null
    const data = [
      [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
      [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
      [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
      [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
    ]
    expect(krippendorffAlpha(data, "nominal").alpha).toBeCloseTo(0.7434, 4)
    expect(krippendorffAlpha(data, "ordinal").alpha).toBeCloseTo(0.8154, 4)
    expect(krippendorffAlpha(data, "interval").alpha).toBeCloseTo(0.8491, 4)
    expect(krippendorffAlpha(data, "ratio").alpha).toBeCloseTo(0.7974, 4)
  })
  it("perfect agreement is 1; Landis–Koch bands", () => {
    expect(cohensKappa([1, 2, 3], [1, 2, 3]).kappa).toBe(1)
    expect(
      krippendorffAlpha(
        [
          [1, 2, 3],
          [1, 2, 3],
        ],
        "interval",
      ).alpha,
    ).toBe(1)
    expect(landisKoch(0.4)).toBe("fair")
    expect(landisKoch(0.85)).toBe("almost_perfect")
  })
})

describe("control charts (§D6)", () => {
  it("p-chart: 5/100, 10/100, 3/50 → p̄ 0.072; limits 0.072 ± 3·√(p̄(1−p̄)/n), LCL floored at 0", () => {
    const r = pChart([
      { count: 5, n: 100 },
      { count: 10, n: 100 },
      { count: 3, n: 50 },
    ])
    expect(r.center).toBeCloseTo(0.072, 10)
    expect(r.points[0]).toMatchObject({ p: 0.05, lcl: 0 })
    expect(r.points[0]!.ucl).toBeCloseTo(0.149546, 5)
    expect(r.points[2]!.ucl).toBeCloseTo(0.181668, 5)
  })
  it("Laney p′ widens the limits by σ_z = MR̄(z)/1.128 (worked: σ_z = 3.2922)", () => {
    const r = laneyPChart([
      { count: 30, n: 1000 },
      { count: 45, n: 1200 },
      { count: 20, n: 900 },
      { count: 60, n: 1100 },
      { count: 25, n: 1000 },
    ])
    expect(r.center).toBeCloseTo(0.0346154, 6)
    expect(r.sigmaZ).toBeCloseTo(3.292237, 5)
    expect(r.points[0]!.ucl).toBeCloseTo(0.0917103, 6)
    expect(r.points[1]!.ucl).toBeCloseTo(0.0867356, 6)
    expect(r.points[0]!.lcl).toBe(0)
  })
  it("XmR: [10, 12, 11, 15, 9] → x̄ 11.4, MR̄ 3.25, limits 11.4 ± 8.645, MR UCL 10.618", () => {
    const r = xmrChart([10, 12, 11, 15, 9])
    expect(r.center).toBeCloseTo(11.4, 10)
    expect(r.movingRangeCenter).toBeCloseTo(3.25, 10)
    expect(r.ucl).toBeCloseTo(20.045, 10)
    expect(r.lcl).toBeCloseTo(2.755, 10)
    expect(r.movingRangeUcl).toBeCloseTo(10.61775, 10)
  })
  it("Western Electric rules 1–4", () => {
    const opts = { center: 0, sigma: 1 }
    expect(westernElectricSignals([0, 0.5, 3.5, 0], opts)).toEqual([{ index: 2, rule: 1 }])
    expect(westernElectricSignals([0, 2.5, -0.5, 2.2], opts)).toEqual([{ index: 3, rule: 2 }])
    expect(westernElectricSignals([1.5, 1.2, 0.2, 1.1, 1.4], opts)).toEqual([{ index: 4, rule: 3 }])
    expect(westernElectricSignals([-0.1, 0.2, 0.3, 0.1, 0.4, 0.2, 0.1, 0.5, 0.3], opts)).toEqual([
      { index: 8, rule: 4 },
    ])
    expect(westernElectricSignals([0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5], opts)).toEqual([])
  })
})

describe("input validation names the argument", () => {
  it("throws clear errors", () => {
    expect(() => wilsonInterval(11, 10)).toThrow("successes (11) cannot exceed n (10)")
    expect(() => wilsonInterval(1, 10, 1.5)).toThrow("confidence must be between 0 and 1")
    expect(() => sampleSizeForProportion({ marginOfError: 5 })).toThrow(
      /marginOfError must be between 0 and 1/,
    )
    expect(() => meanInterval([1])).toThrow(StatsInputError)
    expect(() => meanInterval([1, Number.NaN])).toThrow("values[1] must be a finite number")
    expect(() => cohensKappa([1, 2], [1])).toThrow(/same items/)
    expect(() =>
      fleissKappa([
        [1, 2],
        [2, 2],
      ]),
    ).toThrow("counts[1] has 4 ratings")
    expect(() =>
      krippendorffAlpha(
        [
          [1, "a"],
          [1, 2],
        ],
        "interval",
      ),
    ).toThrow("data[0][1] must be a number")
    expect(() => pChart([{ count: 5, n: 4 }])).toThrow("subgroups[0].count")
    expect(() => npsInterval({ promoters: 0, passives: 0, detractors: 0 })).toThrow(/no responses/)
  })
})

describe("properties", () => {
  it("the Wilson interval contains p̂ and stays in [0, 1]", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const x = Math.floor(f * n)
        const r = wilsonInterval(x, n)
        return r.lower >= 0 && r.upper <= 1 && r.lower <= r.p + 1e-12 && r.p <= r.upper + 1e-12
      }),
    )
  })
  it("a larger sample never needs less margin of error", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.005, max: 0.3, noNaN: true }), (e) => {
        const n = sampleSizeForProportion({ marginOfError: e })
        return proportionMarginOfError(0.5, n) <= e + 1e-12
      }),
    )
  })
})
