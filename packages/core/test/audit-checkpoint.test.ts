import { hash } from "node:crypto"
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { sql } from "kysely"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { Audit, AuditCheckpoint, Change, type Db, Organizations } from "../src/index"
import { canonicalJson } from "../src/internal/canonical"
import { makeTestDatabase } from "../src/testing"

let db: Db.Database
let dir: string
let key: AuditCheckpoint.CheckpointKey
const actor = { type: "system" as const, id: "test" }

// one database: each test works on organisations of its own (slugs made unique), in order; the
// test that breaks a chain for good runs last
beforeAll(async () => {
  db = await makeTestDatabase()
  const keyDir = mkdtempSync(join(tmpdir(), "tenet-audit-key-"))
  key = AuditCheckpoint.loadKey(join(keyDir, "audit-key.pem"), { create: true })
})
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tenet-audit-"))
})
afterAll(async () => {
  await db.close()
})
let serial = 0

/** An organisation with `n` audit records. */
const orgWith = async (slug: string, n: number) => {
  const org = await Organizations.create(db, actor, { name: slug, slug: `${slug}${++serial}` })
  for (let i = 1; i < n; i++)
    await Change.change(db, { orgId: org.id, actor }, async ({ audit }) => {
      await audit({ action: "thing.done", entityType: "thing", entityId: `t${i}`, after: { i } })
    })
  return org.id
}

/** What someone with database write access does: re-hash every record from the first, and move the head. */
const rehashEverything = async (orgId: string) => {
  const rows = (
    await sql<any>`select * from core.audit_log where org_id = ${orgId} order by seq`.execute(db.kysely)
  ).rows
  let prev = Audit.GENESIS
  for (const r of rows) {
    const next = hash(
      "sha256",
      prev +
        canonicalJson({
          orgId: r.org_id,
          seq: Number(r.seq),
          id: r.id,
          at: new Date(r.at).toISOString(),
          actorType: r.actor_type,
          actorId: r.actor_id,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          before: r.before ?? null,
          after: r.after ?? null,
          requestId: r.request_id,
        }),
      "hex",
    )
    await sql`update core.audit_log set prev_hash = ${prev}, hash = ${next} where org_id = ${orgId} and seq = ${r.seq}`.execute(
      db.kysely,
    )
    prev = next
  }
  await sql`update core.audit_head set seq = ${rows.length}, hash = ${prev} where org_id = ${orgId}`.execute(
    db.kysely,
  )
}

const files = () => AuditCheckpoint.readDir(join(dir, "out"))

