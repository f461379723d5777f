/**
 * The process module's tables as Kysely table interfaces, beside the migrations that create them
 * (0001–0010). `ProcessTables` maps each `process.*` table to its interface; the module's queries
 * run on `db.as<ProcessTables>()` (`Kysely<CoreTables & ProcessTables>`). The drift test
 * (`test/schema-drift.test.ts`) holds these declarations against the migrated database.
 *
 * @since 0.2.0
 */
import type { CalendarSpec } from "@tenet/calendar"
import type { Contracts } from "@tenet/core"
import type { GeneratedJson, GeneratedTimestamp, Int8, Json, LocalDate, Timestamp } from "@tenet/core/schema"
import type { ColumnType, Generated } from "kysely"
import type {
  PolicyDefinition,
  PriorityMatrix,
  RecordField,
  ReturnVisit,
  Status,
  Target,
  Tier,
} from "../Case"
import type { RowError } from "../Import"
import type { Measurement, Trigger } from "../Improvement"
import type { ClockState } from "../Sla"

/** A customer's contact points (`process.customer.contacts`). @category models @since 0.2.0 */
export type Contacts = ReadonlyArray<{ channel: string; value: string }>
/** A case's milestones (`process.case.milestones`). @category models @since 0.2.0 */
export type Milestones = ReadonlyArray<{ name: string; due?: string; doneAt?: string | null }>
/** A case's SLA state. @category models @since 0.2.0 */
export type SlaState = "ok" | "warning" | "breached" | "paused" | "met" | "none"
/** A cycle's status. @category models @since 0.2.0 */
export type CycleStatus = "active" | "on_hold" | "cancelled" | "closed"
/** A cycle's stage moves (`process.cycle.history`). @category models @since 0.2.0 */
export type CycleHistory = Array<{ at: string; by: string; from: string | null; to: string; note?: string }>

/** `process.settings` @category models @since 0.2.0 */
export interface SettingsTable {
  org_id: string
  priority_matrix: Json<PriorityMatrix>
  reopen_window_days: Generated<number>
  repeat_window_days: Generated<number>
  updated_at: GeneratedTimestamp
  /** The policy a case matching no policy gets (0015). */
  default_policy_id: string | null
  /** What an intake record needs to be complete: the initial-record clock runs until then (0015). */
  record_requires: GeneratedJson<ReadonlyArray<RecordField>>
  /** When return visits follow a resolution (0015). */
  return_visit: GeneratedJson<ReturnVisit>
}

/** `process.case_vocabulary`: an organisation's case types and categories, labelled in both languages (0015). @category models @since 0.7.0 */
export interface CaseVocabularyTable {
  org_id: string
  kind: "type" | "category"
  code: string
  label_zh: string
  label_en: string
  active: Generated<boolean>
  position: Generated<number>
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}

/** `process.calendar` @category models @since 0.2.0 */
export interface CalendarTable {
  org_id: string
  id: string
  name: string
  spec: Json<CalendarSpec>
  version: Generated<number>
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}

/** `process.sla_policy` @category models @since 0.2.0 */
export interface SlaPolicyTable {
  org_id: string
  id: string
  name: string
  position: number
  active: Generated<boolean>
  version: Generated<number>
  definition: Json<PolicyDefinition>
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}

/** `process.sla_policy_version` @category models @since 0.2.0 */
export interface SlaPolicyVersionTable {
  org_id: string
  policy_id: string
  version: number
  name: string
  definition: Json<PolicyDefinition>
  created_at: GeneratedTimestamp
}

/** `process.customer` @category models @since 0.2.0 */
export interface CustomerTable {
  org_id: string
  id: string
  external_id: string | null
  name: string
  segment: string
  value_tier: string | null
  contact_frequency: string | null
  need_priority: string | null
  contacts: GeneratedJson<Contacts>
  dedicated_team: string | null
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
  /** Blind index of the external id (`k:` keyed, `p:` unkeyed while no key is configured). */
  external_id_bidx: string | null
  /** Blind index of the name (exact-match search). */
  name_bidx: string | null
  /** Blind indexes of the contact values (phone, e-mail). */
  contact_bidx: Generated<string[]>
}

