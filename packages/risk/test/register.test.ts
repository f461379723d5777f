import { Contracts, type Db, Organizations } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  Catalogue,
  HeatMap,
  Kri,
  KriEvaluation,
  Library,
  Register,
  Rounds,
  riskMigrations,
} from "../src/index"

let db: Db.Database
let ctx: { orgId: string; actor: { type: "user"; id: string } }
// a metric whose value the test sets, registered like any plugin's metric
let backlog: number | null = 10
const registry = Contracts.metricRegistry()
registry.addMetric({
  id: "test.backlog",
  module: "test",
  name: { "zh-CN": "积压", en: "Backlog" },
  unit: "count",
  direction: "lower_is_better",
  kind: "count",
  dimensions: [],
  compute: async () => [{ value: backlog, n: backlog ?? 0 }],
})

beforeAll(async () => {
  db = await makeTestDatabase([riskMigrations])
  const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "Risk", slug: "risk" })
  ctx = { orgId: org.id, actor: { type: "user", id: "usr_owner" } }
  await Library.importLibrary(db, ctx, Catalogue.builtinLibrary())
})
afterAll(async () => {
  await db.close()
})

const newRisk = (over: Partial<Register.RiskInput> = {}) =>
  Register.createRisk(db, ctx, {
    title: "Chat platform outage",
    categoryId: "system_failure",
    cause: "single vendor, no failover",
    event: "the chat channel stops",
    consequence: "customers cannot reach us; complaints rise",
    ownerId: "usr_ops",
    inherent: { likelihood: 2, impact: 3 },
    ...over,
  })

describe(`risk register (${testEngine()})`, () => {
  it("imports the seed catalogue in both languages with the 3×3 matrix as default", async () => {
    const cats = await Catalogue.listCategories(db, ctx.orgId)
    expect(cats.map((c) => c.id)).toEqual([
      "poor_communication",
      "response_delay",
      "quality_decline",
      "system_failure",
      "service_interruption",
      "demand_surge",
      "data_leakage",
    ])
    expect(cats[6]!.name).toEqual({ "zh-CN": "数据泄露", en: "Data leakage" })
    expect((await Catalogue.matrixOf(db, ctx.orgId)).id).toBe("standard-3x3")
  })

  it("creates a risk rated on the matrix, keeps every rating with who and why, and places it on the heat map", async () => {
    const r = await newRisk()
    expect(r.inherent).toMatchObject({ score: 6, band: "high" })
    expect(r.residual).toMatchObject({ score: 6, band: "high" })
    const after = await Register.rateRisk(db, ctx, r.id, {
      kind: "residual",
      likelihood: 1,
      impact: 3,
      rationale: "failover line signed",
    })
    expect(after.residual).toMatchObject({ score: 3, band: "medium" })
    const full = await Register.getRisk(db, ctx.orgId, r.id)
    expect(full.history.map((h) => [h.kind, h.score, h.band, h.source, h.ratedBy, h.rationale])).toEqual([
      ["inherent", 6, "high", "register", "usr_owner", ""],
      ["residual", 6, "high", "register", "usr_owner", ""],
      ["residual", 3, "medium", "review", "usr_owner", "failover line signed"],
    ])
    const map = await HeatMap.heatMap(db, ctx.orgId)
    expect(map.cells.find((c) => c.likelihood === 2 && c.impact === 3)?.inherent).toContain(r.id)
    expect(map.cells.find((c) => c.likelihood === 1 && c.impact === 3)?.residual).toContain(r.id)
  })

  it("refuses a rating off the matrix, an unknown category and empty fields, naming each field, and writes nothing", async () => {
    const before = (await Register.listRisks(db, ctx.orgId)).length
    const e = await newRisk({ inherent: { likelihood: 4, impact: 1 }, categoryId: "nope", cause: " " }).catch(
      (x) => x,
    )
    expect(e._tag).toBe("ValidationError")
    expect(e.issues.map((i: { path: string[] }) => i.path.join("."))).toEqual([
      "inherent",
      "residual",
      "categoryId",
      "cause",
    ])
    expect((await Register.listRisks(db, ctx.orgId)).length).toBe(before)
  })

  it("lists overdue reviews; a rating in a round counts as the review", async () => {
    const r = await newRisk({
      title: "Late replies in peak",
      categoryId: "response_delay",
      reviewCadenceDays: 30,
    })
    const later = new Date(Date.now() + 31 * 86_400_000)
    expect((await Register.overdueReviews(db, ctx.orgId, later)).map((x) => x.id)).toContain(r.id)
    const round = await Rounds.openRound(db, ctx, "Q1 assessment")
    await Rounds.rateInRound(
      db,
      ctx,
      round.id,
      r.id,
      { likelihood: 2, impact: 2, rationale: "peak staffing plan" },
      later,
    )
    expect((await Register.overdueReviews(db, ctx.orgId, later)).map((x) => x.id)).not.toContain(r.id)
    const [listed] = await Rounds.listRounds(db, ctx.orgId)
    expect(listed!.rated).toBe(1)
    expect(listed!.notRated.length).toBeGreaterThan(0)
    await Rounds.closeRound(db, ctx, round.id)
    const e = await Rounds.rateInRound(db, ctx, round.id, r.id, {
      likelihood: 1,
      impact: 1,
      rationale: "x",
    }).catch((x) => x)
    expect(e.code).toBe("roundClosed")
  })
})

