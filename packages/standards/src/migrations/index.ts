import type { Migrations } from "@tenet/core"
import * as m0001 from "./0001_standards"
import * as m0002 from "./0002_quality"
import * as m0003 from "./0003_reviews"
import * as m0004 from "./0004_breach_evidence"
import * as m0005 from "./0005_sampling_plans"

/** The standards module's migrations (schema `standards`). */
export const standardsMigrations: Migrations.ModuleMigrations = {
  module: "standards",
  schema: "standards",
  migrations: {
    "0001_standards": m0001,
    "0002_quality": m0002,
    "0003_reviews": m0003,
    "0004_breach_evidence": m0004,
    "0005_sampling_plans": m0005,
  },
}
