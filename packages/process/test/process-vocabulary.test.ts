/**
 * Issue #18 (Process): the case vocabulary, the default policy, the initial-record clock, record
 * changes after intake, customers edited, the return-visit schedule and the Freshdesk and Zammad
 * importers (with the Zendesk one, each read from its fixture).
 */
import { createReadStream } from "node:fs"
import { Readable } from "node:stream"
import { fileURLToPath } from "node:url"
import { type Db, Errors, Organizations } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Case, Cases, Config, Import, processMigrations } from "../src/index"

let db: Db.Database
let ctx: { orgId: string; actor: { type: "user"; id: string } }
// a Wednesday morning in Shanghai, inside the office calendar's hours
const T0 = new Date("2026-03-04T10:00:00+08:00")
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000)
const fixture = (name: string) =>
  createReadStream(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)))
const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(Errors.ValidationError)
  return (e as Errors.ValidationError).issues
}
const ledger = async (id: string, target: string) =>
  (
    (await Cases.getCase(db, ctx.orgId, id)).ledger as Array<{
      target: string
      status: string
      stoppedAt: Date | null
    }>
  ).find((l) => l.target === target)!

beforeAll(async () => {
  db = await makeTestDatabase([processMigrations])
  const org = await Organizations.create(
    db,
    { type: "system", id: "t" },
    { name: "Vocab Co", slug: "vocab-co" },
  )
  ctx = { orgId: org.id, actor: { type: "user", id: "usr_agent" } }
  await Config.ensureDefaults(db, ctx)
})
afterAll(async () => {
  await db.close()
})

describe("case types and categories: the organisation's vocabulary", () => {
  it("seeds the types and categories with labels in both languages", async () => {
    const v = await Config.listVocabulary(db, ctx.orgId)
    expect(v.filter((e) => e.kind === "type").map((e) => e.code)).toEqual([
      "inquiry",
      "problem",
      "complaint",
      "request",
    ])
    expect(v.find((e) => e.code === "billing")).toMatchObject({
      kind: "category",
      labelZh: "账单与发票",
      labelEn: "Billing",
      active: true,
    })
  })

  it("refuses an unknown type or category with the field named", async () => {
    const issues = await refusal(
      Cases.createCase(
        db,
        ctx,
        { type: "feedback", channel: "chat", subject: "x", category: "nonsense" },
        { now: T0 },
      ),
    )
    expect(issues.map((i) => [i.path.join("."), i.code])).toEqual([
      ["type", "unknownCaseType"],
      ["category", "unknownCategory"],
    ])
    expect(issues[0]!.params).toMatchObject({ value: "feedback", values: expect.stringContaining("inquiry") })
  })

  it("a type added in the app is accepted, and a case that matches no policy gets the default policy", async () => {
    await Config.saveVocabularyEntry(db, ctx, {
      kind: "type",
      code: "feedback",
      labelZh: "意见反馈",
      labelEn: "Feedback",
    })
    const settings = await Config.getSettings(db, ctx.orgId)
    expect(settings.defaultPolicyId).toBeTruthy()
    const c = await Cases.createCase(
      db,
      ctx,
      { type: "feedback", channel: "chat", subject: "建议增加夜间客服", content: "…", category: "service" },
      { now: T0 },
    )
    expect(c.policyId).toBe(settings.defaultPolicyId)
    expect(c.slaState).not.toBe("none")
    // a retired type is refused again; cases that have it keep it
    await Config.saveVocabularyEntry(db, ctx, {
      kind: "type",
      code: "feedback",
      labelZh: "意见反馈",
      labelEn: "Feedback",
      active: false,
    })
    const issues = await refusal(
      Cases.createCase(db, ctx, { type: "feedback", channel: "chat", subject: "y" }, { now: T0 }),
    )
    expect(issues[0]!.path).toEqual(["type"])
    expect((await Cases.getCase(db, ctx.orgId, c.id)).case.type).toBe("feedback")
  })

  it("the default policy is a setting; an unknown policy is refused with the field named", async () => {
    const issues = await refusal(Config.updateSettings(db, ctx, { defaultPolicyId: "sla_nope" }))
    expect(issues.map((i) => i.path.join("."))).toEqual(["defaultPolicyId"])
    const policies = await Config.listPolicies(db, ctx.orgId)
    const complaint = policies.find((p) => p.definition.conditions.type?.includes("complaint"))!
    await Config.saveVocabularyEntry(db, ctx, {
      kind: "type",
      code: "praise",
      labelZh: "表扬",
      labelEn: "Praise",
    })
    await Config.updateSettings(db, ctx, { defaultPolicyId: complaint.id })
    const c = await Cases.createCase(
      db,
      ctx,
      { type: "praise", channel: "email", subject: "谢谢小王" },
      { now: T0 },
    )
    expect(c.policyId).toBe(complaint.id)
  })

  it("refuses a bad entry with each field named", async () => {
    const issues = await refusal(
      Config.saveVocabularyEntry(db, ctx, { kind: "colour", code: "Not A Code", labelZh: "", labelEn: "x" }),
    )
    expect(issues.map((i) => i.path.join("."))).toEqual(["kind", "code", "labelZh"])
  })

  it("an import row with an unknown type names the column it came from", async () => {
    const csv = [
      "external_id,subject,type,channel,category",
      "v-1,Fine,inquiry,chat,billing",
      "v-2,Odd type,wish,chat,billing",
      "v-3,Odd category,inquiry,chat,gardening",
    ].join("\n")
    const r = await Import.importCases(db, ctx, Readable.from([csv]), {
      format: "csv",
      mapping: { type: "type" },
    })
    expect(r).toMatchObject({ imported: 1, failed: 2 })
    expect(r.errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [3, "type", "unknownCaseType"],
      [4, "category", "unknownCategory"],
    ])
  })
})

