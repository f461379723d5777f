/**
 * The notification contract: how a module or a plugin tells a person something. A caller records a
 * request inside its own transaction (`request`, or `requestEvent` for `Change.change`'s `emit`):
 * the request is a domain event in the outbox, so it exists exactly when the change commits. The
 * API's notification centre delivers it from the outbox — in the app, by e-mail now or in a digest,
 * as each recipient's preferences for the kind say — at least once, deduplicated per recipient and
 * `dedupeKey`. Domain packages never import the delivery; they only write this event.
 *
 * @example
 * ```ts
 * await Change.change(db, ctx, async ({ tx, emit }) => {
 *   // … the change itself …
 *   await emit(Notifications.requestEvent({
 *     kind: "custom.reminder",
 *     recipients: [{ type: "user", id: ownerId }, { type: "role", role: "supervisor" }],
 *     subject: { type: "case", id: caseId },
 *     params: { number: 42 },
 *     dedupeKey: `reminder:${caseId}:2025-01-24`,
 *   }))
 * })
 * ```
 * @since 0.5.0
 */
import type { Executor } from "./Db"
import * as Outbox from "./Outbox"
import type { OrgContext, Role } from "./Tenancy"

/** The event type of a notification request. @category models @since 0.5.0 */
export const REQUESTED = "core.notification.requested"

/**
 * The built-in kinds. A plugin may use its own kind (`<plugin-id>.<name>`); it is delivered with
 * the generic template and the default channel `in_app`.
 * @category models
 * @since 0.5.0
 */
export const KINDS = [
  "sla.warning",
  "sla.breached",
  "sla.escalated",
  "follow_up.overdue",
  "case.recurring_issue",
  "standard.review_due",
  "cycle.stage_due",
  "certification.expiring",
  "webhook.disabled",
  "report.ready",
  "test",
] as const
/** @category models @since 0.5.0 */
export type Kind = (typeof KINDS)[number]

/** How a person wants a kind delivered. @category models @since 0.5.0 */
export const CHANNELS = ["in_app", "email", "digest", "off"] as const
/** `in_app`: the bell only; `email`: the bell and an e-mail at once; `digest`: the bell and a periodic digest e-mail; `off`: nothing. @category models @since 0.5.0 */
export type Channel = (typeof CHANNELS)[number]

/** The channel of a kind for a person who has not chosen one. @category models @since 0.5.0 */
export const DEFAULT_CHANNEL: Readonly<Record<string, Channel>> = {
  "sla.warning": "in_app",
  "sla.breached": "email",
  "sla.escalated": "email",
  "follow_up.overdue": "in_app",
  "case.recurring_issue": "in_app",
  "standard.review_due": "digest",
  "cycle.stage_due": "email",
  "certification.expiring": "email",
  "webhook.disabled": "email",
  "report.ready": "email",
  test: "email",
}

/** @category models @since 0.5.0 */
export const defaultChannel = (kind: string): Channel => DEFAULT_CHANNEL[kind] ?? "in_app"

/**
 * Who receives it: a person (user id), every member with a role, or (for events about a case) the
 * case's owner or its team leader — resolved at delivery, by the API.
 * @category models
 * @since 0.5.0
 */
export type Recipient =
  | { readonly type: "user"; readonly id: string }
  | { readonly type: "role"; readonly role: Role }
  | { readonly type: "case_owner" }
  | { readonly type: "team_leader" }

/** A notification to deliver. @category models @since 0.5.0 */
export interface NotificationRequest {
  readonly kind: string
  readonly recipients: ReadonlyArray<Recipient>
  /** What it is about (a link and the templates' context). */
  readonly subject: { readonly type: string; readonly id: string }
  /** Values the templates interpolate (numbers, short texts). */
  readonly params?: Readonly<Record<string, string | number | boolean | null>>
  /** The same key for the same recipient is delivered once (default: the outbox event's id). */
  readonly dedupeKey?: string
  /** A title for kinds without a template (plugins), in each language. */
  readonly title?: Readonly<{ en: string; "zh-CN": string }>
}

/**
 * The outbox event of a request, for `emit` inside `Change.change`.
 * @category constructors
 * @since 0.5.0
 */
export const requestEvent = (input: NotificationRequest): Outbox.EventInput => ({
  type: REQUESTED,
  aggregateType: input.subject.type,
  aggregateId: input.subject.id,
  payload: input,
})

/**
 * Record a notification request in the caller's transaction; returns the event id.
 * @category constructors
 * @since 0.5.0
 */
export const request = (tx: Executor, ctx: OrgContext, input: NotificationRequest): Promise<string> =>
  Outbox.publish(tx, ctx, requestEvent(input))

/**
 * Escalation targets a policy may name for its `notify` step: the case owner, the team leader, or
 * members with a role.
 * @category models
 * @since 0.5.0
 */
export type EscalationTarget = "owner" | "team_leader" | Role

/** The recipients of escalation targets. @category constructors @since 0.5.0 */
export const recipientsOf = (targets: ReadonlyArray<EscalationTarget>): Recipient[] =>
  targets.map((t) =>
    t === "owner"
      ? { type: "case_owner" }
      : t === "team_leader"
        ? { type: "team_leader" }
        : { type: "role", role: t },
  )
