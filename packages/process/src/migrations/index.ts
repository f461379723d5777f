import type { Migrations } from "@tenet/core"
import * as m0001 from "./0001_process"
import * as m0002 from "./0002_queue_indexes"
import * as m0003 from "./0003_cycles"
import * as m0004 from "./0004_rollups"
import * as m0005 from "./0005_rollup_dims"
import * as m0006 from "./0006_workflow_library"
import * as m0007 from "./0007_rollup_dirty"
import * as m0008 from "./0008_sla_next_event"
import * as m0009 from "./0009_drop_number_order"
import * as m0010 from "./0010_import_lease"
import * as m0011 from "./0011_teams"
import * as m0012 from "./0012_workforce"
import * as m0013 from "./0013_encryption"
import * as m0014 from "./0014_handle_time"
import * as m0015 from "./0015_vocabulary"
import * as m0016 from "./0016_rollup_sketches"

/** The process module's migrations (schema `process`). */
export const processMigrations: Migrations.ModuleMigrations = {
  module: "process",
  schema: "process",
  migrations: {
    "0001_process": m0001,
    "0002_queue_indexes": m0002,
    "0003_cycles": m0003,
    "0004_rollups": m0004,
    "0005_rollup_dims": m0005,
    "0006_workflow_library": m0006,
    "0007_rollup_dirty": m0007,
    "0008_sla_next_event": m0008,
    "0009_drop_number_order": m0009,
    "0010_import_lease": m0010,
    "0011_teams": m0011,
    "0012_workforce": m0012,
    "0013_encryption": m0013,
    "0014_handle_time": m0014,
    "0015_vocabulary": m0015,
    "0016_rollup_sketches": m0016,
  },
}
