/**
 * Signed checkpoints of the audit chain: the chain anchored outside the database's reach.
 *
 * The hash chain alone proves only that the records agree with each other: whoever can write
 * the database can delete the last records and move the head, or edit a record and re-hash
 * everything after it. A checkpoint is a statement (organisation — or `global` over all of
 * them — last sequence number, head hash, record count, time) signed with an Ed25519 key the
 * database never holds. Written to files outside the database on a schedule and on demand, and
 * checked offline with the public key alone, it makes any truncation after a checkpoint, and any
 * rewrite of history a checkpoint covers, visible. Ed25519 is node:crypto's own: no dependency.
 *
 * @since 0.4.0
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  hash,
  type KeyObject,
  sign,
  verify as verifySignature,
} from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { sql } from "kysely"
import { verify as verifyChain } from "./Audit"
import type { Database } from "./Db"
import * as Id from "./Id"
import { canonicalJson } from "./internal/canonical"
import type { CheckpointPayload } from "./migrations/schema"

/** What a checkpoint states (declared with its table). @category models @since 0.4.0 */
export type { CheckpointPayload } from "./migrations/schema"

/** A checkpoint with its Ed25519 signature over the payload's canonical JSON. @category models @since 0.4.0 */
export interface SignedCheckpoint {
  readonly payload: CheckpointPayload
  /** The first 16 hex digits of sha256 over the public key (SPKI DER). */
  readonly keyId: string
  /** base64 */
  readonly signature: string
}

/** The signing key (private part only where checkpoints are written). @category models @since 0.4.0 */
export interface CheckpointKey {
  readonly publicKey: KeyObject
  readonly privateKey?: KeyObject
  readonly keyId: string
}

const keyIdOf = (publicKey: KeyObject) =>
  hash("sha256", publicKey.export({ type: "spki", format: "der" }), "hex").slice(0, 16)

/** The public key in PEM (SPKI), to hand to auditors. @category constructors @since 0.4.0 */
export const publicKeyPem = (key: CheckpointKey): string =>
  key.publicKey.export({ type: "spki", format: "pem" }).toString()

/**
 * Load the Ed25519 private key (PKCS#8 PEM) from `path`, generating it (mode 0600) when the file
 * does not exist and `create` is set. Its public key is written beside it as `<path>.pub`.
 * @category constructors
 * @since 0.4.0
 */
