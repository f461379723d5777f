/**
 * A change of state: one transaction that writes the rows, their audit records and their
 * domain events (rule 6 of the architecture). Module code writes through `change`, so no
 * mutation can skip its audit record.
 *
 * @since 0.1.0
 */
import type { RawBuilder, Transaction } from "kysely"
import * as Audit from "./Audit"
import type { Database } from "./Db"
import type { CoreTables } from "./migrations/schema"
import * as Outbox from "./Outbox"
import type { OrgContext } from "./Tenancy"

/**
 * What a change function receives. `audit` and `emit` record what to write; the records and
 * events are written at the end of the change, in order, in one statement. `DB` is the tables the
 * transaction is typed with (core's by default; a module's through `typed`).
 * @category models
 * @since 0.1.0
 */
export interface ChangeScope<DB extends CoreTables = CoreTables> {
  readonly tx: Transaction<DB>
  readonly ctx: OrgContext
  readonly audit: (input: Audit.AuditInput) => Promise<void>
  readonly emit: (event: Outbox.EventInput) => Promise<void>
  /** Several audit records at once (one chain-head lock, one insert). */
  readonly auditAll: (inputs: ReadonlyArray<Audit.AuditInput>) => Promise<void>
  /** Several events at once (one insert). */
  readonly emitAll: (events: ReadonlyArray<Outbox.EventInput>) => Promise<void>
  /**
   * For hot paths, one round trip less: the statement that locks this organisation's audit
   * chain head (`Audit.lockHead`), to run as a CTE of one of the change's own statements, late in
   * the change (the head stays locked until commit). Hand the row it returns to
   * `auditHeadLocked`; the records are then written without locking again.
   */
  readonly lockAuditHead: (options?: { readonly after?: ReadonlyArray<string> }) => RawBuilder<Audit.Head>
  readonly auditHeadLocked: (head: Audit.Head) => void
}

/**
 * Run `fn` in a transaction that also holds its audit records and events.
 * @category constructors
 * @since 0.1.0
 */
export const change = <A>(
  db: Database,
  ctx: OrgContext,
  fn: (scope: ChangeScope) => Promise<A>,
): Promise<A> =>
  db.kysely.transaction().execute(async (tx) => {
    // Audit records and events are written together when `fn` is done: one round trip, and the
    // organisation's audit chain is locked only at the end of the transaction, not from the
    // first record on. Nothing is written when `fn` throws (the transaction rolls back anyway).
    const audits: Audit.AuditInput[] = []
    const events: Outbox.EventInput[] = []
    let head: Audit.Head | undefined
    const result = await fn({
      tx,
      ctx,
      audit: async (input) => {
        audits.push(input)
      },
      emit: async (event) => {
        events.push(event)
      },
      auditAll: async (inputs) => {
        audits.push(...inputs)
      },
      emitAll: async (list) => {
        events.push(...list)
      },
      lockAuditHead: (options) => Audit.lockHead(ctx, options),
      auditHeadLocked: (locked) => {
        head = locked
      },
    })
    if (audits.length || events.length)
      await Audit.appendMany(tx, ctx, audits, {
        with: events.length ? Outbox.insertEvents(ctx, events).statement : undefined,
        head,
      })
    return result
  })

/** `change` typed with a module's tables (see `typed`). @category models @since 0.5.0 */
export type TypedChange<T> = <A>(
  db: Database,
  ctx: OrgContext,
  fn: (scope: ChangeScope<CoreTables & T>) => Promise<A>,
) => Promise<A>

/**
 * `change` with the transaction typed by a module's tables and core's:
 * `const change = Change.typed<ProcessTables>()`, then `change(db, ctx, async ({ tx }) => …)` where
 * `tx` is a `Transaction<CoreTables & ProcessTables>`.
 * @category constructors
 * @since 0.5.0
 */
export const typed =
  <T>(): TypedChange<T> =>
  <A>(db: Database, ctx: OrgContext, fn: (scope: ChangeScope<CoreTables & T>) => Promise<A>): Promise<A> =>
    // the transaction is the same object; only its static type names the module's tables too
    change(db, ctx, fn as unknown as (scope: ChangeScope) => Promise<A>)
