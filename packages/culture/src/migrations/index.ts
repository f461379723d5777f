import type { Migrations } from "@tenet/core"
import * as m0001 from "./0001_culture"
import * as m0002 from "./0002_low_score"
import * as m0003 from "./0003_criterion_skill"
import * as m0004 from "./0004_incentives_programmes"

/** The culture module's migrations (schema `culture`). */
export const cultureMigrations: Migrations.ModuleMigrations = {
  module: "culture",
  schema: "culture",
  migrations: {
    "0001_culture": m0001,
    "0002_low_score": m0002,
    "0003_criterion_skill": m0003,
    "0004_incentives_programmes": m0004,
  },
}
