import { type Db, Organizations } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  Activations,
  Catalogue,
  Incidents,
  Library,
  Plans,
  Register,
  riskMigrations,
  Severity,
  Templates,
  Treatments,
} from "../src/index"

let db: Db.Database
let ctx: { orgId: string; actor: { type: "user"; id: string } }
const approver = () => ({ ...ctx, actor: { type: "user" as const, id: "usr_director" } })
const H = 3_600_000

beforeAll(async () => {
  db = await makeTestDatabase([riskMigrations])
  const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "Cont", slug: "cont" })
  ctx = { orgId: org.id, actor: { type: "user", id: "usr_owner" } }
  await Library.importLibrary(db, ctx, Catalogue.builtinLibrary())
})
afterAll(async () => {
  await db.close()
})

const risk = () =>
  Register.createRisk(db, ctx, {
    title: "Data leak by e-mail",
    categoryId: "data_leakage",
    cause: "agents paste case data into e-mail",
    event: "personal data sent to the wrong person",
    consequence: "regulatory notice, loss of trust",
    ownerId: "usr_owner",
    inherent: { likelihood: 2, impact: 3 },
  })

describe(`treatments and acceptance (${testEngine()})`, () => {
  it("a treatment moves the risk to treating and is overdue after its due date", async () => {
    const r = await risk()
    const t = await Treatments.createTreatment(db, ctx, {
      riskId: r.id,
      option: "change_likelihood",
      title: "DLP rule on outbound mail",
      ownerId: "usr_it",
      dueAt: new Date(Date.now() + 86_400_000),
    })
    expect((await Register.getRisk(db, ctx.orgId, r.id)).status).toBe("treating")
    const later = new Date(Date.now() + 2 * 86_400_000)
    expect((await Treatments.listTreatments(db, ctx.orgId, r.id, later))[0]!.overdue).toBe(true)
    await Treatments.setTreatmentStatus(db, ctx, t.id, "done")
    expect((await Treatments.listTreatments(db, ctx.orgId, r.id, later))[0]!.overdue).toBe(false)
  })

  it("acceptance: draft → submitted → accepted by someone else; it expires and the risk is open for re-review", async () => {
    const r = await risk()
    const now = new Date()
    const a = await Treatments.draftAcceptance(db, ctx, {
      riskId: r.id,
      rationale: "cost of DLP outweighs",
      expiresAt: new Date(now.getTime() + 10 * 86_400_000),
    })
    expect(a.residualScore).toBe(6)
    const early = await Treatments.stepAcceptance(db, approver(), a.id, "accept").catch((e) => e)
    expect(early.code).toBe("acceptanceState")
    await Treatments.stepAcceptance(db, ctx, a.id, "submit")
    const own = await Treatments.stepAcceptance(db, ctx, a.id, "accept").catch((e) => e)
    expect(own.code).toBe("ownDecision")
    const ok = await Treatments.stepAcceptance(db, approver(), a.id, "accept", "agreed for one quarter")
    expect(ok.status).toBe("accepted")
    expect((await Register.getRisk(db, ctx.orgId, r.id)).status).toBe("accepted")
    expect(await Treatments.expireAcceptances(db, new Date(now.getTime() + 9 * 86_400_000))).toBe(0)
    const at = new Date(now.getTime() + 11 * 86_400_000)
    expect(await Treatments.expireAcceptances(db, at)).toBe(1)
    expect(await Treatments.expireAcceptances(db, at)).toBe(0)
    const after = await Register.getRisk(db, ctx.orgId, r.id, at)
    expect(after.status).toBe("open")
    expect(after.reviewOverdue).toBe(false)
    expect(
      (await Register.overdueReviews(db, ctx.orgId, new Date(at.getTime() + 1000))).map((x) => x.id),
    ).toContain(r.id)
    expect((await Treatments.listAcceptances(db, ctx.orgId, r.id))[0]!.status).toBe("expired")
  })
})