describe(`key risk indicators (${testEngine()})`, () => {
  it("raises the likelihood exactly once per crossing (automatic), and again only after a return to green", async () => {
    const r = await newRisk({
      title: "Backlog overwhelms the team",
      categoryId: "demand_surge",
      inherent: { likelihood: 1, impact: 2 },
    })
    const k = await Kri.createKri(db, ctx, registry, {
      riskId: r.id,
      name: "Backlog",
      metricId: "test.backlog",
      direction: "above",
      amber: 20,
      red: 50,
      mode: "automatic",
      cycleWorkflowId: "pdca",
    })
    const lik = async () => (await Register.getRisk(db, ctx.orgId, r.id)).residual.likelihood
    backlog = 10
    expect((await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)).state).toBe("green")
    backlog = 60
    // two evaluations at once: one crossing, one raise
    const both = await Promise.all([
      KriEvaluation.evaluate(db, registry, ctx.orgId, k.id),
      KriEvaluation.evaluate(db, registry, ctx.orgId, k.id),
    ])
    expect(both.filter((x) => x.crossed)).toHaveLength(1)
    expect(await lik()).toBe(2)
    await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)
    expect(await lik()).toBe(2)
    backlog = 5
    await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)
    backlog = 25
    expect((await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)).crossed).toBe(true)
    expect(await lik()).toBe(3)
    const events = await sql<{ type: string; payload: { to: string; cycleWorkflowId: string } }>`
      select type, payload from core.outbox_event where org_id = ${ctx.orgId} and type = 'risk.kri.crossed' order by id`.execute(
      db.kysely,
    )
    expect(events.rows.map((e) => [e.payload.to, e.payload.cycleWorkflowId])).toEqual([
      ["red", "pdca"],
      ["amber", "pdca"],
    ])
    const asked = await sql<{ n: number }>`select count(*)::int as n from core.outbox_event
      where org_id = ${ctx.orgId} and type = 'core.notification.requested' and aggregate_id = ${r.id}`.execute(
      db.kysely,
    )
    expect(asked.rows[0]!.n).toBe(2)
    const hist = await Kri.history(db, ctx.orgId, k.id)
    expect(hist.map((h) => h.state)).toEqual(["green", "red", "red", "red", "green", "amber"])
    expect(hist.filter((h) => h.crossed)).toHaveLength(2)
    const ratings = (await Register.getRisk(db, ctx.orgId, r.id)).history.filter((h) => h.source === "kri")
    expect(ratings.map((h) => h.likelihood)).toEqual([2, 3])
  })

  it("suggests instead of raising in suggest mode; applying the suggestion rates the risk", async () => {
    const r = await newRisk({
      title: "CSAT falls",
      categoryId: "quality_decline",
      inherent: { likelihood: 1, impact: 3 },
    })
    const k = await Kri.createKri(db, ctx, registry, {
      riskId: r.id,
      name: "Backlog (suggest)",
      metricId: "test.backlog",
      direction: "above",
      amber: 20,
      red: 50,
    })
    backlog = 70
    const res = await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)
    expect(res.crossed && res.suggestionId).toBeTruthy()
    expect((await Register.getRisk(db, ctx.orgId, r.id)).residual.likelihood).toBe(1)
    const pending = await Kri.suggestions(db, ctx.orgId)
    const s = pending.find((x) => x.riskId === r.id)!
    await Kri.decideSuggestion(db, ctx, s.id, "applied")
    expect((await Register.getRisk(db, ctx.orgId, r.id)).residual.likelihood).toBe(2)
    const again = await Kri.decideSuggestion(db, ctx, s.id, "dismissed").catch((x) => x)
    expect(again.code).toBe("suggestionDecided")
  })

  it("refuses an unknown metric and thresholds in the wrong order", async () => {
    const r = (await Register.listRisks(db, ctx.orgId))[0]!
    const e = await Kri.createKri(db, ctx, registry, {
      riskId: r.id,
      name: "x",
      metricId: "nope",
      direction: "below",
      amber: 0.8,
      red: 0.9,
    }).catch((x) => x)
    expect(e.issues.map((i: { path: string[]; code: string }) => [i.path.join("."), i.code])).toEqual([
      ["metricId", "unknownMetric"],
      ["red", "thresholdOrder"],
    ])
  })
})

describe("risk libraries", () => {
  it("an import error names the path inside the document", async () => {
    const yaml = `format: tenet-risk-library/v1
id: broken
version: "1"
name: { zh-CN: 坏库, en: Broken }
matrices:
  - id: m1
    name: { zh-CN: 矩阵, en: Matrix }
    likelihood: [{ name: { zh-CN: 低, en: Low } }, { name: { zh-CN: 中, en: Mid } }, { name: { zh-CN: 高, en: High } }]
    impact: [{ name: { zh-CN: 低, en: Low } }, { name: { zh-CN: 中, en: Mid } }, { name: { zh-CN: 高, en: High } }]
    bands:
      - { id: low, name: { zh-CN: 低, en: Low }, colour: "#00ff00", severity: low, min: 1, max: 4 }
      - { id: high, name: { zh-CN: 高, en: High }, colour: red, severity: high, min: 5, max: 9 }
categories:
  - { id: outage, name: { en: Outage } }
`
    const e = (() => {
      try {
        return Library.parse(yaml, "yaml")
      } catch (x) {
        return x as { issues: Array<{ path: Array<string | number>; message: string }> }
      }
    })() as { issues: Array<{ path: Array<string | number>; message: string }> }
    expect(e.issues.map((i) => i.message)).toEqual([
      "matrices[0].bands[1].colour: must be #rrggbb",
      "categories[0].name: needs a name in zh-CN and en",
    ])
    expect(e.issues[0]!.path).toEqual(["document", "matrices", 0, "bands", 1, "colour"])
    const syntax = (() => {
      try {
        return Library.parse("id: [unclosed", "yaml")
      } catch (x) {
        return x as { issues: Array<{ message: string }> }
      }
    })() as { issues: Array<{ message: string }> }
    expect(syntax.issues[0]!.message).toMatch(/^line 1/)
  })
})
