// The subject-request clock on the organisation's business calendar (settings endpoint), and a correction
// request applied to the stored data through the module's corrector, recorded in the audit chain.
import { Audit, Encryption, Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Iam from "../src/iam/service"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"

let h: Harness
let s: Awaited<ReturnType<typeof seedTwoOrgs>>
const DAY = 86_400_000

beforeAll(async () => {
  Encryption.configure(Encryption.fromKey(Buffer.alloc(32, 7).toString("base64"), "test"))
  h = await makeHarness()
  s = await seedTwoOrgs(h)
}, 120_000)
afterAll(async () => {
  Encryption.configure(null)
  await h?.db.close()
})

const WEEKDAYS = {
  timeZone: "Asia/Shanghai",
  hours: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [["09:00", "18:00"]]])),
}

describe("the request clock on a business calendar", () => {
  it("is set in the privacy settings; a request's due date counts business days on it", async () => {
    const key = s.a.adminKey
    const before = await h.request("/api/v1/privacy/settings", { key })
    expect(before.status).toBe(200)
    expect(before.body).toMatchObject({ requestDays: 30, reminderDays: 5, calendarId: null })
    type F = { field: string; perRecord: boolean; classId: string }
    const fields = before.body.correctionFields as F[]
    expect(
      fields
        .filter((f) => !f.perRecord)
        .map((f) => f.field)
        .sort(),
    ).toEqual(["email", "externalId", "name", "phone"])
    // what a customer wrote in feedback is corrected record by record
    expect(
      fields
        .filter((f) => f.perRecord)
        .map((f) => `${f.classId}:${f.field}`)
        .sort(),
    ).toEqual([
      "feedback.complaints:feedbackDetails",
      "feedback.complaints:feedbackSummary",
      "feedback.complaints:remedySought",
      "feedback.responses:surveyComment",
    ])
    const cal = await h.request("/api/v1/process/calendars", {
      method: "POST",
      key,
      body: { name: "Weekdays", spec: WEEKDAYS },
    })
    expect(cal.status).toBe(201)
    // bad input names the field
    const unknown = await h.request("/api/v1/privacy/settings", {
      method: "PUT",
      key,
      body: { requestDays: 10, reminderDays: 2, calendarId: "cal_nope" },
    })
    expect(unknown.status).toBe(400)
    expect(unknown.body.errors[0]).toMatchObject({ path: "/calendarId", code: "unknownCalendar" })
    const late = await h.request("/api/v1/privacy/settings", {
      method: "PUT",
      key,
      body: { requestDays: 10, reminderDays: 10, calendarId: cal.body.id },
    })
    expect(late.status).toBe(400)
    expect(late.body.errors[0]).toMatchObject({ path: "/reminderDays" })
    // an agent may not change the clock
    const agent = await h.request("/api/v1/privacy/settings", {
      method: "PUT",
      key: s.a.agentKey,
      body: { requestDays: 10, reminderDays: 2 },
    })
    expect(agent.status).toBe(403)

    const set = await h.request("/api/v1/privacy/settings", {
      method: "PUT",
      key,
      body: { requestDays: 10, reminderDays: 2, calendarId: cal.body.id },
    })
    expect(set.status).toBe(200)
    expect(set.body).toMatchObject({
      requestDays: 10,
      reminderDays: 2,
      calendarId: cal.body.id,
      calendarSource: "settings",
    })

    // received on Monday 2026-03-02 10:00 Shanghai: ten business days later is Monday 2026-03-16
    const made = await h.request("/api/v1/privacy/requests", {
      method: "POST",
      key,
      body: {
        customerId: "cus_any",
        kind: "access",
        locale: "zh-CN",
        channel: "phone",
        receivedAt: "2026-03-02T02:00:00.000Z",
      },
    })
    expect(made.status).toBe(201)
    const due = new Date(made.body.dueAt)
    expect(Math.round((due.getTime() - Date.parse("2026-03-02T02:00:00.000Z")) / DAY)).toBe(14)
    // the reminder is scheduled two days before the due date
    const job = await sql<{ run_at: Date }>`select run_at from core.job
      where kind = 'risk.privacy.request_reminder' and key = ${made.body.id}`.execute(h.db.kysely)
    expect(new Date(job.rows[0]!.run_at).getTime()).toBe(due.getTime() - 2 * DAY)

    // the other organisation's clock is untouched: 30 calendar days
    const other = await h.request("/api/v1/privacy/requests", {
      method: "POST",
      key: s.b.adminKey,
      body: {
        customerId: "cus_any",
        kind: "access",
        locale: "en",
        channel: "phone",
        receivedAt: "2026-03-02T02:00:00.000Z",
      },
    })
    expect(other.body.dueAt).toBe("2026-04-01T02:00:00.000Z")
  })
})

