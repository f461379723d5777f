import type { Migrations } from "@tenet/core"
import * as m0001 from "./0001_process"
import * as m0002 from "./0002_queue_indexes"

/** The process module's migrations (schema `process`). */
export const processMigrations: Migrations.ModuleMigrations = {
  module: "process",
  schema: "process",
  migrations: { "0001_process": m0001, "0002_queue_indexes": m0002 },
}
