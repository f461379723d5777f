// Rotating the blind-index key: a new index key becomes active, lookups by phone, e-mail and external id
// keep finding every customer while the pass recomputes the indexes (part-way included), intake's upsert
// keeps matching the same customer (no duplicate), and the old key is retired when the pass is done.
import { Encryption } from "@tenet/core"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ENCRYPTED_TABLES } from "../src/encryption/setup"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"

let h: Harness
let s: Awaited<ReturnType<typeof seedTwoOrgs>>
const N = 7
beforeAll(async () => {
  Encryption.configure(Encryption.fromKey(Buffer.alloc(32, 3).toString("base64"), "test"))
  h = await makeHarness()
  s = await seedTwoOrgs(h)
  for (let i = 0; i < N; i++) {
    const r = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: s.a.adminKey,
      body: {
        type: "problem",
        channel: "phone",
        subject: `问题 ${i}`,
        customer: {
          externalId: `crm-${i}`,
          name: `客户${i}`,
          contacts: [
            { channel: "phone", value: `1380000000${i}` },
            { channel: "email", value: `c${i}@example.com` },
          ],
        },
      },
    })
    expect(r.status).toBe(201)
  }
}, 120_000)
afterAll(async () => {
  Encryption.configure(null)
  await h?.db.close()
})

const org = () => s.a.org.id
const lookup = async (q: string) =>
  (await h.request(`/api/v1/process/customers/lookup?${q}`, { key: s.a.adminKey })).body.items.map(
    (c: { externalId: string }) => c.externalId,
  )
const prefixes = async () =>
  (
    await sql<{ p: string; n: number }>`select split_part(x, ':', 1) as p, count(*)::int as n from (
      select name_bidx as x from process.customer where org_id = ${org()}
      union all select external_id_bidx from process.customer where org_id = ${org()}
      union all select unnest(contact_bidx) from process.customer where org_id = ${org()}) i
      group by 1 order by 1`.execute(h.db.kysely)
  ).rows
const everyoneFound = async () => {
  for (let i = 0; i < N; i++) {
    expect(await lookup(`phone=%2B86%20138-0000-000${i}`)).toEqual([`crm-${i}`])
    expect(await lookup(`email=C${i}@example.com`)).toEqual([`crm-${i}`])
    expect(await lookup(`externalId=crm-${i}`)).toEqual([`crm-${i}`])
  }
}

describe("blind-index key rotation", () => {
  it("keeps lookups and intake working mid-way, re-indexes every row and retires the old key", async () => {
    expect(await prefixes()).toEqual([{ p: "k", n: 3 * N + N }])

    const versions = await Encryption.rotateIndexKeys(h.db, org())
    expect(versions[org()]).toBe(2)
    // nothing re-indexed yet: every lookup still finds its customer through the retiring key
    await everyoneFound()

    // part-way: one batch of 3 rows
    const part = await Encryption.reencryptTable(h.db, org(), ENCRYPTED_TABLES[0]!, 3, 1)
    expect(part.updated).toBe(3)
    const mid = await prefixes()
    expect(mid.find((x) => x.p === "k2")?.n).toBe(3 * 4)
    expect(mid.find((x) => x.p === "k")?.n).toBe(3 * (N - 3) + (N - 3))
    await everyoneFound()
    // intake for a customer the pass has not reached matches the same customer, no duplicate
    const again = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: s.a.adminKey,
      body: {
        type: "problem",
        channel: "phone",
        subject: "again",
        customer: { externalId: "crm-6", name: "客户6" },
      },
    })
    expect(again.status).toBe(201)
    const count = await sql<{
      n: number
    }>`select count(*)::int as n from process.customer where org_id = ${org()}`.execute(h.db.kysely)
    expect(count.rows[0]!.n).toBe(N)

    // sealed values as they are now: the index pass must not touch them
    const before = (
      await sql`select id, name, contacts from process.customer where org_id = ${org()} order by id`.execute(
        h.db.kysely,
      )
    ).rows
    // the rest of the pass: every index under the new key, the old key retired, lookups still work
    await Encryption.reencrypt(h.db, ENCRYPTED_TABLES, { orgId: org() })
    expect(await prefixes()).toEqual([{ p: "k2", n: 3 * N + N }])
    const keys = await sql<{ version: number; state: string }>`select version, state from core.org_key
      where org_id = ${org()} and purpose = 'index' order by version`.execute(h.db.kysely)
    expect(keys.rows).toEqual([
      { version: 1, state: "retired" },
      { version: 2, state: "active" },
    ])
    Encryption.configure(Encryption.fromKey(Buffer.alloc(32, 3).toString("base64"), "test")) // drop caches
    await everyoneFound()
    // the sealed values were not touched by an index rotation (same data key)
    const after = (
      await sql`select id, name, contacts from process.customer where org_id = ${org()} order by id`.execute(
        h.db.kysely,
      )
    ).rows
    expect(after).toEqual(before)
    // the other organisation's index key was not rotated
    const b = await sql<{ version: number }>`select version from core.org_key
      where org_id = ${s.b.org.id} and purpose = 'index'`.execute(h.db.kysely)
    expect(b.rows.map((r) => r.version)).not.toContain(2)
  })
})