describe(`contingency plans (${testEngine()})`, () => {
  const plan = () =>
    Plans.createPlan(db, ctx, {
      title: "Telephony outage",
      scenario: "system_failure",
      triggers: [{ kind: "manual", description: "the phone system is down for more than 5 minutes" }],
      tiers: [
        { id: "t1", name: { "zh-CN": "一级", en: "Tier 1" }, criteria: "one site" },
        { id: "t2", name: { "zh-CN": "二级", en: "Tier 2" }, criteria: "all sites" },
      ],
      steps: [
        {
          id: "switch",
          title: "Switch inbound calls to the backup carrier",
          role: "supervisor",
          limitMinutes: 15,
        },
        { id: "banner", title: "Post a banner on the website and app", role: "agent", limitMinutes: 30 },
        { id: "exec", title: "Tell the director", role: "admin", limitMinutes: 60, tiers: ["t2"] },
      ],
      channels: [{ channel: "chat", instead: "phone", how: "raise chat staffing" }],
      contacts: [{ name: "Carrier NOC", role: "vendor", phone: "+86 400 000 0000" }],
    })

  it("act first, record afterwards: entries keep when it happened and when and by whom it was recorded", async () => {
    const p = await plan()
    const t0 = new Date(Date.now() - 2 * H)
    const a = await Activations.activate(db, ctx, p.id, {
      tier: "t1",
      reason: "carrier outage",
      startedAt: t0,
    })
    await Activations.record(db, ctx, a.id, {
      note: "switched to backup carrier",
      stepId: "switch",
      happenedAt: new Date(t0.getTime() + 10 * 60_000),
    })
    await Activations.record(db, approver(), a.id, {
      note: "banner up",
      stepId: "banner",
      happenedAt: new Date(t0.getTime() + 45 * 60_000),
    })
    const got = await Activations.getActivation(db, ctx.orgId, a.id)
    expect(got.timeline.map((e) => [e.stepId, e.happenedAt, e.recordedBy, e.recordedLate])).toEqual([
      ["switch", new Date(t0.getTime() + 10 * 60_000).toISOString(), "usr_owner", true],
      ["banner", new Date(t0.getTime() + 45 * 60_000).toISOString(), "usr_director", true],
    ])
    expect(got.timeline.every((e) => e.recordedAt > e.happenedAt)).toBe(true)
    expect(got.checklist.map((s) => [s.id, s.late])).toEqual([
      ["switch", false],
      ["banner", true],
    ])
    const future = await Activations.record(db, ctx, a.id, {
      note: "x",
      happenedAt: new Date(Date.now() + H),
    }).catch((e) => e)
    expect(future.issues[0].path).toEqual(["happenedAt"])
    const closed = await Activations.close(db, ctx, a.id, {
      review: {
        summary: "45 min to banner",
        whatWorked: "carrier switch",
        whatFailed: "banner late",
        actions: ["banner template"],
      },
      cycleWorkflowId: "pdca",
    })
    expect(closed.status).toBe("closed")
    const again = await Activations.record(db, ctx, a.id, { note: "late note" }).catch((e) => e)
    expect(again.code).toBe("activationClosed")
    const plans = await Plans.listPlans(db, ctx.orgId)
    expect(plans[0]!.lastActivatedAt).toBe(t0.toISOString())
  })

  it("refuses a step naming an unknown tier, naming the path", async () => {
    const e = await Plans.createPlan(db, ctx, {
      title: "x",
      scenario: "demand_surge",
      triggers: [],
      tiers: [{ id: "t1", name: { "zh-CN": "一", en: "1" }, criteria: "" }],
      steps: [{ id: "a", title: "a", role: "agent", limitMinutes: 0, tiers: ["t9"] }],
      channels: [],
      contacts: [],
    }).catch((x) => x)
    expect(e.issues.map((i: { path: unknown[] }) => i.path)).toEqual([
      ["steps", 0, "limitMinutes"],
      ["steps", 0, "tiers", 0],
    ])
  })
})

describe("notice drafts", () => {
  const facts: Templates.NoticeFacts = {
    number: 7,
    title: "Export mailed to a wrong address",
    startedAt: "2026-12-02T09:39:32.778Z",
    detectedAt: "2026-12-02T12:05:00.000Z",
    severity: "major",
    affectedCustomers: 1200,
    dataCategories: ["contact", "case_content", "identity_number"],
    cause: "wrong recipient",
    harm: "phishing",
    remedies: "recall",
    advice: "beware calls",
    contact: "dpo@example.cn",
    timeZone: "Asia/Shanghai",
  }
  it("write times in the organisation's zone and data categories by name, in each language", () => {
    const zh = Templates.render("cn", "initial", "zh-CN", facts).body
    expect(zh).toContain(
      "发生时间：2026/12/2 17:39 (Asia/Shanghai)；发现时间：2026/12/2 20:05 (Asia/Shanghai)。",
    )
    expect(zh).toContain("涉及个人信息种类：联系方式、服务记录内容、身份证件号码；")
    expect(zh).not.toContain("T09:39")
    const en = Templates.render("gdpr", "initial", "en", facts).body
    expect(en).toContain(
      "Started: 2 December 2026 at 17:39 (Asia/Shanghai); detected: 2 December 2026 at 20:05 (Asia/Shanghai).",
    )
    expect(en).toContain(
      "Categories of personal data: contact details, service case content, identity numbers;",
    )
    // without a zone the instants are written in UTC, still never as raw ISO text
    expect(
      Templates.render("cn", "initial", "en", (({ timeZone: _, ...rest }) => rest)(facts)).body,
    ).toContain("Started: 2 December 2026 at 09:39 (UTC)")
  })
})

