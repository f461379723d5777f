/**
 * The standards module's tables as Kysely interfaces: one per table of `standards.*`, matching
 * the migrations beside this file (a drift test compares them with `information_schema`).
 * `Generated<>` marks a column with a default; `| null` a nullable column; json columns carry
 * their shape, written as a JSON string (core's column types, `@tenet/core/schema`).
 *
 * @since 0.5.0
 */
import type {
  Json,
  GeneratedJson as JsonDefault,
  Timestamp,
  GeneratedTimestamp as TimestampDefault,
} from "@tenet/core/schema"
import type { ColumnType, Generated, Selectable } from "kysely"
import type { ScorecardDefinition } from "../Quality"
import type { Localized, StandardDocument, Status } from "../Standard"
import type { TargetResult } from "../standards/types"
import type { StandardsReviewTables } from "./schema-reviews"

/** One step of a version's lifecycle, as kept in `version.history`. @category models @since 0.5.0 */
export interface HistoryEntry {
  readonly status: string
  readonly by: string
  readonly at: string
  readonly note?: string
}

/** @category tables @since 0.5.0 */
export interface StandardTable {
  org_id: string
  id: string
  key: string
  title: Json<Localized>
  provider: string | null
  copyright: string | null
  licence: string | null
  created_at: TimestampDefault
}

/** @category tables @since 0.5.0 */
export interface VersionTable {
  org_id: string
  standard_id: string
  version: number
  label: string
  status: Status
  document: Json<StandardDocument>
  review_cadence_days: number | null
  next_review_at: Timestamp | null
  history: JsonDefault<ReadonlyArray<HistoryEntry>>
  based_on: number | null
  source_cycle_id: string | null
  created_by: string
  created_at: TimestampDefault
  published_at: Timestamp | null
}

/** The counts of an evaluation's target statuses. @category models @since 0.5.0 */
export interface EvaluationSummary {
  readonly met: number
  readonly atRisk: number
  readonly breached: number
  readonly noData: number
}

/** @category tables @since 0.5.0 */
export interface EvaluationTable {
  org_id: string
  id: string
  standard_id: string
  version: number
  period_from: Timestamp
  period_to: Timestamp
  time_zone: string
  results: Json<ReadonlyArray<TargetResult>>
  summary: Json<EvaluationSummary>
  created_by: string
  created_at: TimestampDefault
}

/** @category tables @since 0.5.0 */
export interface BreachTable {
  org_id: string
  id: string
  evaluation_id: string
  standard_id: string
  version: number
  requirement_id: string
  target_id: string
  metric_id: string
  filter: JsonDefault<Readonly<Record<string, string>>>
  value: number | null
  target: number
  operator: string
  n: number
  period_from: Timestamp
  period_to: Timestamp
  status: Generated<"open" | "answered">
  cycle_id: string | null
  created_at: TimestampDefault
  /** The cases counted against the target (0004); null when the metric lists none. */
  evidence: Json<{ readonly caseIds: ReadonlyArray<string>; readonly total: number }> | null
}

/** @category tables @since 0.5.0 */
export interface MappingTable {
  org_id: string
  id: string
  from_standard: string
  from_requirement: string
  to_standard: string
  to_requirement: string
  relation: string
  strength: number
  rationale: string | null
  created_at: TimestampDefault
}

/** @category tables @since 0.5.0 */
export interface ScorecardTable {
  org_id: string
  id: string
  version: number
  name: string
  definition: Json<ScorecardDefinition>
  created_by: string
  created_at: TimestampDefault
}

/** @category tables @since 0.5.0 */
export interface QaEvaluationTable {
  org_id: string
  id: string
  scorecard_id: string
  scorecard_version: number
  case_id: string
  agent_id: string
  evaluator_id: string
  answers: Json<Readonly<Record<string, number | null>>>
  score: number
  raw: number
  auto_failed: boolean
  passed: boolean
  critical: Json<Readonly<Record<string, boolean>>>
  non_critical_errors: number
  opportunities: number
  calibration_id: string | null
  evaluated_at: TimestampDefault
}

/** @category tables @since 0.5.0 */
export interface CalibrationTable {
  org_id: string
  id: string
  scorecard_id: string
  scorecard_version: number
  name: string
  case_ids: Json<ReadonlyArray<string>>
  evaluators: Json<ReadonlyArray<string>>
  master: string | null
  tolerance: ColumnType<number, number | undefined, number>
  min_within: ColumnType<number, number | undefined, number>
  created_at: TimestampDefault
}

/** A sampling plan kept with its quotas and the cases drawn (0005). @category tables @since 0.6.0 */
export interface SamplingPlanTable {
  org_id: string
  id: string
  name: string
  period_from: Timestamp
  period_to: Timestamp
  margin_of_error: number
  confidence: number
  min_per_agent: number
  programme: number
  per_agent: Json<Readonly<Record<string, number>>>
  sample: Json<ReadonlyArray<{ readonly id: string; readonly agent: string }>>
  created_by: string
  created_at: TimestampDefault
}

/**
 * The standards module's tables, by qualified name (migration 0003's compliance schedules and
 * management reviews included). `db.as<StandardsTables>()` gives the module a Kysely typed with
 * these and core's tables.
 * @category tables
 * @since 0.5.0
 */
export interface StandardsTables extends StandardsReviewTables {
  "standards.standard": StandardTable
  "standards.version": VersionTable
  "standards.evaluation": EvaluationTable
  "standards.breach": BreachTable
  "standards.mapping": MappingTable
  "standards.scorecard": ScorecardTable
  "standards.qa_evaluation": QaEvaluationTable
  "standards.calibration": CalibrationTable
  "standards.sampling_plan": SamplingPlanTable
}

/** Rows as read. @category models @since 0.5.0 */
export type StandardRow = Selectable<StandardTable>
/** @category models @since 0.5.0 */
export type VersionRow = Selectable<VersionTable>
/** @category models @since 0.5.0 */
export type EvaluationRow = Selectable<EvaluationTable>
/** @category models @since 0.5.0 */
export type BreachRow = Selectable<BreachTable>
/** @category models @since 0.5.0 */
export type MappingRow = Selectable<MappingTable>
/** @category models @since 0.5.0 */
export type ScorecardRow = Selectable<ScorecardTable>
/** @category models @since 0.5.0 */
export type QaEvaluationRow = Selectable<QaEvaluationTable>
/** @category models @since 0.5.0 */
export type CalibrationRow = Selectable<CalibrationTable>
