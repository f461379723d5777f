/**
 * The retention engine (PR-05): per data class, rows past their maximum are deleted or anonymised
 * as the class declares — never before the minimum, never under a legal hold (on the class, the
 * customer or the case). A dry run counts what would go. Each purged batch writes deletion
 * evidence (`risk.privacy_purge`: class, count, hashed ids, policy, time) and one audit record that
 * carries the evidence's digest, so the chain anchors the evidence; the purge never touches the
 * audit log itself, so the chain verifies afterwards.
 *
 * @since 0.7.0
 */
import { hash } from "node:crypto"
import { Audit, DataClasses, Id, Jobs, Tenancy } from "@tenet/core"
import { type RawBuilder, sql } from "kysely"
import type { AppliedPolicy, PurgeTrigger } from "../migrations/privacySchema"
import { type Ctx, change, type Database, type Q, tables } from "../store"
import { anonymous, belongs, col, keyOf, notHeld, notYetPurged, table } from "./Sql"

type DataClass = DataClasses.DataClass
const DAY = 86_400_000
/** Rows per purge transaction (one evidence row and one audit record each). */
export const BATCH = 500

/** A class's retention as an organisation has it (its override, else the declaration). @category models @since 0.7.0 */
export interface Policy {
  readonly classId: string
  readonly minDays: number
  readonly maxDays: number | null
  readonly overridden: boolean
}

/** The policies of an organisation, one per registered (non-global) class. @category getters @since 0.7.0 */
export const policies = async (q: Q, orgId: string): Promise<ReadonlyArray<Policy>> => {
  const rows = await q.selectFrom("risk.privacy_policy").selectAll().where("org_id", "=", orgId).execute()
  const byId = new Map(rows.map((r) => [r.class_id, r]))
  return DataClasses.all()
    .filter((c) => !c.global)
    .map((c) => {
      const o = byId.get(c.id)
      return o
        ? { classId: c.id, minDays: o.min_days, maxDays: o.max_days, overridden: true }
        : { classId: c.id, minDays: c.retention.minDays, maxDays: c.retention.maxDays, overridden: false }
    })
}

/** Why a policy is refused (a maximum below the minimum, or a minimum below the declared legal one). @category models @since 0.7.0 */
export class PolicyRefused extends Error {
  readonly _tag = "PolicyRefused"
  constructor(
    readonly field: "minDays" | "maxDays" | "classId",
    readonly code: "belowLegalMinimum" | "belowMinimum" | "unknownDataClass",
    message: string,
  ) {
    super(message)
  }
}

/**
 * Set an organisation's retention for a class. The minimum may not go below the declared one
 * (the declared minimum is the legal one) and the maximum may not be below the minimum.
 * @category constructors
 * @since 0.7.0
 */
export const setPolicy = async (
  db: Database,
  ctx: Ctx,
  input: { readonly classId: string; readonly minDays: number; readonly maxDays: number | null },
): Promise<Policy> => {
  const c = DataClasses.get(input.classId)
  if (!c || c.global)
    throw new PolicyRefused("classId", "unknownDataClass", `unknown data class ${input.classId}`)
  if (input.minDays < c.retention.minDays)
    throw new PolicyRefused(
      "minDays",
      "belowLegalMinimum",
      `the minimum of ${c.id} may not be below ${c.retention.minDays} days`,
    )
  if (input.maxDays !== null && input.maxDays < input.minDays)
    throw new PolicyRefused("maxDays", "belowMinimum", "the maximum may not be below the minimum")
  return change(db, ctx, async ({ tx, audit }) => {
    await tx
      .insertInto("risk.privacy_policy")
      .values({
        org_id: ctx.orgId,
        class_id: c.id,
        min_days: input.minDays,
        max_days: input.maxDays,
        updated_by: ctx.actor.id,
      })
      .onConflict((oc) =>
        oc.columns(["org_id", "class_id"]).doUpdateSet({
          min_days: input.minDays,
          max_days: input.maxDays,
          updated_by: ctx.actor.id,
          updated_at: new Date(),
        }),
      )
      .execute()
    await audit({ action: "privacy.policy.set", entityType: "data_class", entityId: c.id, after: input })
    return { classId: c.id, minDays: input.minDays, maxDays: input.maxDays, overridden: true }
  })
}

