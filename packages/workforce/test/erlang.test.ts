import { describe, expect, it } from "vitest"
import {
  agentsForChat,
  agentsForErlangA,
  agentsForServiceLevel,
  deferredWorkload,
  erlangA,
  erlangB,
  erlangC,
  erlangCPerformance,
  WorkforceInputError,
  withShrinkage,
} from "../src"

describe("Erlang B", () => {
  // Published Erlang B tables (e.g. ITU-D "Teletraffic Engineering Handbook", Table of Erlang's B-formula)
  // give B(10 lines, 5 E) = 0.01838 and B(5, 2 E) = 0.03670. For whole A the formula is a ratio of whole
  // numbers; the 1e-12 values below are that exact rational (Python fractions), agreeing with the tables.
  it.each([
    [10, 5, 0.018384570336648132, 0.01838],
    [5, 2, 0.03669724770642202, 0.0367],
    [3, 1, 1 / 16, 0.0625],
  ])("B(%i, %f)", (n, a, exact, table) => {
    expect(erlangB(n, a)).toBeCloseTo(exact, 12)
    expect(Math.abs(erlangB(n, a) - table)).toBeLessThan(5e-5)
  })
  it("stays finite for thousands of agents (no A^n or n!)", () => {
    const b = erlangB(5000, 4800)
    expect(Number.isFinite(b) && b > 0 && b < 1).toBe(true)
  })
})

describe("Erlang C — Call Centre Helper worked example", () => {
  // Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example" (also the pyworkforce
  // documentation example): 100 calls in 30 minutes, AHT 180 s, target 80 % in 20 s → A = 10 Erlangs,
  // 14 agents, probability of waiting 17.41 %, service level 88.8 %, ASA 7.8 s, occupancy 71.4 %.
  // To 1e-6 against the exact rational C(14, 10) (Python fractions) and e^{−(n−A)t/AHT}.
  const input = { arrivals: 100, intervalSeconds: 1800, ahtSeconds: 180, target: { level: 0.8, seconds: 20 } }
  it("needs 14 agents", () => {
    const r = agentsForServiceLevel(input)
    expect(r.agents).toBe(14)
    expect(r.traffic).toBe(10)
    expect(r.probabilityOfWait).toBeCloseTo(0.17413193359504983, 6)
    expect(r.serviceLevel).toBeCloseTo(0.8883500191794669, 6)
    expect(r.averageSpeedOfAnswer).toBeCloseTo(7.835937011777243, 6)
    expect(r.occupancy).toBeCloseTo(0.7142857142857143, 6)
    // the published (rounded) figures
    expect(r.probabilityOfWait.toFixed(4)).toBe("0.1741")
    expect(r.averageSpeedOfAnswer.toFixed(1)).toBe("7.8")
  })
  it.each([
    [11, 0.6821182046893324, 0.3896138117291533],
    [12, 0.44938822429827086, 0.6401580403740066],
    [13, 0.28527045303649295, 0.7955947884177831],
    [15, 0.10204236700798801, 0.9414528428690223],
  ])("with %i agents", (agents, wait, level) => {
    const r = erlangCPerformance({
      agents,
      arrivals: 100,
      intervalSeconds: 1800,
      ahtSeconds: 180,
      targetSeconds: 20,
    })
    expect(r.probabilityOfWait).toBeCloseTo(wait, 6)
    expect(r.serviceLevel).toBeCloseTo(level, 6)
  })
  it("is 1 when the queue cannot settle", () => {
    expect(erlangC(10, 10)).toBe(1)
    expect(erlangC(2, 1.5)).toBeCloseTo(0.6428571428571429, 12) // 9/14 exactly
  })
  it("honours an occupancy cap", () => {
    expect(agentsForServiceLevel({ ...input, maxOccupancy: 0.65 }).agents).toBe(16)
  })
})

