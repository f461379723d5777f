// Contact preferences (PR-02) on every outbound message: an outbound reply, the confirmation and return
// visit scheduled at resolution, and the completion of a follow-up call ask core's contact-permission
// contract (risk's consent ledger answers); inbound messages are always taken. So do the feedback module's
// messages to a customer: the reply to a suggestion or praise, and a complaint's decision communicated.
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"

let h: Harness
let s: Awaited<ReturnType<typeof seedTwoOrgs>>
beforeAll(async () => {
  h = await makeHarness()
  s = await seedTwoOrgs(h)
}, 120_000)
afterAll(async () => {
  await h?.db.close()
})

const newCase = async (externalId: string) => {
  const r = await h.request("/api/v1/process/cases", {
    method: "POST",
    key: s.a.adminKey,
    body: {
      type: "problem",
      channel: "phone",
      subject: "账单",
      content: "请回电",
      customer: { externalId, name: "客户", contacts: [{ channel: "phone", value: "13700001111" }] },
    },
  })
  expect(r.status).toBe(201)
  return { caseId: r.body.id as string, customerId: r.body.customerId as string }
}
const consent = (customerId: string, granted: boolean) =>
  h.request(`/api/v1/privacy/customers/${customerId}/consents`, {
    method: "POST",
    key: s.a.adminKey,
    body: { channel: "service", granted, noticeVersion: "2026-01", source: "phone" },
  })
const reply = (caseId: string, direction: "outbound" | "inbound") =>
  h.request(`/api/v1/process/cases/${caseId}/replies`, {
    method: "POST",
    key: s.a.adminKey,
    body: { content: "您好", direction },
  })
const resolve = async (caseId: string) => {
  for (const to of ["in_progress", "resolved"]) {
    const r = await h.request(`/api/v1/process/cases/${caseId}/transitions`, {
      method: "POST",
      key: s.a.adminKey,
      body: { to, resolutionCode: "fixed" },
    })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
  }
}
const followUps = async (caseId: string) =>
  (
    await sql<{
      id: string
      kind: string
    }>`select id, kind from process.follow_up where case_id = ${caseId} order by kind`.execute(h.db.kysely)
  ).rows

describe("contact preferences on outbound messages", () => {
  it("an outbound reply to a customer who withdrew service contact is refused, naming why", async () => {
    const { caseId, customerId } = await newCase("c-out-1")
    expect((await reply(caseId, "outbound")).status).toBe(200)
    expect((await consent(customerId, false)).status).toBe(201)
    const refused = await reply(caseId, "outbound")
    expect(refused.status).toBe(409)
    expect(refused.body.errors[0]).toMatchObject({
      path: "/content",
      code: "contactRefused",
      params: { purpose: "service", reason: "withdrawn" },
    })
    // what the customer sends is still taken
    expect((await reply(caseId, "inbound")).status).toBe(200)
    // consent given again: replies go out again
    expect((await consent(customerId, true)).status).toBe(201)
    expect((await reply(caseId, "outbound")).status).toBe(200)
  })

  it("resolution schedules no confirmation or return visit for a customer who refuses contact", async () => {
    const ok = await newCase("c-out-2")
    await resolve(ok.caseId)
    expect((await followUps(ok.caseId)).map((f) => f.kind)).toEqual(["confirmation", "return_visit"])

    const no = await newCase("c-out-3")
    await consent(no.customerId, false)
    await resolve(no.caseId)
    expect(await followUps(no.caseId)).toEqual([])
  })

  it("a follow-up call is refused once the customer withdrew, and allowed otherwise", async () => {
    const { caseId, customerId } = await newCase("c-out-4")
    await resolve(caseId)
    const [first, second] = await followUps(caseId)
    const done = await h.request(`/api/v1/process/follow-ups/${first!.id}/complete`, {
      method: "POST",
      key: s.a.adminKey,
      body: { outcome: "confirmed" },
    })
    expect(done.status).toBeLessThan(300)
    await consent(customerId, false)
    const refused = await h.request(`/api/v1/process/follow-ups/${second!.id}/complete`, {
      method: "POST",
      key: s.a.adminKey,
      body: { outcome: "called" },
    })
    expect(refused.status).toBe(409)
    expect(refused.body.errors[0]).toMatchObject({ path: "/outcome", code: "contactRefused" })
    const open = await sql<{
      done_at: Date | null
    }>`select done_at from process.follow_up where id = ${second!.id}`.execute(h.db.kysely)
    expect(open.rows[0]!.done_at).toBeNull()
  })

  const item = async (kind: "suggestion" | "complaint", customerKey: string) => {
    const r = await h.request("/api/v1/feedback/items", {
      method: "POST",
      key: s.a.adminKey,
      body: { kind, channel: "phone", summary: "等待太久", customerKey },
    })
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    return r.body.id as string
  }
  const step = (id: string, to: string, extra: Record<string, string> = {}) =>
    h.request(`/api/v1/feedback/complaints/${id}/steps`, {
      method: "POST",
      key: s.a.adminKey,
      body: { to, ...extra },
    })

  it("a reply to a suggestion from a customer who withdrew service contact is refused, and sent once they agree", async () => {
    const { customerId } = await newCase("c-out-5")
    const id = await item("suggestion", customerId)
    await consent(customerId, false)
    const send = () =>
      h.request(`/api/v1/feedback/items/${id}/reply`, {
        method: "POST",
        key: s.a.adminKey,
        body: { reply: "谢谢您的建议" },
      })
    const refused = await send()
    expect(refused.status).toBe(409)
    expect(refused.body.errors[0]).toMatchObject({
      path: "/reply",
      code: "contactRefused",
      params: { purpose: "service", reason: "withdrawn" },
    })
    const still = await h.request(`/api/v1/feedback/items/${id}`, { key: s.a.adminKey })
    expect(still.body).toMatchObject({ status: "open", reply: null })
    await consent(customerId, true)
    const sent = await send()
    expect(sent.status, JSON.stringify(sent.body)).toBe(200)
    expect(sent.body).toMatchObject({ status: "replied", reply: "谢谢您的建议" })
  })

  it("a complaint's decision is not communicated to a complainant who withdrew service contact", async () => {
    const { customerId } = await newCase("c-out-6")
    const id = await item("complaint", customerId)
    for (const [to, extra] of [
      ["acknowledged", {}],
      ["assessed", { severity: "low", urgency: "normal", complexity: "simple" }],
      ["investigating", {}],
      ["response_proposed", { decision: "退还费用", remedyOffered: "退款 20 元" }],
    ] as const) {
      const r = await step(id, to, extra)
      expect(r.status, `${to}: ${JSON.stringify(r.body)}`).toBe(200)
    }
    await consent(customerId, false)
    const refused = await step(id, "decision_communicated")
    expect(refused.status).toBe(409)
    expect(refused.body.errors[0]).toMatchObject({ path: "/to", code: "contactRefused" })
    const still = await h.request(`/api/v1/feedback/items/${id}`, { key: s.a.adminKey })
    expect(still.body.stage).toBe("response_proposed")
    await consent(customerId, true)
    expect((await step(id, "decision_communicated")).status).toBe(200)
  })
})