describe("severity and notification clocks", () => {
  it.each([
    [{ affectedCustomers: 500, dataCategories: ["contact"], durationMinutes: 30 }, "general"],
    [{ affectedCustomers: 1_200_000, dataCategories: ["contact"], durationMinutes: 0 }, "relatively_major"],
    [{ affectedCustomers: 150_000, dataCategories: ["financial"], durationMinutes: 0 }, "relatively_major"],
    [{ affectedCustomers: 2_000_000, dataCategories: ["health"], durationMinutes: 0 }, "major"],
    [{ affectedCustomers: 0, dataCategories: [], durationMinutes: 7 * 60 }, "relatively_major"],
    [{ affectedCustomers: 0, dataCategories: [], durationMinutes: 80 * 60 }, "especially_major"],
    [{ affectedCustomers: 200_000_000, dataCategories: ["contact"], durationMinutes: 0 }, "especially_major"],
  ] as const)("%j → %s", (inputs, level) => {
    expect(Severity.severity(inputs).level).toBe(level)
  })

  it("CN: 4 h (1 h for critical infrastructure) and a 30-day summary for relatively major and above; GDPR 72 h", () => {
    const d = new Date("2026-03-01T08:00:00Z")
    const cl = (o: Partial<Parameters<typeof Severity.clocks>[0]>) =>
      Severity.clocks({
        kind: "data_security",
        severity: "relatively_major",
        detectedAt: d,
        regimes: ["cn", "gdpr"],
        criticalInfrastructure: false,
        ...o,
      }).map((c) => [c.regime, c.notice, c.dueAt.toISOString()])
    expect(cl({})).toEqual([
      ["cn", "initial", "2026-03-01T12:00:00.000Z"],
      ["cn", "summary", "2026-03-31T08:00:00.000Z"],
      ["gdpr", "authority", "2026-03-04T08:00:00.000Z"],
    ])
    expect(cl({ criticalInfrastructure: true })[0]).toEqual(["cn", "initial", "2026-03-01T09:00:00.000Z"])
    expect(cl({ severity: "general", regimes: ["cn"] })).toEqual([])
    expect(cl({ kind: "service", regimes: ["gdpr"] })).toEqual([])
  })

  it(`incidents carry their clocks with countdowns; a notice is marked sent once (${testEngine()})`, async () => {
    const detected = new Date(Date.now() - H)
    const i = await Incidents.createIncident(db, ctx, {
      title: "Export file mailed to a wrong address",
      kind: "data_security",
      startedAt: new Date(detected.getTime() - 3 * H),
      detectedAt: detected,
      affectedCustomers: 1_500_000,
      dataCategories: ["contact", "account"],
      regimes: ["cn", "gdpr"],
    })
    expect(i.severity).toBe("relatively_major")
    const initial = i.notices.find((n) => n.notice === "initial")!
    expect(initial.dueAt).toBe(new Date(detected.getTime() + 4 * H).toISOString())
    expect(initial.remainingMs).toBeGreaterThan(2.9 * H)
    expect(initial.remainingMs).toBeLessThanOrEqual(3 * H)
    const late = await Incidents.getIncident(db, ctx.orgId, i.id, new Date(detected.getTime() + 5 * H))
    expect(late.notices.find((n) => n.notice === "initial")!.overdue).toBe(true)
    const sent = await Incidents.markSent(db, ctx, i.id, "cn", "initial")
    expect(sent.late).toBe(false)
    expect((await Incidents.markSent(db, ctx, i.id, "cn", "initial").catch((e) => e)).code).toBe(
      "noticeNotPending",
    )
    const draft = await Incidents.draftNotice(db, ctx.orgId, i.id, "cn", "initial", {
      cause: "wrong recipient",
      harm: "phishing",
      remedies: "recall",
      advice: "beware calls",
      contact: "dpo@example.cn",
    })
    expect(draft["zh-CN"].subject).toBe(
      `【较大】网络安全事件报告：INC-${i.number} Export file mailed to a wrong address`,
    )
    expect(draft.en.body).toContain("people affected: 1500000")
    const resolved = await Incidents.updateIncident(db, ctx, i.id, { resolvedAt: new Date() })
    expect(resolved.status).toBe("resolved")
    expect(resolved.containedAt).toBe(resolved.resolvedAt)
  })
})
