import { Batching, type Db, Eligibility, Errors, type Tenancy } from "@tenet/core"
import { ensureDefaults } from "../Config"
import {
  type CaseInput,
  checkCaseInput,
  type IntakeCache,
  intakeCache,
  intakeMany,
  loadIntakeCache,
} from "../Intake"
import { type CaseRecord, change, type Ex, processDb } from "../Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

/**
 * Receive a case: customer, priority from urgency × impact, routing, repeat detection, the
 * first matching SLA policy (its version pinned to the case), clocks and their next event.
 *
 * Concurrent calls for one organisation and actor share transactions (group commit, see
 * `Batching` in @tenet/core): an idle organisation's case is written at once; under load, the
 * cases that arrive while one transaction runs go together in the next one, each with its own
 * audit record (and request id) and event. A case that fails is retried alone, so it fails
 * alone. A call with an explicit `now` runs by itself.
 * @category constructors
 * @since 0.1.0
 */
export const createCase = async (
  db: Database,
  ctx: Ctx,
  input: CaseInput,
  options: { now?: Date } = {},
): Promise<CaseRecord> => {
  const issues = checkCaseInput(input)
  if (issues.length) throw new Errors.ValidationError({ message: "invalid case", issues })
  await ensureDefaults(db, ctx)
  if (options.now) return (await createCases(db, ctx, [{ input, requestId: ctx.requestId }], options))[0]!
  let batcher = batchers.get(db)
  // One batch of an organisation at a time while the load is light (fewer, larger transactions,
  // no wait on the audit chain's lock); when 16 calls wait, a second one is written while the
  // first commits (PostgreSQL only: PGlite has one connection).
  if (!batcher) {
    batcher = Batching.make({ concurrency: db.kind === "postgres" ? 2 : 1, parallelFrom: 16 })
    batchers.set(db, batcher)
  }
  const lane = `${ctx.orgId}\u0000${ctx.actor.type}\u0000${ctx.actor.id}`
  return batcher.submit(lane, { input, requestId: ctx.requestId }, (items) => createCases(db, ctx, items))
}

const batchers = new WeakMap<
  Database,
  Batching.Batcher<{ input: CaseInput; requestId: string | undefined }, CaseRecord>
>()

/**
 * Receive several cases in one transaction (all or none), each with its audit record and
 * event. Inputs must have passed `checkCaseInput`.
 * @category constructors
 * @since 0.2.0
 */
export const createCases = async (
  db: Database,
  ctx: Ctx,
  items: ReadonlyArray<{ readonly input: CaseInput; readonly requestId?: string | undefined }>,
  options: { now?: Date } = {},
): Promise<CaseRecord[]> => {
  // the organisation's settings, policies and vocabulary exist before its first cases
  await ensureDefaults(db, ctx)
  // On PostgreSQL the configuration in force (settings, policies, calendars) is read before the
  // transaction, in one statement that writes nothing; the numbers are taken in the statement that
  // writes the cases (see `intakeMany`).
  const cache = db.kind === "postgres" ? await loadIntakeCache(processDb(db), ctx.orgId) : intakeCache()
  return change(db, ctx, async ({ tx, auditAll, emitAll, lockAuditHead, auditHeadLocked }) => {
    const created = await intakeMany(
      tx,
      ctx,
      items.map((item) => item.input),
      options.now ?? new Date(),
      cache,
      { auditHead: { lock: lockAuditHead, locked: auditHeadLocked } },
    )
    // routing to a person: the eligibility gate (certification) decides, as for a manual assignment
    for (const [i, c] of created.entries()) {
      if (!c.ownerId) continue
      const decision = await Eligibility.check(tx, ctx.orgId, c.ownerId, c, options.now ?? new Date())
      if (!decision.eligible)
        throw notEligible(c.ownerId, decision, items.length > 1 ? [i, "ownerId"] : ["ownerId"])
    }
    await auditAll(
      created.map((c, i) => ({
        action: "case.created",
        entityType: "case",
        entityId: c.id,
        after: { number: c.number, type: c.type, priority: c.priority, policyId: c.policyId },
        requestId: items[i]!.requestId,
      })),
    )
    await emitAll(
      created.map((c) => ({
        type: "process.case.created",
        aggregateType: "case",
        aggregateId: c.id,
        payload: { number: c.number, type: c.type, channel: c.channel, priority: c.priority },
      })),
    )
    return created
  })
}

/** The refusal of an assignment to a person the eligibility gate does not let work the case. */
export const notEligible = (
  ownerId: string,
  decision: Eligibility.Decision,
  path: ReadonlyArray<string | number>,
) =>
  new Errors.ConflictError({
    message: `${ownerId} may not work this case: ${decision.refusals.map((r) => r.message).join("; ")}`,
    field: path.join("."),
    code: "notEligible",
    params: { owner: ownerId, requirements: decision.refusals.map((r) => r.requirement).join(", ") },
  })

/** One intake inside a transaction (the demo data uses it with a cache). */
export const createCaseIn = async (
  tx: Ex,
  ctx: Ctx,
  input: CaseInput,
  now: Date,
  cache?: IntakeCache,
): Promise<CaseRecord> => (await intakeMany(tx, ctx, [input], now, cache))[0]!
