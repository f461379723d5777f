/**
 * The risk module's tables as Kysely table interfaces, beside the migrations that create them
 * (0001–0002). `RiskTables` maps each `risk.*` table to its interface; the module's queries run on
 * `db.as<RiskTables>()`. The drift test (`test/schema-drift.test.ts`) holds them against the database.
 *
 * @since 0.1.0
 */
import type { Contracts } from "@tenet/core"
import type { GeneratedJson, GeneratedTimestamp, Json, Timestamp } from "@tenet/core/schema"
import type { Generated } from "kysely"
import type { MatrixDefinition } from "../Matrix"
import type {
  PrivacyConsentTable,
  PrivacyHoldTable,
  PrivacyPolicyTable,
  PrivacyPurgeTable,
  PrivacyRequestTable,
  PrivacyRestrictionTable,
  PrivacySettingsTable,
} from "./privacySchema"

export type * from "./privacySchema"

type Localized = Contracts.Localized

/** An existing control on a risk. @category models @since 0.1.0 */
export interface Control {
  readonly title: string
  readonly effectiveness?: "weak" | "adequate" | "strong" | undefined
}
/** @category models @since 0.1.0 */
export type RiskStatus = "open" | "treating" | "accepted" | "closed"
/** @category models @since 0.1.0 */
export type KriState = "green" | "amber" | "red" | "no_data"
/** The ISO 31000 treatment options. @category models @since 0.1.0 */
export const TREATMENT_OPTIONS = [
  "avoid",
  "take",
  "remove_source",
  "change_likelihood",
  "change_consequence",
  "share",
  "retain",
] as const
/** @category models @since 0.1.0 */
export type TreatmentOption = (typeof TREATMENT_OPTIONS)[number]
/** @category models @since 0.1.0 */
export type TreatmentStatus = "planned" | "in_progress" | "done" | "cancelled"
/** @category models @since 0.1.0 */
export type AcceptanceStatus = "draft" | "submitted" | "accepted" | "rejected" | "expired"

/** `risk.matrix` @category models @since 0.1.0 */
export interface MatrixTable {
  org_id: string
  id: string
  definition: Json<MatrixDefinition>
  is_default: Generated<boolean>
  source: Generated<string>
  created_at: GeneratedTimestamp
}
/** `risk.category` @category models @since 0.1.0 */
export interface CategoryTable {
  org_id: string
  id: string
  name: Json<Localized>
  description: Json<Localized> | null
  position: Generated<number>
  source: Generated<string>
  created_at: GeneratedTimestamp
}
/** `risk.round`: an assessment round. @category models @since 0.1.0 */
export interface RoundTable {
  org_id: string
  id: string
  title: string
  status: Generated<"open" | "closed">
  opened_by: string
  opened_at: GeneratedTimestamp
  closed_at: Timestamp | null
}
/** `risk.risk`: one entry of the register. @category models @since 0.1.0 */
export interface RiskTable {
  org_id: string
  id: string
  number: number
  title: string
  category_id: string
  cause: string
  event: string
  consequence: string
  owner_id: string
  matrix_id: string
  inherent_likelihood: number
  inherent_impact: number
  residual_likelihood: number
  residual_impact: number
  controls: GeneratedJson<Control[]>
  status: Generated<RiskStatus>
  review_cadence_days: Generated<number>
  next_review_at: Timestamp
  last_reviewed_at: Timestamp | null
  created_by: string
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}
/** `risk.rating`: the rating history, with who and why. @category models @since 0.1.0 */
export interface RatingTable {
  org_id: string
  id: string
  risk_id: string
  kind: "inherent" | "residual"
  likelihood: number
  impact: number
  score: number
  band: string
  rationale: string
  source: "register" | "review" | "round" | "kri"
  round_id: string | null
  kri_id: string | null
  rated_by: string
  rated_at: GeneratedTimestamp
}
/** `risk.kri`: a key risk indicator on a registry metric. @category models @since 0.1.0 */
export interface KriTable {
  org_id: string
  id: string
  risk_id: string
  name: string
  metric_id: string
  filter: GeneratedJson<Record<string, string>>
  window_days: Generated<number>
  direction: "above" | "below"
  amber: number
  red: number
  mode: Generated<"suggest" | "automatic">
  cycle_workflow_id: string | null
  state: Generated<KriState>
  last_value: number | null
  last_evaluated_at: Timestamp | null
  created_by: string
  created_at: GeneratedTimestamp
}
/** `risk.kri_reading`: the KRI's history. @category models @since 0.1.0 */
export interface KriReadingTable {
  org_id: string
  id: string
  kri_id: string
  at: Timestamp
  value: number | null
  n: number
  state: KriState
  crossed: Generated<boolean>
}
/** `risk.suggestion`: a likelihood raise a KRI crossing suggests. @category models @since 0.1.0 */
export interface SuggestionTable {
  org_id: string
  id: string
  risk_id: string
  kri_id: string
  from_likelihood: number
  to_likelihood: number
  status: Generated<"pending" | "applied" | "dismissed">
  created_at: GeneratedTimestamp
  decided_by: string | null
  decided_at: Timestamp | null
}
/** `risk.treatment` @category models @since 0.1.0 */
export interface TreatmentTable {
  org_id: string
  id: string
  risk_id: string
  option: TreatmentOption
  title: string
  owner_id: string
  due_at: Timestamp
  status: Generated<TreatmentStatus>
  done_at: Timestamp | null
  created_by: string
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}
/** `risk.acceptance`: acceptance of a residual risk. @category models @since 0.1.0 */
export interface AcceptanceTable {
  org_id: string
  id: string
  risk_id: string
  status: Generated<AcceptanceStatus>
  rationale: string
  residual_score: number
  expires_at: Timestamp
  submitted_by: string | null
  submitted_at: Timestamp | null
  decided_by: string | null
  decided_at: Timestamp | null
  decision_note: string | null
  created_by: string
  created_at: GeneratedTimestamp
}

