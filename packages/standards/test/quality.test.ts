import { type Db, Organizations } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Quality, QualityService, standardsMigrations } from "../src/index"

describe("scoring (worked by hand)", () => {
  const card = Quality.defaultScorecard()
  it("weights answers normalised to their scales, removes N/A, and counts critical errors by family", () => {
    // weights 1,2,2,3,1,1 (next is N/A): 1·1 + 2·1 + 2·0.75 + 3·1 + 1·0 + 1·(2/3) = 8.1667 of 10 → 81.7
    const s = Quality.score(card, {
      greeting: 1,
      identity: 1,
      understand: 4,
      correct: 1,
      record: 0,
      tone: 3,
      next: null,
    })
    expect(s).toEqual({
      score: 81.7,
      raw: 81.7,
      autoFailed: false,
      passed: false,
      criticalErrors: { customer: false, business: true, compliance: false },
      nonCriticalErrors: 0,
      opportunities: 6,
    })
  })
  it("an auto-fail critical error sets the score to 0", () => {
    const s = Quality.score(card, {
      greeting: 1,
      identity: 0,
      understand: 5,
      correct: 1,
      record: 1,
      tone: 4,
      next: 1,
    })
    expect(s).toMatchObject({
      score: 0,
      autoFailed: true,
      passed: false,
      criticalErrors: { compliance: true },
    })
    // raw: every criterion answered, Σw = 11, all full marks except identity (weight 2) → 9/11
    expect(s.raw).toBe(81.8)
  })
  it("refuses answers outside a scale and N/A where not allowed", () => {
    expect(() =>
      Quality.score(card, {
        greeting: 1,
        identity: 1,
        understand: 6,
        correct: 1,
        record: 1,
        tone: 4,
        next: 1,
      }),
    ).toThrow("criterion understand: 6 is outside its scale (1–5)")
    expect(() =>
      Quality.score(card, {
        greeting: null,
        identity: 1,
        understand: 5,
        correct: 1,
        record: 1,
        tone: 4,
        next: 1,
      }),
    ).toThrow("criterion greeting cannot be N/A")
  })
})

describe("sampling", () => {
  it("±5 points on 1,000 contacts needs 278; allocated by volume with a minimum of 30 per agent", () => {
    const plan = Quality.samplingPlan({
      volumes: { a: 600, b: 300, c: 100 },
      marginOfError: 0.05,
      minPerAgent: 30,
    })
    expect(plan.programme).toBe(278)
    expect(plan.perAgent).toEqual({ a: 167, b: 84, c: 30 })
    expect(plan.total).toBe(281)
    const candidates = [...Array(600).keys()]
      .map((i) => ({ id: `a${i}`, agent: "a" }))
      .concat([...Array(100).keys()].map((i) => ({ id: `c${i}`, agent: "c" })))
    const sample = Quality.drawSample(candidates, plan, 7)
    expect(sample.filter((x) => x.agent === "a")).toHaveLength(167)
    expect(sample.filter((x) => x.agent === "c")).toHaveLength(30)
    expect(new Set(sample.map((x) => x.id)).size).toBe(sample.length)
    expect(Quality.drawSample(candidates, plan, 7)).toEqual(sample)
  })
})

describe("calibration statistics", () => {
  it("shows each evaluator's bias and agreement with the master, and flags the one who drifts", () => {
    const stats = Quality.calibrationStats({
      scores: { master: [90, 70, 85, 60], close: [92, 72, 84, 62], drift: [80, 60, 70, 75] },
      passMark: 85,
      master: "master",
    })
    expect(stats.evaluators).toEqual([
      { evaluator: "close", bias: 1.3, withinTolerance: 1, kappa: expect.any(Number), flagged: false },
      { evaluator: "drift", bias: -5, withinTolerance: 0, kappa: expect.any(Number), flagged: true },
    ])
    expect(stats.alpha).toBeGreaterThan(0)
    expect(stats.alpha).toBeLessThan(1)
  })
  it("measures agreement on critical-error calls and flags an evaluator who misses them", () => {
    const scores = { master: [90, 0, 88, 0], close: [91, 0, 87, 0], misses: [90, 2, 88, 1] }
    const stats = Quality.calibrationStats({
      scores,
      passMark: 85,
      master: "master",
      tolerance: 5,
      // the master calls critical errors on cases 2 and 4; "misses" scores close but calls none
      critical: {
        master: [false, true, false, true],
        close: [false, true, false, true],
        misses: [false, false, false, false],
      },
    })
    expect(stats.evaluators).toEqual([
      expect.objectContaining({ evaluator: "close", criticalAgreement: 1, flagged: false }),
      // within tolerance on every score, but half its critical calls differ: flagged
      expect.objectContaining({
        evaluator: "misses",
        withinTolerance: 1,
        criticalAgreement: 0.5,
        flagged: true,
      }),
    ])
    // Fleiss' kappa on the calls: rows [0,3], [2,1], [0,3], [2,1]; P̄ = 2/3, P̄e = 5/9 → κ = 0.25
    expect(stats.criticalKappa).toBeCloseTo(0.25, 10)
  })
})