describe("signed audit checkpoints", () => {
  it("an untouched chain matches its checkpoints, read back from the exported files", async () => {
    const a = await orgWith("a", 4)
    await orgWith("b", 2)
    const r = await AuditCheckpoint.checkpoint(db, key, { dir: join(dir, "out") })
    expect(r.written).toBe(true)
    expect(existsSync(r.file!)).toBe(true)
    expect(r.set!.orgs.find((o) => o.payload.orgId === a)!.payload).toMatchObject({ seq: 4, count: 4 })
    expect(r.set!.global.payload).toMatchObject({ scope: "global", seq: 2, count: 6 })
    // the private key file is the owner's alone
    const keyFile = join(dir, "own-key.pem")
    const own = AuditCheckpoint.loadKey(keyFile, { create: true })
    expect(statSync(keyFile).mode & 0o077).toBe(0)
    expect(AuditCheckpoint.loadPublicKey(readFileSync(`${keyFile}.pub`)).keyId).toBe(own.keyId)
    const pub = AuditCheckpoint.loadPublicKey(AuditCheckpoint.publicKeyPem(key))
    const v = await AuditCheckpoint.verifyWith(db, files(), pub)
    expect(v).toMatchObject({ ok: true, problems: [], records: 6, organisations: 2 })
  })

  it("detects the last records deleted and the head moved back (the chain alone does not)", async () => {
    const a = await orgWith("a", 5)
    await AuditCheckpoint.checkpoint(db, key, { dir: join(dir, "out") })
    await sql`delete from core.audit_log where org_id = ${a} and seq = 5`.execute(db.kysely)
    const h4 = (
      await sql<any>`select hash from core.audit_log where org_id = ${a} and seq = 4`.execute(db.kysely)
    ).rows[0].hash
    await sql`update core.audit_head set seq = 4, hash = ${h4} where org_id = ${a}`.execute(db.kysely)
    expect((await Audit.verify(db)).ok).toBe(true)
    const v = await AuditCheckpoint.verifyWith(db, files(), key)
    expect(v.ok).toBe(false)
    expect(v.problems.map((p) => p.reason)).toContain("truncated")
  })

  it("detects an edit followed by re-hashing every record (the chain alone does not)", async () => {
    const a = await orgWith("a", 5)
    await AuditCheckpoint.checkpoint(db, key, { dir: join(dir, "out") })
    await sql`update core.audit_log set after = '{"i": 99}' where org_id = ${a} and seq = 2`.execute(
      db.kysely,
    )
    await rehashEverything(a)
    expect((await Audit.verify(db)).ok).toBe(true)
    const v = await AuditCheckpoint.verifyWith(db, files(), key)
    expect(v.problems).toEqual([expect.objectContaining({ reason: "rewritten", orgId: a, seq: 5 })])
  })

  it("detects a whole organisation's chain deleted", async () => {
    await orgWith("a", 2)
    const b = await orgWith("b", 3)
    await AuditCheckpoint.checkpoint(db, key, { dir: join(dir, "out") })
    await sql`delete from core.audit_log where org_id = ${b}`.execute(db.kysely)
    await sql`delete from core.audit_head where org_id = ${b}`.execute(db.kysely)
    expect((await Audit.verify(db)).ok).toBe(true)
    const v = await AuditCheckpoint.verifyWith(db, files(), key)
    expect(v.problems.map((p) => [p.reason, p.orgId])).toContainEqual(["organisation_missing", b])
  })

  it("ignores and reports a checkpoint signed by another key", async () => {
    await orgWith("a", 2)
    const other = AuditCheckpoint.loadKey(join(dir, "other.pem"), { create: true })
    const forged = await AuditCheckpoint.checkpoint(db, other)
    const v = await AuditCheckpoint.verifyWith(db, [forged.set!.global], key)
    expect(v.problems.map((p) => p.reason)).toEqual(["bad_signature"])
    // a tampered payload fails too
    const good = (await AuditCheckpoint.checkpoint(db, key)).set!.global
    const tampered = { ...good, payload: { ...good.payload, count: 1 } }
    expect(AuditCheckpoint.isSignedBy(good, key)).toBe(true)
    expect(AuditCheckpoint.isSignedBy(tampered, key)).toBe(false)
  })

  it("what it cannot see: records appended after the last checkpoint are not covered", async () => {
    const a = await orgWith("a", 3)
    await AuditCheckpoint.checkpoint(db, key, { dir: join(dir, "out") })
    await Change.change(db, { orgId: a, actor }, async ({ audit }) => {
      await audit({ action: "later", entityType: "thing", entityId: "x" })
    })
    await sql`update core.audit_log set after = '{"edited": true}' where org_id = ${a} and seq = 4`.execute(
      db.kysely,
    )
    await rehashEverything(a)
    expect((await AuditCheckpoint.verifyWith(db, files(), key)).ok).toBe(true)
  })

  it("refuses to sign a broken chain, and skips a run when nothing moved", async () => {
    const a = await orgWith("a", 3)
    expect(
      (await AuditCheckpoint.checkpoint(db, key, { ifChanged: true, dir: join(dir, "out") })).written,
    ).toBe(true)
    expect(
      (await AuditCheckpoint.checkpoint(db, key, { ifChanged: true, dir: join(dir, "out") })).written,
    ).toBe(false)
    expect(readdirSync(join(dir, "out"))).toHaveLength(1)
    await sql`update core.audit_log set action = 'forged' where org_id = ${a} and seq = 2`.execute(db.kysely)
    await expect(AuditCheckpoint.checkpoint(db, key)).rejects.toThrow(/broken/)
  })
})
