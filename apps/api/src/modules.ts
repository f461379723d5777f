import { coreMigrations, type Migrations } from "@tenet/core"
import { feedbackMigrations } from "@tenet/feedback"
import { processMigrations } from "@tenet/process"
import { standardsMigrations } from "@tenet/standards"
import { iamMigrations } from "./iam/migrations"
import { notifyMigrations } from "./notify/migrations"
import { reportsMigrations } from "./reports/migrations"

/** Every module's migrations, in dependency order. */
export const MODULES: ReadonlyArray<Migrations.ModuleMigrations> = [
  coreMigrations,
  iamMigrations,
  processMigrations,
  standardsMigrations,
  reportsMigrations,
  notifyMigrations,
  feedbackMigrations,
]
