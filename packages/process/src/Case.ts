/**
 * Service cases: types, channels, segments, the lifecycle and its allowed transitions,
 * urgency × impact → priority, SLA policy matching. Pure rules, no I/O.
 *
 * @since 0.1.0
 */
import { type Errors, type Notifications, Tenancy } from "@tenet/core"

/** @category models @since 0.1.0 */
export const CASE_TYPES = ["inquiry", "problem", "complaint", "request"] as const
/** @category models @since 0.1.0 */
export const CHANNELS = ["phone", "email", "chat", "web_form", "social", "on_site", "video", "api"] as const
/** @category models @since 0.1.0 */
export const SEGMENTS = ["new", "existing", "vip", "regular"] as const
/** @category models @since 0.1.0 */
export const LEVELS = ["high", "medium", "low"] as const
/** @category models @since 0.1.0 */
export const PRIORITIES = ["p1", "p2", "p3", "p4"] as const
/** @category models @since 0.1.0 */
export const TIERS = ["L1", "L2", "L3"] as const
/** @category models @since 0.1.0 */
export const STATUSES = [
  "new",
  "acknowledged",
  "in_progress",
  "pending_customer",
  "pending_third_party",
  "escalated",
  "resolved",
  "follow_up",
  "closed",
] as const

/** @category models @since 0.1.0 */
export type CaseType = (typeof CASE_TYPES)[number] | (string & {})
/** @category models @since 0.1.0 */
export type Channel = (typeof CHANNELS)[number]
/** @category models @since 0.1.0 */
export type Segment = (typeof SEGMENTS)[number]
/** @category models @since 0.1.0 */
export type Level = (typeof LEVELS)[number]
/** @category models @since 0.1.0 */
export type Priority = (typeof PRIORITIES)[number]
/** @category models @since 0.1.0 */
export type Tier = (typeof TIERS)[number]
/** @category models @since 0.1.0 */
export type Status = (typeof STATUSES)[number]

/** Statuses in which a case is open (not resolved or closed). @category models @since 0.1.0 */
export const OPEN_STATUSES: ReadonlyArray<Status> = [
  "new",
  "acknowledged",
  "in_progress",
  "pending_customer",
  "pending_third_party",
  "escalated",
]

const TRANSITIONS: Readonly<Record<Status, ReadonlyArray<Status>>> = {
  new: ["acknowledged", "in_progress", "pending_customer", "pending_third_party", "escalated", "resolved"],
  acknowledged: ["in_progress", "pending_customer", "pending_third_party", "escalated", "resolved"],
  in_progress: ["pending_customer", "pending_third_party", "escalated", "resolved"],
  pending_customer: ["in_progress", "escalated", "resolved"],
  pending_third_party: ["in_progress", "escalated", "resolved"],
  escalated: ["in_progress", "pending_customer", "pending_third_party", "resolved"],
  resolved: ["follow_up", "closed", "in_progress"],
  follow_up: ["closed", "in_progress"],
  closed: ["in_progress"],
}

/** Where a case may go from a status. @category constructors @since 0.1.0 */
export const allowedTransitions = (from: Status): ReadonlyArray<Status> => TRANSITIONS[from]

/** Why a transition is refused: the text, and a code with its values for a translated one. @category models @since 0.3.0 */
export interface Refusal {
  readonly message: string
  readonly code: string
  readonly params: Readonly<Record<string, string | number>>
}

