import type { Migrations } from "@tenet/core"
import * as m0001 from "./0001_register"
import * as m0002 from "./0002_continuity"
import * as m0003 from "./0003_privacy"

/** The risk module's migrations (schema `risk`). */
export const riskMigrations: Migrations.ModuleMigrations = {
  module: "risk",
  schema: "risk",
  migrations: { "0001_register": m0001, "0002_continuity": m0002, "0003_privacy": m0003 },
}