/** The rows of a class that are due, as a condition on the alias `t`. */
const due = (c: DataClass, orgId: string, policy: Policy, now: Date) => {
  const maxCutoff = new Date(now.getTime() - (policy.maxDays ?? 0) * DAY)
  const minCutoff = new Date(now.getTime() - policy.minDays * DAY)
  return sql<boolean>`t.org_id = ${orgId} and ${belongs(c)} and ${col(c.ageColumn)} < ${maxCutoff}
    and ${col(c.ageColumn)} < ${minCutoff} and ${notYetPurged(c)}`
}

/** What a dry run finds for one class. @category models @since 0.7.0 */
export interface DryRunEntry {
  readonly classId: string
  readonly module: string
  readonly action: "delete" | "anonymise"
  readonly policy: Policy
  /** Rows that would go now. */
  readonly due: number
  /** Rows past the maximum that a legal hold keeps. */
  readonly held: number
}

/**
 * What a purge would remove now, per class, and what holds keep (nothing is changed).
 * @category getters
 * @since 0.7.0
 */
export const dryRun = async (
  db: Database,
  orgId: string,
  now = new Date(),
): Promise<ReadonlyArray<DryRunEntry>> => {
  const q = tables(db)
  const out: DryRunEntry[] = []
  for (const policy of await policies(q, orgId)) {
    const c = DataClasses.get(policy.classId)!
    if (policy.maxDays === null) {
      out.push({ classId: c.id, module: c.module, action: c.purge.kind, policy, due: 0, held: 0 })
      continue
    }
    const r = await sql<{ due: string; held: string }>`select
        count(*) filter (where ${notHeld(c)}) as due, count(*) filter (where not ${notHeld(c)}) as held
      from ${table(c.table)} t where ${due(c, orgId, policy, now)}`.execute(q)
    out.push({
      classId: c.id,
      module: c.module,
      action: c.purge.kind,
      policy,
      due: Number(r.rows[0]?.due ?? 0),
      held: Number(r.rows[0]?.held ?? 0),
    })
  }
  return out
}

/** sha256 of a row's identity: evidence that names no one (a known id can be checked against it). @category constructors @since 0.7.0 */
export const hashId = (orgId: string, c: DataClass, key: string): string =>
  hash("sha256", `${orgId}:${c.table}:${key}`, "hex")

/** One evidence row as written. @category models @since 0.7.0 */
export interface Evidence {
  readonly id: string
  readonly classId: string
  readonly action: "delete" | "anonymise"
  readonly count: number
  readonly hashedIds: ReadonlyArray<string>
  readonly policy: AppliedPolicy
  readonly trigger: PurgeTrigger
  readonly at: Date
}

/**
 * Remove (delete or anonymise) the rows of a class matching `where` (on alias `t`), in batches, each
 * with its evidence and audit record. Used by the schedule (rows past the maximum) and by erasure
 * requests (a customer's rows past the minimum).
 * @category constructors
 * @since 0.7.0
 */