describe("persistence", () => {
  let db: Db.Database
  let ctx: { orgId: string; actor: { type: "user"; id: string } }
  beforeAll(async () => {
    db = await makeTestDatabase([standardsMigrations])
    const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "QA", slug: "qa" })
    ctx = { orgId: org.id, actor: { type: "user", id: "usr_master" } }
  })
  afterAll(async () => {
    await db.close()
  })
  it("evaluates cases against a pinned scorecard version and computes accuracy with its interval", async () => {
    const card = await QualityService.saveScorecard(db, ctx, {
      name: "Chat QA",
      definition: Quality.defaultScorecard(),
    })
    const ok = { greeting: 1, identity: 1, understand: 5, correct: 1, record: 1, tone: 4, next: 1 }
    await QualityService.evaluateCase(db, ctx, {
      scorecardId: card.id,
      caseId: "case_1",
      agentId: "usr_a",
      answers: ok,
    })
    await QualityService.evaluateCase(db, ctx, {
      scorecardId: card.id,
      caseId: "case_2",
      agentId: "usr_a",
      answers: { ...ok, correct: 0 },
    })
    await expect(
      QualityService.evaluateCase(db, ctx, {
        scorecardId: card.id,
        caseId: "case_3",
        agentId: "usr_a",
        answers: { ...ok, tone: 9 },
      }),
    ).rejects.toMatchObject({
      _tag: "ValidationError",
      issues: [{ path: ["answers", "tone"] }],
    })
    const v2 = await QualityService.saveScorecard(db, ctx, {
      id: card.id,
      name: "Chat QA",
      definition: { ...Quality.defaultScorecard(), passMark: 90 },
    })
    expect(v2.version).toBe(2)
    const evals = await QualityService.listEvaluations(db, ctx.orgId)
    expect(evals.map((e) => e.scorecardVersion)).toEqual([1, 1])
    const m = QualityService.qualityMetrics.find((x) => x.id === "quality.customer_critical_accuracy")!
    const [v] = await m.compute(
      {
        orgId: ctx.orgId,
        from: new Date(Date.now() - 86_400_000),
        to: new Date(Date.now() + 86_400_000),
        timeZone: "UTC",
        bucket: "none",
      },
      db,
    )
    expect(v).toMatchObject({ value: 0.5, numerator: 1, denominator: 2, n: 2 })
  })
  it("the weighted score and accuracy split by agent and by day (calibration scores left out)", async () => {
    const card = (await QualityService.listScorecards(db, ctx.orgId))[0]!
    const ok = { greeting: 1, identity: 1, understand: 5, correct: 1, record: 1, tone: 4, next: 1 }
    for (const [caseId, understand] of [
      ["case_b1", 5],
      ["case_b2", 2],
    ] as const)
      await QualityService.evaluateCase(db, ctx, {
        scorecardId: card.id,
        caseId,
        agentId: "usr_b",
        answers: { ...ok, understand },
      })
    const evals = await QualityService.listEvaluations(db, ctx.orgId)
    const scores = (agent: string) => evals.filter((e) => e.agentId === agent).map((e) => e.score)
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    const m = QualityService.qualityMetrics.find((x) => x.id === "quality.weighted_score")!
    const q = {
      orgId: ctx.orgId,
      from: new Date(Date.now() - 86_400_000),
      to: new Date(Date.now() + 86_400_000),
      timeZone: "UTC",
    }
    const byAgent = await m.compute({ ...q, bucket: "none", groupBy: ["agent"] }, db)
    expect(byAgent.map((v) => [v.dimensions?.agent, v.n])).toEqual([
      ["usr_a", 2],
      ["usr_b", 2],
    ])
    expect(byAgent[0]!.value).toBeCloseTo(mean(scores("usr_a")), 9)
    expect(byAgent[1]!.value).toBeCloseTo(mean(scores("usr_b")), 9)
    const today = new Date().toISOString().slice(0, 10)
    const byDay = await m.compute({ ...q, bucket: "day" }, db)
    expect(byDay).toHaveLength(1)
    expect(byDay[0]).toMatchObject({ bucket: today, n: 4 })
    expect(byDay[0]!.value).toBeCloseTo(mean([...scores("usr_a"), ...scores("usr_b")]), 9)
    const acc = QualityService.qualityMetrics.find((x) => x.id === "quality.customer_critical_accuracy")!
    const split = await acc.compute({ ...q, bucket: "none", groupBy: ["agent"] }, db)
    expect(split.map((v) => [v.dimensions?.agent, v.numerator, v.denominator])).toEqual([
      ["usr_a", 1, 2],
      ["usr_b", 2, 2],
    ])
  })
  it("runs a calibration session and reports agreement", async () => {
    const card = (await QualityService.listScorecards(db, ctx.orgId))[0]!
    const cal = await QualityService.createCalibration(db, ctx, {
      scorecardId: card.id,
      name: "11 月校准",
      caseIds: ["c1", "c2", "c3"],
      evaluators: ["usr_master", "usr_b"],
      master: "usr_master",
    })
    const ok = { greeting: 1, identity: 1, understand: 5, correct: 1, record: 1, tone: 4, next: 1 }
    const b = { ...ctx, actor: { type: "user" as const, id: "usr_b" } }
    for (const [i, caseId] of ["c1", "c2", "c3"].entries()) {
      await QualityService.evaluateCase(db, ctx, {
        scorecardId: card.id,
        caseId,
        agentId: "usr_a",
        answers: { ...ok, understand: 5 - i },
        calibrationId: cal.id,
      })
      await QualityService.evaluateCase(db, b, {
        scorecardId: card.id,
        caseId,
        agentId: "usr_a",
        answers: { ...ok, understand: 4 - i },
        calibrationId: cal.id,
      })
    }
    const r = await QualityService.getCalibration(db, ctx.orgId, cal.id)
    expect(r.completed).toBe(6)
    // one step on the 5-point scale of a weight-2 criterion: 2 × 0.25 / 11 = 4.5 points
    expect(r.stats!.evaluators[0]).toMatchObject({
      evaluator: "usr_b",
      bias: -4.5,
      withinTolerance: 1,
      flagged: false,
    })
    expect(r.stats!.alpha).not.toBeNull()
    expect((await QualityService.listEvaluations(db, ctx.orgId)).length).toBe(4) // calibration scores stay out of QA results (2 of usr_a, 2 of usr_b)
  })
  it("publishes every evaluation (quality.evaluated: score, each criterion as a 0–1 fraction) and critical errors; calibration scores are not published", async () => {
    const events = await sql<{ type: string; aggregate_id: string; payload: Record<string, unknown> }>`
      select type, aggregate_id, payload from core.outbox_event where org_id = ${ctx.orgId}
        and type like 'quality.%' and payload->>'caseId' in ('case_1', 'case_2', 'case_3', 'c1', 'c2', 'c3')
      order by position`.execute(db.kysely)
    const evals = await QualityService.listEvaluations(db, ctx.orgId)
    const idOf = (caseId: string) => evals.find((e) => e.caseId === caseId)!.id
    expect(events.rows.map((e) => [e.type, e.aggregate_id])).toEqual([
      ["quality.evaluated", idOf("case_1")],
      ["quality.evaluated", idOf("case_2")],
      ["quality.critical_error", idOf("case_2")],
    ])
    const all = { greeting: 1, identity: 1, understand: 1, correct: 1, record: 1, tone: 1, next: 1 }
    expect(events.rows[0]!.payload).toEqual({
      caseId: "case_1",
      agentId: "usr_a",
      scorecardId: evals[0]!.scorecardId,
      scorecardVersion: 1,
      score: 100,
      passed: true,
      autoFailed: false,
      criteria: all,
      families: [],
    })
    expect(events.rows[1]!.payload).toMatchObject({
      caseId: "case_2",
      passed: false,
      criteria: { ...all, correct: 0 },
      families: ["customer"],
    })
    expect(Number(events.rows[1]!.payload.score)).toBe(
      Number(evals.find((e) => e.caseId === "case_2")!.score),
    )
  })
  it("criterion results are fractions of each scale, null for N/A (worked by hand)", () => {
    const r = Quality.criterionResults(Quality.defaultScorecard(), {
      greeting: 0,
      identity: 1,
      understand: 4,
      correct: 1,
      record: 1,
      tone: 2,
      next: null,
    })
    // understand: 5-point, (4 − 1) / 4 = 0.75; tone: 4-point, (2 − 1) / 3
    expect(r).toEqual({
      greeting: 0,
      identity: 1,
      understand: 0.75,
      correct: 1,
      record: 1,
      tone: 1 / 3,
      next: null,
    })
  })
})
