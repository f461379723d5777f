import type { Db } from "@tenet/core"
import { testEngine } from "@tenet/core/testing"
import { wilsonInterval } from "@tenet/stats"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Dispatch, Metrics, Responses, Results } from "../src/index"
import { ctx, facts, ORG, openDb, publishedCsat } from "./helpers"

let db: Db.Database
const t0 = new Date("2025-03-04T02:00:00Z")
const from = new Date("2025-03-01T00:00:00Z")
const to = new Date("2025-03-08T00:00:00Z")

// retail: 8 surveyed, 6 answer (5 satisfied); vip: 8 surveyed, 4 answer (2 satisfied)
const plan: Array<{ segment: string; score: number | null }> = [
  ...[5, 5, 4, 4, 4, 3, null, null].map((score) => ({ segment: "retail", score })),
  ...[2, 1, 5, 4, null, null, null, null].map((score) => ({ segment: "vip", score })),
]

beforeAll(async () => {
  db = await openDb()
  const surveyId = await publishedCsat(db)
  await Dispatch.saveRule(db, ctx, {
    name: "all",
    surveyId,
    delayMinutes: 0,
    withinHours: 24,
    expiryDays: 14,
    caseTypes: [],
    channels: [],
    segments: [],
    teams: [],
    sampleRate: 1,
    capDays: 0,
    quietHours: false,
  })
  const byCase = new Map<string, (typeof plan)[number]>()
  for (const p of plan) {
    const f = facts({ resolvedAt: t0, segment: p.segment, channel: p.segment === "vip" ? "phone" : "email" })
    byCase.set(f.caseId, p)
    await Dispatch.planForResolvedCase(db, ctx, f, { now: t0 })
  }
  const tokens: Array<[string, string]> = []
  await Dispatch.sendDue(
    db,
    async (_tx, out) => {
      tokens.push([out.caseId!, out.token])
    },
    { now: t0 },
  )
  for (const [caseId, token] of tokens) {
    const p = byCase.get(caseId)!
    const dims = p.score === null ? {} : { speed: p.score, attitude: Math.min(5, p.score + 1) }
    if (p.score !== null)
      await Responses.respond(
        db,
        token,
        { answers: { values: { overall: p.score, ...dims } } },
        new Date(t0.getTime() + 3_600_000),
      )
  }
})
afterAll(async () => {
  await db.close()
})

describe(`results and metrics (${testEngine()})`, () => {
  it("CSAT 7/10 with its Wilson interval, response rate 10/16, weighting by segment 0.667 next to raw 0.7", async () => {
    const r = await Results.results(db, ORG, { kind: "csat", from, to })
    const w = wilsonInterval(7, 10)
    expect(r.score).toEqual({ value: 0.7, lower: w.lower, upper: w.upper, numerator: 7, n: 10 })
    expect(r.score.lower).toBeCloseTo(0.3968, 4)
    expect(r.responseRate).toMatchObject({ value: 10 / 16, numerator: 10, n: 16 })
    expect(r.dissatisfied).toMatchObject({ value: 0.2, numerator: 2, n: 10 })
    expect(r.warning).toBe("below_minimum_n")
    expect(r.distribution).toEqual([
      { score: 1, count: 1 },
      { score: 2, count: 1 },
      { score: 3, count: 1 },
      { score: 4, count: 4 },
      { score: 5, count: 3 },
    ])
    // weights = share of surveys sent (8 and 8): ½·5/6 + ½·2/4
    expect(r.weighted!.score.value).toBeCloseTo(2 / 3, 12)
    expect(r.weighted!.strata).toEqual([
      { segment: "retail", invited: 8, responded: 6, satisfied: 5 },
      { segment: "vip", invited: 8, responded: 4, satisfied: 2 },
    ])
    expect(r.dimensions.map((d) => [d.dimension, d.n, d.mean])).toEqual([
      ["attitude", 10, 4.4],
      ["response_speed", 10, 3.7],
    ])
    expect(r.drivers[0]).toMatchObject({ driver: "response_speed", n: 10 })
    expect(r.drivers[0]!.r).toBeCloseTo(1, 12)
    // nothing the week before: no comparison
    expect(r.previous).toMatchObject({ difference: null, pValue: null, significant: false })
  })

  it("the registry metrics give the same numbers, by segment too", async () => {
    const q = { orgId: ORG, from, to, timeZone: "Asia/Shanghai", bucket: "none" as const }
    const get = (id: string) => Metrics.metrics.find((m) => m.id === id)!
    expect(await get("feedback.csat").compute(q, db)).toMatchObject([
      { value: 0.7, numerator: 7, denominator: 10, n: 10 },
    ])
    expect(await get("feedback.dsat").compute(q, db)).toMatchObject([{ value: 0.2, numerator: 2, n: 10 }])
    expect(await get("feedback.response_rate").compute(q, db)).toMatchObject([
      { numerator: 10, denominator: 16 },
    ])
    expect(await get("feedback.survey_within_24h").compute(q, db)).toMatchObject([{ value: 1, n: 16 }])
    const bySegment = await get("feedback.csat").compute({ ...q, groupBy: ["segment"] }, db)
    expect(bySegment.map((v) => [v.dimensions!.segment, v.numerator, v.n])).toEqual([
      ["retail", 5, 6],
      ["vip", 2, 4],
    ])
    const daily = await get("feedback.csat").compute(
      { ...q, bucket: "day", filter: { channel: "phone" } },
      db,
    )
    expect(daily).toMatchObject([{ bucket: "2025-03-04", numerator: 2, n: 4 }])
    await expect(get("feedback.csat").compute({ ...q, groupBy: ["nope"] }, db)).rejects.toThrow(
      /unknown dimension/,
    )
  })
})
