import { Contracts, type Db, Organizations } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Catalogue, Kri, KriEvaluation, Library, Register, riskMigrations, Treatments } from "../src/index"

let db: Db.Database
let ctx: { orgId: string; actor: { type: "user"; id: string } }
let value: number | null = 10
const registry = Contracts.metricRegistry()
registry.addMetric({
  id: "test.queue",
  module: "test",
  name: { "zh-CN": "队列", en: "Queue" },
  unit: "count",
  direction: "lower_is_better",
  kind: "count",
  dimensions: [],
  compute: async () => [{ value, n: 1 }],
})
const D = 86_400_000

beforeAll(async () => {
  db = await makeTestDatabase([riskMigrations])
  const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "Edits", slug: "edits" })
  ctx = { orgId: org.id, actor: { type: "user", id: "usr_owner" } }
  await Library.importLibrary(db, ctx, Catalogue.builtinLibrary())
})
afterAll(async () => {
  await db.close()
})

const risk = () =>
  Register.createRisk(db, ctx, {
    title: "Queue grows past capacity",
    categoryId: "demand_surge",
    cause: "campaigns",
    event: "backlog",
    consequence: "complaints",
    ownerId: "usr_owner",
    inherent: { likelihood: 1, impact: 3 },
  })

describe(`editing treatments (${testEngine()})`, () => {
  it("changes option, title, owner, due date and status; a done treatment is closed to edits", async () => {
    const r = await risk()
    const t = await Treatments.createTreatment(db, ctx, {
      riskId: r.id,
      option: "change_likelihood",
      title: "Campaign calendar",
      ownerId: "usr_owner",
      dueAt: new Date(Date.now() - D),
    })
    expect(t.overdue).toBe(true)
    const due = new Date(Date.now() + 10 * D)
    const e = await Treatments.updateTreatment(db, ctx, t.id, {
      option: "share",
      title: "  Overflow vendor contract ",
      ownerId: "usr_ops",
      dueAt: due,
      status: "in_progress",
    })
    expect(e).toMatchObject({
      option: "share",
      title: "Overflow vendor contract",
      ownerId: "usr_ops",
      dueAt: due.toISOString(),
      status: "in_progress",
      overdue: false,
      doneAt: null,
    })
    const empty = await Treatments.updateTreatment(db, ctx, t.id, { title: " " }).catch((x) => x)
    expect(empty.issues.map((i: { path: string[] }) => i.path.join("."))).toEqual(["title"])
    const done = await Treatments.updateTreatment(db, ctx, t.id, { status: "done" })
    expect(done.doneAt).not.toBeNull()
    const closed = await Treatments.updateTreatment(db, ctx, t.id, { title: "again" }).catch((x) => x)
    expect(closed.code).toBe("treatmentClosed")
    const other = { ...ctx, orgId: "org_other" }
    expect((await Treatments.updateTreatment(db, other, t.id, { title: "x" }).catch((x) => x)).name).toMatch(
      /NotFound/,
    )
  })
})

describe(`editing KRI thresholds (${testEngine()})`, () => {
  it("new thresholds are checked in order and judge the next reading; tightening them is a crossing", async () => {
    const r = await risk()
    const k = await Kri.createKri(db, ctx, registry, {
      riskId: r.id,
      name: "Queue",
      metricId: "test.queue",
      direction: "above",
      amber: 20,
      red: 50,
      mode: "automatic",
    })
    value = 30
    expect((await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)).state).toBe("amber")
    const bad = await Kri.updateKri(db, ctx, k.id, { red: 10 }).catch((x) => x)
    expect(bad.issues.map((i: { path: string[]; code: string }) => [i.path.join("."), i.code])).toEqual([
      ["red", "thresholdOrder"],
    ])
    const u = await Kri.updateKri(db, ctx, k.id, {
      amber: 10,
      red: 25,
      windowDays: 14,
      name: "Queue (tight)",
    })
    expect(u).toMatchObject({ amber: 10, red: 25, windowDays: 14, name: "Queue (tight)", state: "amber" })
    const res = await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id)
    expect(res).toMatchObject({ state: "red", crossed: true })
    // flipping the direction needs both thresholds in the new order
    const flip = await Kri.updateKri(db, ctx, k.id, { direction: "below" }).catch((x) => x)
    expect(flip.issues[0].code).toBe("thresholdOrder")
    expect((await Kri.updateKri(db, ctx, k.id, { direction: "below", amber: 25, red: 10 })).direction).toBe(
      "below",
    )
  })
})
