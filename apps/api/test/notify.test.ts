/**
 * The notification centre end to end on the database: an SLA escalation reaches the people its
 * policy names, by e-mail through a real SMTP server (smtp-server on loopback), once — a repeated
 * outbox delivery sends nothing twice; preferences, the digest and the API (bell, list, mark read).
 */
import { Jobs, Organizations, Outbox, Tenancy } from "@tenet/core"
import { Cases, Config } from "@tenet/process"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Iam from "../src/iam/service"
import { notificationHandler, sendDigests } from "../src/notify/deliver"
import { type MailSettings, mailJobs } from "../src/notify/mail"
import { externalRecipientsHandler } from "../src/reports/external"
import { type Harness, makeHarness } from "./helpers"
import { type Mailbox, startSmtp } from "./servers"

let h: Harness
let smtp: Mailbox
let settings: MailSettings
beforeAll(async () => {
  h = await makeHarness()
  smtp = await startSmtp()
  settings = { smtpUrl: smtp.url, from: "Tenet <tenet@test.local>", publicUrl: "http://tenet.test" }
})
afterAll(async () => {
  await smtp.close()
  await h.db.close()
})

/** Dispatch the outbox to the centre until nothing is left, then run the e-mail jobs. */
const drain = async (handler = notificationHandler(settings)) => {
  for (let i = 0; i < 20; i++) if (!(await Outbox.dispatch(h.db, [handler], { workerId: "t" })).more) break
  for (let i = 0; i < 20; i++)
    if ((await Jobs.runDue(h.db, mailJobs(settings), { limit: 50 })).claimed === 0) break
}

const person = async (orgId: string, slug: string, role: Tenancy.Role, locale?: "en" | "zh-CN") => {
  const u = await Iam.createUser(h.db, {
    email: `${role}@${slug}.test`,
    name: `${role} ${slug}`,
    password: "password-1",
  })
  await Iam.addMember(h.db, Tenancy.system(orgId), { userId: u.id, role })
  if (locale) await Iam.updateUser(h.db, u.id, { locale })
  return u
}

