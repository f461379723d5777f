// The process module's database: its typed executor, its changes and rows as JSON.
import { Change, type CoreTables, type Db } from "@tenet/core"
import type { Kysely, Transaction } from "kysely"
import type { ProcessTables } from "../migrations/schema"

/** The tables process code sees: its own and core's. */
export type ProcessDb = CoreTables & ProcessTables
/** An executor: the module's typed database (`db.as<ProcessTables>()`) or a transaction of it. */
export type Ex = Kysely<ProcessDb>

/** The module's typed database. */
export const processDb = (db: Db.Database): Ex => db.as<ProcessTables>()

/**
 * A core change's transaction seen with process's tables too: the same transaction (process's
 * tables exist once its migrations ran); for the `…In` functions whose signature takes core's scope.
 */
export const asProcess = (tx: Transaction<CoreTables>): Transaction<ProcessDb> =>
  tx as unknown as Transaction<ProcessDb>

/** `Change.change` with the transaction typed by process's tables. */
export const change: Change.TypedChange<ProcessTables> = Change.typed<ProcessTables>()

/** A row as `row_to_json`/`json_agg` return it: timestamps are ISO strings. */
export type AsJson<R> = {
  [K in keyof R]: R[K] extends Date ? string : R[K] extends Date | null ? string | null : R[K]
}
