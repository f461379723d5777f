/** The module's typed database and change (internal). */
import { Change, type Db } from "@tenet/core"
import type { FeedbackTables } from "./migrations/schema"

export const change = Change.typed<FeedbackTables>()
export const fdb = (db: Db.Database) => db.as<FeedbackTables>()
export type Tx = Change.ChangeScope<import("@tenet/core").CoreTables & FeedbackTables>["tx"]