describe("an SLA escalation", () => {
  it("e-mails the people its step names, in their language, once — a repeated outbox delivery sends nothing", async () => {
    const org = await Organizations.create(
      h.db,
      { type: "system", id: "test" },
      { name: "Notify", slug: "notify" },
    )
    const ctx = Tenancy.system(org.id)
    const owner = await person(org.id, "notify", "owner")
    const admin = await person(org.id, "notify", "admin", "en")
    const supervisor = await person(org.id, "notify", "supervisor", "en")
    const agent = await person(org.id, "notify", "agent", "zh-CN")
    const qa = await person(org.id, "notify", "qa_analyst")
    await Config.ensureDefaults(h.db, ctx)
    // categories are the organisation's vocabulary (#18)
    await Config.saveVocabularyEntry(h.db, ctx, {
      kind: "category",
      code: "vip",
      labelZh: "贵宾",
      labelEn: "VIP",
    })
    const calendarId = (await Config.listPolicies(h.db, org.id))[0]!.definition.calendarId
    await Config.createPolicy(h.db, ctx, {
      name: "VIP",
      position: -1,
      definition: {
        conditions: { category: ["vip"] },
        calendarId,
        targets: { first_response: 60 },
        pauseStatuses: [],
        warnAt: 0.5,
        escalations: [{ afterSeconds: 0, action: "notify", notify: ["owner", "admin"] }],
      },
    })
    const c = await Cases.createCase(h.db, ctx, {
      type: "inquiry",
      channel: "email",
      subject: "VIP waiting",
      category: "vip",
      ownerId: agent.id,
      receivedAt: new Date(Date.now() - 10 * 86_400_000),
    })
    const swept = await Cases.sweepSla(h.db)
    expect(swept.failed).toEqual([])
    await drain()

    const about = (m: (typeof smtp.messages)[number]) => m.mail.text ?? ""
    const escalations = smtp.messages.filter((m) => /escalat|升级/.test(m.mail.subject ?? ""))
    // the step names the owner (the agent who owns the case) and the admins — no one else
    expect(escalations.flatMap((m) => m.to).sort()).toEqual([admin.email, agent.email].sort())
    const toAgent = escalations.find((m) => m.to.includes(agent.email))!
    expect(toAgent.mail.subject).toBe(`工单 #${c.number} 已升级（第 1 级）`)
    expect(about(toAgent)).toContain(`http://tenet.test/cases/${c.id}`)
    const toAdmin = escalations.find((m) => m.to.includes(admin.email))!
    expect(toAdmin.mail.subject).toBe(`Case #${c.number} escalated (level 1)`)
    // the breach reaches the owner and the team leader (the supervisors); the warning is in the app only
    const breaches = smtp.messages.filter((m) => /breached|违反/.test(m.mail.subject ?? ""))
    expect(breaches.flatMap((m) => m.to).sort()).toEqual([agent.email, supervisor.email].sort())
    expect(smtp.messages.some((m) => m.to.includes(qa.email) || m.to.includes(owner.email))).toBe(false)
    const sent = smtp.messages.length
    const rows = Number(
      (
        await sql<{
          n: string
        }>`select count(*) as n from notify.notification where org_id = ${org.id}`.execute(h.db.kysely)
      ).rows[0]!.n,
    )
    expect(rows).toBe(5) // warning (agent), breach (agent, supervisor), escalation (agent, admin)

    // the outbox delivers the same events again (at least once): nothing is written or sent twice
    const events =
      await sql<any>`select * from core.outbox_event where org_id = ${org.id} order by position`.execute(
        h.db.kysely,
      )
    const handler = notificationHandler(settings)
    for (const e of events.rows)
      await handler.handle(
        {
          orgId: e.org_id,
          id: e.id,
          position: Number(e.position),
          type: e.type,
          aggregateType: e.aggregate_type,
          aggregateId: e.aggregate_id,
          payload: e.payload,
          occurredAt: e.occurred_at,
        },
        h.db,
      )
    await drain()
    expect(smtp.messages.length).toBe(sent)
    expect(
      Number(
        (
          await sql<{
            n: string
          }>`select count(*) as n from notify.notification where org_id = ${org.id}`.execute(h.db.kysely)
        ).rows[0]!.n,
      ),
    ).toBe(rows)

    // the bell: the agent's list, unread count, mark read
    const cookie = await h.signIn(agent.email, "password-1")
    const list = await h.request("/api/v1/notifications?locale=en", { cookie, org: org.id })
    expect(list.status).toBe(200)
    expect(list.body.unread).toBe(3)
    expect(list.body.items.map((n: any) => n.kind).sort()).toEqual([
      "sla.breached",
      "sla.escalated",
      "sla.warning",
    ])
    expect(list.body.items[0].link).toBe(`/cases/${c.id}`)
    const one = list.body.items[0].id
    expect(
      (await h.request(`/api/v1/notifications/${one}/read`, { method: "POST", cookie, org: org.id })).status,
    ).toBe(204)
    expect((await h.request("/api/v1/notifications/unread-count", { cookie, org: org.id })).body).toEqual({
      unread: 2,
    })
    // someone else's notification is not found, not marked
    const adminCookie = await h.signIn(admin.email, "password-1")
    expect(
      (
        await h.request(`/api/v1/notifications/${one}/read`, {
          method: "POST",
          cookie: adminCookie,
          org: org.id,
        })
      ).status,
    ).toBe(404)
    expect(
      (await h.request("/api/v1/notifications/read-all", { method: "POST", cookie, org: org.id })).body,
    ).toEqual({ marked: 2 })
    expect((await h.request("/api/v1/notifications/unread-count", { cookie, org: org.id })).body).toEqual({
      unread: 0,
    })
  })
})

