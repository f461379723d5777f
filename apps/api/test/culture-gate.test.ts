// The certification gate across culture and process (issue #15). It lives with the API, which may
// import both domain packages; culture itself depends on no other domain package, not even in tests.
import { type Db, Eligibility, Organizations, Outbox, Teams, type Tenancy } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { Certification, cultureMigrations, QaTraining, Training } from "@tenet/culture"
import { Cases, Config, processMigrations } from "@tenet/process"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

let db: Db.Database
let sup: Tenancy.OrgContext
let agentCtx: Tenancy.OrgContext
const AGENT = "usr_agent_li"

beforeAll(async () => {
  db = await makeTestDatabase([processMigrations, cultureMigrations])
  const org = await Organizations.create(
    db,
    { type: "system", id: "t" },
    { name: "Culture Co", slug: "culture-co" },
  )
  sup = { orgId: org.id, actor: { type: "user", id: "usr_sup", role: "supervisor" } }
  agentCtx = { orgId: org.id, actor: { type: "user", id: AGENT, role: "agent" } }
  await Config.ensureDefaults(db, sup)
  Eligibility.provide(Certification.eligibility)
  await Training.saveCourse(db, sup, {
    id: "complaints-101",
    title: { "zh-CN": "投诉处理基础", en: "Handling complaints" },
    format: "role_play",
    assessment: "quiz",
    passMark: 80,
  })
  await Certification.saveCertification(db, sup, {
    id: "complaints-queue",
    name: { "zh-CN": "投诉队列上岗认证", en: "Complaints queue certification" },
    scope: { kind: "queue", value: "complaints" },
    requiredCourses: ["complaints-101"],
    minScore: 85,
    validityDays: 365,
    remindDays: 30,
  })
})
afterAll(async () => {
  Eligibility.provide(undefined)
  await db.close()
})

const complaint = (ownerId?: string) =>
  Cases.createCase(db, sup, {
    type: "complaint",
    channel: "phone",
    subject: "账单多扣了钱",
    customer: { name: "王女士" },
    ...(ownerId ? { ownerId } : {}),
  })

describe(`teams are records (${testEngine()})`, () => {
  it("a case routed to a team creates the team; the migration makes a team of every free-text value", async () => {
    const c = await complaint()
    expect(c.team).toBe("complaints")
    expect((await Teams.get(db, sup.orgId, "complaints")).name.en).toBe("complaints")
    await sql`update process.case set team = 'legacy-desk' where id = ${c.id}`.execute(db.kysely)
    await processMigrations.migrations["0011_teams"]!.up(db.kysely as never)
    expect((await Teams.list(db, sup.orgId)).map((t) => t.id)).toContain("legacy-desk")
    await sql`update process.case set team = 'complaints' where id = ${c.id}`.execute(db.kysely)
    const saved = await Teams.save(db, sup, {
      id: "complaints",
      name: { "zh-CN": "投诉组", en: "Complaints" },
      leaderId: "usr_sup",
      channels: ["phone", "email"],
      queues: ["complaint"],
    })
    expect(saved.name["zh-CN"]).toBe("投诉组")
    await Teams.setMember(db, sup, { teamId: "complaints", userId: AGENT, level: "service_specialist" })
    expect((await Teams.members(db, sup.orgId, "complaints")).map((m) => m.userId)).toEqual([AGENT])
  })
})

