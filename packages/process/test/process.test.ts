import { Readable } from "node:stream"
import { type Db, Encryption, Jobs, Organizations, Outbox } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Case, Cases, Config, Import, Metrics, processMigrations, Rollups } from "../src/index"

let db: Db.Database
let ctx: { orgId: string; actor: { type: "user"; id: string } }
const H = 3600
const iso = (d: Date | null | undefined) => d?.toISOString()
const clock = (detail: Awaited<ReturnType<typeof Cases.getCase>>, target: string) =>
  detail.ledger.find((l: any) => l.target === target) as any

beforeAll(async () => {
  db = await makeTestDatabase([processMigrations])
  const org = await Organizations.create(
    db,
    { type: "system", id: "t" },
    { name: "Process Co", slug: "process-co" },
  )
  ctx = { orgId: org.id, actor: { type: "user", id: "usr_agent" } }
  await Config.ensureDefaults(db, ctx)
})
afterAll(async () => {
  await db.close()
})

describe("defaults", () => {
  it("seeds the office calendar and the seed policies once", async () => {
    await Config.ensureDefaults(db, ctx)
    const policies = await Config.listPolicies(db, ctx.orgId)
    expect(policies.map((p) => p.definition.targets.first_response)).toEqual([
      15 * 60,
      48 * H,
      24 * H,
      24 * H,
    ])
    expect(policies[0]!.definition.targets.initial_record).toBe(30 * 60)
    expect((await Config.listCalendars(db, ctx.orgId)).length).toBe(2)
  })
})

describe("policy matching (pure)", () => {
  const p = (id: string, position: number, conditions: Case.PolicyConditions, active = true) =>
    ({
      id,
      name: id,
      position,
      active,
      version: 1,
      definition: {
        conditions,
        calendarId: "c",
        targets: { resolution: 60 },
        pauseStatuses: [],
        warnAt: 0.8,
        escalations: [],
      },
    }) as Case.Policy
  const facts = {
    type: "problem",
    channel: "chat",
    segment: "vip",
    priority: "p1",
    category: "billing",
    team: "general",
    tier: "L1",
  }
  it("takes the first active policy in order whose conditions all match", () => {
    const policies = [
      p("vip-chat", 2, { segment: ["vip"], channel: ["chat"] }),
      p("problems", 3, { type: ["problem"] }),
      p("off", 1, { type: ["problem"] }, false),
    ]
    expect(Case.matchPolicy(policies, facts)?.id).toBe("vip-chat")
    expect(Case.matchPolicy(policies, { ...facts, channel: "email" })?.id).toBe("problems")
    expect(Case.matchPolicy(policies, { ...facts, type: "inquiry", channel: "email" })).toBeUndefined()
  })
  it("urgency × impact gives the priority", () => {
    expect(Case.priorityOf(Case.DEFAULT_PRIORITY_MATRIX, "high", "high")).toBe("p1")
    expect(Case.priorityOf(Case.DEFAULT_PRIORITY_MATRIX, "low", "low")).toBe("p4")
  })
})

describe("SLA due times on the China office calendar (09–12, 13–18, holidays and 调休)", () => {
  it("an inquiry on Friday 17:00 before Spring Festival: response by 17:15, resolution on the make-up Sunday", async () => {
    const c = await Cases.createCase(db, ctx, {
      type: "inquiry",
      channel: "chat",
      subject: "发票抬头怎么改",
      receivedAt: new Date("2025-01-24T17:00:00+08:00"),
    })
    const d = await Cases.getCase(db, ctx.orgId, c.id, new Date("2025-01-24T17:01:00+08:00"))
    expect(d.policy?.name).toContain("Inquiry")
    expect(iso(clock(d, "first_response").dueAt)).toBe("2025-01-24T09:15:00.000Z")
    // resolution 8 h: 1 h on Friday, then Sunday 01-26 (make-up day) 09–12, 13–17 → 17:00
    expect(iso(clock(d, "resolution").dueAt)).toBe("2025-01-26T09:00:00.000Z")
    expect(clock(d, "resolution").explanation.days).toContainEqual({
      date: "2025-01-26",
      kind: "makeup_workday",
    })
    // no customer, description or category yet: the intake record is incomplete and its clock runs (#18)
    expect(clock(d, "initial_record").status).toBe("running")
    expect(c.recordedAt).toBeNull()
  })
  it("skips the lunch break", async () => {
    const c = await Cases.createCase(db, ctx, {
      type: "inquiry",
      channel: "phone",
      subject: "lunch",
      receivedAt: new Date("2025-03-03T11:50:00+08:00"),
    })
    const d = await Cases.getCase(db, ctx.orgId, c.id)
    expect(iso(clock(d, "first_response").dueAt)).toBe("2025-03-03T05:05:00.000Z") // 13:05
  })
  it("a problem before the holiday run is answered after it (24 business hours)", async () => {
    const c = await Cases.createCase(db, ctx, {
      type: "problem",
      channel: "email",
      subject: "无法登录",
      receivedAt: new Date("2025-01-27T10:00:00+08:00"),
    })
    const d = await Cases.getCase(db, ctx.orgId, c.id)
    // Mon 01-27 7 h, closed 01-28…02-04, Wed 02-05 8 h, Thu 8 h, Fri 02-07 1 h → 10:00
    expect(iso(clock(d, "first_response").dueAt)).toBe("2025-02-07T02:00:00.000Z")
    const holidays = clock(d, "first_response").explanation.days.filter((x: any) => x.kind === "holiday")
    expect(holidays).toHaveLength(8)
  })
})

