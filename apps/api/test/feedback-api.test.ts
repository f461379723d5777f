/**
 * Surveys end to end through the API and the server's handlers: build and publish a CSAT survey and
 * a rule, resolve a case, read the invitation from a real SMTP server, open the public page, answer
 * 2/5 with a comment, and find the follow-up with the comment on the case — once, even when the
 * closed-loop event is delivered twice. Also: the page's plain states, the chat link, the results
 * and the registry metric, and refusals (400 naming the field, 409 for a used link).
 */
import { Jobs, Organizations, Outbox, Tenancy } from "@tenet/core"
import { Cases, Config } from "@tenet/process"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { closedLoopHandler, dispatchHandler, feedbackJobs } from "../src/feedback/runtime"
import * as Iam from "../src/iam/service"
import { type MailSettings, mailJobs } from "../src/notify/mail"
import { registry } from "../src/registry"
import { type Harness, makeHarness } from "./helpers"
import { type Mailbox, startSmtp } from "./servers"

let h: Harness
let smtp: Mailbox
let mail: MailSettings
let cookie: string
let orgId: string
beforeAll(async () => {
  h = await makeHarness()
  smtp = await startSmtp()
  mail = { smtpUrl: smtp.url, from: "Tenet <tenet@test.local>", publicUrl: "http://localhost" }
  const org = await Organizations.create(
    h.db,
    { type: "system", id: "test" },
    { name: "Survey Co", slug: "survey-co" },
  )
  orgId = org.id
  const u = await Iam.createUser(h.db, { email: "admin@survey.test", name: "Admin", password: "password-1" })
  await Iam.addMember(h.db, Tenancy.system(orgId), { userId: u.id, role: "admin" })
  cookie = await h.signIn("admin@survey.test", "password-1")
  await Config.ensureDefaults(h.db, Tenancy.system(orgId))
})
afterAll(async () => {
  await smtp.close()
  await h.db.close()
})

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  h.request(path, { ...init, cookie, org: orgId })

/** Deliver the outbox to the feedback handlers, send due surveys, send e-mails. */
const drain = async () => {
  for (let i = 0; i < 20; i++)
    if (!(await Outbox.dispatch(h.db, [dispatchHandler, closedLoopHandler], { workerId: "t" })).more) break
  await Jobs.schedule(h.db, { kind: "feedback.send-due", key: `t${Math.random()}`, runAt: new Date(0) })
  for (let i = 0; i < 20; i++)
    if ((await Jobs.runDue(h.db, { ...feedbackJobs(mail), ...mailJobs(mail) }, { limit: 50 })).claimed === 0)
      break
}

