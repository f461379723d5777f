import { ContactPermissions, Corrections, coreMigrations, Eligibility, type Migrations } from "@tenet/core"
import { Certification, cultureMigrations } from "@tenet/culture"
import { Corrector as FeedbackCorrector, feedbackMigrations } from "@tenet/feedback"
import { Privacy as ProcessPrivacy, processMigrations } from "@tenet/process"
import { Consent, riskMigrations } from "@tenet/risk"
import { standardsMigrations } from "@tenet/standards"
import { iamMigrations } from "./iam/migrations"
import { notifyMigrations } from "./notify/migrations"
import { registerDataClasses } from "./privacy/dataClasses"
import { reportsMigrations } from "./reports/migrations"

/** Every module's migrations, in dependency order. */
export const MODULES: ReadonlyArray<Migrations.ModuleMigrations> = [
  coreMigrations,
  iamMigrations,
  processMigrations,
  standardsMigrations,
  cultureMigrations,
  reportsMigrations,
  notifyMigrations,
  riskMigrations,
  feedbackMigrations,
]

/**
 * The contracts one module implements for another, installed once per process (`createApp` and the
 * server's start call this): who may work what — process asks core's eligibility contract,
 * culture's certifications answer it.
 */
export const wireContracts = () => {
  Eligibility.provide(Certification.eligibility)
  // every module's personal data, declared (retention, subject requests and the inventory read it)
  registerDataClasses()
  // whether a customer may be contacted (surveys, outbound messages): risk's consent ledger answers
  ContactPermissions.provide(Consent.provider)
  // corrections a subject request asks for: applied by the module holding the fields (the customer's
  // record in process; what they wrote in feedback, record by record)
  Corrections.register(ProcessPrivacy.customerCorrector)
  for (const c of FeedbackCorrector.correctors) Corrections.register(c)
}
