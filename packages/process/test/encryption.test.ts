// Personal fields encrypted at rest: raw tables hold no plaintext, lookups and repeat detection
// work through blind indexes, rows written in clear are converted, a rotation keeps reads working.
import { type Db, Encryption, Organizations, type Tenancy } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Cases, Config, Privacy, processMigrations } from "../src/index"

let db: Db.Database
let ctx: Tenancy.OrgContext
const KEY = Buffer.alloc(32, 3).toString("base64")

const rawCustomers = async () =>
  (
    await sql<Record<string, unknown>>`select * from process.customer where org_id = ${ctx.orgId}`.execute(
      db.kysely,
    )
  ).rows
const rawText = async () => {
  const c = await sql`select * from process.case where org_id = ${ctx.orgId}`.execute(db.kysely)
  const e = await sql`select * from process.case_event where org_id = ${ctx.orgId}`.execute(db.kysely)
  return JSON.stringify([c.rows, e.rows, await rawCustomers()])
}
const intake = (subject: string, content: string, customer: Config.CustomerInput, at: string) =>
  Cases.createCase(db, ctx, {
    type: "problem",
    channel: "phone",
    subject,
    content,
    category: "billing",
    customer,
    receivedAt: new Date(at),
  })

beforeAll(async () => {
  Encryption.configure(null)
  db = await makeTestDatabase([processMigrations])
  const org = await Organizations.create(
    db,
    { type: "system", id: "t" },
    { name: "Enc", slug: "enc-process" },
  )
  ctx = { orgId: org.id, actor: { type: "user", id: "usr_agent" } }
  await Config.ensureDefaults(db, ctx)
}, 120_000)
afterAll(async () => {
  Encryption.configure(null)
  await db?.close()
})

describe("personal fields at rest", () => {
  it("without a key: stored in clear, found by phone through the unkeyed index", async () => {
    await intake(
      "账单疑问",
      "我的账单多扣了钱",
      {
        externalId: "crm-1",
        name: "李娜",
        contacts: [{ channel: "phone", value: "138 0013 8000" }],
      },
      "2025-04-01T10:00:00+08:00",
    )
    expect(await rawText()).toContain("李娜")
    const found = await Config.findCustomers(db, ctx.orgId, { phone: "+86 13800138000" })
    expect(found.map((c) => c.name)).toEqual(["李娜"])
  })

  it("with a key: new rows sealed, the raw tables hold no plaintext; lookups by phone, e-mail and external id work", async () => {
    Encryption.configure(Encryption.fromKey(KEY, "test"))
    const a = await intake(
      "发票问题",
      "发票抬头写错了，我的身份证 11010519491231002X",
      {
        externalId: "crm-2",
        name: "王芳",
        contacts: [
          { channel: "phone", value: "13900139000" },
          { channel: "email", value: "Wang.Fang@example.com" },
        ],
      },
      "2025-04-02T10:00:00+08:00",
    )
    const raw = await rawText()
    for (const plain of ["王芳", "13900139000", "Wang.Fang", "crm-2", "发票抬头写错了", "11010519491231002X"])
      expect(raw).not.toContain(plain)
    const byPhone = await Config.findCustomers(db, ctx.orgId, { phone: "139-0013-9000" })
    expect(byPhone.map((c) => c.name)).toEqual(["王芳"])
    expect(
      (await Config.findCustomers(db, ctx.orgId, { email: "wang.fang@EXAMPLE.com" }))[0]?.externalId,
    ).toBe("crm-2")
    expect((await Config.findCustomers(db, ctx.orgId, { externalId: "crm-2" }))[0]?.contacts).toEqual([
      { channel: "phone", value: "13900139000" },
      { channel: "email", value: "Wang.Fang@example.com" },
    ])
    // the case reads back opened, the ID number redacted before it was stored (PR-08)
    const d = await Cases.getCase(db, ctx.orgId, a.id)
    expect(d.case.content).toBe("发票抬头写错了，我的身份证 110***********002X")
    expect(d.customer?.name).toBe("王芳")
    expect(d.events[0]!.participants).toEqual(["王芳"])
    const list = await Cases.listCases(db, ctx.orgId, {})
    expect(list.items.find((c) => c.id === a.id)?.customerName).toBe("王芳")
    expect(
      (await Config.listCustomers(db, ctx.orgId, { q: "13900139000" })).items.map((c) => c.name),
    ).toEqual(["王芳"])
  })

  it("the same external id finds the customer again (upsert on the blind index), so repeat detection works", async () => {
    const customer = { externalId: "crm-2", name: "王芳" }
    const b = await intake("发票还没改", "还是不对", customer, "2025-04-03T10:00:00+08:00")
    expect(b.repeatOf).not.toBeNull()
    expect(
      (await rawCustomers()).filter((r) => r.external_id_bidx && String(r.external_id_bidx).startsWith("k:")),
    ).toHaveLength(1)
  })

  it("a customer stored in clear before the key is found by external id (its index moved on touch) and converted by the pass", async () => {
    const c = await intake(
      "又来了",
      "账单还是多扣",
      { externalId: "crm-1", name: "李娜" },
      "2025-04-04T10:00:00+08:00",
    )
    expect(c.repeatOf).not.toBeNull()
    const pending = await Encryption.pending(db, Privacy.encryptedTables, ctx.orgId)
    expect(pending["process.customer"]).toBe(1)
    await Encryption.reencrypt(db, Privacy.encryptedTables, { orgId: ctx.orgId })
    expect(await Encryption.pending(db, Privacy.encryptedTables, ctx.orgId)).toEqual({
      "process.customer": 0,
      "process.case": 0,
      "process.case_event": 0,
    })
    const raw = await rawText()
    for (const plain of ["李娜", "13800138000", "我的账单多扣了钱", "账单疑问（"])
      expect(raw).not.toContain(plain)
    expect((await Config.findCustomers(db, ctx.orgId, { phone: "13800138000" })).map((x) => x.name)).toEqual([
      "李娜",
    ])
  })

  it("rotates the data key: reads work mid-way and after; everything ends under the new version", async () => {
    const [first] = (await Cases.listCases(db, ctx.orgId, { sort: "receivedAt" })).items
    await Encryption.rotateDataKeys(db, ctx.orgId)
    // mid-way: nothing re-encrypted yet, a new intake uses version 2, every read still opens
    await intake(
      "新问题",
      "轮换中的消息",
      { externalId: "crm-3", name: "赵敏", contacts: [{ channel: "phone", value: "13700137000" }] },
      "2025-04-05T10:00:00+08:00",
    )
    expect((await Cases.getCase(db, ctx.orgId, first!.id)).case.content).toBe("我的账单多扣了钱")
    expect((await Config.findCustomers(db, ctx.orgId, { phone: "13700137000" })).map((x) => x.name)).toEqual([
      "赵敏",
    ])
    expect((await Config.findCustomers(db, ctx.orgId, { phone: "13800138000" })).map((x) => x.name)).toEqual([
      "李娜",
    ])
    await Encryption.reencrypt(db, Privacy.encryptedTables, { orgId: ctx.orgId })
    const customers = await rawCustomers()
    expect(customers.every((r) => String(r.name).startsWith("tnt1:2:"))).toBe(true)
    const texts = (
      await sql<{ content: string }>`select content from process.case where org_id = ${ctx.orgId}`.execute(
        db.kysely,
      )
    ).rows
    expect(texts.every((r) => r.content === "" || r.content.startsWith("tnt1:2:"))).toBe(true)
    expect((await Cases.getCase(db, ctx.orgId, first!.id)).case.content).toBe("我的账单多扣了钱")
  })
})
