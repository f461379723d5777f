import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Db, Encryption, Organizations } from "../src/index"
import { makeTestDatabase } from "../src/testing"

// A toy table with one sealed column and its blind index, declared as a module would.
const notes: Encryption.EncryptedTable = {
  table: "public.note",
  key: ["id"],
  columns: ["body", "phone", "phone_bidx"],
  reseal: (row, cipher) => {
    const out: Record<string, unknown> = {}
    for (const [col, field] of [
      ["body", "note.body"],
      ["phone", "note.phone"],
    ] as const) {
      const v = Encryption.resealText(cipher, field, row[col])
      if (v !== undefined) out[col] = v
    }
    const idx = cipher.index("note.phone", "phone", cipher.open("note.phone", row.phone as string))
    if (idx !== row.phone_bidx) out.phone_bidx = idx
    return Object.keys(out).length ? out : null
  },
}

const KEY_A = Buffer.alloc(32, 7).toString("base64")
const KEY_B = Buffer.alloc(32, 9).toString("hex")
let db: Db.Database
let orgId: string

const insert = async (id: string, body: string, phone: string) => {
  const c = await Encryption.cipherFor(db.kysely, orgId)
  await sql`insert into public.note (org_id, id, body, phone, phone_bidx) values (${orgId}, ${id},
    ${c.seal("note.body", body)}, ${c.seal("note.phone", phone)}, ${c.index("note.phone", "phone", phone)})`.execute(
    db.kysely,
  )
}
const raw = async () =>
  (
    await sql<{
      id: string
      body: string
      phone: string
      phone_bidx: string
    }>`select id, body, phone, phone_bidx from public.note where org_id = ${orgId} order by id`.execute(
      db.kysely,
    )
  ).rows
const findByPhone = async (phone: string) => {
  const rows = (
    await sql<{ id: string; body: string; phone_bidx: string }>`select id, body, phone_bidx from public.note
      where org_id = ${orgId}`.execute(db.kysely)
  ).rows
  const c = await Encryption.cipherFor(db.kysely, orgId)
  const wanted = new Set(c.lookup("note.phone", "phone", phone))
  return rows
    .filter((r) => wanted.has(r.phone_bidx))
    .map((r) => ({ id: r.id, body: c.open("note.body", r.body) }))
}

beforeAll(async () => {
  db = await makeTestDatabase()
  await sql`create table public.note (org_id text, id text, body text, phone text, phone_bidx text, primary key (org_id, id))`.execute(
    db.kysely,
  )
  orgId = (await Organizations.create(db, { type: "system", id: "t" }, { name: "Enc", slug: "enc" })).id
}, 120_000)
afterAll(async () => {
  Encryption.configure(null)
  await db?.close()
})

describe("the KEK", () => {
  it("parses base64 and hex and refuses anything else", () => {
    expect(Encryption.parseKek(KEY_A).key.length).toBe(32)
    expect(Encryption.parseKek(KEY_B).id).toMatch(/^[0-9a-f]{16}$/)
    expect(() => Encryption.parseKek("short")).toThrow(/32 random bytes/)
    expect(Encryption.parseKek(Encryption.generateKekText()).key.length).toBe(32)
  })
})

