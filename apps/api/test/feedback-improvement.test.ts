/**
 * The customer's voice opens improvement cycles through the existing engine (trigger `complaint`):
 * a breached CSAT target opens one cycle, however often the breach event is delivered, with the
 * survey baseline, and its Check re-measures CSAT from the surveys after the change; a complaint
 * cause crossing its threshold opens one cycle while that cycle is open, another once it has ended.
 */
import { Outbox } from "@tenet/core"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { causeCycles } from "../src/feedback/improvement"
import { autoOpenCycles } from "../src/server"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"

let h: Harness
let orgs: Awaited<ReturnType<typeof seedTwoOrgs>>
beforeAll(async () => {
  h = await makeHarness()
  orgs = await seedTwoOrgs(h)
})
afterAll(async () => {
  await h.db.close()
})

let n = 0
/** CSAT answers submitted at `at` (scores as given). */
const answers = async (orgId: string, at: string, scores: number[]) => {
  for (const score of scores) {
    n++
    await sql`insert into feedback.response (org_id, id, invitation_id, survey_id, survey_version, case_id, customer_key, locale,
        answers, score_kind, score, sentiment, comment, dimensions, case_type, channel, segment, team, agent_id, submitted_at)
      values (${orgId}, ${`fres_i${n}`}, ${`finv_i${n}`}, 'srv_x', 1, null, null, 'zh-CN', '{"values":{}}', 'csat', ${score},
        'neutral', null, '{}', 'inquiry', 'chat', 'retail', 'support', 'usr_a', ${new Date(at)})`.execute(
      h.db.kysely,
    )
  }
}

const voice = {
  format: "tenet-standard/v1",
  id: "voice",
  version: "1.0",
  title: { "zh-CN": "客户之声", en: "Customer voice" },
  provider: "Test",
  licence: "CC0-1.0",
  reviewCadenceDays: 90,
  clauses: [
    {
      id: "1",
      title: { "zh-CN": "满意度", en: "Satisfaction" },
      requirements: [
        {
          id: "1.1",
          title: { "zh-CN": "满意率不低于 85%", en: "CSAT of at least 85 %" },
          targets: [{ id: "csat", metric: "feedback.csat", operator: ">=", value: 0.85 }],
        },
      ],
    },
  ],
}

describe("a breached satisfaction target", () => {
  it("opens one complaint cycle with the survey baseline; Check re-measures CSAT from the surveys after", async () => {
    const key = orgs.a.adminKey
    const orgId = orgs.a.org.id
    const imp = await h.request("/api/v1/standards/import", {
      method: "POST",
      key,
      body: { format: "json", text: JSON.stringify(voice) },
    })
    expect(imp.status).toBe(201)
    for (const to of ["in_review", "approved", "published"])
      await h.request(`/api/v1/standards/${imp.body.standardId}/versions/1/steps`, {
        method: "POST",
        key,
        body: { to },
      })
    // March: 10 answers, 6 satisfied → 60 % < 85 %
    await answers(orgId, "2025-03-10T10:00:00+08:00", [5, 5, 4, 4, 4, 4, 3, 2, 1, 1])
    const ev = await h.request(`/api/v1/standards/${imp.body.standardId}/evaluations`, {
      method: "POST",
      key,
      body: { from: "2025-03-01T00:00:00+08:00", to: "2025-04-01T00:00:00+08:00" },
    })
    expect(ev.status).toBe(201)
    // the breach event delivered twice at once, and once more by the outbox
    const breach = (await h.request("/api/v1/standards/breaches?status=open", { key })).body.items.find(
      (b: any) => b.standardId === imp.body.standardId,
    )
    expect(breach).toMatchObject({ metric: "feedback.csat" })
    const handler = autoOpenCycles(h.plugins)
    const event: Outbox.DomainEvent = {
      orgId,
      id: "evt_twice",
      position: 0,
      type: "standards.target.breached",
      aggregateType: "breach",
      aggregateId: breach.id,
      payload: {
        standardId: imp.body.standardId,
        version: 1,
        metric: "feedback.csat",
        value: 0.6,
        target: 0.85,
      },
      occurredAt: new Date(),
    }
    await Promise.all([handler.handle(event, h.db), handler.handle(event, h.db)])
    await Outbox.dispatch(h.db, [handler])
    const cycles = (await h.request("/api/v1/improvements/cycles", { key })).body.items.filter(
      (c: any) => c.trigger.standardId === imp.body.standardId,
    )
    expect(cycles).toHaveLength(1)
    const cycle = cycles[0]
    expect(cycle.trigger).toMatchObject({ kind: "complaint", metric: "feedback.csat", target: 0.85 })
    expect(cycle.baseline).toMatchObject({ value: 0.6, numerator: 6, denominator: 10, n: 10 })
    expect(
      (await h.request("/api/v1/standards/breaches?status=open", { key })).body.items.filter(
        (b: any) => b.standardId === imp.body.standardId,
      ),
    ).toEqual([])
    // April: re-surveyed, 19 of 20 satisfied
    await answers(orgId, "2025-04-10T10:00:00+08:00", [...Array(19).fill(5), 1])
    const check = await h.request(`/api/v1/improvements/cycles/${cycle.id}/check`, {
      method: "POST",
      key,
      body: { from: "2025-04-01T00:00:00+08:00", to: "2025-05-01T00:00:00+08:00" },
    })
    expect(check.status).toBe(200)
    expect(check.body.check.after).toMatchObject({ value: 0.95, numerator: 19, denominator: 20, n: 20 })
    expect(check.body.check.delta).toBeCloseTo(0.35, 10)
    expect(check.body.check.meetsTarget).toBe(true)
    // 19/20 against 6/10, pooled: z = 0.35 / √(0.8333 · 0.1667 · 0.15) = 2.425, p = 0.0153 → the change worked
    expect(check.body.check.test.pValue).toBeCloseTo(0.0153, 3)
    expect(check.body.check.verdict).toBe("worked")
    // the trigger is recorded as answered by that cycle
    const setting = await h.request("/api/v1/feedback/improvement", { key })
    expect(setting.body.triggers).toEqual([expect.objectContaining({ kind: "breach", cycleId: cycle.id })])
  })
})