describe("lifecycle", () => {
  it("refuses transitions that are not allowed, with the reason", async () => {
    const c = await Cases.createCase(db, ctx, { type: "problem", channel: "email", subject: "x" })
    await expect(Cases.transition(db, ctx, c.id, { to: "closed" })).rejects.toMatchObject({
      _tag: "ConflictError",
      message: "a case cannot go from new to closed; a case is resolved before it is closed",
      code: "closeBeforeResolve",
      params: { from: "new", to: "closed" },
    })
    await expect(Cases.transition(db, ctx, c.id, { to: "flying" })).rejects.toMatchObject({
      message: 'unknown status "flying"',
    })
    await Cases.transition(db, ctx, c.id, { to: "escalated" })
    await Cases.transition(db, ctx, c.id, { to: "in_progress" })
    await Cases.transition(db, ctx, c.id, { to: "escalated" })
    await Cases.transition(db, ctx, c.id, { to: "in_progress" })
    await expect(Cases.transition(db, ctx, c.id, { to: "escalated" })).rejects.toMatchObject({
      message: "the case is already at the highest tier (L3)",
      code: "highestTier",
    })
  })

  it("a reply stops the first-response clock; resolve creates follow-ups; reopen within the window", async () => {
    const c = await Cases.createCase(db, ctx, { type: "inquiry", channel: "email", subject: "y" })
    await Cases.reply(db, ctx, c.id, { content: "您好，我们正在处理。" })
    let d = await Cases.getCase(db, ctx.orgId, c.id)
    expect(clock(d, "first_response").status).toBe("met")
    expect(d.case.firstResponseAt).not.toBeNull()
    await Cases.transition(db, ctx, c.id, { to: "resolved", resolutionCode: "answered" })
    d = await Cases.getCase(db, ctx.orgId, c.id)
    expect(d.followUps.map((f) => f.kind)).toEqual(["confirmation", "return_visit"])
    expect(d.ledger.some((l: any) => l.target === "follow_up" && l.status === "running")).toBe(true)
    await Cases.completeFollowUp(db, ctx, d.followUps[0]!.id, { outcome: "customer confirmed" })
    d = await Cases.getCase(db, ctx.orgId, c.id)
    expect(d.ledger.find((l: any) => l.target === "follow_up")!.status).toBe("met")
    const reopened = await Cases.transition(db, ctx, c.id, { to: "in_progress", reason: "still broken" })
    expect(reopened.reopenCount).toBe(1)
    expect(d.events.map((e) => e.kind)).toContain("reply")
    await expect(
      Cases.transition(db, ctx, c.id, { to: "resolved" }).then(() =>
        Cases.transition(
          db,
          ctx,
          c.id,
          { to: "in_progress" },
          { now: new Date(Date.now() + 30 * 86_400_000) },
        ),
      ),
    ).rejects.toMatchObject({ message: "the reopen window of 7 days has passed; open a new case" })
  })

  it("pausing while waiting for the customer moves the due time by the business time paused", async () => {
    const received = new Date("2025-03-03T09:00:00+08:00") // Monday
    const c = await Cases.createCase(
      db,
      ctx,
      // a complete intake record (customer, description, category): only the response and resolution clocks run
      {
        type: "problem",
        channel: "email",
        subject: "pause me",
        content: "截图看不清",
        category: "technical",
        customer: { name: "暂停客户" },
        receivedAt: received,
      },
      { now: received },
    )
    const due0 = clock(await Cases.getCase(db, ctx.orgId, c.id, received), "resolution").dueAt
    // 40 h of business time from Monday 09:00 → Friday 18:00 (8 h × 5)
    expect(iso(due0)).toBe("2025-03-07T10:00:00.000Z")
    await Cases.reply(
      db,
      ctx,
      c.id,
      { content: "请提供截图" },
      { now: new Date("2025-03-03T11:00:00+08:00") },
    )
    await Cases.transition(
      db,
      ctx,
      c.id,
      { to: "pending_customer" },
      { now: new Date("2025-03-03T11:00:00+08:00") },
    )
    let d = await Cases.getCase(db, ctx.orgId, c.id, new Date("2025-03-04T09:00:00+08:00"))
    expect(clock(d, "resolution").status).toBe("paused")
    expect(clock(d, "resolution").pauses[0].reason).toBe("pending_customer")
    expect(d.case.slaState).toBe("paused")
    // the customer answers on Wednesday 09:00: 2 h consumed, 38 h remain:
    // Wed 8, Thu 8, Fri 8, Mon 8 (6 left), Tue 03-11 09–12 and 13–16 → 16:00
    await Cases.reply(
      db,
      ctx,
      c.id,
      { content: "截图已发", direction: "inbound" },
      { now: new Date("2025-03-05T09:00:00+08:00") },
    )
    d = await Cases.getCase(db, ctx.orgId, c.id, new Date("2025-03-05T09:00:00+08:00"))
    expect(d.case.status).toBe("in_progress")
    expect(clock(d, "resolution").status).toBe("running")
    expect(iso(clock(d, "resolution").dueAt)).toBe("2025-03-11T08:00:00.000Z")
    expect(clock(d, "resolution").explanation.consumedSeconds).toBe(2 * H)
  })

  it("pins the policy version in force when the case was received", async () => {
    const policies = await Config.listPolicies(db, ctx.orgId)
    const complaint = policies.find((p) => p.name.includes("Complaint"))!
    const c1 = await Cases.createCase(db, ctx, { type: "complaint", channel: "phone", subject: "v1" })
    await Config.updatePolicy(db, ctx, complaint.id, {
      definition: {
        ...complaint.definition,
        targets: { ...complaint.definition.targets, first_response: 2 * H },
      },
    })
    const c2 = await Cases.createCase(db, ctx, { type: "complaint", channel: "phone", subject: "v2" })
    const d1 = await Cases.getCase(db, ctx.orgId, c1.id)
    const d2 = await Cases.getCase(db, ctx.orgId, c2.id)
    expect([d1.case.policyVersion, d2.case.policyVersion]).toEqual([1, 2])
    expect(clock(d1, "first_response").targetSeconds).toBe(24 * H)
    expect(clock(d2, "first_response").targetSeconds).toBe(2 * H)
  })
})

