import type { Migrations } from "@tenet/core"
import * as m0001 from "./0001_standards"

/** The standards module's migrations (schema `standards`). */
export const standardsMigrations: Migrations.ModuleMigrations = {
  module: "standards",
  schema: "standards",
  migrations: { "0001_standards": m0001 },
}
