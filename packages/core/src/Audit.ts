/**
 * The append-only audit log. Every change writes who, what, when, before and after, in the
 * same transaction as the change. Records are hash-chained per organisation:
 * `hash = sha256(prev_hash ‖ canonical(record))`, and a chain head row holds the last
 * sequence number and hash, so an altered, removed or reordered record is detected by
 * `verify`.
 *
 * @since 0.1.0
 */
import { hash } from "node:crypto"
import { type RawBuilder, type Selectable, sql } from "kysely"
import type { Database, Executor } from "./Db"
import * as Id from "./Id"
import { canonicalJson, toJsonValue } from "./internal/canonical"
import type { AuditLogTable } from "./migrations/schema"
import type { OrgContext } from "./Tenancy"

/** @category models @since 0.1.0 */
export const GENESIS = "0".repeat(64)

/** What changed. @category models @since 0.1.0 */
export interface AuditInput {
  readonly action: string
  readonly entityType: string
  readonly entityId: string
  readonly before?: unknown
  readonly after?: unknown
  /** The request this record belongs to, when several requests share one transaction (defaults to the context's). */
  readonly requestId?: string | undefined
}

/** A stored audit record. @category models @since 0.1.0 */
export interface AuditRecord {
  readonly orgId: string
  readonly seq: number
  readonly id: string
  readonly at: Date
  readonly actorType: string
  readonly actorId: string
  readonly action: string
  readonly entityType: string
  readonly entityId: string
  readonly before: unknown
  readonly after: unknown
  readonly requestId: string | null
  readonly prevHash: string
  readonly hash: string
}

// sha256 over the previous hash followed by the record's canonical JSON (one-shot: no hash object per record)
const hashOf = (r: Omit<AuditRecord, "hash">): string =>
  hash(
    "sha256",
    r.prevHash +
      canonicalJson({
        orgId: r.orgId,
        seq: r.seq,
        id: r.id,
        at: r.at.toISOString(),
        actorType: r.actorType,
        actorId: r.actorId,
        action: r.action,
        entityType: r.entityType,
        entityId: r.entityId,
        before: r.before ?? null,
        after: r.after ?? null,
        requestId: r.requestId,
      }),
    "hex",
  )

/**
 * Append an audit record inside the caller's transaction. Locks the organisation's chain head
 * until the transaction ends, so concurrent writers of one organisation are serialised.
 * @category constructors
 * @since 0.1.0
 */
export const append = async (tx: Executor, ctx: OrgContext, input: AuditInput): Promise<AuditRecord> =>
  (await appendMany(tx, ctx, [input]))[0]!

/** An organisation's chain head as locked by a writer. @category models @since 0.3.0 */
export interface Head {
  readonly seq: number | string
  readonly hash: string
}

/**
 * The statement that creates the organisation's chain head if needed, locks it until the
 * transaction ends and returns it (`seq`, `hash`). A hot path may run it as a CTE of one of its
 * own statements (one round trip less) and hand the row to `appendMany` as `head`.
 * @category constructors
 * @since 0.3.0
 */
export const lockHead = (
  ctx: OrgContext,
  options: {
    /** CTEs of the same statement that must be done first (their row locks taken before the head's). */
    readonly after?: ReadonlyArray<string>
  } = {},
): RawBuilder<Head> => {
  const after = options.after ?? []
  // ON CONFLICT DO UPDATE locks the row; reading a CTE to its end runs it before the head is locked
  return sql<Head>`insert into core.audit_head (org_id, seq, hash) select ${ctx.orgId}, 0, ${GENESIS}${
    after.length
      ? sql` from ${sql.join(
          after.map((name, i) => sql`(select count(*) from ${sql.id(name)}) as ${sql.id(`after_${i}`)}`),
        )}`
      : sql``
  }
    on conflict (org_id) do update set seq = core.audit_head.seq returning seq, hash`
}

/**
 * Append several audit records in order, in two statements: the chain head is locked (and
 * read) once, the hashes are chained in memory, the records and the new head go in together.
 * With `head` (locked earlier in the transaction by `lockHead`), in one.
 * @category constructors
 * @since 0.2.0
 */