/** Why a transition is refused, or undefined when it is allowed. @category constructors @since 0.3.0 */
export const transitionRefusal = (
  c: {
    readonly status: Status
    readonly tier: Tier
    readonly resolvedAt: Date | null
    readonly closedAt: Date | null
  },
  to: Status,
  options: { readonly now: Date; readonly reopenWindowDays: number },
): Refusal | undefined => {
  if (!(STATUSES as readonly string[]).includes(to))
    return { message: `unknown status "${to}"`, code: "unknownStatus", params: { value: to } }
  if (c.status === to)
    return { message: `the case is already ${to}`, code: "alreadyInStatus", params: { status: to } }
  if (!TRANSITIONS[c.status].includes(to)) {
    const params = { from: c.status, to }
    if (to === "closed")
      return {
        message: `a case cannot go from ${c.status} to ${to}; a case is resolved before it is closed`,
        code: "closeBeforeResolve",
        params,
      }
    if (to === "follow_up")
      return {
        message: `a case cannot go from ${c.status} to ${to}; follow-up comes after resolution`,
        code: "followUpBeforeResolve",
        params,
      }
    return { message: `a case cannot go from ${c.status} to ${to}`, code: "transitionNotAllowed", params }
  }
  if (to === "escalated" && c.tier === "L3")
    return { message: "the case is already at the highest tier (L3)", code: "highestTier", params: {} }
  const reopening =
    (c.status === "resolved" || c.status === "follow_up" || c.status === "closed") && to === "in_progress"
  if (reopening) {
    const since = c.resolvedAt ?? c.closedAt
    if (since && options.now.getTime() - since.getTime() > options.reopenWindowDays * 86_400_000)
      return {
        message: `the reopen window of ${options.reopenWindowDays} days has passed; open a new case`,
        code: "reopenWindowPassed",
        params: { days: options.reopenWindowDays },
      }
  }
  return undefined
}

/** Why a transition is refused (its text), or undefined when it is allowed. @category constructors @since 0.1.0 */
export const refuseTransition = (
  c: Parameters<typeof transitionRefusal>[0],
  to: Status,
  options: { readonly now: Date; readonly reopenWindowDays: number },
): string | undefined => transitionRefusal(c, to, options)?.message

/** Is this transition a reopening? @category guards @since 0.1.0 */
export const isReopen = (from: Status, to: Status) =>
  (from === "resolved" || from === "follow_up" || from === "closed") && to === "in_progress"

/** The next tier up. @category constructors @since 0.1.0 */
export const raiseTier = (tier: Tier): Tier => (tier === "L1" ? "L2" : "L3")

/** urgency → impact → priority. @category models @since 0.1.0 */
export type PriorityMatrix = Readonly<Record<Level, Readonly<Record<Level, Priority>>>>

/** The default matrix (ITIL-style). @category models @since 0.1.0 */
export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = {
  high: { high: "p1", medium: "p2", low: "p3" },
  medium: { high: "p2", medium: "p3", low: "p3" },
  low: { high: "p3", medium: "p4", low: "p4" },
}

/** @category constructors @since 0.1.0 */
export const priorityOf = (matrix: PriorityMatrix, urgency: Level, impact: Level): Priority =>
  matrix[urgency][impact]

// ---------------------------------------------------------------------------
// SLA policies
// ---------------------------------------------------------------------------

/** @category models @since 0.1.0 */
export const TARGETS = ["first_response", "initial_record", "next_reply", "resolution", "follow_up"] as const
/** @category models @since 0.1.0 */
export type Target = (typeof TARGETS)[number]

/** Conditions a case must meet; every listed field must match one of its values. @category models @since 0.1.0 */
export interface PolicyConditions {
  readonly type?: ReadonlyArray<string>
  readonly channel?: ReadonlyArray<string>
  readonly segment?: ReadonlyArray<string>
  readonly priority?: ReadonlyArray<string>
  readonly category?: ReadonlyArray<string>
  readonly team?: ReadonlyArray<string>
  readonly tier?: ReadonlyArray<string>
}

/** An escalation step, counted in business seconds after the breach (0 = at the breach). @category models @since 0.1.0 */
export interface Escalation {
  readonly afterSeconds: number
  readonly action: "notify" | "reassign" | "raise_tier"
  readonly team?: string
  /**
   * Who the step tells (every action tells someone): the case owner, the team leader, members
   * with a role. Default: the owner and the team leader.
   */
  readonly notify?: ReadonlyArray<Notifications.EscalationTarget>
}

/** Who an escalation step tells when it names no one. @category models @since 0.5.0 */
export const DEFAULT_ESCALATION_NOTIFY: ReadonlyArray<Notifications.EscalationTarget> = [
  "owner",
  "team_leader",
]

