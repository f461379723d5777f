// What the risk files share: the typed database and change, the caller's context, the metric registry contract.
import { Change, type Contracts, type CoreTables, type Db, type Tenancy } from "@tenet/core"
import type { Kysely } from "kysely"
import type { RiskTables } from "./migrations/schema"

export type Database = Db.Database
export type Ctx = Tenancy.OrgContext

/** What the risk module needs from the metric registry the API builds. @category models @since 0.1.0 */
export interface Registry {
  readonly get: (id: string) => Contracts.MetricDefinition | undefined
}

/** The database typed with the risk tables (and core's). */
export const tables = (db: Database) => db.as<RiskTables>()
/** `Change.change` with the transaction typed by the risk tables. */
export const change: Change.TypedChange<RiskTables> = Change.typed<RiskTables>()

/** Who acts, as stored (`rated_by`, `recorded_by`…). */
export const actorOf = (ctx: Ctx) => ctx.actor.id

/** A typed query builder: the database's (`tables(db)`) or a change's transaction. */
export type Q = Kysely<CoreTables & RiskTables>