export const loadKey = (path: string, options: { readonly create?: boolean } = {}): CheckpointKey => {
  if (!existsSync(path)) {
    if (!options.create) throw new Error(`no audit key at ${path}`)
    mkdirSync(dirname(path), { recursive: true })
    const { privateKey } = generateKeyPairSync("ed25519")
    writeFileSync(path, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" })
  }
  const privateKey = createPrivateKey(readFileSync(path))
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error(`${path} is not an Ed25519 private key`)
  const publicKey = createPublicKey(privateKey)
  const key = { privateKey, publicKey, keyId: keyIdOf(publicKey) }
  const pub = `${path}.pub`
  if (!existsSync(pub)) writeFileSync(pub, publicKeyPem(key))
  return key
}

/** A public key (SPKI PEM, or a private key's PEM) for verifying. @category constructors @since 0.4.0 */
export const loadPublicKey = (pem: string | Buffer): CheckpointKey => {
  const text = pem.toString()
  const publicKey = text.includes("PRIVATE KEY")
    ? createPublicKey(createPrivateKey(text))
    : createPublicKey(text)
  if (publicKey.asymmetricKeyType !== "ed25519") throw new Error("the audit public key is not an Ed25519 key")
  return { publicKey, keyId: keyIdOf(publicKey) }
}

const signPayload = (key: CheckpointKey, payload: CheckpointPayload): SignedCheckpoint => {
  if (!key.privateKey) throw new Error("this audit key has no private part: it can verify, not sign")
  return {
    payload,
    keyId: key.keyId,
    signature: sign(null, Buffer.from(canonicalJson(payload)), key.privateKey).toString("base64"),
  }
}

/** Whether a checkpoint's signature is the key's. @category guards @since 0.4.0 */
export const isSignedBy = (c: SignedCheckpoint, key: CheckpointKey): boolean => {
  try {
    return verifySignature(
      null,
      Buffer.from(canonicalJson(c.payload)),
      key.publicKey,
      Buffer.from(c.signature, "base64"),
    )
  } catch {
    return false
  }
}

const globalHash = (heads: ReadonlyArray<{ orgId: string; seq: number; hash: string }>) =>
  hash("sha256", heads.map((h) => `${h.orgId}:${h.seq}:${h.hash}`).join("\n"), "hex")

/** One run's checkpoints: the global one and one per organisation. @category models @since 0.4.0 */
export interface CheckpointSet {
  readonly global: SignedCheckpoint
  readonly orgs: ReadonlyArray<SignedCheckpoint>
}

/**
 * Take and sign a checkpoint of every organisation's chain (one consistent snapshot), keep it in
 * `core.audit_checkpoint` (so the API can hand an organisation's checkpoints to its auditors) and,
 * with `dir`, write it to a file there. The chain is verified first: a broken chain is not signed.
 * With `ifChanged`, nothing is written when no head moved since the last checkpoint.
 * @category constructors
 * @since 0.4.0
 */
export const checkpoint = async (
  db: Database,
  key: CheckpointKey,
  options: { readonly dir?: string | undefined; readonly ifChanged?: boolean } = {},
): Promise<{ readonly written: boolean; readonly set?: CheckpointSet; readonly file?: string }> => {
  const chain = await verifyChain(db)
  if (!chain.ok)
    throw new Error(
      `the audit chain is broken (organisation ${chain.broken!.orgId}, record #${chain.broken!.seq}: ${chain.broken!.reason}); no checkpoint signed`,
    )
  return db.kysely.transaction().execute(async (tx) => {
    // one snapshot for every head; a concurrent writer waits for nothing (heads are read, not locked)
    await sql`set transaction isolation level repeatable read`.execute(tx).catch(() => undefined)
    const rows = await sql<{ org_id: string; seq: string | number; hash: string }>`
      select org_id, seq, hash from core.audit_head order by org_id`.execute(tx)
    const heads = rows.rows.map((r) => ({ orgId: r.org_id, seq: Number(r.seq), hash: r.hash }))
    const at = new Date().toISOString()
    const digest = globalHash(heads)
    if (options.ifChanged) {
      const last = await sql<{ hash: string }>`select hash from core.audit_checkpoint where org_id = ''
        order by at desc limit 1`.execute(tx)
      if (last.rows[0]?.hash === digest) return { written: false }
    }
    const total = heads.reduce((n, h) => n + h.seq, 0)
    const global = signPayload(key, {
      v: 1,
      scope: "global",
      seq: heads.length,
      hash: digest,
      count: total,
      at,
      heads,
    })
    const orgs = heads.map((h) =>
      signPayload(key, { v: 1, scope: "org", orgId: h.orgId, seq: h.seq, hash: h.hash, count: h.seq, at }),
    )
    const stored = [global, ...orgs].map((c) => ({
      org_id: c.payload.orgId ?? "",
      id: Id.make("ckp"),
      at,
      seq: c.payload.seq,
      hash: c.payload.hash,
      count: c.payload.count,
      key_id: c.keyId,
      signature: c.signature,
      payload: c.payload,
    }))
    await sql`insert into core.audit_checkpoint (org_id, id, at, seq, hash, count, key_id, signature, payload)
      select x.org_id, x.id, x.at, x.seq, x.hash, x.count, x.key_id, x.signature, x.payload
      from json_to_recordset(${JSON.stringify(stored)}::json) as x(org_id text, id text, at timestamptz, seq bigint,
        hash text, count bigint, key_id text, signature text, payload jsonb)`.execute(tx)
    const set: CheckpointSet = { global, orgs }
    let file: string | undefined
    if (options.dir) {
      mkdirSync(options.dir, { recursive: true })
      file = join(options.dir, `audit-checkpoint-${at.replace(/[:.]/g, "-")}.json`)
      writeFileSync(file, `${JSON.stringify(set, null, 2)}\n`, { flag: "wx" })
    }
    return { written: true, set, ...(file ? { file } : {}) }
  })
}

/** An organisation's stored checkpoints, newest first. @category constructors @since 0.4.0 */
export const listForOrg = async (db: Database, orgId: string, limit = 500): Promise<SignedCheckpoint[]> => {
  const r = await sql<{ payload: CheckpointPayload; key_id: string; signature: string }>`
    select payload, key_id, signature from core.audit_checkpoint where org_id = ${orgId}
    order by at desc limit ${limit}`.execute(db.kysely)
  return r.rows.map((x) => ({ payload: x.payload, keyId: x.key_id, signature: x.signature }))
}

/**
 * The checkpoints in a folder's `.json` files: a checkpoint set as written by `checkpoint`, a
 * single checkpoint, an array of them, or the API's `{ items }`.
 * @category constructors
 * @since 0.4.0
 */
export const readDir = (dir: string): SignedCheckpoint[] => {
  const out: SignedCheckpoint[] = []
  const take = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) take(x)
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>
      if (o.payload && typeof o.signature === "string") out.push(o as unknown as SignedCheckpoint)
      else {
        if (o.global) take(o.global)
        if (o.orgs) take(o.orgs)
        if (o.items) take(o.items)
      }
    }
  }
  for (const f of readdirSync(dir).sort())
    if (f.endsWith(".json")) take(JSON.parse(readFileSync(join(dir, f), "utf8")))
  return out
}