/** @category models @since 0.1.0 */
export interface PolicyDefinition {
  readonly conditions: PolicyConditions
  readonly calendarId: string
  /** Business seconds per target; absent targets are not measured. */
  readonly targets: Readonly<Partial<Record<Target, number>>>
  /** Statuses that pause the resolution and next-reply clocks. */
  readonly pauseStatuses: ReadonlyArray<Status>
  /** Warn when this share of the target is consumed (e.g. 0.8). */
  readonly warnAt: number
  /** Up to three escalation levels, applied to the resolution and first-response targets. */
  readonly escalations: ReadonlyArray<Escalation>
}

/** @category models @since 0.1.0 */
export interface Policy {
  readonly id: string
  readonly name: string
  readonly position: number
  readonly active: boolean
  readonly version: number
  readonly definition: PolicyDefinition
}

/** The facts policies match on. @category models @since 0.1.0 */
export interface MatchFacts {
  readonly type: string
  readonly channel: string
  readonly segment: string | null
  readonly priority: string
  readonly category: string | null
  readonly team: string | null
  readonly tier: string
}

/** First active policy, in order, whose conditions all match. @category constructors @since 0.1.0 */
export const matchPolicy = <P extends Policy>(policies: ReadonlyArray<P>, facts: MatchFacts): P | undefined =>
  [...policies]
    .filter((p) => p.active)
    .sort((a, b) => a.position - b.position)
    .find((p) =>
      (
        Object.entries(p.definition.conditions) as Array<
          [keyof PolicyConditions, ReadonlyArray<string> | undefined]
        >
      ).every(([key, values]) => !values || values.length === 0 || values.includes(String(facts[key] ?? ""))),
    )

/** The longest SLA target or escalation delay: a year of business seconds (366 days). @since 0.2.0 */
export const MAX_SLA_SECONDS = 366 * 86_400

/** Issues with a policy definition, each with a path. @category constructors @since 0.1.0 */
export const validatePolicy = (d: PolicyDefinition): Errors.FieldIssue[] => {
  const issues: Errors.FieldIssue[] = []
  const targets = Object.entries(d.targets ?? {})
  if (targets.length === 0)
    issues.push({
      path: ["definition", "targets"],
      message: "set at least one target",
      code: "atLeastOneTarget",
    })
  for (const [k, v] of targets) {
    if (!(TARGETS as readonly string[]).includes(k))
      issues.push({ path: ["definition", "targets", k], message: "unknown target", code: "unknownTarget" })
    else if (!(Number.isInteger(v) && (v as number) > 0))
      issues.push({
        path: ["definition", "targets", k],
        message: "must be a whole number of seconds > 0",
        code: "positiveSeconds",
      })
    else if ((v as number) > MAX_SLA_SECONDS)
      issues.push({
        path: ["definition", "targets", k],
        message: `must be a whole number from 1 to ${MAX_SLA_SECONDS}`,
        code: "wholeRange",
        params: { min: 1, max: MAX_SLA_SECONDS },
      })
  }
  if (!(d.warnAt > 0 && d.warnAt < 1))
    issues.push({
      path: ["definition", "warnAt"],
      message: "must be between 0 and 1, e.g. 0.8",
      code: "fraction",
    })
  if ((d.escalations ?? []).length > 3)
    issues.push({
      path: ["definition", "escalations"],
      message: "at most three escalation levels",
      code: "atMostThreeEscalations",
    })
  d.escalations?.forEach((e, i) => {
    if (!(Number.isInteger(e.afterSeconds) && e.afterSeconds >= 0))
      issues.push({
        path: ["definition", "escalations", String(i), "afterSeconds"],
        message: "must be a whole number of seconds ≥ 0",
        code: "nonNegativeSeconds",
      })
    else if (e.afterSeconds > MAX_SLA_SECONDS)
      issues.push({
        path: ["definition", "escalations", String(i), "afterSeconds"],
        message: `must be a whole number from 0 to ${MAX_SLA_SECONDS}`,
        code: "wholeRange",
        params: { min: 0, max: MAX_SLA_SECONDS },
      })
    for (const target of e.notify ?? [])
      if (
        target !== "owner" &&
        target !== "team_leader" &&
        !(Tenancy.ROLES as readonly string[]).includes(target)
      )
        issues.push({
          path: ["definition", "escalations", String(i), "notify"],
          message: `must be owner, team_leader or a role (${Tenancy.ROLES.join(", ")})`,
          code: "oneOf",
          params: { values: ["owner", "team_leader", ...Tenancy.ROLES].join(", ") },
        })
    if (e.action === "reassign" && !e.team)
      issues.push({
        path: ["definition", "escalations", String(i), "team"],
        message: "a reassignment needs a team",
        code: "reassignNeedsTeam",
      })
  })
  for (const s of d.pauseStatuses ?? [])
    if (!(STATUSES as readonly string[]).includes(s))
      issues.push({
        path: ["definition", "pauseStatuses"],
        message: `unknown status "${s}"`,
        code: "unknownStatus",
        params: { value: s },
      })
  return issues
}