describe("surveys through the API", () => {
  let surveyId: string
  let caseId: string
  let token: string

  it("builds, publishes and dispatches a CSAT survey by e-mail when a case is resolved", async () => {
    const bad = await api("/api/v1/feedback/surveys", {
      method: "POST",
      body: { name: "x", definition: { kind: "csat", title: { "zh-CN": "满意度", en: "" }, questions: [] } },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain("/definition/title/en")
    const { Survey } = await import("@tenet/feedback")
    const created = await api("/api/v1/feedback/surveys", {
      method: "POST",
      body: { name: "CSAT", definition: Survey.csatTemplate() },
    })
    expect(created.status).toBe(201)
    surveyId = created.body.id
    expect((await api(`/api/v1/feedback/surveys/${surveyId}/publish`, { method: "POST" })).status).toBe(200)
    const rule = await api("/api/v1/feedback/rules", {
      method: "POST",
      body: { name: "all resolved", surveyId, delayMinutes: 0, quietHours: false },
    })
    expect(rule.status).toBe(201)
    expect(rule.body).toMatchObject({ withinHours: 24, sampleRate: 1, capDays: 30 })
    const missing = await api("/api/v1/feedback/rules/drule_nope", {
      method: "PUT",
      body: { name: "x", surveyId },
    })
    expect(missing.status).toBe(404)

    const ctx = Tenancy.system(orgId)
    const c = await Cases.createCase(h.db, ctx, {
      type: "inquiry",
      channel: "email",
      subject: "退款进度",
      customer: {
        externalId: "C-1",
        name: "李伟",
        segment: "existing",
        contacts: [{ channel: "email", value: "li.wei@example.com" }],
      },
      receivedAt: new Date(Date.now() - 3_600_000),
    })
    caseId = c.id
    await Cases.transition(h.db, ctx, c.id, { to: "resolved", resolutionCode: "answered" })
    await drain()
    const invites = smtp.messages.filter((m) => m.to.includes("li.wei@example.com"))
    expect(invites).toHaveLength(1)
    expect(invites[0]!.mail.subject).toBe("服务满意度调查：请告诉我们您的感受")
    const link = /http:\/\/localhost(\/api\/v1\/public\/surveys\/([A-Za-z0-9_-]{43})\/page)/.exec(
      invites[0]!.mail.text ?? "",
    )!
    token = link[2]!
    // delivered again: nothing more is sent
    await sql`delete from core.processed_event`.execute(h.db.kysely)
    await sql`delete from core.outbox_cursor`.execute(h.db.kysely)
    await drain()
    expect(smtp.messages.filter((m) => m.to.includes("li.wei@example.com"))).toHaveLength(1)
  })

  it("serves the public page in the customer's language with a switch, and nothing of the organisation", async () => {
    const page = await h.request(`/api/v1/public/surveys/${token}/page`)
    expect(page.status).toBe(200)
    expect(page.headers.get("content-type")).toContain("text/html")
    expect(page.body).toContain('<html lang="zh-CN">')
    expect(page.body).toContain("您对本次服务的总体满意度如何？")
    expect(page.body).toContain('href="?lang=en"')
    expect(page.body).not.toContain("Survey Co")
    expect(page.body).not.toContain("李伟")
    const en = await h.request(`/api/v1/public/surveys/${token}/page?lang=en`)
    expect(en.body).toContain("Overall, how satisfied are you with our service?")
    const script = await h.request("/api/v1/public/survey-page.js")
    expect(script.headers.get("content-type")).toContain("javascript")
    expect((await h.request(`/api/v1/public/surveys/${"x".repeat(43)}/page`)).status).toBe(404)
  })

  it("a 2/5 answer with a comment opens one follow-up on the case, with the comment on its timeline", async () => {
    const bad = await h.request(`/api/v1/public/surveys/${token}/responses`, {
      method: "POST",
      body: { answers: { values: { overall: 7 } } },
      headers: { origin: "http://localhost" },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].path).toBe("/answers/values/overall")
    const ok = await h.request(`/api/v1/public/surveys/${token}/responses`, {
      method: "POST",
      body: { answers: { values: { overall: 2 }, why: { overall: "等了三天才有人回复" } }, locale: "zh-CN" },
      headers: { origin: "http://localhost" },
    })
    expect(ok.status).toBe(201)
    const again = await h.request(`/api/v1/public/surveys/${token}/responses`, {
      method: "POST",
      body: { answers: { values: { overall: 5 } } },
      headers: { origin: "http://localhost" },
    })
    expect(again.status).toBe(409)
    expect(again.body.code).toBe("surveyLinkUsed")
    expect((await h.request(`/api/v1/public/surveys/${token}/page`)).status).toBe(410)
    await drain()
    // the same closed-loop event delivered twice: still one follow-up
    const ev = await sql<{
      id: string
      position: string
    }>`select id, position from core.outbox_event where type = 'feedback.response.negative'`.execute(
      h.db.kysely,
    )
    expect(ev.rows).toHaveLength(1)
    const event = (
      await sql<any>`select * from core.outbox_event where id = ${ev.rows[0]!.id}`.execute(h.db.kysely)
    ).rows[0]
    await closedLoopHandler.handle(
      {
        orgId,
        id: event.id,
        position: Number(event.position),
        type: event.type,
        aggregateType: event.aggregate_type,
        aggregateId: event.aggregate_id,
        payload: event.payload,
        occurredAt: event.occurred_at,
      },
      h.db,
    )
    const kase = await Cases.getCase(h.db, orgId, caseId)
    const followUps = kase.followUps.filter((f) => f.kind === "feedback")
    expect(followUps).toHaveLength(1)
    const entry = kase.events.find((e) => e.kind === "follow_up_opened")!
    expect(entry.content).toBe("CSAT 2 · 等了三天才有人回复")
    // linked both ways: the response names the follow-up, the timeline names the response
    const responses = await api(`/api/v1/feedback/responses?caseId=${caseId}`)
    expect(responses.body.items).toMatchObject([
      { score: 2, sentiment: "negative", followUpId: followUps[0]!.id },
    ])
    expect(entry.data).toMatchObject({ responseId: responses.body.items[0].id, followUpId: followUps[0]!.id })
  })

  it("results, metrics, export and a chat link", async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString()
    const to = new Date(Date.now() + 86_400_000).toISOString()
    const r = await api(`/api/v1/feedback/results?kind=csat&from=${from}&to=${to}`)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ n: 1, invited: 1, warning: "below_minimum_n", score: { value: 0, n: 1 } })
    const m = await registry
      .get("feedback.dsat")!
      .compute(
        { orgId, from: new Date(from), to: new Date(to), timeZone: "Asia/Shanghai", bucket: "none" },
        h.db,
      )
    expect(m).toMatchObject([{ value: 1, numerator: 1, n: 1 }])
    const csv = await api("/api/v1/feedback/responses/export")
    expect(csv.headers.get("content-type")).toContain("text/csv")
    expect(String(csv.body)).toContain("等了三天才有人回复")
    const link = await api("/api/v1/feedback/links", {
      method: "POST",
      body: { surveyId, locale: "en", caseId },
    })
    expect(link.status).toBe(201)
    expect(link.body.url).toMatch(/^http:\/\/localhost\/api\/v1\/public\/surveys\/[A-Za-z0-9_-]{43}\/page$/)
    const badQuery = await api(`/api/v1/feedback/results?kind=nope&from=${from}&to=${to}`)
    expect(badQuery.status).toBe(400)
  })

  it("records a complaint from any channel, steps it through its stages, and counts it per 1,000 cases", async () => {
    expect(
      (
        await api("/api/v1/feedback/causes", {
          method: "PUT",
          body: { code: "billing", name: { "zh-CN": "计费", en: "Billing" } },
        })
      ).status,
    ).toBe(204)
    const bad = await api("/api/v1/feedback/items", {
      method: "POST",
      body: { kind: "grumble", channel: "phone", summary: "x" },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].path).toBe("/kind")
    const made = await api("/api/v1/feedback/items", {
      method: "POST",
      body: {
        kind: "complaint",
        channel: "phone",
        summary: "扣费错误",
        remedySought: "退款",
        causeCode: "billing",
        caseId,
      },
    })
    expect(made.status).toBe(201)
    expect(made.body.clocks.map((k: { target: string }) => k.target)).toEqual(["acknowledge", "respond"])
    const id = made.body.id
    expect(
      (await api(`/api/v1/feedback/complaints/${id}/steps`, { method: "POST", body: { to: "acknowledged" } }))
        .status,
    ).toBe(200)
    const skip = await api(`/api/v1/feedback/complaints/${id}/steps`, {
      method: "POST",
      body: { to: "closed_accepted" },
    })
    expect(skip.status).toBe(409)
    expect(skip.body.code).toBe("complaintStage")
    const assess = await api(`/api/v1/feedback/complaints/${id}/steps`, {
      method: "POST",
      body: { to: "assessed", severity: "medium", urgency: "normal", complexity: "complex" },
    })
    expect(assess.body.clocks[1].basis).toContain("30 days")
    // the detail names the stages the admin may offer next
    const detail = await api(`/api/v1/feedback/items/${id}`)
    expect(detail.body.stage).toBe("assessed")
    expect(detail.body.next).toEqual(["investigating"])
    expect(detail.body.ledger.map((e: { to: string | null }) => e.to)).toEqual([
      "received",
      "acknowledged",
      "assessed",
    ])
    const inbox = await api("/api/v1/feedback/items?kind=complaint&status=open")
    expect(inbox.body.items.map((i: { id: string }) => i.id)).toEqual([id])
    const from = new Date(Date.now() - 86_400_000)
    const to = new Date(Date.now() + 86_400_000)
    const m = await registry
      .get("feedback.complaints_per_1000_cases")!
      .compute({ orgId, from, to, timeZone: "Asia/Shanghai", bucket: "none" }, h.db)
    expect(m).toMatchObject([{ value: 1000, numerator: 1, denominator: 1 }])
    const pareto = await api(`/api/v1/feedback/pareto?from=${from.toISOString()}&to=${to.toISOString()}`)
    expect(pareto.body.causes).toEqual([{ code: "billing", count: 1, share: 1, cumulative: 1 }])
  })
})