describe("a correction request", () => {
  it("applies the corrections to the stored (sealed) data, recorded in the audit chain", async () => {
    const key = s.a.adminKey
    const kase = await h.request("/api/v1/process/cases", {
      method: "POST",
      key,
      body: {
        type: "problem",
        channel: "phone",
        subject: "地址",
        content: "请更正我的名字",
        customer: {
          externalId: "crm-9",
          name: "张三",
          contacts: [{ channel: "phone", value: "13812340000" }],
        },
      },
    })
    expect(kase.status).toBe(201)
    const customerId = kase.body.customerId as string
    // a field no module corrects is refused at receipt, naming it
    const bad = await h.request("/api/v1/privacy/requests", {
      method: "POST",
      key,
      body: {
        customerId,
        kind: "correction",
        locale: "zh-CN",
        channel: "web",
        corrections: { shoeSize: "42" },
      },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0]).toMatchObject({ path: "/corrections/shoeSize", code: "correctionRefused" })
    const made = await h.request("/api/v1/privacy/requests", {
      method: "POST",
      key,
      body: {
        customerId,
        kind: "correction",
        locale: "zh-CN",
        channel: "web",
        corrections: { name: "张珊", phone: "13900001111" },
      },
    })
    expect(made.status).toBe(201)
    const id = made.body.id as string
    // not before the requester is verified
    const early = await h.request(`/api/v1/privacy/requests/${id}/fulfil`, { method: "POST", key, body: {} })
    expect(early.status).toBe(409)
    await h.request(`/api/v1/privacy/requests/${id}/verify`, {
      method: "POST",
      key,
      body: { method: "ID card" },
    })
    // a value the module refuses names the field, and nothing is written
    const refused = await h.request(`/api/v1/privacy/requests/${id}/fulfil`, {
      method: "POST",
      key,
      body: { corrections: { email: "not-an-address" } },
    })
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0]).toMatchObject({ path: "/corrections/email" })
    expect((await h.request(`/api/v1/process/customers/${customerId}`, { key })).body.name).toBe("张三")

    const done = await h.request(`/api/v1/privacy/requests/${id}/fulfil`, {
      method: "POST",
      key,
      body: { corrections: { email: "zhang.shan@example.com" } },
    })
    expect(done.status).toBe(200)
    expect(done.body.status).toBe("done")
    expect([...done.body.outcome.corrected].sort()).toEqual(["email", "name", "phone"])
    // the request keeps the values masked
    expect(JSON.stringify(done.body.corrections)).not.toContain("张珊")

    const c = await h.request(`/api/v1/process/customers/${customerId}`, { key })
    expect(c.body.name).toBe("张珊")
    expect(c.body.externalId).toBe("crm-9")
    expect(c.body.contacts).toEqual([
      { channel: "phone", value: "13900001111" },
      { channel: "email", value: "zhang.shan@example.com" },
    ])
    // still sealed in the table; found by the new phone number, no longer by the old one
    const raw = JSON.stringify(
      (await sql`select * from process.customer where id = ${customerId}`.execute(h.db.kysely)).rows,
    )
    for (const plain of ["张珊", "13900001111", "zhang.shan@example.com"]) expect(raw).not.toContain(plain)
    const byNew = await h.request("/api/v1/process/customers/lookup?phone=139-0000-1111", { key })
    expect(byNew.body.items.map((x: { id: string }) => x.id)).toEqual([customerId])
    const byOld = await h.request("/api/v1/process/customers/lookup?phone=13812340000", { key })
    expect(byOld.body.items).toEqual([])

    // the audit chain records the change (masked) and the request's correction, and still verifies
    const audit = await sql<{ action: string; before: unknown; after: unknown }>`select action, before, after
      from core.audit_log where org_id = ${s.a.org.id} and action in ('customer.corrected', 'privacy.request.corrected')
      order by seq`.execute(h.db.kysely)
    expect(audit.rows.map((r) => r.action)).toEqual(["customer.corrected", "privacy.request.corrected"])
    expect(JSON.stringify(audit.rows)).not.toContain("张珊")
    expect(audit.rows[0]!.after).toMatchObject({ name: "张*" })
    expect(audit.rows[1]!.after).toMatchObject({
      customerId,
      applied: [{ classId: "process.customers", fields: expect.arrayContaining(["name", "phone", "email"]) }],
    })
    expect((await Audit.verify(h.db, s.a.org.id)).ok).toBe(true)
  })

  it("an agent cannot fulfil; a closed request cannot be corrected again", async () => {
    const key = s.a.adminKey
    const auditor = (
      await Iam.createApiKey(h.db, Tenancy.system(s.a.org.id), { name: "aud", role: "auditor" })
    ).secret
    const list = await h.request("/api/v1/privacy/requests?open=false", { key })
    const closed = list.body.items.find((r: { kind: string }) => r.kind === "correction")
    const again = await h.request(`/api/v1/privacy/requests/${closed.id}/fulfil`, {
      method: "POST",
      key,
      body: {},
    })
    expect(again.status).toBe(409)
    const denied = await h.request(`/api/v1/privacy/requests/${closed.id}/fulfil`, {
      method: "POST",
      key: auditor,
      body: {},
    })
    expect(denied.status).toBe(403)
  })
})