export const appendMany = async (
  tx: Executor,
  ctx: OrgContext,
  inputs: ReadonlyArray<AuditInput>,
  options: {
    /** Another write to run in the same statement as the records (a change's outbox events). */
    readonly with?: RawBuilder<unknown> | undefined
    /** The head, when this transaction already locked it with `lockHead`. */
    readonly head?: Head | undefined
  } = {},
): Promise<ReadonlyArray<AuditRecord>> => {
  if (inputs.length === 0) {
    if (options.with) await options.with.execute(tx)
    return []
  }
  const head = options.head ?? (await lockHead(ctx).execute(tx)).rows[0]!
  let seq = Number(head.seq)
  let prevHash = head.hash
  const at = new Date()
  const records: AuditRecord[] = []
  for (const input of inputs) {
    const record: Omit<AuditRecord, "hash"> = {
      orgId: ctx.orgId,
      seq: ++seq,
      id: Id.make("aud"),
      at,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      before: toJsonValue(input.before),
      after: toJsonValue(input.after),
      requestId: input.requestId ?? ctx.requestId ?? null,
      prevHash,
    }
    prevHash = hashOf(record)
    records.push({ ...record, hash: prevHash })
  }
  const rows = records.map((r) => ({
    seq: r.seq,
    id: r.id,
    action: r.action,
    entity_type: r.entityType,
    entity_id: r.entityId,
    before: r.before,
    after: r.after,
    request_id: r.requestId,
    prev_hash: r.prevHash,
    hash: r.hash,
  }))
  await sql`with log as (insert into core.audit_log
      (org_id, seq, id, at, actor_type, actor_id, action, entity_type, entity_id, before, after, request_id, prev_hash, hash)
    select ${ctx.orgId}, x.seq, x.id, ${at}, ${ctx.actor.type}, ${ctx.actor.id}, x.action, x.entity_type, x.entity_id,
      x.before, x.after, x.request_id, x.prev_hash, x.hash
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(seq bigint, id text, action text, entity_type text, entity_id text,
      before jsonb, after jsonb, request_id text, prev_hash text, hash text)
    order by x.seq)${options.with ? sql`, also as (${options.with})` : sql``}
    update core.audit_head set seq = ${seq}, hash = ${prevHash} where org_id = ${ctx.orgId}`.execute(tx)
  return records
}

/** The result of walking a chain. @category models @since 0.1.0 */
export interface VerifyResult {
  readonly ok: boolean
  readonly organisations: number
  readonly records: number
  /** The first broken record, if any. */
  readonly broken?: {
    readonly orgId: string
    readonly seq: number
    readonly id: string | null
    readonly reason: "hash_mismatch" | "prev_hash_mismatch" | "sequence_gap" | "head_mismatch"
  }
}

const rowToRecord = (r: Selectable<AuditLogTable>): AuditRecord => ({
  orgId: r.org_id,
  seq: Number(r.seq),
  id: r.id,
  at: r.at,
  actorType: r.actor_type,
  actorId: r.actor_id,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  before: r.before,
  after: r.after,
  requestId: r.request_id,
  prevHash: r.prev_hash,
  hash: r.hash,
})

/**
 * Walk the hash chain of one organisation (or all) and name the first broken record.
 * @category constructors
 * @since 0.1.0
 */