/** `process.case` @category models @since 0.2.0 */
export interface CaseTable {
  org_id: string
  id: string
  number: Int8
  external_id: string | null
  customer_id: string | null
  segment: string | null
  type: string
  channel: string
  subject: string
  content: Generated<string>
  status: Status
  urgency: string
  impact: string
  priority: string
  category: string | null
  tier: ColumnType<Tier, Tier | undefined, Tier>
  team: string | null
  owner_id: string | null
  received_at: Timestamp
  recorded_at: Timestamp | null
  first_response_at: Timestamp | null
  resolved_at: Timestamp | null
  closed_at: Timestamp | null
  resolution_code: string | null
  /** Seconds of work the case took (talk + hold + after-contact work, or logged on resolving); null: not recorded. */
  handle_seconds: ColumnType<number | null, number | null | undefined, number | null>
  reopen_count: Generated<number>
  escalation_level: Generated<number>
  repeat_of: string | null
  repeated_by: string | null
  policy_id: string | null
  policy_version: number | null
  sla_state: ColumnType<SlaState, SlaState | undefined, SlaState>
  next_due_at: Timestamp | null
  milestones: GeneratedJson<Milestones>
  version: Generated<number>
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}

/** `process.case_counter`: the last case number per organisation. @category models @since 0.2.0 */
export interface CaseCounterTable {
  org_id: string
  last: Int8
}

/** `process.case_event`: a case's timeline. @category models @since 0.2.0 */
export interface CaseEventTable {
  org_id: string
  case_id: string
  seq: number
  id: string
  at: Timestamp
  kind: string
  channel: string | null
  direction: "inbound" | "outbound" | "internal" | null
  actor_type: string
  actor_id: string
  participants: GeneratedJson<ReadonlyArray<string>>
  content: string | null
  data: GeneratedJson<unknown>
}

/** `process.sla_clock` @category models @since 0.2.0 */
export interface SlaClockTable {
  org_id: string
  case_id: string
  target: Target
  seq: number
  calendar_id: string
  target_seconds: number
  started_at: Timestamp
  segment_started_at: Timestamp | null
  consumed_seconds: Generated<number>
  due_at: Timestamp | null
  warn_at: Timestamp | null
  paused_at: Timestamp | null
  pauses: GeneratedJson<ClockState["pauses"]>
  stopped_at: Timestamp | null
  elapsed_seconds: number | null
  warned_at: Timestamp | null
  breached_at: Timestamp | null
  status: ClockState["status"]
  escalations_fired: Generated<number>
  next_event_at: Timestamp | null
}

/** `process.follow_up` @category models @since 0.2.0 */
export interface FollowUpTable {
  org_id: string
  id: string
  case_id: string
  kind: string
  due_at: Timestamp
  done_at: Timestamp | null
  outcome: string | null
  created_at: GeneratedTimestamp
}

/** `process.saved_view`: a person's saved queue filters. @category models @since 0.2.0 */
export interface SavedViewTable {
  org_id: string
  id: string
  owner_id: string
  name: string
  query: Json<Record<string, unknown>>
  created_at: GeneratedTimestamp
}

/** `process.import_run` @category models @since 0.2.0 */
export interface ImportRunTable {
  org_id: string
  id: string
  source: string
  format: string
  status: string
  rows_total: Generated<number>
  rows_imported: Generated<number>
  rows_skipped: Generated<number>
  rows_failed: Generated<number>
  errors: GeneratedJson<ReadonlyArray<RowError>>
  started_at: GeneratedTimestamp
  finished_at: Timestamp | null
  heartbeat_at: Timestamp | null
  host: string | null
  pid: number | null
  instance: string | null
}

/** `process.cycle`: an improvement cycle. @category models @since 0.2.0 */
export interface CycleTable {
  org_id: string
  id: string
  number: number
  workflow_id: string
  /** json, not jsonb: keeps the author's field order */
  workflow: Json<Contracts.WorkflowDefinition>
  title: string
  stage: string
  status: CycleStatus
  status_reason: string | null
  trigger: Json<Trigger>
  fields: GeneratedJson<Record<string, Record<string, unknown>>>
  baseline: Json<Measurement> | null
  check_result: Json<Record<string, unknown>> | null
  outcome: Json<Record<string, unknown>> | null
  owner_id: string | null
  stage_due_at: Timestamp | null
  history: GeneratedJson<CycleHistory>
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
  closed_at: Timestamp | null
}