// ---------------------------------------------------------------------------
// the intake record, return visits, the vocabulary (0.7)
// ---------------------------------------------------------------------------

/** What an intake record may require before it counts as complete. @category models @since 0.7.0 */
export const RECORD_FIELDS = ["customer", "content", "category"] as const
/** @category models @since 0.7.0 */
export type RecordField = (typeof RECORD_FIELDS)[number]
/** The seed requirement: the customer, the content and the classification (seed 000 §3.1). @category models @since 0.7.0 */
export const DEFAULT_RECORD_REQUIRES: ReadonlyArray<RecordField> = ["customer", "content", "category"]

/**
 * Is the intake record complete: every required field present (a customer, non-blank content, a
 * category)? The initial-record clock runs from receipt until it is.
 * @category guards @since 0.7.0
 */
export const recordComplete = (
  c: {
    readonly customerId?: string | null | undefined
    readonly content?: string | null | undefined
    readonly category?: string | null | undefined
  },
  requires: ReadonlyArray<RecordField>,
): boolean =>
  requires.every((f) =>
    f === "customer"
      ? Boolean(c.customerId)
      : f === "content"
        ? Boolean(c.content?.trim())
        : Boolean(c.category),
  )

/**
 * Return visits after a resolution (seed 000 §3.3): the first `afterDays` days after it, then
 * every `everyDays` days, `times` visits in all.
 * @category models @since 0.7.0
 */
export interface ReturnVisit {
  readonly afterDays: number
  readonly everyDays: number
  readonly times: number
}
/** One visit a week after the resolution (as before 0.7). @category models @since 0.7.0 */
export const DEFAULT_RETURN_VISIT: ReturnVisit = { afterDays: 7, everyDays: 30, times: 1 }

/** The due dates of the return visits after a resolution at `at`. @category constructors @since 0.7.0 */
export const returnVisitDates = (schedule: ReturnVisit, at: Date): Date[] =>
  Array.from(
    { length: schedule.times },
    (_, i) => new Date(at.getTime() + (schedule.afterDays + i * schedule.everyDays) * 86_400_000),
  )

/** Issues with a return-visit schedule, each with its path. @category constructors @since 0.7.0 */
export const validateReturnVisit = (s: ReturnVisit, prefix: ReadonlyArray<string> = ["returnVisit"]) => {
  const issues: Errors.FieldIssue[] = []
  const whole = (k: keyof ReturnVisit, min: number, max: number) => {
    const v = s?.[k]
    if (!(Number.isInteger(v) && v >= min && v <= max))
      issues.push({
        path: [...prefix, k],
        message: `must be a whole number from ${min} to ${max}`,
        code: "wholeRange",
        params: { min, max },
      })
  }
  whole("afterDays", 1, 365)
  whole("everyDays", 1, 365)
  whole("times", 0, 24)
  return issues
}

/** The vocabularies an organisation keeps: case types and categories. @category models @since 0.7.0 */
export const VOCABULARY_KINDS = ["type", "category"] as const
/** @category models @since 0.7.0 */
export type VocabularyKind = (typeof VOCABULARY_KINDS)[number]
/** A vocabulary code: lower-case letters, digits, `_` and `-`, at most 64 characters. @category models @since 0.7.0 */
export const VOCABULARY_CODE = /^[a-z0-9][a-z0-9_-]{0,63}$/