describe("the team leader", () => {
  it("is the leader of the case's team; a case in a team without one reaches every supervisor", async () => {
    const { Teams } = await import("@tenet/core")
    const org = await Organizations.create(
      h.db,
      { type: "system", id: "test" },
      { name: "Lead", slug: "lead-n" },
    )
    const ctx = Tenancy.system(org.id)
    const agent = await person(org.id, "lead-n", "agent", "en")
    const lead = await Iam.createUser(h.db, {
      email: "lead@lead-n.test",
      name: "Lead",
      password: "password-1",
    })
    await Iam.addMember(h.db, ctx, { userId: lead.id, role: "supervisor" })
    await Iam.updateUser(h.db, lead.id, { locale: "en" })
    const other = await person(org.id, "lead-n", "supervisor", "en")
    await Teams.save(h.db, ctx, {
      id: "vip-desk",
      name: { "zh-CN": "贵宾组", en: "VIP desk" },
      leaderId: lead.id,
    })
    await Teams.save(h.db, ctx, { id: "general", name: { "zh-CN": "综合组", en: "General" } })
    await Config.ensureDefaults(h.db, ctx)
    const made = []
    for (const team of ["vip-desk", "general"])
      made.push(
        await Cases.createCase(h.db, ctx, {
          type: "inquiry",
          channel: "email",
          subject: `waiting in ${team}`,
          team,
          ownerId: agent.id,
          receivedAt: new Date(Date.now() - 10 * 86_400_000),
        }),
      )
    await Cases.sweepSla(h.db)
    await drain()
    const breachedTo = async (caseId: string) =>
      // (each breached target tells them: one person once each, whoever is told)
      (
        await sql<{
          user_id: string
        }>`select distinct user_id from notify.notification where org_id = ${org.id}
          and kind = 'sla.breached' and subject_id = ${caseId} order by user_id`.execute(h.db.kysely)
      ).rows.map((r) => r.user_id)
    expect(await breachedTo(made[0]!.id)).toEqual([agent.id, lead.id].sort())
    expect(await breachedTo(made[1]!.id)).toEqual([agent.id, lead.id, other.id].sort())
  })
})

describe("escalation targets", () => {
  it("a policy step that names an unknown target is refused, naming the field", async () => {
    const org = await Organizations.create(
      h.db,
      { type: "system", id: "test" },
      { name: "Pol", slug: "pol-n" },
    )
    const { secret } = await Iam.createApiKey(h.db, Tenancy.system(org.id), { name: "k", role: "admin" })
    const calendars = await h.request("/api/v1/process/calendars", { key: secret })
    const r = await h.request("/api/v1/process/sla-policies", {
      method: "POST",
      key: secret,
      body: {
        name: "bad",
        definition: {
          conditions: {},
          calendarId: calendars.body.items?.[0]?.id ?? "cal_x",
          targets: { first_response: 60 },
          pauseStatuses: [],
          warnAt: 0.5,
          escalations: [{ afterSeconds: 0, action: "notify", notify: ["owner", "the_boss"] }],
        },
      },
    })
    expect(r.status).toBe(400)
    expect(r.body.errors.map((e: any) => e.path)).toContain("/definition/escalations/0/notify/1")
  })
})

describe("preferences", () => {
  it("off sends nothing, digest collects into one e-mail; bad input names the field", async () => {
    const org = await Organizations.create(
      h.db,
      { type: "system", id: "test" },
      { name: "Prefs", slug: "prefs" },
    )
    const ctx = Tenancy.system(org.id)
    const owner = await person(org.id, "prefs", "owner", "en")
    const cookie = await h.signIn(owner.email, "password-1")
    const bad = await h.request("/api/v1/notifications/preferences", {
      method: "PUT",
      cookie,
      org: org.id,
      body: { items: [{ kind: "sla.breached", channel: "pigeon" }] },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0].path).toBe("/items/0/channel")
    const put = await h.request("/api/v1/notifications/preferences", {
      method: "PUT",
      cookie,
      org: org.id,
      body: {
        items: [
          { kind: "standard.review_due", channel: "off" },
          { kind: "cycle.stage_due", channel: "email" },
          { kind: "cycle.stage_due", channel: "digest" },
        ],
      },
    })
    expect(put.status).toBe(200)
    expect(put.body.items.find((i: any) => i.kind === "cycle.stage_due").channel).toBe("digest")
    const before = smtp.messages.length
    await Outbox.publishMany(h.db.kysely, ctx, [
      {
        type: "standards.review.due",
        aggregateType: "standard",
        aggregateId: "std_1",
        payload: { key: "S1", label: "1.0", version: 1, nextReviewAt: new Date().toISOString() },
      },
      ...[1, 2].map((n) => ({
        type: "process.cycle.stage_due",
        aggregateType: "cycle",
        aggregateId: `cyc_${n}`,
        payload: {
          number: n,
          title: `Cycle ${n}`,
          stage: "plan",
          ownerId: owner.id,
          dueAt: new Date().toISOString(),
        },
      })),
    ])
    await drain()
    expect(smtp.messages.length).toBe(before) // off: nothing; digest: waits
    expect((await h.request("/api/v1/notifications/unread-count", { cookie, org: org.id })).body).toEqual({
      unread: 2,
    })
    expect(await sendDigests(h.db, settings)).toBe(1)
    await drain()
    const digest = smtp.messages.slice(before)
    expect(digest).toHaveLength(1)
    expect(digest[0]!.mail.subject).toBe("Your Tenet digest: 2 notifications")
    expect(digest[0]!.mail.text).toContain("Improvement #1: stage plan is overdue")
    expect(digest[0]!.mail.text).toContain("Improvement #2: stage plan is overdue")
    expect(await sendDigests(h.db, settings)).toBe(0)
  })

  it("an API key has no notifications of its own (an empty bell; preferences refused)", async () => {
    const org = await Organizations.create(
      h.db,
      { type: "system", id: "test" },
      { name: "Keys", slug: "keys-n" },
    )
    const { secret } = await Iam.createApiKey(h.db, Tenancy.system(org.id), { name: "k", role: "admin" })
    const r = await h.request("/api/v1/notifications", { key: secret })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ items: [], unread: 0 })
    const put = await h.request("/api/v1/notifications/preferences", {
      method: "PUT",
      key: secret,
      body: { items: [{ kind: "sla.breached", channel: "off" }] },
    })
    expect(put.status).toBe(409)
  })
})