/** A plan's trigger: by hand, or a KRI turning red. @category models @since 0.1.0 */
export interface PlanTrigger {
  readonly kind: "manual" | "kri"
  readonly description: string
  readonly kriId?: string | undefined
  /** The tier a KRI trigger activates the plan at (the plan's first tier without it). */
  readonly tier?: string | undefined
}
/** A severity tier of a plan. @category models @since 0.1.0 */
export interface PlanTier {
  readonly id: string
  readonly name: Localized
  readonly criteria: string
}
/** A step of a plan: who does it and within how long of the activation. @category models @since 0.1.0 */
export interface PlanStep {
  readonly id: string
  readonly title: string
  readonly role: string
  readonly limitMinutes: number
  readonly tiers?: ReadonlyArray<string> | undefined
}
/** A backup channel (channel redundancy). @category models @since 0.1.0 */
export interface BackupChannel {
  readonly channel: string
  readonly instead: string
  readonly how: string
}
/** @category models @since 0.1.0 */
export interface PlanContact {
  readonly name: string
  readonly role: string
  readonly phone?: string | undefined
  readonly email?: string | undefined
}
/** @category models @since 0.1.0 */
export type Scenario =
  | "system_failure"
  | "service_interruption"
  | "demand_surge"
  | "urgent_customer_need"
  | "other"
/** A post-incident review of an activation. @category models @since 0.1.0 */
export interface ActivationReview {
  readonly summary: string
  readonly whatWorked: string
  readonly whatFailed: string
  readonly actions: ReadonlyArray<string>
}
/** A finding of an exercise and its follow-up. @category models @since 0.1.0 */
export interface Finding {
  readonly text: string
  readonly followUp?: string | undefined
  readonly ownerId?: string | undefined
  readonly due?: string | undefined
  readonly done?: boolean | undefined
  /** When and by whom the follow-up was ticked done. */
  readonly doneAt?: string | undefined
  readonly doneBy?: string | undefined
}

