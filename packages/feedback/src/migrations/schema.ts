/**
 * The feedback module's tables (schema `feedback`), one interface per table, and the map
 * `FeedbackTables` that `db.as<FeedbackTables>()` and `Change.typed<FeedbackTables>()` use.
 * The drift test compares them with the migrated database.
 */
import type { GeneratedJson, GeneratedTimestamp, Json, LocalDate, Timestamp } from "@tenet/core"
import type { ColumnType, Generated } from "kysely"
import type { Answers, Definition, Dimension, Kind, Sentiment } from "../Survey"

/** `feedback.survey`: a survey and which of its versions is published. */
export interface SurveyTable {
  org_id: string
  id: string
  name: string
  kind: Kind
  latest_version: number
  published_version: number | null
  archived: Generated<boolean>
  created_by: string
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}

/** `feedback.survey_version`: a version's questions; published versions never change. */
export interface SurveyVersionTable {
  org_id: string
  survey_id: string
  version: number
  status: "draft" | "published" | "superseded"
  definition: Json<Definition>
  published_at: Timestamp | null
  created_by: string
  created_at: GeneratedTimestamp
}

/** `feedback.dispatch_rule`: which resolved cases get which survey, when. */
export interface DispatchRuleTable {
  org_id: string
  id: string
  name: string
  survey_id: string
  enabled: Generated<boolean>
  position: Generated<number>
  delay_minutes: Generated<number>
  within_hours: Generated<number>
  expiry_days: Generated<number>
  case_types: ColumnType<string[], string[] | undefined, string[]>
  channels: ColumnType<string[], string[] | undefined, string[]>
  segments: ColumnType<string[], string[] | undefined, string[]>
  teams: ColumnType<string[], string[] | undefined, string[]>
  sample_rate: Generated<number>
  cap_days: Generated<number>
  quiet_hours: Generated<boolean>
  created_by: string
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}

/** @category models */
export type InvitationStatus = "scheduled" | "sent" | "skipped" | "answered"

/** `feedback.invitation`: one survey asked (or planned, or skipped with its reason) of one customer. */
export interface InvitationTable {
  org_id: string
  id: string
  source: "dispatch" | "manual"
  case_id: string | null
  rule_id: string | null
  survey_id: string
  survey_version: number
  customer_id: string | null
  customer_key: string | null
  email: string | null
  locale: "zh-CN" | "en"
  status: InvitationStatus
  skip_reason: string | null
  /** sha-256 of the link's token: the token itself is never stored. */
  token_hash: string | null
  case_type: string | null
  channel: string | null
  segment: string | null
  team: string | null
  agent_id: string | null
  resolved_at: Timestamp | null
  due_at: Timestamp
  sent_at: Timestamp | null
  expires_at: Timestamp | null
  answered_at: Timestamp | null
  created_at: GeneratedTimestamp
}

/** `feedback.response`: an answered invitation, pinned to the survey version it answered. */
export interface ResponseTable {
  org_id: string
  id: string
  invitation_id: string
  survey_id: string
  survey_version: number
  case_id: string | null
  customer_key: string | null
  locale: string
  answers: Json<Answers>
  score_kind: "csat" | "nps" | "ces" | null
  score: number | null
  sentiment: Sentiment
  comment: string | null
  dimensions: GeneratedJson<Partial<Record<Dimension, number>>>
  case_type: string | null
  channel: string | null
  segment: string | null
  team: string | null
  agent_id: string | null
  follow_up_id: string | null
  follow_up_at: Timestamp | null
  submitted_at: Timestamp
}

/** `feedback.opt_out`: customers who are never asked again. */
export interface OptOutTable {
  org_id: string
  customer_key: string
  source: "customer" | "staff"
  at: GeneratedTimestamp
}

/** `feedback.cause`: the root-cause taxonomy (codes with names in both languages, one level of parents). */
export interface CauseTable {
  org_id: string
  code: string
  name: Json<{ "zh-CN": string; en: string }>
  parent_code: string | null
  active: Generated<boolean>
  created_at: GeneratedTimestamp
}