export const verify = async (db: Database, orgId?: string): Promise<VerifyResult> => {
  const redacted = await redactedSeqs(db, orgId)
  let headQuery = db.kysely.selectFrom("core.audit_head").select(["org_id", "seq", "hash"]).orderBy("org_id")
  if (orgId) headQuery = headQuery.where("org_id", "=", orgId)
  const heads = { rows: await headQuery.execute() }
  let records = 0
  for (const head of heads.rows) {
    let prevHash = GENESIS
    let expected = 1
    let after = 0
    for (;;) {
      const page = await db.kysely
        .selectFrom("core.audit_log")
        .selectAll()
        .where("org_id", "=", head.org_id)
        .where("seq", ">", after)
        .orderBy("seq")
        .limit(1000)
        .execute()
      if (page.length === 0) break
      for (const row of page) {
        const r = rowToRecord(row)
        records++
        if (r.seq !== expected)
          return {
            ok: false,
            organisations: heads.rows.length,
            records,
            broken: { orgId: r.orgId, seq: expected, id: null, reason: "sequence_gap" },
          }
        if (r.prevHash !== prevHash)
          return {
            ok: false,
            organisations: heads.rows.length,
            records,
            broken: { orgId: r.orgId, seq: r.seq, id: r.id, reason: "prev_hash_mismatch" },
          }
        // a record redacted by a later `audit.redacted` record of the chain keeps its hash, not its payload
        const isRedacted = r.before === null && r.after === null && redacted.get(r.orgId)?.has(r.seq) === true
        if (!isRedacted && hashOf(r) !== r.hash)
          return {
            ok: false,
            organisations: heads.rows.length,
            records,
            broken: { orgId: r.orgId, seq: r.seq, id: r.id, reason: "hash_mismatch" },
          }
        prevHash = r.hash
        expected++
        after = r.seq
      }
    }
    if (Number(head.seq) !== expected - 1 || head.hash !== prevHash)
      return {
        ok: false,
        organisations: heads.rows.length,
        records,
        broken: { orgId: head.org_id, seq: Number(head.seq), id: null, reason: "head_mismatch" },
      }
  }
  return { ok: true, organisations: heads.rows.length, records }
}

/** The action of the record that redacts earlier records' payloads. @category models @since 0.7.0 */
export const REDACTED = "audit.redacted"

/** The sequence numbers each organisation's `audit.redacted` records name. */
const redactedSeqs = async (db: Database, orgId?: string): Promise<Map<string, Set<number>>> => {
  let q = db.kysely.selectFrom("core.audit_log").select(["org_id", "after"]).where("action", "=", REDACTED)
  if (orgId) q = q.where("org_id", "=", orgId)
  const out = new Map<string, Set<number>>()
  for (const r of await q.execute()) {
    const seqs = (r.after as { seqs?: unknown } | null)?.seqs
    if (!Array.isArray(seqs)) continue
    const set = out.get(r.org_id) ?? new Set<number>()
    for (const s of seqs) if (typeof s === "number") set.add(s)
    out.set(r.org_id, set)
  }
  return out
}

/**
 * Remove the payload (`before`, `after`) of earlier audit records about some entities — the personal
 * data of a purged or erased record — without breaking the chain: each record is checked against its
 * hash first, its payload is replaced by null, and one `audit.redacted` record appended in the same
 * transaction names the sequence numbers and the sha256 of each removed payload. `verify` then
 * checks a redacted record's place in the chain (sequence, previous hash, its own stored hash chained
 * into the next) but not its payload, and only for records a later chain record names. Returns how many
 * records were redacted.
 * @category constructors
 * @since 0.7.0
 */
export const redact = async (
  tx: Executor,
  ctx: OrgContext,
  input: {
    readonly entityIds: ReadonlyArray<string>
    /** Only records written before this time (the audit log's own minimum). */
    readonly before: Date
    readonly reason: string
  },
): Promise<number> => {
  if (input.entityIds.length === 0) return 0
  const rows = (
    await sql<Selectable<AuditLogTable>>`select * from core.audit_log
      where org_id = ${ctx.orgId} and entity_id = any(${[...input.entityIds]}) and at < ${input.before}
        and (before is not null or after is not null) and action <> ${REDACTED}
      order by seq for update`.execute(tx)
  ).rows
  const done: Array<{ seq: number; payload: string }> = []
  for (const row of rows) {
    const r = rowToRecord(row)
    // a record that no longer matches its hash is evidence of tampering: never bless it by redaction
    if (hashOf(r) !== r.hash) continue
    done.push({
      seq: r.seq,
      payload: hash("sha256", canonicalJson({ before: r.before ?? null, after: r.after ?? null }), "hex"),
    })
  }
  if (done.length === 0) return 0
  await sql`update core.audit_log set before = null, after = null
    where org_id = ${ctx.orgId} and seq = any(${done.map((d) => d.seq)})`.execute(tx)
  await appendMany(tx, ctx, [
    {
      action: REDACTED,
      entityType: "audit_log",
      entityId: ctx.orgId,
      after: {
        reason: input.reason,
        seqs: done.map((d) => d.seq),
        payloadDigests: done.map((d) => d.payload),
      },
    },
  ])
  return done.length
}