describe("escalation from the durable scheduler", () => {
  it("warnings, breaches and escalations fire exactly once, even with two workers", async () => {
    const received = new Date("2025-03-03T09:00:00+08:00")
    const c = await Cases.createCase(
      db,
      ctx,
      { type: "inquiry", channel: "chat", subject: "late", receivedAt: received },
      { now: received },
    )
    // two sweeps at once (as from two API processes), twice: each event fires once
    const run = () => Promise.all([Cases.sweepSla(db), Cases.sweepSla(db)])
    await run()
    await run()
    const d = await Cases.getCase(db, ctx.orgId, c.id)
    const kinds = d.events.map(
      (e) => `${e.kind}:${(e.data as any).target ?? ""}:${(e.data as any).level ?? ""}`,
    )
    expect(kinds.filter((k) => k === "sla_breach:first_response:")).toHaveLength(1)
    expect(kinds.filter((k) => k === "sla_warning:first_response:")).toHaveLength(1)
    expect(kinds.filter((k) => k === "escalation:first_response:1")).toHaveLength(1)
    expect(kinds.filter((k) => k === "escalation:first_response:2")).toHaveLength(1)
    expect(d.case.tier).toBe("L3") // level 2 raised the tier on each of first response and resolution
    expect(d.case.slaState).toBe("breached")
    expect(clock(d, "first_response").status).toBe("breached")
  })

  it("a job for a clock that was stopped meanwhile does nothing", async () => {
    const received = new Date("2025-03-03T09:00:00+08:00")
    const c = await Cases.createCase(
      db,
      ctx,
      { type: "inquiry", channel: "chat", subject: "answered in time", receivedAt: received },
      { now: received },
    )
    await Cases.reply(db, ctx, c.id, { content: "ok" }, { now: new Date("2025-03-03T09:05:00+08:00") })
    await Cases.sweepSla(db)
    const d = await Cases.getCase(db, ctx.orgId, c.id)
    expect(clock(d, "first_response").status).toBe("met")
    expect(
      d.events.filter((e) => e.kind === "sla_breach" && (e.data as any).target === "first_response"),
    ).toHaveLength(0)
  })
})

describe("repeat contacts and metrics", () => {
  it("reminds of recurring issues a batch at a time: each case's chain of contacts counted", async () => {
    const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "Again", slug: "again" })
    const actx = { orgId: org.id, actor: { type: "user" as const, id: "usr_again" } }
    const row = (customer: string, day: number) => ({
      type: "problem" as const,
      channel: "phone" as const,
      subject: `again ${customer} ${day}`,
      category: "billing",
      customer: { externalId: customer, name: customer },
      receivedAt: new Date(`2025-04-0${day}T10:00:00+08:00`),
    })
    // one batch (as an import writes it): A three times, B twice, C once
    const made = await Cases.createCases(
      db,
      actx,
      [row("A", 1), row("A", 2), row("B", 2), row("A", 3), row("B", 4), row("C", 4)].map((input) => ({
        input,
      })),
    )
    expect(made.map((c) => c.repeatOf)).toEqual([null, made[0]!.id, null, made[1]!.id, made[2]!.id, null])
    await Jobs.runDue(db, Cases.jobHandlers, { limit: 100 })
    const reminders = async (id: string) =>
      (await Cases.getCase(db, org.id, id)).events.filter((e) => e.kind === "reminder")
    const [a2, a3, b2] = await Promise.all([
      reminders(made[1]!.id),
      reminders(made[3]!.id),
      reminders(made[4]!.id),
    ])
    expect(a2.map((e) => e.data)).toEqual([{ contacts: 2, repeatOf: made[0]!.id }])
    expect(a3.map((e) => e.data)).toEqual([{ contacts: 3, repeatOf: made[1]!.id }])
    expect(a3[0]!.content).toBe("recurring issue: 3 contacts on the same category")
    expect(b2.map((e) => e.data)).toEqual([{ contacts: 2, repeatOf: made[2]!.id }])
    // after the intake's own events (created, repeat_detected)
    expect((await Cases.getCase(db, org.id, made[3]!.id)).events.map((e) => [e.seq, e.kind])).toEqual([
      [1, "created"],
      [2, "repeat_detected"],
      [3, "reminder"],
    ])
    expect(await reminders(made[0]!.id)).toEqual([])
    // once: the job is done
    await Jobs.runDue(db, Cases.jobHandlers, { limit: 100 })
    expect(await reminders(made[3]!.id)).toHaveLength(1)
  })

  it("flags a repeat on the same category within the window; FCR counts it", async () => {
    const customer = { externalId: "crm-42", name: "张伟", segment: "vip" }
    const a = await Cases.createCase(db, ctx, {
      type: "problem",
      channel: "phone",
      subject: "退款未到账",
      category: "billing",
      customer,
      receivedAt: new Date("2025-04-01T10:00:00+08:00"),
    })
    await Cases.transition(db, ctx, a.id, { to: "resolved" })
    const b = await Cases.createCase(db, ctx, {
      type: "problem",
      channel: "chat",
      subject: "退款还是没到",
      category: "billing",
      customer,
      receivedAt: new Date("2025-04-03T10:00:00+08:00"),
    })
    expect(b.repeatOf).toBe(a.id)
    expect(b.segment).toBe("vip")
    expect(b.impact).toBe("high")
    await Jobs.runDue(db, Cases.jobHandlers, { limit: 100 })
    const d = await Cases.getCase(db, ctx.orgId, b.id)
    expect(d.events.map((e) => e.kind)).toEqual(expect.arrayContaining(["repeat_detected", "reminder"]))
    const fcr = Metrics.metrics.find((m) => m.id === "process.fcr")!
    const [v] = await fcr.compute(
      {
        orgId: ctx.orgId,
        from: new Date("2025-04-01T00:00:00+08:00"),
        to: new Date("2025-04-05T00:00:00+08:00"),
        timeZone: "Asia/Shanghai",
        bucket: "none",
      },
      db,
    )
    expect(v).toMatchObject({ numerator: 0, denominator: 1, value: 0, n: 1 })
  })

  it("first-response SLA attainment by channel with numerator, denominator and interval", async () => {
    const m = Metrics.metrics.find((x) => x.id === "process.first_response_sla")!
    const values = await m.compute(
      {
        orgId: ctx.orgId,
        from: new Date("2025-03-03T00:00:00+08:00"),
        to: new Date("2025-03-04T00:00:00+08:00"),
        timeZone: "Asia/Shanghai",
        bucket: "day",
        groupBy: ["channel"],
      },
      db,
    )
    const chat = values.find((v) => v.dimensions?.channel === "chat")!
    expect(chat.bucket).toBe("2025-03-03")
    expect(chat).toMatchObject({ numerator: 1, denominator: 2, n: 2, value: 0.5 })
    expect(chat.interval!.lower).toBeGreaterThan(0)
    expect(chat.interval!.upper).toBeLessThan(1)
  })
})

