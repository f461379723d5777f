// Intake's input: a case as the API, an import or the demo data brings it, its field checks and its routing.
import type { Errors } from "@tenet/core"
import { CASE_TYPES, CHANNELS, LEVELS, type Status, TIERS } from "../Case"
import { type CustomerInput, checkCustomer, MAX_KEY_LENGTH, tooLong } from "../Config"
import { calendarRangeIssue, inCalendarRange } from "../Store"

export interface CaseInput {
  readonly externalId?: string | undefined
  readonly customerId?: string | undefined
  /** Create or update the customer with the case (matched on externalId). */
  readonly customer?: CustomerInput | undefined
  readonly type: string
  readonly channel: string
  readonly subject: string
  readonly content?: string | undefined
  readonly urgency?: string | undefined
  readonly impact?: string | undefined
  readonly category?: string | undefined
  readonly tier?: string | undefined
  readonly team?: string | undefined
  readonly ownerId?: string | undefined
  readonly receivedAt?: Date | undefined
  /** When the intake record was completed; defaults to now. */
  readonly recordedAt?: Date | undefined
  readonly milestones?: ReadonlyArray<{ name: string; due?: string }> | undefined
  /** A case number taken beforehand (see `createCase`); otherwise one is taken in the transaction. */
  readonly number?: number | undefined
}

/**
 * Fields stored in an indexed column or used as a rollup key (external id, type, category, team,
 * owner, customer): at most this many characters, so one value can never exceed an index row.
 * @since 0.2.0
 */
export const KEYED_FIELDS = ["externalId", "customerId", "type", "category", "team", "ownerId"] as const

/** Field-level checks, each issue with its path. */
export const checkCaseInput = (input: CaseInput, prefix: string[] = []): Errors.FieldIssue[] => {
  const issues: Errors.FieldIssue[] = []
  const p = (f: string) => [...prefix, f]
  if (!input.type?.trim())
    issues.push({
      path: p("type"),
      message: `must not be empty (e.g. ${CASE_TYPES.join(", ")})`,
      code: "required",
    })
  if (!(CHANNELS as readonly string[]).includes(input.channel))
    issues.push({
      path: p("channel"),
      message: `must be one of ${CHANNELS.join(", ")}`,
      code: "oneOf",
      params: { values: CHANNELS.join(", ") },
    })
  if (!input.subject?.trim())
    issues.push({ path: p("subject"), message: "must not be empty", code: "required" })
  for (const f of ["urgency", "impact"] as const)
    if (input[f] !== undefined && !(LEVELS as readonly string[]).includes(input[f]!))
      issues.push({
        path: p(f),
        message: `must be one of ${LEVELS.join(", ")}`,
        code: "oneOf",
        params: { values: LEVELS.join(", ") },
      })
  if (input.tier !== undefined && !(TIERS as readonly string[]).includes(input.tier))
    issues.push({
      path: p("tier"),
      message: `must be one of ${TIERS.join(", ")}`,
      code: "oneOf",
      params: { values: TIERS.join(", ") },
    })
  for (const f of ["receivedAt", "recordedAt", "resolvedAt"] as const) {
    const d = (input as HistoricalCaseInput)[f]
    if (d === undefined || d === null) continue
    if (!(d instanceof Date && !Number.isNaN(d.getTime())))
      issues.push({ path: p(f), message: "must be a date-time", code: "dateTime" })
    // SLA clocks run on business calendars, which cover a bounded range of years
    else if (!inCalendarRange(d)) issues.push(calendarRangeIssue(p(f)))
  }
  if (input.receivedAt && input.recordedAt && input.recordedAt < input.receivedAt)
    issues.push({
      path: p("recordedAt"),
      message: "cannot be before receivedAt",
      code: "notBefore",
      params: { other: "receivedAt" },
    })
  for (const f of KEYED_FIELDS) {
    const v = input[f]
    if (typeof v === "string" && v.length > MAX_KEY_LENGTH) issues.push(tooLong(p(f)))
  }
  if (input.customer) issues.push(...checkCustomer(input.customer, p("customer")))
  return issues
}

const ROUTES: Readonly<Record<string, string>> = {
  technical: "technical",
  billing: "billing",
  complaint: "complaints",
}

/** Routing: technical problems to the technical team, complaints to the complaints team, VIPs to their dedicated team. */
export const routeTeam = (
  input: { type: string; category?: string | undefined; team?: string | undefined },
  dedicatedTeam: string | null,
) =>
  input.team ??
  dedicatedTeam ??
  (input.type === "complaint"
    ? "complaints"
    : ((Object.hasOwn(ROUTES, input.category ?? "") ? ROUTES[input.category ?? ""] : undefined) ?? "general"))

/** A case as an import brings it: possibly already answered, resolved or closed in the source system. */
export interface HistoricalCaseInput extends CaseInput {
  /** The status in the source system; history is recorded as it was, not replayed. */
  readonly status?: Status | undefined
  /** When the source system resolved it: stops the first-response and resolution clocks then. */
  readonly resolvedAt?: Date | undefined
}