describe("a complaint cause crossing its threshold", () => {
  const complaint = (key: string) =>
    h.request("/api/v1/feedback/items", {
      method: "POST",
      key,
      body: { kind: "complaint", channel: "phone", summary: "排队 40 分钟无人接听", causeCode: "wait" },
    })
  const causeCyclesOf = async (key: string) =>
    (await h.request("/api/v1/improvements/cycles", { key })).body.items.filter(
      (c: any) => c.trigger.kind === "complaint" && c.trigger.causeCode === "wait",
    )

  it("refuses a bad setting naming the field", async () => {
    const r = await h.request("/api/v1/feedback/improvement", {
      method: "PUT",
      key: orgs.b.adminKey,
      body: { enabled: true, workflowId: "pdca", causeThreshold: 0, windowDays: 30 },
    })
    expect(r.status).toBe(400)
    expect(JSON.stringify(r.body)).toContain("causeThreshold")
    const agent = await h.request("/api/v1/feedback/improvement", {
      method: "PUT",
      key: orgs.b.agentKey,
      body: { enabled: true, workflowId: "pdca", causeThreshold: 3, windowDays: 30 },
    })
    expect(agent.status).toBe(403)
  })

  it("opens one cycle at the threshold, none more while it is open, another after it ended", async () => {
    const key = orgs.b.adminKey
    const saved = await h.request("/api/v1/feedback/improvement", {
      method: "PUT",
      key,
      body: { enabled: true, workflowId: "pdca", causeThreshold: 3, windowDays: 30 },
    })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect(saved.body).toEqual({ enabled: true, workflowId: "pdca", causeThreshold: 3, windowDays: 30 })
    await h.request("/api/v1/feedback/causes", {
      method: "PUT",
      key,
      body: { code: "wait", name: { "zh-CN": "等待时间过长", en: "Long waits" } },
    })
    const handler = causeCycles(h.plugins)
    for (let i = 0; i < 2; i++) expect((await complaint(key)).status).toBe(201)
    await Outbox.dispatch(h.db, [handler])
    expect(await causeCyclesOf(key)).toHaveLength(0)
    await complaint(key)
    await Outbox.dispatch(h.db, [handler])
    await Outbox.dispatch(h.db, [handler])
    let cycles = await causeCyclesOf(key)
    expect(cycles).toHaveLength(1)
    expect(cycles[0].title).toContain("等待时间过长")
    expect(cycles[0].trigger).toMatchObject({ metric: "feedback.csat", complaints: 3 })
    // a fourth complaint while the cycle is open: no second cycle
    await complaint(key)
    await Outbox.dispatch(h.db, [handler])
    expect(await causeCyclesOf(key)).toHaveLength(1)
    // the cycle is cancelled; the cause keeps coming: a new cycle
    const cancelled = await h.request(`/api/v1/improvements/cycles/${cycles[0].id}/status`, {
      method: "POST",
      key,
      body: { status: "cancelled", reason: "merged into another project" },
    })
    expect(cancelled.status).toBe(200)
    await complaint(key)
    await Outbox.dispatch(h.db, [handler])
    cycles = await causeCyclesOf(key)
    expect(cycles).toHaveLength(2)
    expect(cycles.map((c: any) => c.trigger.complaints).sort()).toEqual([3, 5])
  })
})
