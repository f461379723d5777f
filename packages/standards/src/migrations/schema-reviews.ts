/**
 * Typed tables of migration 0003 (compliance schedules, management reviews, review reminders).
 * Kept apart from `schema.ts` (the earlier tables); `StandardsReviewTables` joins that map.
 */
import type { ColumnType, Generated } from "kysely"

type Timestamp = Date
type Json<T> = ColumnType<T, string, string>

/** `standards.compliance_schedule`: when a standard is evaluated by itself. */
export interface ComplianceScheduleTable {
  org_id: string
  standard_id: string
  frequency: "daily" | "weekly" | "monthly"
  at_time: string
  weekday: number | null
  month_day: number | null
  time_zone: string
  enabled: Generated<boolean>
  next_run_at: Timestamp | null
  last_run_at: Timestamp | null
  last_evaluation_id: string | null
  updated_by: string
  created_at: Generated<Timestamp>
  updated_at: Generated<Timestamp>
}

/** A standard's compliance in a management review: its latest evaluation of the period. */
export interface ReviewCompliance {
  readonly standardId: string
  readonly title: unknown
  readonly evaluationId: string | null
  readonly version: number | null
  readonly from: string | null
  readonly to: string | null
  readonly summary: { met: number; atRisk: number; breached: number; noData: number } | null
}
/** An improvement cycle open when the review was held (given by the caller: process owns cycles). */
export interface ReviewCycle {
  readonly id: string
  readonly title: string
  readonly status: string
  readonly workflowId?: string | undefined
}
/** A decision of the review. */
export interface ReviewDecision {
  readonly text: string
  readonly owner?: string | undefined
  readonly due?: string | undefined
}

/** `standards.management_review`: one management review record (ISO 9001 §9.3). */
export interface ManagementReviewTable {
  org_id: string
  id: string
  title: string
  period_from: Timestamp
  period_to: Timestamp
  held_at: Timestamp
  compliance: Json<ReviewCompliance[]>
  open_cycles: Json<ReviewCycle[]>
  risks: Json<string[]>
  decisions: Json<ReviewDecision[]>
  attendees: Json<string[]>
  notes: string | null
  created_by: string
  created_at: Generated<Timestamp>
}

/** The tables of migration 0003. */
export interface StandardsReviewTables {
  "standards.compliance_schedule": ComplianceScheduleTable
  "standards.management_review": ManagementReviewTable
}