/** `risk.plan`: a contingency plan. @category models @since 0.1.0 */
export interface PlanTable {
  org_id: string
  id: string
  title: string
  scenario: Scenario
  triggers: Json<PlanTrigger[]>
  tiers: Json<PlanTier[]>
  steps: Json<PlanStep[]>
  channels: Json<BackupChannel[]>
  contacts: Json<PlanContact[]>
  created_by: string
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}
/** `risk.activation`: a plan put into action. @category models @since 0.1.0 */
export interface ActivationTable {
  org_id: string
  id: string
  plan_id: string
  tier: string
  reason: string
  status: Generated<"active" | "closed">
  started_at: Timestamp
  started_by: string
  kri_id: string | null
  closed_at: Timestamp | null
  closed_by: string | null
  review: Json<ActivationReview> | null
  cycle_id: string | null
}
/** `risk.activation_entry`: when it happened, and when and by whom it was recorded. @category models @since 0.1.0 */
export interface ActivationEntryTable {
  org_id: string
  id: string
  activation_id: string
  happened_at: Timestamp
  recorded_at: GeneratedTimestamp
  recorded_by: string
  step_id: string | null
  note: string
}
/** `risk.exercise`: a drill of a plan. @category models @since 0.1.0 */
export interface ExerciseTable {
  org_id: string
  id: string
  plan_id: string
  kind: "tabletop" | "walkthrough" | "simulation" | "full"
  held_at: Timestamp
  participants: Json<string[]>
  findings: Json<Finding[]>
  created_by: string
  created_at: GeneratedTimestamp
}
/** @category models @since 0.1.0 */
export type Severity = "general" | "relatively_major" | "major" | "especially_major"
/** What the severity was computed from. @category models @since 0.1.0 */
export interface SeverityInputs {
  readonly affectedCustomers: number
  readonly dataCategories: ReadonlyArray<string>
  readonly durationMinutes: number
}
/** `risk.incident` @category models @since 0.1.0 */
export interface IncidentTable {
  org_id: string
  id: string
  number: number
  title: string
  kind: "service" | "data_security"
  severity: Severity
  severity_inputs: Json<SeverityInputs>
  status: Generated<"open" | "contained" | "resolved">
  started_at: Timestamp
  detected_at: Timestamp
  contained_at: Timestamp | null
  resolved_at: Timestamp | null
  affected_customers: Generated<number>
  affected_cases: GeneratedJson<string[]>
  data_categories: GeneratedJson<string[]>
  regimes: GeneratedJson<string[]>
  critical_infrastructure: Generated<boolean>
  lessons: string | null
  cycle_id: string | null
  created_by: string
  created_at: GeneratedTimestamp
}
/** `risk.incident_notice`: a regulatory notification clock. @category models @since 0.1.0 */
export interface IncidentNoticeTable {
  org_id: string
  incident_id: string
  regime: string
  notice: string
  due_at: Timestamp
  sent_at: Timestamp | null
  sent_by: string | null
}

/** Every `risk.*` table. @category models @since 0.1.0 */
export interface RiskTables {
  "risk.matrix": MatrixTable
  "risk.category": CategoryTable
  "risk.round": RoundTable
  "risk.risk": RiskTable
  "risk.rating": RatingTable
  "risk.kri": KriTable
  "risk.kri_reading": KriReadingTable
  "risk.suggestion": SuggestionTable
  "risk.treatment": TreatmentTable
  "risk.acceptance": AcceptanceTable
  "risk.plan": PlanTable
  "risk.activation": ActivationTable
  "risk.activation_entry": ActivationEntryTable
  "risk.exercise": ExerciseTable
  "risk.incident": IncidentTable
  "risk.incident_notice": IncidentNoticeTable
  "risk.privacy_settings": PrivacySettingsTable
  "risk.privacy_policy": PrivacyPolicyTable
  "risk.privacy_hold": PrivacyHoldTable
  "risk.privacy_purge": PrivacyPurgeTable
  "risk.privacy_request": PrivacyRequestTable
  "risk.privacy_restriction": PrivacyRestrictionTable
  "risk.privacy_consent": PrivacyConsentTable
}
