import type { Migrations } from "@tenet/core"
import * as m0001 from "./0001_process"

/** The process module's migrations (schema `process`). */
export const processMigrations: Migrations.ModuleMigrations = {
  module: "process",
  schema: "process",
  migrations: { "0001_process": m0001 },
}
