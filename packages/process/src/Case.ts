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
