import type { ModuleMigrations } from "../Migrations"
import * as m0001 from "./0001_core"
import * as m0002 from "./0002_outbox_order"

/** The core module's migrations (schema `core`). */
export const coreMigrations: ModuleMigrations = {
  module: "core",
  schema: "core",
  migrations: { "0001_core": m0001, "0002_outbox_order": m0002 },
}
