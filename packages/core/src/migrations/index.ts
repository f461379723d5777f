import type { ModuleMigrations } from "../Migrations"
import * as m0001 from "./0001_core"

/** The core module's migrations (schema `core`). */
export const coreMigrations: ModuleMigrations = {
  module: "core",
  schema: "core",
  migrations: { "0001_core": m0001 },
}
