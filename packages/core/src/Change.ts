/**
 * A change of state: one transaction that writes the rows, their audit records and their
 * domain events (rule 6 of the architecture). Module code writes through `change`, so no
 * mutation can skip its audit record.
 *
 * @since 0.1.0
 */
import type { Transaction } from "kysely"
import * as Audit from "./Audit"
import type { Database } from "./Db"
import * as Outbox from "./Outbox"
import type { OrgContext } from "./Tenancy"

/** What a change function receives. @category models @since 0.1.0 */
export interface ChangeScope {
  readonly tx: Transaction<any>
  readonly ctx: OrgContext
  readonly audit: (input: Audit.AuditInput) => Promise<void>
  readonly emit: (event: Outbox.EventInput) => Promise<void>
  /** Several audit records at once (one chain-head lock, one insert). */
  readonly auditAll: (inputs: ReadonlyArray<Audit.AuditInput>) => Promise<void>
  /** Several events at once (one insert). */
  readonly emitAll: (events: ReadonlyArray<Outbox.EventInput>) => Promise<void>
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
  db.kysely.transaction().execute(async (tx) =>
    fn({
      tx,
      ctx,
      audit: async (input) => {
        await Audit.append(tx, ctx, input)
      },
      emit: async (event) => {
        await Outbox.publish(tx, ctx, event)
      },
      auditAll: async (inputs) => {
        await Audit.appendMany(tx, ctx, inputs)
      },
      emitAll: async (events) => {
        await Outbox.publishMany(tx, ctx, events)
      },
    }),
  )
