/** The culture module's typed database and change. */
import { Change, type Db, type Tenancy } from "@tenet/core"
import type { CultureTables } from "./migrations/schema"

export type Database = Db.Database
export type Ctx = Tenancy.OrgContext

/** The database typed with the culture tables (and core's). */
export const tables = (db: Database) => db.as<CultureTables>()
/** @category models @since 0.1.0 */
export type CultureDb = ReturnType<typeof tables>

/** `Change.change` typed with the culture tables. */
export const change: Change.TypedChange<CultureTables> = Change.typed<CultureTables>()

/** Today's local date (UTC) of an instant, "YYYY-MM-DD". */
export const isoDate = (d: Date) => d.toISOString().slice(0, 10)
/** A date `days` after `d`. */
export const addDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000)