describe("the initial-record clock runs until the intake record is complete", () => {
  it("a case received without a category is not recorded yet; classified 45 minutes later, its record is late", async () => {
    const c = await Cases.createCase(
      db,
      ctx,
      {
        type: "problem",
        channel: "phone",
        subject: "无法登录",
        content: "提示密码错误",
        customer: { name: "赵敏" },
      },
      { now: T0 },
    )
    expect(c.recordedAt).toBeNull()
    expect(await ledger(c.id, "initial_record")).toMatchObject({ status: "running", stoppedAt: null })
    // the sweep marks the breach while it is still incomplete
    await Cases.sweepSla(db, { now: at(40) })
    expect((await ledger(c.id, "initial_record")).status).toBe("breached")
    const after = await Cases.updateCase(db, ctx, c.id, { category: "technical" }, { now: at(45) })
    expect(after.recordedAt?.toISOString()).toBe(at(45).toISOString())
    expect(await ledger(c.id, "initial_record")).toMatchObject({ status: "breached", stoppedAt: at(45) })
  })

  it("completed within 30 business minutes, the record is on time", async () => {
    const c = await Cases.createCase(
      db,
      ctx,
      {
        type: "inquiry",
        channel: "chat",
        subject: "积分什么时候到账",
        customer: { name: "孙丽" },
        category: "account",
      },
      { now: T0 },
    )
    expect(c.recordedAt).toBeNull() // no content yet
    await Cases.updateCase(db, ctx, c.id, { content: "上周的订单积分还没到账" }, { now: at(12) })
    expect(await ledger(c.id, "initial_record")).toMatchObject({ status: "met" })
  })

  it("a complete record stops the clock at intake; what completes a record is configurable", async () => {
    const full = await Cases.createCase(
      db,
      ctx,
      {
        type: "inquiry",
        channel: "chat",
        subject: "a",
        content: "b",
        category: "billing",
        customer: { name: "周杰" },
      },
      { now: T0 },
    )
    expect(full.recordedAt?.toISOString()).toBe(T0.toISOString())
    expect((await ledger(full.id, "initial_record")).status).toBe("met")
    const issues = await refusal(Config.updateSettings(db, ctx, { recordRequires: ["customer", "mood"] }))
    expect(issues.map((i) => i.path.join("."))).toEqual(["recordRequires.1"])
    await Config.updateSettings(db, ctx, { recordRequires: ["content"] })
    const bare = await Cases.createCase(
      db,
      ctx,
      { type: "inquiry", channel: "chat", subject: "a", content: "b" },
      { now: T0 },
    )
    expect(bare.recordedAt?.toISOString()).toBe(T0.toISOString())
    await Config.updateSettings(db, ctx, { recordRequires: ["customer", "content", "category"] })
  })
})

describe("record changes after intake", () => {
  it("milestones and the customer are written; an unknown customer or a bad milestone names its field", async () => {
    const c = await Cases.createCase(
      db,
      ctx,
      { type: "request", channel: "email", subject: "上门安装" },
      { now: T0 },
    )
    const customer = await Config.createCustomer(db, ctx, { name: "吴强", externalId: "crm-77" })
    const after = await Cases.updateCase(db, ctx, c.id, {
      customerId: customer.id,
      milestones: [{ name: "预约上门", due: "2026-03-06T10:00:00+08:00" }, { name: "安装完成" }],
    })
    expect(after.customerId).toBe(customer.id)
    expect(after.milestones).toEqual([
      { name: "预约上门", due: "2026-03-06T02:00:00.000Z" },
      { name: "安装完成" },
    ])
    const issues = await refusal(
      Cases.updateCase(db, ctx, c.id, { customerId: "cus_nope", milestones: [{ name: "", due: "soon" }] }),
    )
    expect(issues.map((i) => i.path.join("."))).toEqual([
      "milestones.0.name",
      "milestones.0.due",
      "customerId",
    ])
  })

  it("a customer is edited by id; another customer's external id is refused", async () => {
    const a = await Config.createCustomer(db, ctx, { name: "郑爽", externalId: "crm-a" })
    await Config.createCustomer(db, ctx, { name: "钱多", externalId: "crm-b" })
    const edited = await Config.updateCustomer(db, ctx, a.id, {
      name: "郑爽（企业）",
      segment: "vip",
      contacts: [{ channel: "phone", value: "13800138000" }],
    })
    expect(edited).toMatchObject({ name: "郑爽（企业）", segment: "vip", externalId: "crm-a" })
    expect((await Config.listCustomers(db, ctx.orgId, { q: "13800138000" })).items.map((c) => c.id)).toEqual([
      a.id,
    ])
    await expect(Config.updateCustomer(db, ctx, a.id, { externalId: "crm-b" })).rejects.toMatchObject({
      code: "externalIdTaken",
    })
  })
})

