import { Contracts, type Db, Organizations } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  Activations,
  Catalogue,
  Kri,
  KriEvaluation,
  Library,
  Plans,
  Register,
  riskMigrations,
} from "../src/index"

let db: Db.Database
let ctx: { orgId: string; actor: { type: "user"; id: string } }
let value: number | null = 0
const registry = Contracts.metricRegistry()
registry.addMetric({
  id: "test.outages",
  module: "test",
  name: { "zh-CN": "中断", en: "Outages" },
  unit: "count",
  direction: "lower_is_better",
  kind: "count",
  dimensions: [],
  compute: async () => [{ value, n: 1 }],
})

beforeAll(async () => {
  db = await makeTestDatabase([riskMigrations])
  const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "KRI plans", slug: "kp" })
  ctx = { orgId: org.id, actor: { type: "user", id: "usr_owner" } }
  await Library.importLibrary(db, ctx, Catalogue.builtinLibrary())
})
afterAll(async () => {
  await db.close()
})

const plan = (title: string, triggers: Plans.PlanInput["triggers"]) =>
  Plans.createPlan(db, ctx, {
    title,
    scenario: "system_failure",
    triggers,
    tiers: [
      { id: "t1", name: { "zh-CN": "一级", en: "Tier 1" }, criteria: "one site" },
      { id: "t2", name: { "zh-CN": "二级", en: "Tier 2" }, criteria: "all sites" },
    ],
    steps: [{ id: "switch", title: "Switch carrier", role: "supervisor", limitMinutes: 15 }],
    channels: [],
    contacts: [],
  })

describe(`a KRI turning red activates its contingency plan (${testEngine()})`, () => {
  it("once per crossing into red: not on amber, not while it stays red, again after a return to green", async () => {
    const r = await Register.createRisk(db, ctx, {
      title: "Telephony outage",
      categoryId: "system_failure",
      cause: "single carrier",
      event: "inbound calls fail",
      consequence: "customers cannot reach us",
      ownerId: "usr_ops",
      inherent: { likelihood: 2, impact: 3 },
    })
    const k = await Kri.createKri(db, ctx, registry, {
      riskId: r.id,
      name: "Outages",
      metricId: "test.outages",
      direction: "above",
      amber: 1,
      red: 3,
    })
    const other = await Kri.createKri(db, ctx, registry, {
      riskId: r.id,
      name: "Outages (other)",
      metricId: "test.outages",
      direction: "above",
      amber: 100,
      red: 200,
    })
    const bound = await plan("Telephony plan", [
      { kind: "manual", description: "by hand" },
      { kind: "kri", description: "outages red", kriId: k.id, tier: "t2" },
    ])
    const unbound = await plan("Chat plan", [{ kind: "kri", description: "other", kriId: other.id }])
    const acts = async () =>
      (await Activations.listActivations(db, ctx.orgId)).filter((a) => a.kriId === k.id)
    value = 0
    await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)
    value = 2
    expect((await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)).state).toBe("amber")
    expect(await acts()).toHaveLength(0)
    value = 5
    // two evaluations at once: one crossing, one activation
    const both = await Promise.all([
      KriEvaluation.evaluate(db, registry, ctx.orgId, k.id),
      KriEvaluation.evaluate(db, registry, ctx.orgId, k.id),
    ])
    expect(both.filter((x) => x.crossed)).toHaveLength(1)
    let list = await acts()
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ planId: bound.id, tier: "t2", status: "active", startedBy: "kri" })
    expect(list[0]!.reason).toContain("Outages")
    // staying red activates nothing more
    await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)
    expect(await acts()).toHaveLength(1)
    // the plan bound to another KRI was not touched
    expect((await Activations.listActivations(db, ctx.orgId, unbound.id)).length).toBe(0)
    // close it; back to green and red again: a second activation
    await Activations.close(db, ctx, list[0]!.id, {
      review: { summary: "restored", whatWorked: "", whatFailed: "", actions: [] },
    })
    value = 0
    await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)
    value = 4
    const again = await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)
    expect(again.crossed && again.activations.map((a) => a.outcome)).toEqual(["activated"])
    list = await acts()
    expect(list).toHaveLength(2)
    // a crossing while the plan is still active does not stack activations: its timeline notes it
    value = 0
    await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)
    value = 9
    const noted = await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)
    expect(noted.crossed && noted.activations.map((a) => a.outcome)).toEqual(["noted"])
    expect(await acts()).toHaveLength(2)
    const open = await Activations.getActivation(db, ctx.orgId, list[0]!.id)
    expect(open.status).toBe("active")
    expect(open.timeline.map((e) => [e.recordedBy, e.note.includes("Outages")])).toEqual([["kri", true]])
    const events = await sql<{ n: number }>`select count(*)::int as n from core.outbox_event
      where org_id = ${ctx.orgId} and type = 'risk.plan.activated' and aggregate_id = ${bound.id}`.execute(
      db.kysely,
    )
    expect(events.rows[0]!.n).toBe(2)
  })

  it("refuses a KRI trigger naming an unknown KRI or tier, naming the path", async () => {
    const e = await plan("Broken", [
      { kind: "manual", description: "by hand" },
      { kind: "kri", description: "x", kriId: "kri_nope", tier: "t9" },
    ]).catch((x) => x)
    expect(e.issues.map((i: { path: unknown[]; code: string }) => [i.path.join("."), i.code])).toEqual([
      ["triggers.1.tier", "unknownTier"],
      ["triggers.1.kriId", "unknownKri"],
    ])
  })
})
