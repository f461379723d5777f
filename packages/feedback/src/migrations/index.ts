import type { Migrations } from "@tenet/core"
import * as m0001 from "./0001_feedback"

/** The feedback module's migrations (schema `feedback`). */
export const feedbackMigrations: Migrations.ModuleMigrations = {
  module: "feedback",
  schema: "feedback",
  migrations: { "0001_feedback": m0001 },
}
