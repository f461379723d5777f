import type { ModuleMigrations } from "../Migrations"
import * as m0001 from "./0001_core"
import * as m0002 from "./0002_outbox_order"
import * as m0003 from "./0003_plugin_state"
import * as m0004 from "./0004_audit_checkpoints"
import * as m0005 from "./0005_teams"
import * as m0006 from "./0006_shifts"
import * as m0007 from "./0007_encryption"

/** The core module's migrations (schema `core`). */
export const coreMigrations: ModuleMigrations = {
  module: "core",
  schema: "core",
  migrations: {
    "0001_core": m0001,
    "0002_outbox_order": m0002,
    "0003_plugin_state": m0003,
    "0004_audit_checkpoints": m0004,
    "0005_teams": m0005,
    "0006_shifts": m0006,
    "0007_encryption": m0007,
  },
}
