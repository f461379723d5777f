/** The database typed with the iam tables (and core's), and changes whose transaction is. */
import { Change, type Db } from "@tenet/core"
import type { IamTables } from "./schema"

export type Database = Db.Database

export const tables = (db: Database) => db.as<IamTables>()
export type IamDb = ReturnType<typeof tables>

/** `Change.change` with the transaction typed by the iam tables (and core's). */
export const change: Change.TypedChange<IamTables> = Change.typed<IamTables>()