/** The seed vocabulary of a new organisation (codes with their labels in both languages). @category models @since 0.7.0 */
export const DEFAULT_VOCABULARY: ReadonlyArray<{
  readonly kind: VocabularyKind
  readonly code: string
  readonly zh: string
  readonly en: string
}> = (
  [
    ["type", "inquiry", "咨询", "Inquiry"],
    ["type", "problem", "问题", "Problem"],
    ["type", "complaint", "投诉", "Complaint"],
    ["type", "request", "服务请求", "Request"],
    ["category", "billing", "账单与发票", "Billing"],
    ["category", "account", "账户", "Account"],
    ["category", "technical", "技术", "Technical"],
    ["category", "delivery", "物流配送", "Delivery"],
    ["category", "service", "服务", "Service"],
    ["category", "general", "一般", "General"],
  ] as const
).map(([kind, code, zh, en]) => ({ kind, code, zh, en }))

// ---------------------------------------------------------------------------
// import formats
// ---------------------------------------------------------------------------

/** The formats the importer reads. @category models @since 0.7.0 */
export const IMPORT_FORMATS = ["csv", "ndjson", "zendesk", "freshdesk", "zammad"] as const

const TABULAR_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ["external_id", "externalId"],
  ["subject", "subject"],
  ["content", "content"],
  ["type", "type"],
  ["channel", "channel"],
  ["urgency", "urgency"],
  ["impact", "impact"],
  ["category", "category"],
  ["tier", "tier"],
  ["team", "team"],
  ["status", "status"],
  ["received_at", "receivedAt"],
  ["recorded_at", "recordedAt"],
  ["resolved_at", "resolvedAt"],
  ["customer_id", "customer.externalId"],
  ["customer_name", "customer.name"],
  ["customer_segment", "customer.segment"],
]

/**
 * The columns each import format reads, as `[source column, Tenet field]` (CSV and NDJSON: the
 * default mapping, which `--mapping` / the mapping field can change; the ticket exports: the
 * vendor's documented field names, dotted paths reaching into nested objects).
 * @category models @since 0.7.0
 */
export const IMPORT_COLUMNS: Readonly<
  Record<(typeof IMPORT_FORMATS)[number], ReadonlyArray<readonly [string, string]>>
> = {
  csv: TABULAR_COLUMNS,
  ndjson: TABULAR_COLUMNS,
  zendesk: [
    ["id", "externalId (zendesk:<id>)"],
    ["subject | raw_subject", "subject"],
    ["description", "content"],
    ["type (question, incident, problem, task)", "type"],
    ["priority (urgent, high, normal, low)", "urgency, impact"],
    ["status (new, open, pending, hold, solved, closed)", "status"],
    ["via.channel", "channel"],
    ["tags", "category"],
    ["group_id", "team"],
    ["created_at", "receivedAt, recordedAt"],
    ["solved_at | updated_at", "resolvedAt"],
    ["requester_id, requester.name", "customer"],
  ],
  freshdesk: [
    ["id", "externalId (freshdesk:<id>)"],
    ["subject", "subject"],
    ["description_text | description", "content"],
    ["type (Question, Incident, Problem, Feature Request, Refund)", "type"],
    ["priority (1 low, 2 medium, 3 high, 4 urgent)", "urgency, impact"],
    ["status (2 open, 3 pending, 4 resolved, 5 closed)", "status"],
    ["source (1 email, 2 portal, 3 phone, 7 chat, 9 widget, 10 outbound e-mail)", "channel"],
    ["tags", "category"],
    ["group_id", "team"],
    ["created_at", "receivedAt, recordedAt"],
    ["stats.resolved_at | updated_at", "resolvedAt"],
    ["requester_id, requester.name", "customer"],
  ],
  zammad: [
    ["id", "externalId (zammad:<id>)"],
    ["title", "subject"],
    ["article.body | articles[0].body", "content"],
    ["priority (1 low, 2 normal, 3 high) | priority_id", "urgency, impact"],
    ["state (new, open, pending reminder, pending close, closed) | state_id", "status"],
    ["create_article_type (email, phone, web, chat, sms, twitter, facebook, note)", "channel"],
    ["tags", "category"],
    ["group | group_id", "team"],
    ["created_at", "receivedAt, recordedAt"],
    ["close_at | updated_at", "resolvedAt"],
    ["customer_id, customer", "customer"],
  ],
}
