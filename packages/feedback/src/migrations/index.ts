import type { Migrations } from "@tenet/core"
import * as m0001 from "./0001_feedback"
import * as m0002 from "./0002_items"
import * as m0003 from "./0003_rollups"
import * as m0004 from "./0004_improvement"

/** The feedback module's migrations (schema `feedback`). */
export const feedbackMigrations: Migrations.ModuleMigrations = {
  module: "feedback",
  schema: "feedback",
  migrations: {
    "0001_feedback": m0001,
    "0002_items": m0002,
    "0003_rollups": m0003,
    "0004_improvement": m0004,
  },
}