describe("reminders", () => {
  it("a standard due for review and an overdue improvement stage are raised once and reach the right people", async () => {
    const { Baseline, Reminders: StdReminders, Standards } = await import("@tenet/standards")
    const { Reminders: CycleReminders } = await import("@tenet/process")
    const { registry } = await import("../src/registry")
    const org = await Organizations.create(
      h.db,
      { type: "system", id: "test" },
      { name: "Rem", slug: "rem-n" },
    )
    const ctx = Tenancy.system(org.id)
    const owner = await person(org.id, "rem-n", "owner", "en")
    const admin = await person(org.id, "rem-n", "admin", "en")
    const agent = await person(org.id, "rem-n", "agent", "en")
    const std = await Standards.importLibrary(h.db, ctx, registry, Baseline.copcBaseline())
    for (const to of ["in_review", "approved", "published"] as const)
      await Standards.step(h.db, ctx, std.standardId, std.version, to)
    // published with a 180-day cadence: not due yet; due in 3 days: raised, once
    const now = new Date()
    expect(await StdReminders.remindReviews(h.db, now)).toBe(0)
    const later = new Date(now.getTime() + 177 * 86_400_000)
    expect(await StdReminders.remindReviews(h.db, later)).toBe(1)
    expect(await StdReminders.remindReviews(h.db, later)).toBe(0)
    await sql`insert into process.cycle (org_id, id, number, workflow_id, workflow, title, stage, status, trigger, owner_id, stage_due_at)
      values (${org.id}, 'cyc_rem1', 1, 'pdca', '{}'::json, 'Shorter waits', 'plan', 'active', '{"kind":"manual"}'::jsonb,
        ${agent.id}, ${new Date(now.getTime() - 3600_000)})`.execute(h.db.kysely)
    expect(await CycleReminders.remindStages(h.db, now)).toBe(1)
    expect(await CycleReminders.remindStages(h.db, now)).toBe(0)
    await drain()
    const told = await sql<{ user_id: string; kind: string }>`select user_id, kind from notify.notification
      where org_id = ${org.id} order by kind, user_id`.execute(h.db.kysely)
    expect(told.rows).toEqual([
      { user_id: agent.id, kind: "cycle.stage_due" },
      ...[owner.id, admin.id].sort().map((id) => ({ user_id: id, kind: "standard.review_due" })),
    ])
    // the stage reminder is an e-mail by default, in the owner's language
    expect(
      smtp.messages.some(
        (m) => m.to.includes(agent.email) && m.mail.subject === "Improvement #1: stage plan is overdue",
      ),
    ).toBe(true)
  })
})