describe("return visits follow the organisation's schedule", () => {
  it("periodic visits after a resolution", async () => {
    const issues = await refusal(
      Config.updateSettings(db, ctx, { returnVisit: { afterDays: 0, everyDays: 30, times: 3 } }),
    )
    expect(issues.map((i) => i.path.join("."))).toEqual(["returnVisit.afterDays"])
    await Config.updateSettings(db, ctx, { returnVisit: { afterDays: 3, everyDays: 30, times: 3 } })
    const c = await Cases.createCase(
      db,
      ctx,
      {
        type: "problem",
        channel: "phone",
        subject: "热水器漏水",
        content: "x",
        category: "service",
        customer: { name: "冯伟" },
      },
      { now: T0 },
    )
    await Cases.transition(db, ctx, c.id, { to: "resolved" }, { now: at(60) })
    const visits = (await Cases.getCase(db, ctx.orgId, c.id)).followUps
      .filter((f) => f.kind === "return_visit")
      .map((f) => new Date(f.dueAt).getTime())
    expect(visits).toEqual([3, 33, 63].map((d) => at(60).getTime() + d * 86_400_000))
    expect(Case.returnVisitDates(Case.DEFAULT_RETURN_VISIT, T0)).toEqual([
      new Date(T0.getTime() + 7 * 86_400_000),
    ])
  })
})

describe("ticket exports of other help desks, read from their fixtures", () => {
  it("Zendesk", async () => {
    const r = await Import.importCases(db, ctx, fixture("zendesk-tickets.ndjson"), { format: "zendesk" })
    expect(r).toMatchObject({ rows: 3, imported: 3, failed: 0 })
    const fapiao = (await Cases.listCases(db, ctx.orgId, { q: "zendesk:91001" })).items[0]!
    // the first tag the category vocabulary knows
    expect(fapiao).toMatchObject({
      type: "inquiry",
      channel: "email",
      status: "resolved",
      category: "billing",
    })
  })

  it("Freshdesk: numeric status, priority and source as documented", async () => {
    const r = await Import.importCases(db, ctx, fixture("freshdesk-tickets.ndjson"), { format: "freshdesk" })
    expect(r).toMatchObject({ rows: 4, imported: 3, failed: 1 })
    expect(r.errors[0]).toMatchObject({ line: 4, field: "status", code: "unknownValue" })
    const refund = (await Cases.listCases(db, ctx.orgId, { q: "freshdesk:52001" })).items[0]!
    expect(refund).toMatchObject({
      type: "request",
      channel: "email",
      priority: "p2",
      status: "resolved",
      category: "delivery",
      team: "freshdesk-group-9100001",
    })
    const outage = (await Cases.listCases(db, ctx.orgId, { q: "freshdesk:52003" })).items[0]!
    expect(outage).toMatchObject({
      type: "problem",
      channel: "phone",
      priority: "p1",
      status: "pending_customer",
    })
    expect(outage.customerId).toBe(refund.customerId)
  })

  it("Zammad: names (expand=true) or default ids", async () => {
    const r = await Import.importCases(db, ctx, fixture("zammad-tickets.ndjson"), { format: "zammad" })
    expect(r).toMatchObject({ rows: 3, imported: 2, failed: 1 })
    expect(r.errors[0]).toMatchObject({ line: 3, field: "state", code: "unknownValue" })
    const parcel = (await Cases.listCases(db, ctx.orgId, { q: "zammad:31001" })).items[0]!
    expect(parcel).toMatchObject({ channel: "phone", status: "closed", category: "delivery", team: "Users" })
    const invoice = (await Cases.listCases(db, ctx.orgId, { q: "zammad:31002" })).items[0]!
    expect(invoice).toMatchObject({
      channel: "email",
      status: "in_progress",
      priority: "p1",
      category: "billing",
    })
  })

  it("every format lists the columns it reads", () => {
    for (const f of Case.IMPORT_FORMATS) expect(Case.IMPORT_COLUMNS[f].length, f).toBeGreaterThan(8)
  })
})