/** The counts of a rollup row (`metric_rollup`, `metric_rollup_dim`). @category models @since 0.2.0 */
export interface RollupCounts {
  cases: number
  fr_met: number
  fr_due: number
  rec_met: number
  rec_due: number
  res_met: number
  res_due: number
  fcr_num: number
  fcr_den: number
  reopen_num: number
  reopen_den: number
  escalated: number
  /** Sketch of the stopped first-response clocks' elapsed seconds: bin → count (0016, see `Rollups.SKETCH_GAMMA`). */
  fr_hist: GeneratedJson<Readonly<Record<string, number>>>
  /** Sketch of the stopped resolution clocks' elapsed seconds (0016). */
  res_hist: GeneratedJson<Readonly<Record<string, number>>>
}

/** `process.metric_rollup`: daily counts by every dimension. @category models @since 0.2.0 */
export interface MetricRollupTable extends RollupCounts {
  org_id: string
  day: LocalDate
  channel: string
  segment: string
  priority: string
  team: string
  agent: string
  type: string
  category: string
}

/** `process.metric_rollup_dim`: daily counts by one dimension. @category models @since 0.2.0 */
export interface MetricRollupDimTable extends RollupCounts {
  org_id: string
  day: LocalDate
  dim: string
  value: string
}

/** `process.rollup_state` @category models @since 0.2.0 */
export interface RollupStateTable {
  org_id: string
  time_zone: string
  built_at: Timestamp
}

/** `process.rollup_dirty`: local days to recompute. @category models @since 0.2.0 */
export interface RollupDirtyTable {
  org_id: string
  day: LocalDate
  marked_at: GeneratedTimestamp
}

/** `process.workflow_library`: workflows imported as data. @category models @since 0.2.0 */
export interface WorkflowLibraryTable {
  org_id: string
  id: string
  version: string
  /** json, not jsonb: keeps the author's field order */
  definition: Json<Contracts.WorkflowDefinition>
  imported_at: GeneratedTimestamp
  imported_by: string
}

/** A queue's staffing model. @category models @since 0.3.0 */
export type StaffingModel = "erlang_c" | "erlang_a" | "chat" | "deferred"

/** `process.workforce_queue`: a queue's (channel × team, team '' = none) staffing model and target. @category models @since 0.3.0 */
export interface WorkforceQueueTable {
  org_id: string
  channel: string
  team: string
  model: StaffingModel
  target_level: number
  target_seconds: number
  aht_seconds: number
  patience_seconds: number | null
  concurrency: Generated<number>
  shrinkage: Generated<number>
  surge_threshold: Generated<number>
  updated_at: GeneratedTimestamp
}

/** `process.workforce_forecast`: the forecast made for an interval before it began. @category models @since 0.3.0 */
export interface WorkforceForecastTable {
  org_id: string
  channel: string
  team: string
  interval_minutes: number
  interval_start: Timestamp
  forecast: number
  lower: number
  upper: number
  made_at: GeneratedTimestamp
}

/** `process.workforce_surge`: a forecast surge warned of, once per queue and start. @category models @since 0.3.0 */
export interface WorkforceSurgeTable {
  org_id: string
  channel: string
  team: string
  starts_at: Timestamp
  ends_at: Timestamp
  peak_required: number
  peak_scheduled: number
  intervals: number
  raised_at: GeneratedTimestamp
}

/**
 * Every process table by its schema-qualified name.
 * @category models
 * @since 0.2.0
 */
export interface ProcessTables {
  "process.settings": SettingsTable
  "process.case_vocabulary": CaseVocabularyTable
  "process.calendar": CalendarTable
  "process.sla_policy": SlaPolicyTable
  "process.sla_policy_version": SlaPolicyVersionTable
  "process.customer": CustomerTable
  "process.case": CaseTable
  "process.case_counter": CaseCounterTable
  "process.case_event": CaseEventTable
  "process.sla_clock": SlaClockTable
  "process.follow_up": FollowUpTable
  "process.saved_view": SavedViewTable
  "process.import_run": ImportRunTable
  "process.cycle": CycleTable
  "process.metric_rollup": MetricRollupTable
  "process.metric_rollup_dim": MetricRollupDimTable
  "process.rollup_state": RollupStateTable
  "process.rollup_dirty": RollupDirtyTable
  "process.workflow_library": WorkflowLibraryTable
  "process.workforce_queue": WorkforceQueueTable
  "process.workforce_forecast": WorkforceForecastTable
  "process.workforce_surge": WorkforceSurgeTable
}