describe("queue", () => {
  it("filters, sorts and pages with a keyset cursor", async () => {
    const all = await Cases.listCases(db, ctx.orgId, { limit: 500 })
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await Cases.listCases(db, ctx.orgId, { limit: 3, sort: "-receivedAt", cursor })
      seen.push(...page.items.map((c) => c.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(seen).toEqual(all.items.map((c) => c.id))
    const chats = await Cases.listCases(db, ctx.orgId, { channel: ["chat"], sort: "number" })
    expect(chats.items.every((c) => c.channel === "chat")).toBe(true)
    expect(chats.items.map((c) => c.number)).toEqual(
      [...chats.items.map((c) => c.number)].sort((a, b) => a - b),
    )
    const byDue: string[] = []
    cursor = undefined
    do {
      const page = await Cases.listCases(db, ctx.orgId, { limit: 4, sort: "dueAt", cursor })
      byDue.push(...page.items.map((c) => c.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(new Set(byDue).size).toBe(all.items.length)
  })
  it("exports the view as CSV", async () => {
    let csv = ""
    for await (const chunk of Cases.exportCases(db, ctx.orgId, { channel: ["email"] })) csv += chunk
    const lines = csv.trim().split("\n")
    expect(lines[0]).toContain("number,subject,type,channel")
    expect(lines.length).toBeGreaterThan(1)
  })
})

describe("import", () => {
  const csv = [
    "external_id,subject,type,channel,urgency,received_at,customer_id,customer_name,customer_segment,status,resolved_at",
    "T-1,Password reset,inquiry,email,low,2025-05-06T10:00:00+08:00,C-1,李娜,existing,resolved,2025-05-06T10:30:00+08:00",
    "T-2,Broken invoice,problem,web_form,high,2025-05-06T11:00:00+08:00,C-2,Acme Ltd,vip,,",
    "T-3,Fax,inquiry,fax,low,2025-05-06T11:30:00+08:00,C-1,李娜,existing,,",
    "T-4,Refund,complaint,phone,medium,not-a-date,C-3,王强,new,,",
    "T-5,Delivery late,complaint,phone,medium,2025-05-06T12:00:00+08:00,C-3,王强,new,,",
  ].join("\n")

  it("imports good rows, reports bad ones by line and column, and imports nothing twice", async () => {
    const first = await Import.importCases(db, ctx, Readable.from([csv]), { format: "csv" })
    expect(first).toMatchObject({ rows: 5, imported: 3, failed: 2, skipped: 0 })
    expect(first.errors).toEqual([
      {
        line: 4,
        field: "channel",
        message: expect.stringContaining("must be one of"),
        code: "oneOf",
        params: { values: expect.stringContaining("chat") },
      },
      {
        line: 5,
        field: "received_at",
        message: '"not-a-date" is not a date-time',
        code: "notADateTime",
        params: { value: "not-a-date" },
      },
    ])
    const again = await Import.importCases(db, ctx, Readable.from([csv]), { format: "csv" })
    expect(again).toMatchObject({ imported: 0, skipped: 3, failed: 2 })
    const t1 = (await Cases.listCases(db, ctx.orgId, { q: "Password reset" })).items[0]!
    // answered after 30 min: the 15-minute first-response target was missed
    expect(t1).toMatchObject({ status: "resolved", externalId: "T-1", slaState: "breached" })
  })

  it("a crash in the middle loses no committed row, and a re-run completes the rest", async () => {
    const rows = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify({ external_id: `K-${i}`, subject: `kill ${i}`, type: "inquiry", channel: "email" }),
    )
    async function* dying() {
      for (const [i, r] of rows.entries()) {
        if (i === 4) throw new Error("killed")
        yield `${r}\n`
      }
    }
    await expect(
      Import.importCases(db, ctx, Readable.from(dying()), { format: "ndjson", batchSize: 2, parallel: 2 }),
    ).rejects.toThrow("killed")
    // the two full batches before the crash were committed (two lanes on PostgreSQL, one on PGlite)
    const after = await Cases.listCases(db, ctx.orgId, { q: "kill", limit: 100 })
    expect(after.items.length).toBe(4)
    const rerun = await Import.importCases(db, ctx, Readable.from(rows.map((r) => `${r}\n`)), {
      format: "ndjson",
      batchSize: 2,
      parallel: 2,
    })
    expect(rerun).toMatchObject({ imported: 2, skipped: 4, failed: 0 })
    expect((await Cases.listCases(db, ctx.orgId, { q: "kill", limit: 100 })).items).toHaveLength(6)
  })

  it("reads Zendesk's ticket JSON with its documented field names", async () => {
    // a ticket's category: its first tag in the organisation's category vocabulary (#18)
    await Config.saveVocabularyEntry(db, ctx, {
      kind: "category",
      code: "hardware",
      labelZh: "硬件",
      labelEn: "Hardware",
    })
    const tickets = [
      {
        id: 35436,
        subject: "Help, my printer is on fire!",
        description: "The fire is very colorful.",
        type: "incident",
        priority: "urgent",
        status: "open",
        via: { channel: "email" },
        requester_id: 20978392,
        created_at: "2025-06-02T09:00:00Z",
        tags: ["hardware"],
      },
      {
        id: 35437,
        subject: "How do I reset my password?",
        description: "…",
        type: "question",
        priority: "low",
        status: "solved",
        via: { channel: "web" },
        requester_id: 20978392,
        created_at: "2025-06-02T10:00:00Z",
        updated_at: "2025-06-02T11:00:00Z",
      },
      {
        id: 35438,
        subject: "Odd status",
        type: "question",
        status: "archived",
        via: { channel: "voice" },
        created_at: "2025-06-02T10:00:00Z",
      },
    ]
    const r = await Import.importCases(db, ctx, Readable.from(tickets.map((t) => `${JSON.stringify(t)}\n`)), {
      format: "zendesk",
    })
    expect(r).toMatchObject({ imported: 2, failed: 1 })
    expect(r.errors[0]).toMatchObject({ line: 3, field: "status" })
    const fire = (await Cases.listCases(db, ctx.orgId, { q: "zendesk:35436" })).items[0]!
    expect(fire).toMatchObject({
      type: "problem",
      channel: "email",
      priority: "p1",
      status: "in_progress",
      category: "hardware",
    })
    const pw = (await Cases.listCases(db, ctx.orgId, { q: "zendesk:35437" })).items[0]!
    expect(pw).toMatchObject({ type: "inquiry", channel: "web_form", status: "resolved" })
    expect(pw.customerId).toBe(fire.customerId)
  })
})

describe("rollups", () => {
  const proportions = [
    "process.first_response_sla",
    "process.initial_record_timeliness",
    "process.resolution_sla",
    "process.fcr",
    "process.reopen_rate",
    "process.escalation_rate",
  ]
  const window = {
    from: new Date("2025-01-01T00:00:00+08:00"),
    to: new Date("2025-07-01T00:00:00+08:00"),
    timeZone: "Asia/Shanghai",
  }
  const compare = async () => {
    for (const id of proportions) {
      const m = Metrics.metrics.find((x) => x.id === id)!
      for (const shape of [
        { bucket: "none" as const },
        { bucket: "day" as const, groupBy: ["channel"] },
        { bucket: "month" as const, groupBy: ["type", "segment"] },
        { bucket: "week" as const, filter: { channel: "chat" } },
        { bucket: "day" as const, groupBy: ["channel"], filter: { channel: "chat" } },
        { bucket: "none" as const, groupBy: ["agent"], filter: { type: "problem" } },
      ]) {
        const q = { orgId: ctx.orgId, ...window, ...shape }
        const fromRollup = await m.compute(q, db)
        const fromRaw = await m.compute({ ...q, params: { source: "raw" } }, db)
        expect({ id, shape, values: fromRollup }).toEqual({ id, shape, values: fromRaw })
      }
    }
    // medians and p90 from the rollups' sketches: the same groups and n, each value within 1 % (+2 s
    // for the rounding of both) of percentile_cont over the raw rows (#18)
    for (const id of durations) {
      const m = Metrics.metrics.find((x) => x.id === id)!
      for (const shape of shapes) {
        const q = { orgId: ctx.orgId, ...window, ...shape }
        const fromRollup = await m.compute(q, db)
        const fromRaw = await m.compute({ ...q, params: { source: "raw" } }, db)
        const strip = (vs: typeof fromRaw) => vs.map((v) => ({ ...v, value: null }))
        expect({ id, shape, values: strip(fromRollup) }).toEqual({ id, shape, values: strip(fromRaw) })
        fromRaw.forEach((raw, i) => {
          const got = fromRollup[i]!.value as number
          expect(
            Math.abs(got - (raw.value as number)),
            `${id} ${JSON.stringify(shape)} #${i}`,
          ).toBeLessThanOrEqual(0.01 * (raw.value as number) + 2)
        })
      }
    }
  }
  const durations = [
    "process.first_response_time",
    "process.first_response_time_p90",
    "process.resolution_time",
    "process.resolution_time_p90",
  ]
  const shapes = [
    { bucket: "none" as const },
    { bucket: "day" as const, groupBy: ["channel"] },
    { bucket: "month" as const, groupBy: ["type", "segment"] },
    { bucket: "week" as const, filter: { channel: "chat" } },
    { bucket: "none" as const, groupBy: ["agent"], filter: { type: "problem" } },
  ]

  it("a rebuild from raw facts gives the same numbers as raw queries", async () => {
    const r = await Rollups.rebuild(db, ctx.orgId)
    expect(r.rows).toBeGreaterThan(0)
    // one total row a day plus one per dimension value: far fewer rows than the cube
    const perDim = await db.kysely
      .selectFrom("process.metric_rollup_dim" as any)
      .select((e) => e.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow()
    expect(Number(perDim.n)).toBeGreaterThan(0)
    await compare()
    // the medians come from the sketches: emptied, the rollup answers with nothing
    const median = Metrics.metrics.find((x) => x.id === "process.first_response_time")!
    expect((await median.compute({ orgId: ctx.orgId, ...window, bucket: "none" }, db))[0]!.n).toBeGreaterThan(
      0,
    )
    await sql`update process.metric_rollup_dim set fr_hist = '{}'::jsonb where org_id = ${ctx.orgId}`.execute(
      db.kysely,
    )
    expect(await median.compute({ orgId: ctx.orgId, ...window, bucket: "none" }, db)).toEqual([])
    await Rollups.rebuild(db, ctx.orgId)
  })
  it("stay current from the outbox: new cases, replies and repeats update the right days", async () => {
    const at = new Date("2025-06-02T10:00:00+08:00")
    const customer = { externalId: "rollup-c", name: "R", segment: "existing" }
    const a = await Cases.createCase(
      db,
      ctx,
      { type: "problem", channel: "chat", subject: "r1", category: "billing", customer, receivedAt: at },
      { now: at },
    )
    await Cases.reply(db, ctx, a.id, { content: "ok" }, { now: new Date(at.getTime() + 60_000) })
    await Cases.transition(db, ctx, a.id, { to: "resolved" }, { now: new Date(at.getTime() + 120_000) })
    const later = new Date("2025-06-04T10:00:00+08:00")
    await Cases.createCase(
      db,
      ctx,
      { type: "problem", channel: "chat", subject: "r2", category: "billing", customer, receivedAt: later },
      { now: later },
    )
    await Outbox.dispatch(db, [Rollups.handler])
    await compare()
  })
  it("a refresh is shared: callers reuse one that started after their own start, later writes are still seen", async () => {
    const at = new Date("2025-06-05T10:00:00+08:00")
    const dirty = () => Rollups.markDirtyAt(db.kysely, ctx.orgId, [at])
    await dirty()
    const before = Date.now()
    await new Promise((r) => setTimeout(r, 5)) // the refresh below starts strictly later
    // concurrent readers share the refresh: one recomputes the day, the other waits for it
    const [a, b] = await Promise.all([
      Rollups.refreshDirty(db, ctx.orgId, { freshAsOf: before }),
      Rollups.refreshDirty(db, ctx.orgId, { freshAsOf: before }),
    ])
    expect([a, b]).toEqual([1, 1])
    // a write after that refresh started: a reader whose request started before it reuses the refresh …
    await dirty()
    expect(await Rollups.refreshDirty(db, ctx.orgId, { freshAsOf: before })).toBe(0)
    // … a reader starting now recomputes (read your writes)
    expect(await Rollups.refreshDirty(db, ctx.orgId)).toBe(1)
    await compare()
  })
  it("are not used for a window that is not whole local days", async () => {
    expect(
      Rollups.wholeDays(
        new Date("2025-06-01T00:00:00+08:00"),
        new Date("2025-06-02T00:00:00+08:00"),
        "Asia/Shanghai",
      ),
    ).toBe(true)
    expect(
      Rollups.wholeDays(
        new Date("2025-06-01T01:00:00+08:00"),
        new Date("2025-06-02T00:00:00+08:00"),
        "Asia/Shanghai",
      ),
    ).toBe(false)
    expect(
      Rollups.wholeDays(new Date("2025-06-01T00:00:00Z"), new Date("2025-06-02T00:00:00Z"), "Asia/Shanghai"),
    ).toBe(false)
  })
})

describe("set-based intake", () => {
  const at = (h: number) => new Date(Date.parse("2025-09-01T09:00:00+08:00") + h * 3_600_000)
  // repeats inside the batch (c1 at 0h, 2h, 30h), one against a stored case (c2), a VIP with a
  // dedicated team, a case without customer, a category that routes, a second category
  const inputs = (tag: string): Cases.CaseInput[] => [
    {
      type: "problem",
      channel: "chat",
      subject: `${tag} 1`,
      category: "billing",
      customer: { externalId: `${tag}-c1`, name: "甲" },
      receivedAt: at(0),
    },
    {
      type: "inquiry",
      channel: "phone",
      subject: `${tag} 2`,
      category: "billing",
      customer: { externalId: `${tag}-c1`, name: "甲", segment: "existing" },
      receivedAt: at(2),
    },
    {
      type: "problem",
      channel: "email",
      subject: `${tag} 3`,
      category: "technical",
      customer: { externalId: `${tag}-c2`, name: "乙", segment: "vip", dedicatedTeam: "vip-desk" },
      receivedAt: at(3),
    },
    { type: "complaint", channel: "web_form", subject: `${tag} 4`, receivedAt: at(4) },
    {
      type: "problem",
      channel: "chat",
      subject: `${tag} 5`,
      category: "billing",
      customer: { externalId: `${tag}-c1`, name: "甲" },
      receivedAt: at(30),
    },
    {
      type: "request",
      channel: "api",
      subject: `${tag} 6`,
      category: "technical",
      urgency: "high",
      impact: "high",
      customer: { externalId: `${tag}-c3`, name: "丙" },
      milestones: [{ name: "回访", due: "2025-09-03" }],
      receivedAt: at(5),
    },
  ]
  const shape = async (orgId: string, cases: ReadonlyArray<{ id: string }>) => {
    const index = new Map(cases.map((c, i) => [c.id, i]))
    const out = []
    for (const c of cases) {
      const d = await Cases.getCase(db, orgId, c.id, at(40))
      out.push({
        subject: d.case.subject.replace(/^\w+ /, ""),
        priority: d.case.priority,
        team: d.case.team,
        segment: d.case.segment,
        tier: d.case.tier,
        repeatOf: d.case.repeatOf === null ? null : (index.get(d.case.repeatOf) ?? "stored"),
        repeatedBy: d.case.repeatedBy === null ? null : (index.get(d.case.repeatedBy) ?? "other"),
        slaState: d.case.slaState,
        clocks: d.ledger.map((l) => `${l.target}:${iso(l.dueAt)}:${l.status}`),
        events: d.events.map((e) => e.kind),
      })
    }
    return out
  }

  it("one batch gives the same cases as one at a time", async () => {
    const one = await Organizations.create(
      db,
      { type: "system", id: "t" },
      { name: "One by one", slug: "one-by-one" },
    )
    const many = await Organizations.create(db, { type: "system", id: "t" }, { name: "Batch", slug: "batch" })
    const ctxOne = { orgId: one.id, actor: { type: "user" as const, id: "usr_a" } }
    const ctxMany = { orgId: many.id, actor: { type: "user" as const, id: "usr_a" } }
    for (const c of [ctxOne, ctxMany]) {
      await Config.ensureDefaults(db, c)
      // a stored earlier case of customer c2 (the batch's third case repeats it)
      await Cases.createCase(
        db,
        c,
        {
          type: "problem",
          channel: "chat",
          subject: "earlier",
          category: "technical",
          customer: { externalId: "x", name: "乙" },
          receivedAt: at(-24),
        },
        { now: at(-24) },
      )
    }
    // c2 under its own tag in each org: rename the stored customer's external id (and its blind
    // index: no key is configured here, so the unkeyed one) to match
    await db.kysely
      .updateTable("process.customer" as any)
      .set({
        external_id: "one-c2",
        external_id_bidx: Encryption.plainIndex("customer.externalId", "exact", "one-c2"),
      } as any)
      .where("org_id" as any, "=", one.id)
      .where("external_id" as any, "=", "x")
      .execute()
    await db.kysely
      .updateTable("process.customer" as any)
      .set({
        external_id: "many-c2",
        external_id_bidx: Encryption.plainIndex("customer.externalId", "exact", "many-c2"),
      } as any)
      .where("org_id" as any, "=", many.id)
      .where("external_id" as any, "=", "x")
      .execute()
    const sequential = []
    for (const input of inputs("one"))
      sequential.push(await Cases.createCase(db, ctxOne, input, { now: at(0) }))
    const batch = await Cases.createCases(
      db,
      ctxMany,
      inputs("many").map((input) => ({ input })),
      { now: at(0) },
    )
    const a = await shape(one.id, sequential)
    const b = await shape(many.id, batch)
    expect(b).toEqual(a)
    // and what both say is right: repeats, routing, the VIP team, numbers in order
    expect(b.map((x) => x.repeatOf)).toEqual([null, 0, "stored", null, 1, null])
    expect(b.map((x) => x.repeatedBy)).toEqual([1, 4, null, null, null, null])
    expect(b.map((x) => x.team)).toEqual([
      "billing",
      "billing",
      "vip-desk",
      "complaints",
      "billing",
      "technical",
    ])
    expect(batch.map((c) => c.number)).toEqual([2, 3, 4, 5, 6, 7])
    // the records intake returns (built from what it wrote, nothing read back) are the stored rows
    // (the batch's: a case written one at a time may since have been repeated by a later one)
    for (const c of batch) expect(c).toStrictEqual((await Cases.getCase(db, many.id, c.id)).case)
    expect(JSON.stringify(batch[5]!.milestones)).toBe('[{"due":"2025-09-03","name":"回访"}]')
  })

  it("concurrent creations share transactions, each with its own number, audit record and request id", async () => {
    const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "Busy", slug: "busy" })
    const base = { orgId: org.id, actor: { type: "api_key" as const, id: "key_busy" } }
    await Config.ensureDefaults(db, base)
    const calls = Array.from({ length: 40 }, (_, i) =>
      Cases.createCase(
        db,
        { ...base, requestId: `req-${i}` },
        {
          type: "inquiry",
          channel: "chat",
          subject: `busy ${i}`,
          ...(i === 7
            ? { customerId: "cus_missing" }
            : { customer: { externalId: `busy-${i % 5}`, name: `B${i % 5}` } }),
        },
      ),
    )
    const settled = await Promise.allSettled(calls)
    const failed = settled.flatMap((s, i) => (s.status === "rejected" ? [i] : []))
    expect(failed).toEqual([7]) // only the case naming a missing customer fails
    expect((settled[7] as PromiseRejectedResult).reason).toMatchObject({ issues: [{ path: ["customerId"] }] })
    const numbers = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value.number] : []))
    expect(new Set(numbers).size).toBe(39)
    const audit = await db.kysely
      .selectFrom("core.audit_log" as any)
      .select(["entity_id", "request_id"] as any)
      .where("org_id" as any, "=", org.id)
      .where("action" as any, "=", "case.created")
      .execute()
    expect(audit).toHaveLength(39)
    expect(new Set(audit.map((r: any) => r.request_id)).size).toBe(39)
    const { Audit } = await import("@tenet/core")
    expect(await Audit.verify(db, org.id)).toMatchObject({ ok: true })
  })

  it("an import of history stops the clocks of resolved cases; the sweep catches up an overdue open one in one pass", async () => {
    const org = await Organizations.create(
      db,
      { type: "system", id: "t" },
      { name: "History", slug: "history" },
    )
    const hctx = { orgId: org.id, actor: { type: "user" as const, id: "usr_h" } }
    const rows = [
      {
        external_id: "H-1",
        subject: "done",
        type: "inquiry",
        channel: "email",
        received_at: "2025-05-06T10:00:00+08:00",
        status: "closed",
        resolved_at: "2025-05-06T10:10:00+08:00",
      },
      {
        external_id: "H-2",
        subject: "still open",
        type: "inquiry",
        channel: "chat",
        received_at: "2025-05-06T10:00:00+08:00",
        status: "in_progress",
      },
    ]
    const r = await Import.importCases(db, hctx, Readable.from(rows.map((x) => `${JSON.stringify(x)}\n`)), {
      format: "ndjson",
    })
    expect(r).toMatchObject({ imported: 2, failed: 0 })
    const [done, open] = await Promise.all(
      ["H-1", "H-2"].map(async (id) =>
        Cases.getCase(db, org.id, (await Cases.listCases(db, org.id, { q: id })).items[0]!.id),
      ),
    )
    expect(done!.case).toMatchObject({ status: "closed", slaState: "met" })
    expect(done!.ledger.every((l) => l.stoppedAt !== null)).toBe(true)
    expect(open!.case).toMatchObject({ status: "in_progress", slaState: "breached" }) // overdue as of now
    const next = await db.kysely
      .selectFrom("process.sla_clock" as any)
      .select(["case_id", "target", "next_event_at"] as any)
      .where("org_id" as any, "=", org.id)
      .where("next_event_at" as any, "is not", null)
      .execute()
    expect(next.map((x: any) => x.case_id).every((id: string) => id === open!.case.id)).toBe(true)
    const swept = await Cases.sweepSla(db)
    expect(swept.failed).toEqual([])
    const after = await Cases.getCase(db, org.id, open!.case.id)
    const kinds = after.events.map(
      (e) => `${e.kind}:${(e.data as any).target ?? ""}:${(e.data as any).level ?? ""}`,
    )
    for (const target of ["first_response", "resolution"]) {
      expect(kinds.filter((k) => k === `sla_warning:${target}:`)).toHaveLength(1)
      expect(kinds.filter((k) => k === `sla_breach:${target}:`)).toHaveLength(1)
      expect(kinds.filter((k) => k === `escalation:${target}:1`)).toHaveLength(1)
      expect(kinds.filter((k) => k === `escalation:${target}:2`)).toHaveLength(1)
    }
    expect((await Cases.sweepSla(db)).events).toBe(0) // nothing left: every level has fired
    expect((await Cases.getCase(db, org.id, done!.case.id)).events.map((e) => e.kind)).toEqual(["created"])
  })

  it("an import marks its days dirty, so rollups match the raw numbers without the outbox", async () => {
    const org = await Organizations.create(
      db,
      { type: "system", id: "t" },
      { name: "Rolled", slug: "rolled" },
    )
    const rctx = { orgId: org.id, actor: { type: "user" as const, id: "usr_r" } }
    await Config.ensureDefaults(db, rctx)
    await Rollups.rebuild(db, org.id)
    const rows = Array.from({ length: 30 }, (_, i) => ({
      external_id: `R-${i}`,
      subject: `r ${i}`,
      type: i % 3 ? "inquiry" : "problem",
      channel: ["chat", "email"][i % 2],
      received_at: new Date(Date.parse("2025-07-01T02:00:00Z") + i * 7_200_000).toISOString(),
      status: i % 4 ? "resolved" : "in_progress",
      resolved_at: new Date(Date.parse("2025-07-01T02:30:00Z") + i * 7_200_000).toISOString(),
    }))
    await Import.importCases(db, rctx, Readable.from(rows.map((x) => `${JSON.stringify(x)}\n`)), {
      format: "ndjson",
    })
    const dirty = await db.kysely
      .selectFrom("process.rollup_dirty" as any)
      .selectAll()
      .where("org_id" as any, "=", org.id)
      .execute()
    expect(dirty.length).toBeGreaterThan(0)
    const m = Metrics.metrics.find((x) => x.id === "process.first_response_sla")!
    const q = {
      orgId: org.id,
      from: new Date("2025-07-01T00:00:00+08:00"),
      to: new Date("2025-07-05T00:00:00+08:00"),
      timeZone: "UTC",
      bucket: "day" as const,
      groupBy: ["channel"],
    }
    const tz = (await db.kysely
      .selectFrom("process.rollup_state" as any)
      .select("time_zone" as any)
      .where("org_id" as any, "=", org.id)
      .executeTakeFirstOrThrow()) as any
    const query = {
      ...q,
      timeZone: tz.time_zone,
      from: new Date("2025-07-01T00:00:00Z"),
      to: new Date("2025-07-05T00:00:00Z"),
    }
    const fromRollup = await m.compute(query, db)
    expect(fromRollup).toEqual(await m.compute({ ...query, params: { source: "raw" } }, db))
    // the 22 resolved cases are decided; the 8 open ones count once the sweep records their breach
    expect(fromRollup.reduce((n, v) => n + (v.denominator ?? 0), 0)).toBe(22)
  })
})

