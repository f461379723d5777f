import { type Db, Organizations } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Activations, Catalogue, Exercises, Library, Plans, riskMigrations } from "../src/index"

let db: Db.Database
let ctx: { orgId: string; actor: { type: "user"; id: string } }
const someoneElse = () => ({ ...ctx, actor: { type: "user" as const, id: "usr_supervisor" } })

beforeAll(async () => {
  db = await makeTestDatabase([riskMigrations])
  const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "Edits", slug: "edits" })
  ctx = { orgId: org.id, actor: { type: "user", id: "usr_owner" } }
  await Library.importLibrary(db, ctx, Catalogue.builtinLibrary())
})
afterAll(async () => {
  await db.close()
})

const plan = (): Plans.PlanInput => ({
  title: "Chat outage",
  scenario: "service_interruption",
  triggers: [{ kind: "manual", description: "chat down for 5 minutes" }],
  tiers: [
    { id: "t1", name: { "zh-CN": "一级", en: "Tier 1" }, criteria: "one channel" },
    { id: "t2", name: { "zh-CN": "二级", en: "Tier 2" }, criteria: "all channels" },
  ],
  steps: [
    { id: "s1", title: "Move agents to phone", role: "supervisor", limitMinutes: 15 },
    { id: "s2", title: "Banner on the website", role: "agent", limitMinutes: 30 },
  ],
  channels: [{ channel: "phone", instead: "chat", how: "more agents on phone" }],
  contacts: [{ name: "Vendor NOC", role: "vendor", phone: "+86 400 000 0000" }],
})
const issuesOf = (e: unknown) =>
  (e as { issues: Array<{ path: unknown[]; code: string }> }).issues.map((i) => [i.path, i.code])

describe(`editing a contingency plan (${testEngine()})`, () => {
  it("replaces the parts sent, keeps the rest, and audits before and after", async () => {
    const p = await Plans.createPlan(db, ctx, plan())
    const edited = await Plans.updatePlan(db, someoneElse(), p.id, {
      title: "Chat and e-mail outage",
      steps: [...plan().steps, { id: "s3", title: "Tell management", role: "admin", limitMinutes: 60 }],
      contacts: [],
    })
    expect(edited.title).toBe("Chat and e-mail outage")
    expect(edited.steps.map((s) => s.id)).toEqual(["s1", "s2", "s3"])
    expect(edited.contacts).toEqual([])
    expect(edited.tiers).toEqual(plan().tiers)
    expect(edited.channels).toEqual(plan().channels)
    expect(edited.updatedAt > p.updatedAt).toBe(true)
    const listed = (await Plans.listPlans(db, ctx.orgId)).find((x) => x.id === p.id)!
    expect(listed.steps).toHaveLength(3)
    const audit = await db.kysely
      .selectFrom("core.audit_log")
      .select(["action", "actor_id"])
      .where("entity_id", "=", p.id)
      .where("action", "=", "risk.plan.updated")
      .execute()
    expect(audit).toEqual([{ action: "risk.plan.updated", actor_id: "usr_supervisor" }])
  })

  it("checks the edited plan like a new one: every problem named by its path", async () => {
    const p = await Plans.createPlan(db, ctx, plan())
    const e = await Plans.updatePlan(db, ctx, p.id, {
      steps: [{ id: "s1", title: "x", role: "agent", limitMinutes: 5, tiers: ["t9"] }],
      triggers: [{ kind: "kri", description: "KRI red", kriId: "kri_missing" }],
    }).catch((x) => x)
    expect(issuesOf(e)).toEqual([
      [["steps", 0, "tiers", 0], "unknownTier"],
      [["triggers", 0, "kriId"], "unknownKri"],
    ])
    const empty = await Plans.updatePlan(db, ctx, p.id, { tiers: [], title: " " }).catch((x) => x)
    expect(issuesOf(empty)).toEqual([
      [["title"], "required"],
      [["tiers"], "required"],
    ])
    // nothing was written
    expect((await Plans.planRow(db, ctx.orgId, p.id)).title).toBe("Chat outage")
    const missing = await Plans.updatePlan(db, ctx, "pln_missing", { title: "x" }).catch((x) => x)
    expect(missing.name).toMatch(/NotFound/)
  })

  it("a tier the plan is active at cannot be removed; once closed it can", async () => {
    const p = await Plans.createPlan(db, ctx, plan())
    const a = await Activations.activate(db, ctx, p.id, { tier: "t2", reason: "all channels down" })
    const onlyFirst = { tiers: [plan().tiers[0]!] }
    const e = await Plans.updatePlan(db, ctx, p.id, onlyFirst).catch((x) => x)
    expect(issuesOf(e)).toEqual([[["tiers"], "tierInUse"]])
    await Activations.close(db, ctx, a.id, {
      review: { summary: "restored", whatWorked: "", whatFailed: "", actions: [] },
    })
    expect((await Plans.updatePlan(db, ctx, p.id, onlyFirst)).tiers.map((t) => t.id)).toEqual(["t1"])
  })
})

describe(`ticking an exercise's follow-ups (${testEngine()})`, () => {
  it("done keeps who and when; reopened clears them; the open count follows", async () => {
    const p = await Plans.createPlan(db, ctx, plan())
    const ex = await Exercises.recordExercise(db, ctx, p.id, {
      kind: "tabletop",
      heldAt: new Date(Date.now() - 86_400_000),
      participants: ["usr_owner"],
      findings: [
        { text: "contact list out of date", followUp: "update contacts quarterly", ownerId: "usr_owner" },
        { text: "banner approval slow" },
        { text: "backup line untested", followUp: "test the backup line", done: false },
      ],
    })
    expect(ex.openFollowUps).toBe(2)
    const at = new Date("2026-11-30T08:00:00Z")
    const done = await Exercises.setFollowUp(db, someoneElse(), ex.id, 0, true, at)
    expect(done.findings[0]).toMatchObject({
      done: true,
      doneAt: at.toISOString(),
      doneBy: "usr_supervisor",
      followUp: "update contacts quarterly",
    })
    expect(done.findings[2]!.done).toBe(false)
    expect(done.openFollowUps).toBe(1)
    const listed = (await Exercises.listExercises(db, ctx.orgId, p.id))[0]!
    expect(listed.openFollowUps).toBe(1)
    const reopened = await Exercises.setFollowUp(db, ctx, ex.id, 0, false)
    expect(reopened.findings[0]!.done).toBe(false)
    expect(reopened.findings[0]).not.toHaveProperty("doneAt")
    expect(reopened.findings[0]).not.toHaveProperty("doneBy")
    expect(reopened.openFollowUps).toBe(2)
  })

  it("a finding without a follow-up, or no such finding, is refused naming `finding`", async () => {
    const p = await Plans.createPlan(db, ctx, plan())
    const ex = await Exercises.recordExercise(db, ctx, p.id, {
      kind: "walkthrough",
      heldAt: new Date(),
      participants: [],
      findings: [{ text: "no follow-up here" }],
    })
    expect(issuesOf(await Exercises.setFollowUp(db, ctx, ex.id, 0, true).catch((x) => x))).toEqual([
      [["finding"], "noFollowUp"],
    ])
    expect(issuesOf(await Exercises.setFollowUp(db, ctx, ex.id, 5, true).catch((x) => x))).toEqual([
      [["finding"], "unknownFinding"],
    ])
    const other = await Exercises.setFollowUp(db, ctx, "exr_missing", 0, true).catch((x) => x)
    expect(other.name).toMatch(/NotFound/)
  })
})