describe("a scheduled report's recipients", () => {
  it("the members among them are told once, by e-mail with the link, in their language; others are not told", async () => {
    const org = await Organizations.create(
      h.db,
      { type: "system", id: "test" },
      { name: "Rep", slug: "rep-n" },
    )
    const boss = await person(org.id, "rep-n", "supervisor", "zh-CN")
    const outsider = await person(org.id, "rep-x", "agent") // a member of this org too, but not a recipient
    // twice (a producer that retried): one file tells each person once
    for (let i = 0; i < 2; i++)
      await Outbox.publish(h.db.kysely, Tenancy.system(org.id), {
        type: "report.ready",
        aggregateType: "report_file",
        aggregateId: "rpf_1",
        payload: {
          orgId: org.id,
          fileId: "rpf_1",
          name: "每日服务绩效 2026-12-01.pdf",
          format: "pdf",
          // addresses are matched without regard to case; a stranger's address reaches no one here
          recipients: [boss.email.toUpperCase(), "someone@elsewhere.test"],
        },
      })
    await drain()
    const told = await sql<{ user_id: string; kind: string }>`select user_id, kind from notify.notification
      where org_id = ${org.id}`.execute(h.db.kysely)
    expect(told.rows).toEqual([{ user_id: boss.id, kind: "report.ready" }])
    expect(told.rows.some((r) => r.user_id === outsider.id)).toBe(false)
    const mails = smtp.messages.filter((m) => m.mail.subject === "报表已生成：每日服务绩效 2026-12-01.pdf")
    expect(mails).toHaveLength(1)
    expect(mails[0]!.to).toContain(boss.email)
    expect(mails[0]!.mail.text).toContain("http://tenet.test/reports/files")
  })

  it("a recipient who is not a member gets the file attached, once, in the schedule's language; a file over the limit is named, not attached", async () => {
    const org = await Organizations.create(
      h.db,
      { type: "system", id: "test" },
      { name: "外部报表", slug: "rep-ext" },
    )
    const content = Buffer.from("\uFEFF工单号,状态\n1001,已解决\n")
    const file = async (id: string, size = content.byteLength) =>
      sql`insert into reports.file (org_id, id, schedule_id, run_key, name, format, content_type, size, content, created_by)
        values (${org.id}, ${id}, null, null, ${`每日工单 ${id}.csv`}, 'csv', 'text/csv; charset=utf-8', ${size}, ${content}, 'test')`.execute(
        h.db.kysely,
      )
    await file("rpf_ext1")
    await file("rpf_ext2", 50 * 1024 * 1024)
    const both = [notificationHandler(settings), externalRecipientsHandler(settings)]
    for (const fileId of ["rpf_ext1", "rpf_ext1", "rpf_ext2"])
      await Outbox.publish(h.db.kysely, Tenancy.system(org.id), {
        type: "report.ready",
        aggregateType: "report_file",
        aggregateId: fileId,
        payload: {
          orgId: org.id,
          fileId,
          name: "每日工单",
          format: "csv",
          locale: "zh-CN",
          recipients: ["Director@Client.test"],
        },
      })
    for (let i = 0; i < 20; i++) if (!(await Outbox.dispatch(h.db, both, { workerId: "t" })).more) break
    for (let i = 0; i < 20; i++)
      if ((await Jobs.runDue(h.db, mailJobs(settings), { limit: 50 })).claimed === 0) break
    const got = smtp.messages.filter((m) => m.to.includes("director@client.test"))
    expect(got.map((m) => m.mail.subject).sort()).toEqual([
      "定期报表：每日工单 rpf_ext1.csv",
      "定期报表：每日工单 rpf_ext2.csv",
    ])
    const small = got.find((m) => m.mail.subject!.includes("rpf_ext1"))!
    expect(small.mail.attachments).toHaveLength(1)
    expect(small.mail.attachments[0]!.filename).toBe("每日工单 rpf_ext1.csv")
    expect(small.mail.attachments[0]!.content.toString("utf8")).toContain("1001,已解决")
    expect(small.mail.text).toContain("外部报表 的定期报表")
    const large = got.find((m) => m.mail.subject!.includes("rpf_ext2"))!
    expect(large.mail.attachments).toHaveLength(0)
    expect(large.mail.text).toContain("超过邮件附件上限")
    // no one in the app is told about an address that is not a member
    const told = await sql`select 1 from notify.notification where org_id = ${org.id}`.execute(h.db.kysely)
    expect(told.rows).toHaveLength(0)
  })
})