export const removeRows = async (
  db: Database,
  ctx: Ctx,
  c: DataClass,
  where: RawBuilder<boolean>,
  evidence: {
    readonly policy: AppliedPolicy
    readonly trigger: PurgeTrigger
    readonly requestId?: string
    /** The purge's clock (the audit log's minimum is counted back from it). */
    readonly now?: Date
  },
): Promise<ReadonlyArray<Evidence>> => {
  const out: Evidence[] = []
  for (;;) {
    const batch = await change(db, ctx, async ({ tx, audit }) => {
      const picked = sql`select ${keyOf(c)} as k, ctid as rid from ${table(c.table)} t
        where ${where} and ${notHeld(c)} limit ${BATCH} for update skip locked`
      const removed =
        c.purge.kind === "delete"
          ? await sql<{ k: string }>`with picked as (${picked})
              delete from ${table(c.table)} t using picked p where t.ctid = p.rid returning p.k`.execute(tx)
          : await sql<{ k: string }>`with picked as (${picked})
              update ${table(c.table)} t set ${sql.join(
                Object.entries(c.purge.columns).map(([name, a]) => sql`${sql.id(name)} = ${anonymous(a)}`),
              )} from picked p where t.ctid = p.rid returning p.k`.execute(tx)
      if (removed.rows.length === 0) return null
      const keys = removed.rows.map((r) => r.k)
      for (const d of c.purge.kind === "delete" ? (c.dependents ?? []) : [])
        await sql`delete from ${table(d.table)} where org_id = ${ctx.orgId} and ${sql.id(d.column)} = any(${keys})`.execute(
          tx,
        )
      // the audit records about these rows lose their payload (past the audit log's own minimum), not their place in the chain
      if (c.key.length === 1)
        await Audit.redact(tx, ctx, {
          entityIds: keys,
          before: new Date((evidence.now ?? new Date()).getTime() - DataClasses.MINIMUM.securityLog * DAY),
          reason: `privacy.purge ${c.id}`,
        })
      const e: Evidence = {
        id: Id.make("prg"),
        classId: c.id,
        action: c.purge.kind,
        count: keys.length,
        hashedIds: keys.map((k) => hashId(ctx.orgId, c, k)).sort(),
        policy: evidence.policy,
        trigger: evidence.trigger,
        at: new Date(),
      }
      await tx
        .insertInto("risk.privacy_purge")
        .values({
          org_id: ctx.orgId,
          id: e.id,
          at: e.at,
          class_id: c.id,
          action: e.action,
          count: e.count,
          hashed_ids: JSON.stringify(e.hashedIds),
          policy: JSON.stringify(e.policy),
          trigger: e.trigger,
          request_id: evidence.requestId ?? null,
          actor_id: ctx.actor.id,
        })
        .execute()
      // the chain carries the digest of the hashed ids: altering the evidence afterwards is detectable
      await audit({
        action: "privacy.purged",
        entityType: "data_class",
        entityId: c.id,
        after: {
          purgeId: e.id,
          action: e.action,
          count: e.count,
          idsDigest: hash("sha256", e.hashedIds.join("\n"), "hex"),
          policy: e.policy,
          trigger: e.trigger,
          requestId: evidence.requestId ?? null,
        },
      })
      return e
    })
    if (!batch) return out
    out.push(batch)
    if (batch.count < BATCH) return out
  }
}

/**
 * Purge what is past its maximum, for every class of an organisation.
 * @category constructors
 * @since 0.7.0
 */
export const purge = async (
  db: Database,
  ctx: Ctx,
  options: {
    readonly now?: Date
    readonly trigger?: PurgeTrigger
    readonly classIds?: ReadonlyArray<string>
  } = {},
): Promise<ReadonlyArray<Evidence>> => {
  const now = options.now ?? new Date()
  const out: Evidence[] = []
  for (const policy of await policies(tables(db), ctx.orgId)) {
    if (policy.maxDays === null) continue
    if (options.classIds && !options.classIds.includes(policy.classId)) continue
    const c = DataClasses.get(policy.classId)!
    const cutoff = new Date(now.getTime() - Math.max(policy.maxDays, policy.minDays) * DAY)
    out.push(
      ...(await removeRows(db, ctx, c, due(c, ctx.orgId, policy, now), {
        policy: {
          minDays: policy.minDays,
          maxDays: policy.maxDays,
          strategy: c.purge.kind,
          cutoff: cutoff.toISOString(),
        },
        trigger: options.trigger ?? "manual",
        now,
      })),
    )
  }
  return out
}

/** The job kind of the daily purge. @category models @since 0.7.0 */
export const JOB_KIND = "risk.privacy.purge"

/** Schedule the daily purge over every organisation (idempotent by key). @category constructors @since 0.7.0 */
export const schedule = (db: Database, firstRun = new Date()) =>
  Jobs.schedule(db, {
    kind: JOB_KIND,
    key: "daily",
    runAt: firstRun,
    everySeconds: 86_400,
    maxAttempts: 1000,
  })

/** The job handler (register with the API's job runner): every organisation's purge, one after the other. @category constructors @since 0.7.0 */
export const jobHandlers: Jobs.JobHandlers = {
  [JOB_KIND]: async (job, db) => {
    const orgs = job.orgId
      ? [job.orgId]
      : (await sql<{ id: string }>`select id from core.organization order by id`.execute(db.kysely)).rows.map(
          (r) => r.id,
        )
    for (const orgId of orgs) await purge(db, Tenancy.system(orgId, "retention"), { trigger: "schedule" })
  },
}
