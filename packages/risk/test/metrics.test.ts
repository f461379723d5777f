import { type Db, Organizations } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  Catalogue,
  Exercises,
  Incidents,
  Library,
  Metrics,
  Plans,
  Register,
  riskMigrations,
  Treatments,
} from "../src/index"

let db: Db.Database
let orgId: string
const H = 3_600_000
const metric = (id: string) => Metrics.metrics.find((m) => m.id === id)!
const q = (over: object = {}) => ({
  orgId,
  from: new Date(Date.now() - 30 * 86_400_000),
  to: new Date(Date.now() + 1000),
  timeZone: "UTC",
  bucket: "none" as const,
  ...over,
})

beforeAll(async () => {
  db = await makeTestDatabase([riskMigrations])
  const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "M", slug: "m" })
  orgId = org.id
  const ctx = { orgId, actor: { type: "user" as const, id: "usr_a" } }
  await Library.importLibrary(db, ctx, Catalogue.builtinLibrary())
  const base = { categoryId: "demand_surge", cause: "c", event: "e", consequence: "q", ownerId: "usr_a" }
  await Register.createRisk(db, ctx, { ...base, title: "very high", inherent: { likelihood: 3, impact: 3 } })
  await Register.createRisk(db, ctx, { ...base, title: "high", inherent: { likelihood: 2, impact: 3 } })
  const low = await Register.createRisk(db, ctx, {
    ...base,
    title: "low",
    inherent: { likelihood: 1, impact: 1 },
  })
  await Treatments.createTreatment(db, ctx, {
    riskId: low.id,
    option: "retain",
    title: "t",
    ownerId: "usr_a",
    dueAt: new Date(Date.now() - 86_400_000),
  })
  const now = Date.now()
  for (const [h, customers] of [
    [2, 10],
    [6, 20],
  ] as const) {
    const i = await Incidents.createIncident(db, ctx, {
      title: `i${h}`,
      kind: "service",
      startedAt: new Date(now - 10 * H),
      detectedAt: new Date(now - 10 * H),
      affectedCustomers: customers,
    })
    await Incidents.updateIncident(db, ctx, i.id, { resolvedAt: new Date(now - 10 * H + h * H) })
  }
  const plan = {
    scenario: "demand_surge" as const,
    triggers: [],
    tiers: [{ id: "t1", name: { "zh-CN": "一级", en: "Tier 1" }, criteria: "" }],
    steps: [{ id: "s", title: "s", role: "agent", limitMinutes: 5 }],
    channels: [],
    contacts: [],
  }
  const p1 = await Plans.createPlan(db, ctx, { ...plan, title: "a" })
  await Plans.createPlan(db, ctx, { ...plan, title: "b" })
  await Exercises.recordExercise(db, ctx, p1.id, {
    kind: "tabletop",
    heldAt: new Date(now - 86_400_000),
    participants: ["usr_a"],
    findings: [],
  })
})
afterAll(async () => {
  await db.close()
})

describe(`risk metrics (${testEngine()})`, () => {
  it("counts open high and very-high risks, overdue treatments and incidents; MTTR and exercise coverage on worked values", async () => {
    expect((await metric("risk.open_high_risks").compute(q(), db))[0]!.value).toBe(2)
    expect((await metric("risk.treatments_overdue").compute(q(), db))[0]!.value).toBe(1)
    expect((await metric("risk.reviews_overdue").compute(q(), db))[0]!.value).toBe(0)
    expect((await metric("risk.kris_red").compute(q(), db))[0]!.value).toBe(0)
    expect(
      (await metric("risk.incidents").compute(q({ groupBy: ["severity"] }), db)).map((v) => [
        v.dimensions?.severity,
        v.value,
      ]),
    ).toEqual([["general", 2]])
    const mttr = (await metric("risk.incident_mttr").compute(q(), db))[0]!
    expect(mttr.value).toBe(4 * 3600) // (2 h + 6 h) / 2
    expect(mttr.n).toBe(2)
    const cov = (await metric("risk.exercise_coverage").compute(q(), db))[0]!
    expect([cov.value, cov.numerator, cov.denominator]).toEqual([0.5, 1, 2])
    expect(cov.interval!.lower).toBeLessThan(0.5)
  })
})