describe("envelope encryption", () => {
  it("without a key stores values in clear with unkeyed indexes", async () => {
    Encryption.configure(null)
    await insert("n1", "我的快递没到", "138 0013 8000")
    const [r] = await raw()
    expect(r).toMatchObject({ body: "我的快递没到", phone: "138 0013 8000" })
    expect(r!.phone_bidx).toMatch(/^p:/)
    expect(await findByPhone("+86 13800138000")).toEqual([{ id: "n1", body: "我的快递没到" }])
  })

  it("with a key seals new rows: the raw table holds no plaintext, lookups by phone still work", async () => {
    Encryption.configure(Encryption.fromKey(KEY_A, "test"))
    await insert("n2", "发票抬头写错了", "13900139000")
    const rows = await raw()
    const n2 = rows.find((r) => r.id === "n2")!
    expect(n2.body.startsWith("tnt1:1:")).toBe(true)
    expect(JSON.stringify(rows.filter((r) => r.id === "n2"))).not.toMatch(/发票|13900139000/)
    expect(n2.phone_bidx).toMatch(/^k:/)
    expect(await findByPhone("139-0013-9000")).toEqual([{ id: "n2", body: "发票抬头写错了" }])
    // the row written in clear is still read, and found through its unkeyed index
    expect(await findByPhone("13800138000")).toEqual([{ id: "n1", body: "我的快递没到" }])
  })

  it("converts rows stored in clear", async () => {
    expect(await Encryption.pending(db, [notes], orgId)).toEqual({ "public.note": 1 })
    const r = await Encryption.reencrypt(db, [notes], { orgId })
    expect(r.updated).toBe(1)
    const rows = await raw()
    expect(rows.every((x) => x.body.startsWith("tnt1:1:") && x.phone_bidx.startsWith("k:"))).toBe(true)
    expect(JSON.stringify(rows)).not.toMatch(/快递|13800138000/)
    expect(await findByPhone("13800138000")).toEqual([{ id: "n1", body: "我的快递没到" }])
  })

  it("rotates the data key without downtime: old and new versions read mid-way, everything re-encrypted after", async () => {
    for (let i = 0; i < 30; i++)
      await insert(`m${String(i).padStart(2, "0")}`, `消息 ${i}`, `1370000${String(i).padStart(4, "0")}`)
    expect(await Encryption.rotateDataKeys(db, orgId)).toEqual({ [orgId]: 2 })
    // new writes use version 2 at once; rows of version 1 still open
    await insert("z1", "轮换中写入", "13600136000")
    const mid = await raw()
    expect(mid.find((r) => r.id === "z1")!.body.startsWith("tnt1:2:")).toBe(true)
    expect(mid.find((r) => r.id === "m00")!.body.startsWith("tnt1:1:")).toBe(true)
    // part of the way: one batch of 10 rows
    const half = await Encryption.reencryptTable(db, orgId, notes, 10, 1)
    expect(half).toEqual({ scanned: 10, updated: 10 })
    const versions = (await raw()).map((r) => Encryption.versionOf(r.body))
    expect(versions).toContain(1)
    expect(versions).toContain(2)
    expect(await findByPhone("13700000007")).toEqual([{ id: "m07", body: "消息 7" }])
    expect(await findByPhone("13600136000")).toEqual([{ id: "z1", body: "轮换中写入" }])
    const done = await Encryption.reencrypt(db, [notes], { orgId })
    expect(done.scanned).toBeGreaterThan(0)
    const after = await raw()
    expect(after.every((r) => r.body.startsWith("tnt1:2:") && r.phone.startsWith("tnt1:2:"))).toBe(true)
    const keys = await Encryption.readKeys(db.kysely, orgId)
    expect(keys.filter((k) => k.purpose === "data").map((k) => [k.version, k.state])).toEqual([
      [1, "retired"],
      [2, "active"],
    ])
    expect(await findByPhone("13700000029")).toEqual([{ id: "m29", body: "消息 29" }])
  })

  it("rewraps the organisation keys under a new KEK; the old one goes to TENET_ENCRYPTION_KEY_PREVIOUS", async () => {
    const env = { TENET_ENCRYPTION_KEY: KEY_B, TENET_ENCRYPTION_KEY_PREVIOUS: KEY_A }
    Encryption.configure(Encryption.fromEnv(env))
    expect(await Encryption.rewrapAll(db.kysely)).toBeGreaterThan(0)
    Encryption.configure(Encryption.fromKey(KEY_B))
    expect(await findByPhone("13900139000")).toEqual([{ id: "n2", body: "发票抬头写错了" }])
    // with the wrong key nothing opens
    Encryption.configure(Encryption.fromKey(KEY_A))
    await expect(findByPhone("13900139000")).rejects.toThrow(/neither TENET_ENCRYPTION_KEY/)
    // with no key an encrypted value is refused, never shown as ciphertext
    Encryption.configure(null)
    await expect(findByPhone("13900139000")).resolves.toEqual([])
    const sealed = (await raw())[0]!.body
    const c = Encryption.disabledCipher(orgId)
    expect(() => c.open("note.body", sealed)).toThrow(/no TENET_ENCRYPTION_KEY/)
  })

  it("binds a value to its organisation and field", async () => {
    Encryption.configure(Encryption.fromKey(KEY_B))
    const c = await Encryption.cipherFor(db.kysely, orgId)
    const sealed = c.seal("note.body", "x")
    expect(() => c.open("note.phone", sealed)).toThrow()
  })
})
