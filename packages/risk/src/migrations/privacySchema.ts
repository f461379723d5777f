/**
 * The privacy tables (migration 0003) as Kysely table interfaces; part of `RiskTables`.
 *
 * @since 0.7.0
 */
import type { GeneratedJson, GeneratedTimestamp, Json, Timestamp } from "@tenet/core/schema"
import type { Generated } from "kysely"

/** @category models @since 0.7.0 */
export type HoldScope = "customer" | "case" | "class"
/** @category models @since 0.7.0 */
export type RequestKind = "access" | "correction" | "deletion" | "restriction"
/** @category models @since 0.7.0 */
export type RequestStatus = "received" | "verified" | "done" | "refused"
/** @category models @since 0.7.0 */
export type ConsentChannel = "service" | "survey" | "marketing"
/** @category models @since 0.7.0 */
export type PurgeTrigger = "schedule" | "manual" | "request"

/** The policy a purge applied (stored with its evidence). @category models @since 0.7.0 */
export interface AppliedPolicy {
  readonly minDays: number
  readonly maxDays: number | null
  readonly strategy: "delete" | "anonymise"
  readonly cutoff: string | null
}

/** What a request's fulfilment did, per data class: what went and what was kept, and why. @category models @since 0.7.0 */
export interface RequestOutcome {
  readonly removed: ReadonlyArray<{
    readonly classId: string
    readonly count: number
    readonly action: string
  }>
  readonly kept: ReadonlyArray<{
    readonly classId: string
    readonly count: number
    readonly reason: "minimum" | "hold" | "no_maximum_reached"
    readonly until: string | null
    readonly why: { readonly "zh-CN": string; readonly en: string }
  }>
  readonly corrected?: ReadonlyArray<string>
}

/** `risk.privacy_settings`: the request clock of an organisation. */
export interface PrivacySettingsTable {
  org_id: string
  request_days: Generated<number>
  calendar_id: string | null
  reminder_days: Generated<number>
  updated_at: GeneratedTimestamp
}

/** `risk.privacy_policy`: an organisation's retention for one data class (overrides the declared one). */
export interface PrivacyPolicyTable {
  org_id: string
  class_id: string
  min_days: number
  max_days: number | null
  updated_by: string
  updated_at: GeneratedTimestamp
}

/** `risk.privacy_hold`: a legal hold on a customer, a case or a whole data class. */
export interface PrivacyHoldTable {
  org_id: string
  id: string
  scope: HoldScope
  target: string
  reason: string
  placed_by: string
  placed_at: GeneratedTimestamp
  released_by: string | null
  released_at: Timestamp | null
}

/** `risk.privacy_purge`: deletion evidence of one purge of one class. */
export interface PrivacyPurgeTable {
  org_id: string
  id: string
  at: GeneratedTimestamp
  class_id: string
  action: "delete" | "anonymise"
  count: number
  hashed_ids: Json<ReadonlyArray<string>>
  policy: Json<AppliedPolicy>
  trigger: PurgeTrigger
  request_id: string | null
  actor_id: string
}

/** `risk.privacy_request`: a data-subject request (PIPL Art 44–47). */
export interface PrivacyRequestTable {
  org_id: string
  id: string
  customer_id: string
  kind: RequestKind
  status: RequestStatus
  locale: "zh-CN" | "en"
  channel: string
  details: Generated<string>
  corrections: GeneratedJson<Readonly<Record<string, string>>>
  received_at: Timestamp
  due_at: Timestamp
  verified_at: Timestamp | null
  verified_by: string | null
  verification: string | null
  closed_at: Timestamp | null
  closed_by: string | null
  outcome: Json<RequestOutcome> | null
  refusal_reason: string | null
  created_by: string
}

/** `risk.privacy_restriction`: customers whose data is only stored (PIPL Art 44). */
export interface PrivacyRestrictionTable {
  org_id: string
  customer_id: string
  request_id: string | null
  since: GeneratedTimestamp
}

/** `risk.privacy_consent`: the consent ledger, one row per decision (the latest per channel counts). */
export interface PrivacyConsentTable {
  org_id: string
  id: string
  customer_id: string
  channel: ConsentChannel
  granted: boolean
  notice_version: string
  source: string
  recorded_by: string
  recorded_at: GeneratedTimestamp
}