describe(`the eligibility gate (${testEngine()})`, () => {
  it("is off by default: an uncertified person can be assigned", async () => {
    const c = await complaint()
    expect((await Cases.assign(db, sup, c.id, { ownerId: AGENT })).ownerId).toBe(AGENT)
  })

  it("on: refuses manual assignment and routing to an uncertified person", async () => {
    await Eligibility.setGate(db, sup, true)
    const c = await complaint()
    await expect(Cases.assign(db, sup, c.id, { ownerId: AGENT })).rejects.toMatchObject({
      _tag: "ConflictError",
      code: "notEligible",
      params: { requirements: "complaints-queue" },
    })
    expect((await Cases.getCase(db, sup.orgId, c.id)).case.ownerId).toBeNull()
    const before = (await sql<{ n: string }>`select count(*) as n from process.case`.execute(db.kysely))
      .rows[0]!.n
    await expect(complaint(AGENT)).rejects.toMatchObject({ _tag: "ConflictError", code: "notEligible" })
    expect(
      (await sql<{ n: string }>`select count(*) as n from process.case`.execute(db.kysely)).rows[0]!.n,
    ).toBe(before)
    // a case of another queue needs no certification
    const other = await Cases.createCase(db, sup, {
      type: "inquiry",
      channel: "email",
      subject: "发票",
      ownerId: AGENT,
    })
    expect(other.ownerId).toBe(AGENT)
  })

  it("a supervisor may override with a reason, audited; an agent may not; no reason is refused", async () => {
    const c = await complaint()
    await expect(
      Cases.assign(db, agentCtx, c.id, { ownerId: AGENT, override: { reason: "忙" } }),
    ).rejects.toMatchObject({ _tag: "ForbiddenError" })
    await expect(
      Cases.assign(db, sup, c.id, { ownerId: AGENT, override: { reason: " " } }),
    ).rejects.toMatchObject({
      _tag: "ValidationError",
      issues: [{ path: ["override", "reason"] }],
    })
    const r = await Cases.assign(db, sup, c.id, {
      ownerId: AGENT,
      override: { reason: "投诉组人手不足，组长陪同处理" },
    })
    expect(r.ownerId).toBe(AGENT)
    const audit = await sql<{ after: { reason: string }; before: { refusals: Array<{ code: string }> } }>`
      select after, before from core.audit_log where action = 'case.eligibility_overridden' and entity_id = ${c.id}`.execute(
      db.kysely,
    )
    expect(audit.rows).toHaveLength(1)
    expect(audit.rows[0]!.after.reason).toBe("投诉组人手不足，组长陪同处理")
    expect(audit.rows[0]!.before.refusals[0]!.code).toBe("notCertified")
  })

  it("a QA critical error assigns the mapped course once; passing it certifies; then the gate lets the case through", async () => {
    await QaTraining.setQaRule(db, sup, { family: "customer", courseId: "complaints-101", dueDays: 14 })
    const { Change } = await import("@tenet/core")
    for (let i = 0; i < 2; i++)
      await Change.change(db, sup, async ({ emit }) =>
        emit({
          type: "quality.critical_error",
          aggregateType: "qa_evaluation",
          aggregateId: "qae_1",
          payload: { caseId: "c", agentId: AGENT, families: ["customer"] },
        }),
      )
    await Outbox.dispatch(db, [QaTraining.qaTrainingHandler])
    await Outbox.dispatch(db, [QaTraining.qaTrainingHandler])
    const due = await Training.assignmentsOf(db, sup.orgId, AGENT)
    expect(due.map((a) => [a.courseId, a.source, a.sourceRef, a.status])).toEqual([
      ["complaints-101", "qa", "qae_1", "assigned"],
    ])
    // a second evaluation with the same error while the course is still open assigns nothing more
    await Change.change(db, sup, async ({ emit }) =>
      emit({
        type: "quality.critical_error",
        aggregateType: "qa_evaluation",
        aggregateId: "qae_2",
        payload: { caseId: "c2", agentId: AGENT, families: ["customer"] },
      }),
    )
    await Outbox.dispatch(db, [QaTraining.qaTrainingHandler])
    expect((await Training.assignmentsOf(db, sup.orgId, AGENT)).length).toBe(1)
    // a pass of the course below the certification's minimum score certifies nothing
    const low = await Training.complete(db, agentCtx, due[0]!.id, {
      score: 82,
      at: new Date("2026-01-10T08:00:00Z"),
    })
    expect([low.passed, low.granted]).toEqual([true, []])
    const again = await Training.assignCourse(db, sup, {
      userId: AGENT,
      courseId: "complaints-101",
      dueOn: "2026-02-01",
    })
    const done = await Training.complete(db, agentCtx, again.id!, {
      score: 90,
      at: new Date("2026-01-20T08:00:00Z"),
    })
    expect(done.granted).toEqual(["complaints-queue"])
    const c = await complaint()
    const at = new Date("2026-06-01T00:00:00Z")
    expect(
      (
        await Eligibility.check(
          db.kysely,
          sup.orgId,
          AGENT,
          { team: "complaints", channel: "phone", type: "complaint" },
          at,
        )
      ).eligible,
    ).toBe(true)
    // valid on the real clock too while the grant runs (2026-01-20 + 365 days)
    if (Date.now() < new Date("2027-01-20T08:00:00Z").getTime())
      expect((await Cases.assign(db, sup, c.id, { ownerId: AGENT })).ownerId).toBe(AGENT)
  })

  it("expiry, reminders, re-certification and suspension", async () => {
    const [g] = await Certification.grantsOf(db, sup.orgId, {
      userId: AGENT,
      at: new Date("2026-06-01T00:00:00Z"),
    })
    expect(g!.expiresAt.toISOString()).toBe("2027-01-20T08:00:00.000Z")
    expect(g!.state).toBe("valid")
    expect(
      (
        await Certification.grantsOf(db, sup.orgId, { userId: AGENT, at: new Date("2027-01-01T00:00:00Z") })
      )[0]!.state,
    ).toBe("expiring")
    const expired = new Date("2027-01-21T00:00:00Z")
    expect((await Certification.grantsOf(db, sup.orgId, { userId: AGENT, at: expired }))[0]!.state).toBe(
      "expired",
    )
    const item = { team: "complaints", channel: "phone", type: "complaint" }
    expect(await Eligibility.check(db.kysely, sup.orgId, AGENT, item, expired)).toMatchObject({
      eligible: false,
      refusals: [{ code: "certificationExpired", requirement: "complaints-queue" }],
    })
    // one reminder inside the 30-day window, not two
    expect(await Certification.remindExpiring(db, sup, new Date("2027-01-01T00:00:00Z"))).toBe(1)
    expect(await Certification.remindExpiring(db, sup, new Date("2027-01-02T00:00:00Z"))).toBe(0)
    const told = await sql<{ payload: { kind: string; recipients: Array<{ id: string }> } }>`
      select payload from core.outbox_event where type = 'core.notification.requested' and aggregate_id = ${AGENT}`.execute(
      db.kysely,
    )
    expect(told.rows.map((r) => [r.payload.kind, r.payload.recipients[0]!.id])).toEqual([
      ["certification.expiring", AGENT],
    ])
    // re-certifying inside the window extends from the old expiry
    const a = await Training.assignCourse(db, sup, {
      userId: AGENT,
      courseId: "complaints-101",
      dueOn: "2027-01-10",
    })
    const r = await Training.complete(db, agentCtx, a.id!, {
      score: 95,
      at: new Date("2027-01-05T00:00:00Z"),
    })
    expect(r.granted).toEqual(["complaints-queue"])
    const latest = (await Certification.grantsOf(db, sup.orgId, { userId: AGENT }))[0]!
    expect(latest.expiresAt.toISOString()).toBe("2028-01-20T08:00:00.000Z")
    await Certification.setGrantStatus(db, sup, latest.id, "suspended", "复核中")
    expect(
      await Eligibility.check(db.kysely, sup.orgId, AGENT, item, new Date("2027-06-01T00:00:00Z")),
    ).toMatchObject({
      eligible: false,
      refusals: [{ code: "certificationSuspended" }],
    })
  })
})
