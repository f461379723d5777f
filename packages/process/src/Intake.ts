/**
 * Intake: receiving cases, one or many at a time. `intakeMany` is set-based — whatever the
 * number of cases, it reads the settings, policies and calendars once, upserts the customers in
 * one statement, takes the case numbers in one, finds repeat contacts in one, and writes the
 * cases, their timeline and their SLA clocks (each with the time of its next event, for the
 * SLA sweep) in one insert each. The API
 * (one case), the importer (a batch of rows) and the demo data all go through it, so they
 * follow the same rules.
 *
 * @since 0.1.0
 */
import { Errors, type Tenancy } from "@tenet/core"
import { vocabularyIssues } from "./config/Vocabulary"
import { type IntakeCache, intakeCache, loadIntakeCache } from "./intake/cache"
import { intakeCustomers } from "./intake/customers"
import type { HistoricalCaseInput } from "./intake/input"
import { planCases } from "./intake/plan"
import { intakeRecords } from "./intake/records"
import { findRepeats, scheduleRecurring } from "./intake/repeats"
import { type IntakeOptions, writeIntake } from "./intake/write"
import type { CaseRecord, Ex } from "./Store"

export { type IntakeCache, intakeCache, loadIntakeCache } from "./intake/cache"
export {
  FOLLOW_UP_JOB,
  JOB_KIND,
  newClock,
  nextSlaEvent,
  type Scheduled,
  SWEEP_JOB,
  saveScheduled,
} from "./intake/clocks"
export {
  type CaseInput,
  checkCaseInput,
  type HistoricalCaseInput,
  KEYED_FIELDS,
  routeTeam,
} from "./intake/input"
export type { IntakeOptions } from "./intake/write"

type Ctx = Tenancy.OrgContext

/**
 * Receive many cases in the caller's transaction, in input order (a later case may be the
 * repeat of an earlier one). Same rules as one at a time: customer, priority from urgency ×
 * impact, routing, repeat detection, the first matching SLA policy (its version pinned), the
 * clocks with the time of their next event. `now` is when the cases are recorded as received.
 * With `records: false` nothing is read back (an import does not need the rows it wrote). With
 * `auditHead`, the statement that writes the cases also locks the audit chain head (a change's
 * `lockAuditHead`, after the case rows it updates) and hands it on (one round trip less).
 * @category constructors
 * @since 0.2.0
 */
export async function intakeMany(
  tx: Ex,
  ctx: Ctx,
  inputs: ReadonlyArray<HistoricalCaseInput>,
  now: Date,
  cache: IntakeCache = intakeCache(),
  options: IntakeOptions = {},
): Promise<CaseRecord[]> {
  if (inputs.length === 0) return []
  const orgId = ctx.orgId
  if (!cache.settings || !cache.policies || !cache.vocabulary) await loadIntakeCache(tx, orgId, cache)
  const settings = cache.settings!
  const policies = cache.policies!
  // types and categories: the organisation's vocabulary, an unknown code refused with its field
  const issues = inputs.flatMap((input, i) =>
    vocabularyIssues(input, cache.vocabulary!, inputs.length > 1 ? [i] : []),
  )
  if (issues.length) throw new Errors.ValidationError({ message: "invalid case", issues })

  const { customers, createdCustomers } = await intakeCustomers(tx, orgId, inputs)

  // numbers: the ones taken beforehand, the rest from the counter in the statement that writes the
  // cases (its row locked from there to the commit, like the audit head; an import takes its
  // numbers beforehand so that its lanes do not wait on each other)
  const unnumbered = inputs.filter((input) => input.number === undefined).length

  const cases = await planCases(tx, orgId, inputs, now, cache, settings, policies, customers)
  const storedRepeats = await findRepeats(tx, orgId, cases, createdCustomers, settings.repeatWindowDays)
  const { rows, caseRows } = await writeIntake(tx, ctx, cases, settings, storedRepeats, unnumbered, options)
  await scheduleRecurring(tx, orgId, cases, now)
  if (options.records === false) return []
  return intakeRecords(orgId, rows, caseRows, unnumbered)
}