describe("a correction of what the customer wrote (the feedback module's corrector)", () => {
  const customer = async (externalId: string) => {
    const kase = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: s.a.adminKey,
      body: {
        type: "problem",
        channel: "phone",
        subject: "送货",
        content: "地址写错了",
        customer: { externalId, name: "李四", contacts: [{ channel: "phone", value: "13812349999" }] },
      },
    })
    expect(kase.status).toBe(201)
    return kase.body.customerId as string
  }
  const complaint = async (customerKey: string, details: string) => {
    const r = await h.request("/api/v1/feedback/items", {
      method: "POST",
      key: s.a.adminKey,
      body: {
        kind: "complaint",
        channel: "phone",
        summary: "送货地址错误",
        details,
        remedySought: "重新送货",
        customerKey,
      },
    })
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    return r.body.id as string
  }
  const receive = (customerId: string, corrections: Record<string, string>) =>
    h.request("/api/v1/privacy/requests", {
      method: "POST",
      key: s.a.adminKey,
      body: { customerId, kind: "correction", locale: "zh-CN", channel: "web", corrections },
    })
  const fulfil = async (id: string) => {
    await h.request(`/api/v1/privacy/requests/${id}/verify`, {
      method: "POST",
      key: s.a.adminKey,
      body: { method: "SMS code" },
    })
    return h.request(`/api/v1/privacy/requests/${id}/fulfil`, { method: "POST", key: s.a.adminKey, body: {} })
  }

  it("lists the customer's records, corrects the text in one of them (sealed again), and audits it masked", async () => {
    const key = s.a.adminKey
    const customerId = await customer("crm-fb-1")
    const other = await customer("crm-fb-2")
    const item = await complaint(customerId, "我说的是东城区，不是西城区")
    const theirs = await complaint(other, "别人的投诉")

    // the records the officer picks from, with the text held now; only this customer's
    const listed = await h.request(`/api/v1/privacy/customers/${customerId}/correctable`, { key })
    expect(listed.status).toBe(200)
    expect(listed.body.items.map((r: { key: string; current: string }) => [r.key, r.current]).sort()).toEqual(
      [
        [`feedbackDetails@${item}`, "我说的是东城区，不是西城区"],
        [`feedbackSummary@${item}`, "送货地址错误"],
        [`remedySought@${item}`, "重新送货"],
      ].sort(),
    )
    // the customer's words are for those who handle requests, not for an auditor
    const auditor = (
      await Iam.createApiKey(h.db, Tenancy.system(s.a.org.id), { name: "aud-fb", role: "auditor" })
    ).secret
    expect(
      (await h.request(`/api/v1/privacy/customers/${customerId}/correctable`, { key: auditor })).status,
    ).toBe(403)

    // a record field without a record, or an unknown one, is refused at receipt
    for (const bad of ["feedbackDetails", "feedbackDetails@", `shoeSize@${item}`]) {
      const r = await receive(customerId, { [bad]: "x" })
      expect(r.status, bad).toBe(400)
      expect(r.body.errors[0], bad).toMatchObject({ code: "correctionRefused" })
    }
    // another customer's record is refused at receipt and at fulfilment, naming the key; nothing is written
    const wrong = await receive(customerId, { [`feedbackDetails@${theirs}`]: "改掉" })
    expect(wrong.status).toBe(400)
    expect(wrong.body.errors[0]).toMatchObject({
      path: `/corrections/feedbackDetails@${theirs}`,
      code: "correctionRefused",
    })
    const first = await receive(customerId, { [`feedbackSummary@${item}`]: "送货地址错误" })
    expect(first.status).toBe(201)
    await h.request(`/api/v1/privacy/requests/${first.body.id}/verify`, {
      method: "POST",
      key,
      body: { method: "SMS code" },
    })
    const refused = await h.request(`/api/v1/privacy/requests/${first.body.id}/fulfil`, {
      method: "POST",
      key,
      body: { corrections: { [`feedbackDetails@${theirs}`]: "改掉" } },
    })
    expect(refused.status).toBe(400)
    expect(refused.body.errors[0]).toMatchObject({
      path: `/corrections/feedbackDetails@${theirs}`,
      code: "correctionRefused",
    })
    expect((await h.request(`/api/v1/feedback/items/${theirs}`, { key })).body.details).toBe("别人的投诉")

    const made = await receive(customerId, {
      [`feedbackDetails@${item}`]: "我住在东城区和平里，身份证号 110101199003077774",
      [`remedySought@${item}`]: "重新送货并道歉",
    })
    expect(made.status).toBe(201)
    const done = await fulfil(made.body.id)
    expect(done.status, JSON.stringify(done.body)).toBe(200)
    expect([...done.body.outcome.corrected].sort()).toEqual([
      `feedbackDetails@${item}`,
      `remedySought@${item}`,
    ])

    const now = (await h.request(`/api/v1/feedback/items/${item}`, { key })).body
    // redacted as on intake: the ID card number does not survive
    expect(now.details).toContain("我住在东城区和平里")
    expect(now.details).not.toContain("110101199003077774")
    expect(now.remedySought).toBe("重新送货并道歉")
    expect(now.summary).toBe("送货地址错误")
    // sealed in the table
    const raw = JSON.stringify(
      (await sql`select details from feedback.item where id = ${item}`.execute(h.db.kysely)).rows,
    )
    expect(raw).not.toContain("和平里")
    expect(raw).toContain(Encryption.PREFIX)

    // the audit chain names the fields, masks the values, and still verifies
    const audit = await sql<{
      entity_id: string
      before: unknown
      after: unknown
    }>`select entity_id, before, after
      from core.audit_log where org_id = ${s.a.org.id} and action = 'feedback.corrected'`.execute(h.db.kysely)
    expect(audit.rows.map((r) => r.entity_id)).toEqual([item])
    expect(Object.keys(audit.rows[0]!.after as object).sort()).toEqual(["feedbackDetails", "remedySought"])
    expect(JSON.stringify(audit.rows)).not.toContain("和平里")
    expect(JSON.stringify(audit.rows)).not.toContain("东城区，不是")
    expect((await Audit.verify(h.db, s.a.org.id)).ok).toBe(true)
  })
})