/** What a check against checkpoints found. @category models @since 0.4.0 */
export interface CheckpointProblem {
  readonly reason:
    | "bad_signature"
    | "truncated"
    | "rewritten"
    | "count_mismatch"
    | "organisation_missing"
    | "chain_broken"
  readonly orgId?: string
  readonly seq?: number
  readonly at?: string
  readonly detail: string
}

/** @category models @since 0.4.0 */
export interface CheckpointVerifyResult {
  readonly ok: boolean
  readonly checkpoints: number
  readonly organisations: number
  readonly records: number
  readonly problems: ReadonlyArray<CheckpointProblem>
}

/**
 * Check the database's chains against signed checkpoints, with the public key alone: every
 * signature must be the key's; the chain must be whole from its first record to its head; no
 * organisation a checkpoint names may have fewer records than it states (truncation, a deleted
 * organisation) and the record at each checkpoint's sequence number must carry the checkpoint's
 * hash (any edit of a record it covers changes that hash, re-hashed or not).
 * @category constructors
 * @since 0.4.0
 */
export const verifyWith = async (
  db: Database,
  checkpoints: ReadonlyArray<SignedCheckpoint>,
  key: CheckpointKey,
): Promise<CheckpointVerifyResult> => {
  const problems: CheckpointProblem[] = []
  const chain = await verifyChain(db)
  if (!chain.ok)
    problems.push({
      reason: "chain_broken",
      orgId: chain.broken!.orgId,
      seq: chain.broken!.seq,
      detail: `the chain itself is broken at record #${chain.broken!.seq}: ${chain.broken!.reason}`,
    })
  const headRows = await sql<{ org_id: string; seq: string | number }>`
    select org_id, seq from core.audit_head`.execute(db.kysely)
  const heads = new Map(headRows.rows.map((r) => [r.org_id, Number(r.seq)]))
  // every (org, seq) a checkpoint states, from org checkpoints and global ones alike
  const claims: Array<{ orgId: string; seq: number; hash: string; count: number; at: string }> = []
  for (const c of checkpoints) {
    if (!isSignedBy(c, key)) {
      problems.push({
        reason: "bad_signature",
        ...(c.payload?.orgId ? { orgId: c.payload.orgId } : {}),
        at: c.payload?.at,
        detail: `a checkpoint of ${c.payload?.at ?? "unknown time"} is not signed by key ${key.keyId}; it was ignored`,
      })
      continue
    }
    const p = c.payload
    if (p.scope === "org" && p.orgId)
      claims.push({ orgId: p.orgId, seq: p.seq, hash: p.hash, count: p.count, at: p.at })
    if (p.scope === "global") for (const h of p.heads ?? []) claims.push({ ...h, count: h.seq, at: p.at })
  }
  const seen = new Set<string>()
  for (const claim of claims) {
    const id = `${claim.orgId}:${claim.seq}:${claim.hash}`
    if (seen.has(id)) continue
    seen.add(id)
    const head = heads.get(claim.orgId)
    if (head === undefined) {
      if (claim.seq > 0)
        problems.push({
          reason: "organisation_missing",
          orgId: claim.orgId,
          seq: claim.seq,
          at: claim.at,
          detail: `organisation ${claim.orgId} had ${claim.seq} audit records at ${claim.at}; its chain is gone`,
        })
      continue
    }
    if (claim.seq === 0) continue
    const r = await sql<{ hash: string; n: number }>`
      select (select hash from core.audit_log where org_id = ${claim.orgId} and seq = ${claim.seq}) as hash,
        (select count(*)::int from core.audit_log where org_id = ${claim.orgId} and seq <= ${claim.seq}) as n`.execute(
      db.kysely,
    )
    const row = r.rows[0]!
    if (head < claim.seq || row.hash === null) {
      problems.push({
        reason: "truncated",
        orgId: claim.orgId,
        seq: claim.seq,
        at: claim.at,
        detail: `organisation ${claim.orgId}: the checkpoint of ${claim.at} covers record #${claim.seq}, the database ends at #${head}`,
      })
      continue
    }
    if (row.hash !== claim.hash)
      problems.push({
        reason: "rewritten",
        orgId: claim.orgId,
        seq: claim.seq,
        at: claim.at,
        detail: `organisation ${claim.orgId}: record #${claim.seq} no longer carries the hash signed at ${claim.at}; history up to it was changed`,
      })
    else if (row.n !== claim.count)
      problems.push({
        reason: "count_mismatch",
        orgId: claim.orgId,
        seq: claim.seq,
        at: claim.at,
        detail: `organisation ${claim.orgId}: ${row.n} records up to #${claim.seq}, the checkpoint of ${claim.at} says ${claim.count}`,
      })
  }
  return {
    ok: problems.length === 0,
    checkpoints: checkpoints.length,
    organisations: chain.organisations,
    records: chain.records,
    problems,
  }
}