describe("Erlang A", () => {
  // Reference: an independent computation of the same M/M/n+M chain (Python/scipy: stationary distribution
  // by detailed balance over 400 queue states, the answered-within-t probability by the matrix exponential
  // of the tagged caller's generator, scipy.linalg.expm), to 1e-6.
  it.each([
    [
      14, 100, 1800, 180, 120, 20, 0.12697634007979536, 0.022839286531818773, 0.9327295806980597,
      2.740714383818253,
    ],
    [
      10, 100, 1800, 180, 60, 20, 0.42341767494790405, 0.15752687149083397, 0.7180101881216563,
      9.451612289450036,
    ],
    [
      9, 100, 1800, 180, 300, 20, 0.7345486274456369, 0.16326195511495623, 0.3662485520781449,
      48.978586534486865,
    ],
    [
      50, 1000, 3600, 180, 60, 30, 0.39066910459400706, 0.0713241056348362, 0.9143785012796685,
      4.279446338090172,
    ],
  ])(
    "n=%i λ=%i/%is AHT %is patience %is t=%is",
    (agents, arrivals, intervalSeconds, ahtSeconds, patienceSeconds, targetSeconds, pw, pab, sl, aw) => {
      const r = erlangA({ agents, arrivals, intervalSeconds, ahtSeconds, patienceSeconds, targetSeconds })
      expect(r.probabilityOfWait).toBeCloseTo(pw, 6)
      expect(r.probabilityOfAbandon).toBeCloseTo(pab, 6)
      expect(r.serviceLevel).toBeCloseTo(sl, 6)
      expect(r.averageWait).toBeCloseTo(aw, 6)
    },
  )
  it("with patience = handling time is M/M/∞: P(wait) = P(Poisson(A) ≥ n)", () => {
    // A = 10, n = 12: P(N ≥ 12) = 0.3032238536968938, E[(N − 12)+]/A = 0.05309162537074265 (Poisson tail)
    const r = erlangA({
      agents: 12,
      arrivals: 100,
      intervalSeconds: 1800,
      ahtSeconds: 180,
      patienceSeconds: 180,
      targetSeconds: 20,
    })
    expect(r.probabilityOfWait).toBeCloseTo(0.3032238536968938, 9)
    expect(r.probabilityOfAbandon).toBeCloseTo(0.05309162537074265, 9)
  })
  it("with endless patience is Erlang C", () => {
    const r = erlangA({
      agents: 14,
      arrivals: 100,
      intervalSeconds: 1800,
      ahtSeconds: 180,
      patienceSeconds: 1e9,
      targetSeconds: 20,
    })
    expect(r.probabilityOfWait).toBeCloseTo(0.17413193359504983, 6)
    expect(r.serviceLevel).toBeCloseTo(0.8883500191794669, 6)
  })
  it("needs fewer agents than Erlang C when callers give up", () => {
    const r = agentsForErlangA({
      arrivals: 100,
      intervalSeconds: 1800,
      ahtSeconds: 180,
      patienceSeconds: 60,
      target: { level: 0.8, seconds: 20 },
    })
    expect(r.agents).toBeLessThanOrEqual(14)
    expect(r.serviceLevel).toBeGreaterThanOrEqual(0.8)
  })
})

describe("Erlang A — published values of another implementation", () => {
  // Source: the test suite of the open-source call-centre planning library queuingSystem (Felix Kleine
  // Bösing), tests/modelling/capacity_planning/test_erlanga.py at commit d1e251bf30403d6fb7c37013d5338c1cff553475
  // (github.com/FelixKleineBoesing/queuingSystem), which computes the M/M/n/K+M queue from its
  // state probabilities (K = 80 in the system). Rates there are per second: λ = 1/10, μ = 1/240, ν (our
  // 1/patience) = 1/300 or 1/30. Published values:
  //   n = 28, ν = 1/300: mean queue length 0.6833261838358367, mean waiting time 6.833261838358366 s,
  //                      mean number in the system 24.136665236767172, mean time in it 241.36665236767172 s
  //   n = 25, ν = 1/30:  probability of abandoning 0.09759081562546817
  // Their waiting room ends at 80 in the system; ours has none. The states past 80 hold less than 1e-13
  // of the mass at these loads (each is the previous × λ/(nμ + jν) < 0.4 there), so the two agree to far
  // better than the 1e-6 asserted.
  const base = { arrivals: 360, intervalSeconds: 3600, ahtSeconds: 240, targetSeconds: 20 }
  it("n = 28, patience 300 s: mean queue, wait, number in the system and time in it", () => {
    const r = erlangA({ ...base, agents: 28, patienceSeconds: 300 })
    const lambda = 0.1
    const meanQueue = r.averageWait * lambda
    // in the system: those waiting, and those being served (the answered traffic)
    const inSystem = meanQueue + r.traffic * (1 - r.probabilityOfAbandon)
    expect(meanQueue).toBeCloseTo(0.6833261838358367, 6)
    expect(r.averageWait).toBeCloseTo(6.833261838358366, 6)
    expect(inSystem).toBeCloseTo(24.136665236767172, 6)
    expect(inSystem / lambda).toBeCloseTo(241.36665236767172, 5)
  })
  it("n = 25, patience 30 s: probability of abandoning", () => {
    const r = erlangA({ ...base, agents: 25, patienceSeconds: 30 })
    expect(r.probabilityOfAbandon).toBeCloseTo(0.09759081562546817, 6)
  })
})

describe("chat, deferred work, shrinkage", () => {
  it("chat: slots by Erlang C, agents = ⌈slots ÷ concurrency⌉", () => {
    const r = agentsForChat({
      arrivals: 100,
      intervalSeconds: 1800,
      ahtSeconds: 180,
      concurrency: 3,
      target: { level: 0.8, seconds: 20 },
    })
    expect(r.slots).toBe(14)
    expect(r.agents).toBe(5)
  })
  it("deferred work spreads over the response target", () => {
    // 60 e-mails of 6 min in one hour, answered within 2 h, occupancy 1: 60×360/(2×3600) = 3 agents,
    // then the next hour carries the other half.
    expect(
      deferredWorkload({
        arrivals: [60, 0, 0],
        intervalSeconds: 3600,
        ahtSeconds: 360,
        responseSeconds: 7200,
        occupancy: 1,
      }),
    ).toEqual([3, 3, 0])
  })
  it("shrinkage", () => {
    expect(withShrinkage(14, 0.3)).toBeCloseTo(20, 12)
  })
  it("names the field it refuses", () => {
    expect(() => withShrinkage(1, 1)).toThrow(WorkforceInputError)
    expect(() =>
      agentsForServiceLevel({
        arrivals: 1,
        intervalSeconds: 0,
        ahtSeconds: 1,
        target: { level: 0.8, seconds: 1 },
      }),
    ).toThrow(/intervalSeconds/)
  })
})