describe("import in lanes", () => {
  it("finds the same repeat contacts whether batches are written one at a time or several at once", async () => {
    const csv = [
      "external_id,subject,type,channel,category,received_at,customer_id,customer_name",
      ...Array.from({ length: 120 }, (_, i) =>
        [
          `L-${i}`,
          `lane ${i}`,
          "problem",
          "chat",
          ["billing", "technical"][i % 2],
          new Date(Date.parse("2025-08-04T01:00:00Z") + i * 1_800_000).toISOString(),
          `LC-${i % 9}`,
          `Lane customer ${i % 9}`,
        ].join(","),
      ),
    ].join("\n")
    const links = async (parallel: number) => {
      const org = await Organizations.create(
        db,
        { type: "system", id: "t" },
        { name: `Lanes ${parallel}`, slug: `lanes-${parallel}` },
      )
      const c = { orgId: org.id, actor: { type: "user" as const, id: "usr_l" } }
      const r = await Import.importCases(db, c, Readable.from([csv]), {
        format: "csv",
        batchSize: 7,
        parallel,
      })
      expect(r).toMatchObject({ imported: 120, failed: 0 })
      const rows = await db.kysely
        .selectFrom("process.case as c" as any)
        .leftJoin("process.case as p" as any, (j: any) =>
          j.onRef("p.org_id", "=", "c.org_id").onRef("p.id", "=", "c.repeat_of"),
        )
        .leftJoin("process.case as q" as any, (j: any) =>
          j.onRef("q.org_id", "=", "c.org_id").onRef("q.id", "=", "c.repeated_by"),
        )
        .select(["c.external_id as id", "p.external_id as repeatOf", "q.external_id as repeatedBy"] as any)
        .where("c.org_id" as any, "=", org.id)
        .orderBy("c.external_id" as any)
        .execute()
      return rows
    }
    const serial = await links(1)
    expect(serial.filter((r: any) => r.repeatOf).length).toBeGreaterThan(90)
    expect(await links(3)).toEqual(serial)
  })
})
