/** The database typed with the iam tables, and the one place a change's transaction is narrowed to them. */
import type { Db } from "@tenet/core"
import type { Transaction } from "kysely"
import type { IamTables } from "./schema"

export type Database = Db.Database

export const tables = (db: Database) => db.as<IamTables>()
export type IamDb = ReturnType<typeof tables>

// biome-ignore lint/suspicious/noExplicitAny: the change scope's transaction is shared by every module and not typed by one
export const inTx = (tx: Transaction<any>): IamDb => tx as unknown as IamDb