/** @category models */
export type ItemKind = "suggestion" | "praise" | "complaint"
/** @category models */
export type Urgency = "urgent" | "normal" | "non_urgent"
/** The stages of a complaint (ISO 10002). @category models */
export type Stage =
  | "received"
  | "acknowledged"
  | "assessed"
  | "investigating"
  | "response_proposed"
  | "decision_communicated"
  | "closed_accepted"
  | "closed_escalated"

/** How each clock's deadline was set (shown next to the clock). */
export interface ClockBasis {
  readonly reply?: string
  readonly acknowledge?: string
  readonly respond?: string
}

/** `feedback.item`: a suggestion, praise or complaint from any channel; complaints carry their ISO 10002 stage and clocks. */
export interface ItemTable {
  org_id: string
  id: string
  kind: ItemKind
  channel: string
  case_id: string | null
  customer_key: string | null
  summary: string
  details: Generated<string>
  urgency: Urgency
  cause_code: string | null
  status: "open" | "replied" | "closed"
  received_at: Timestamp
  reply_due_at: Timestamp
  replied_at: Timestamp | null
  reply: string | null
  stage: Stage | null
  remedy_sought: string | null
  severity: "low" | "medium" | "high" | null
  complexity: "simple" | "complex" | "particularly_complex" | null
  ack_due_at: Timestamp | null
  acknowledged_at: Timestamp | null
  response_due_at: Timestamp | null
  responded_at: Timestamp | null
  decision: string | null
  remedy_offered: string | null
  accepted: boolean | null
  closed_at: Timestamp | null
  handling_satisfaction: number | null
  repeat_of: string | null
  clock_basis: GeneratedJson<ClockBasis>
  created_by: string
  updated_at: GeneratedTimestamp
}

/** `feedback.item_event`: the ledger of an item (received, replied, each stage of a complaint). */
export interface ItemEventTable {
  org_id: string
  item_id: string
  seq: number
  at: Timestamp
  kind: string
  stage_from: string | null
  stage_to: string | null
  actor_id: string
  note: string | null
}

/** `feedback.metric_rollup`: one local day's survey counts for one dimension value (dim '' is the day's total). */
export interface MetricRollupTable {
  org_id: string
  day: LocalDate
  dim: string
  value: string
  csat_n: number
  csat_top: number
  csat_bottom: number
  nps_n: number
  nps_promoters: number
  nps_passives: number
  nps_detractors: number
  ces_n: number
  ces_sum: number
  ces_sumsq: number
  sent: number
  answered: number
  w24_num: number
  w24_den: number
}

/** `feedback.rollup_state`: the time zone an organisation's rollups are built in. */
export interface RollupStateTable {
  org_id: string
  time_zone: string
  built_at: Timestamp
}

/** `feedback.rollup_dirty`: local days whose rollups must be recomputed. */
export interface RollupDirtyTable {
  org_id: string
  day: LocalDate
  marked_at: GeneratedTimestamp
}

/** `feedback.improvement_setting`: when the customer's voice opens an improvement cycle. */
export interface ImprovementSettingTable {
  org_id: string
  enabled: Generated<boolean>
  workflow_id: Generated<string>
  cause_threshold: Generated<number>
  window_days: Generated<number>
  updated_by: string
  updated_at: GeneratedTimestamp
}

/** `feedback.improvement_trigger`: a breach or a cause answered by an improvement cycle. */
export interface ImprovementTriggerTable {
  org_id: string
  key: string
  kind: "breach" | "cause"
  cycle_id: string | null
  count: number | null
  opened_at: GeneratedTimestamp
}

/** Every table of the feedback module. */
export interface FeedbackTables {
  "feedback.survey": SurveyTable
  "feedback.survey_version": SurveyVersionTable
  "feedback.dispatch_rule": DispatchRuleTable
  "feedback.invitation": InvitationTable
  "feedback.response": ResponseTable
  "feedback.opt_out": OptOutTable
  "feedback.cause": CauseTable
  "feedback.item": ItemTable
  "feedback.item_event": ItemEventTable
  "feedback.metric_rollup": MetricRollupTable
  "feedback.rollup_state": RollupStateTable
  "feedback.rollup_dirty": RollupDirtyTable
  "feedback.improvement_setting": ImprovementSettingTable
  "feedback.improvement_trigger": ImprovementTriggerTable
}
