/**
 * The tables the API itself reads and writes, typed by the union of the modules' declarations.
 * Each module sees only its own tables and core's (`db.as<ItsTables>()`); the API composes the
 * modules, so where it touches several (purging sign-in records, the audit log with people's
 * names) it uses this view.
 */
import type { CoreTables, Db } from "@tenet/core"
import type { CultureTables } from "@tenet/culture"
import type { FeedbackTables } from "@tenet/feedback"
import type { ProcessTables } from "@tenet/process"
import type { RiskTables } from "@tenet/risk"
import type { StandardsTables } from "@tenet/standards"
import type { IamTables } from "./iam/schema"
import type { NotifyTables } from "./notify/schema"
import type { ReportsTables } from "./reports/schema"

export type AppTables = CoreTables &
  IamTables &
  ProcessTables &
  StandardsTables &
  CultureTables &
  NotifyTables &
  ReportsTables &
  RiskTables &
  FeedbackTables

/** The database typed with every table the API knows. */
export const appTables = (db: Db.Database) =>
  db.as<
    IamTables &
      ProcessTables &
      StandardsTables &
      CultureTables &
      NotifyTables &
      ReportsTables &
      RiskTables &
      FeedbackTables
  >()
