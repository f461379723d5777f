import type { Migrations } from "@tenet/core"
import * as m0001 from "./0001_register"
import * as m0002 from "./0002_continuity"

/** The risk module's migrations (schema `risk`). */
export const riskMigrations: Migrations.ModuleMigrations = {
  module: "risk",
  schema: "risk",
  migrations: { "0001_register": m0001, "0002_continuity": m0002 },
}
