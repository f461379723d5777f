/**
 * The culture module's tables as Kysely interfaces, beside the migrations that create them (0001–0004).
 * The drift test holds them against the migrated database.
 *
 * @since 0.1.0
 */
import type { GeneratedJson, GeneratedTimestamp, Json, LocalDate, Numeric, Timestamp } from "@tenet/core"
import type { ColumnType, Generated } from "kysely"
import type { FrameworkDocument } from "../framework/model"

/** `culture.person`: the roster. @category models @since 0.1.0 */
export interface PersonTable {
  org_id: string
  user_id: string
  display_name: string
  started_on: LocalDate
  left_on: LocalDate | null
  languages: GeneratedJson<ReadonlyArray<string>>
  /** Whether the person appears by name in rankings. */
  rankings_visible: Generated<boolean>
}

/** `culture.framework`: a competency framework (skills, levels, requirements). @category models @since 0.1.0 */
export interface FrameworkTable {
  org_id: string
  id: string
  version: number
  document: Json<FrameworkDocument>
  created_at: GeneratedTimestamp
}

/** @category models @since 0.1.0 */
export type RatingSource = "self" | "supervisor"

/** `culture.rating`: a proficiency rating (kept as history). @category models @since 0.1.0 */
export interface RatingTable {
  org_id: string
  id: string
  user_id: string
  skill_id: string
  source: RatingSource
  level: number
  rated_by: string
  note: string | null
  rated_at: GeneratedTimestamp
}

/** @category models @since 0.1.0 */
export type CourseFormat =
  | "e_learning"
  | "classroom"
  | "role_play"
  | "drill"
  | "case_study"
  | "seminar"
  | "external"
/** @category models @since 0.1.0 */
export type AssessmentKind = "none" | "quiz" | "practical"

/** `culture.course` @category models @since 0.1.0 */
export interface CourseTable {
  org_id: string
  id: string
  title_zh: string
  title_en: string
  format: CourseFormat
  skill_ids: GeneratedJson<ReadonlyArray<string>>
  assessment: AssessmentKind
  pass_mark: Numeric | null
  duration_minutes: Generated<number>
  created_at: GeneratedTimestamp
}

/** `culture.session` @category models @since 0.1.0 */
export interface SessionTable {
  org_id: string
  id: string
  course_id: string
  starts_at: Timestamp
  ends_at: Timestamp
  location: string | null
}

/** `culture.attendance` @category models @since 0.1.0 */
export interface AttendanceTable {
  org_id: string
  session_id: string
  user_id: string
  status: "registered" | "attended" | "absent"
}

/** @category models @since 0.1.0 */
export type AssignmentStatus = "assigned" | "passed" | "failed"
/** @category models @since 0.1.0 */
export type AssignmentSource = "manual" | "plan" | "qa" | "low_score" | "programme"

/** `culture.assignment`: a course assigned to a person, and its completion. @category models @since 0.1.0 */
export interface AssignmentTable {
  org_id: string
  id: string
  user_id: string
  course_id: string
  source: AssignmentSource
  source_ref: Generated<string>
  due_on: LocalDate
  status: AssignmentStatus
  score: Numeric | null
  assessed_by: string | null
  assigned_at: GeneratedTimestamp
  completed_at: Timestamp | null
}

/** @category models @since 0.1.0 */
export type ScopeKind = "queue" | "channel" | "case_type"

/** `culture.certification`: what a person must hold to work a queue, channel or case type. @category models @since 0.1.0 */
export interface CertificationTable {
  org_id: string
  id: string
  name_zh: string
  name_en: string
  scope_kind: ScopeKind
  scope_value: string
  required_courses: GeneratedJson<ReadonlyArray<string>>
  min_score: Numeric | null
  validity_days: number
  remind_days: Generated<number>
}

/** @category models @since 0.1.0 */
export type GrantStatus = "active" | "suspended" | "revoked"

/** `culture.grant`: a certification held by a person. @category models @since 0.1.0 */
export interface GrantTable {
  org_id: string
  id: string
  certification_id: string
  user_id: string
  granted_at: Timestamp
  expires_at: Timestamp
  status: GrantStatus
  status_reason: string | null
  reminded_at: Timestamp | null
}

/** @category models @since 0.1.0 */
export type CriticalFamily = "customer" | "business" | "compliance"

/** `culture.qa_course_rule`: the course a QA critical error of a family assigns. @category models @since 0.1.0 */
export interface QaCourseRuleTable {
  org_id: string
  family: CriticalFamily
  course_id: string
  due_days: Generated<number>
}

/** `culture.kudos` @category models @since 0.1.0 */
export interface KudosTable {
  org_id: string
  id: string
  from_user: string
  to_user: string
  message: string
  case_id: string | null
  points: Generated<number>
  created_at: GeneratedTimestamp
}

/** @category models @since 0.1.0 */
export type ArticleKind = "article" | "phrasing" | "lesson"

/** `culture.article`: knowledge base articles, standard phrasing and lessons learned. @category models @since 0.1.0 */
export interface ArticleTable {
  org_id: string
  id: string
  kind: ArticleKind
  title: string
  body: string
  owner_id: string
  version: Generated<number>
  review_on: LocalDate | null
  outcome: "success" | "failure" | null
  cycle_id: string | null
  /** The search grams (see `knowledge/grams.ts`), a `text[]` with a GIN index. */
  grams: ColumnType<string[], string[], string[]>
  updated_at: GeneratedTimestamp
}

/** `culture.article_version` @category models @since 0.1.0 */
export interface ArticleVersionTable {
  org_id: string
  article_id: string
  version: number
  title: string
  body: string
  edited_by: string
  edited_at: GeneratedTimestamp
}

/** @category models @since 0.7.0 */
export type LowScoreAction = "course" | "coaching"

/**
 * `culture.low_score_rule` (0002): an evaluation below the threshold (a 0–1 fraction of the score, or
 * of one criterion's result) assigns a course or raises a coaching task.
 * @category models
 * @since 0.7.0
 */
export interface LowScoreRuleTable {
  org_id: string
  id: string
  /** Only evaluations on this scorecard; null: any. */
  scorecard_id: string | null
  /** Compare this criterion's result; null: the evaluation's score. */
  criterion_id: string | null
  threshold: Numeric
  action: LowScoreAction
  course_id: string | null
  due_days: Generated<number>
  enabled: Generated<boolean>
  updated_at: GeneratedTimestamp
}

/** @category models @since 0.7.0 */
export type CoachingStatus = "open" | "done"

/** `culture.coaching_task` (0002): coaching raised by a low-score rule. @category models @since 0.7.0 */
export interface CoachingTaskTable {
  org_id: string
  id: string
  user_id: string
  rule_id: string
  evaluation_id: string
  case_id: string
  criterion_id: string | null
  /** What was compared, a 0–1 fraction. */
  result: Numeric
  threshold: Numeric
  /** The agent's team leader, when they have one. */
  coach_id: string | null
  due_on: LocalDate
  status: Generated<CoachingStatus>
  note: string | null
  created_at: GeneratedTimestamp
  done_at: Timestamp | null
  done_by: string | null
}

/** `culture.criterion_skill` (0003): a QA criterion (by id, on any scorecard) mapped to a skill. @category models @since 0.7.0 */
export interface CriterionSkillTable {
  org_id: string
  criterion_id: string
  skill_id: string
  updated_at: GeneratedTimestamp
}

/**
 * `culture.incentive_rule` (0004): an evaluation at or above the minimum (a 0–1 fraction of the
 * score, or of one criterion's result) earns the agent points.
 * @category models
 * @since 0.7.0
 */
export interface IncentiveRuleTable {
  org_id: string
  id: string
  name_zh: string
  name_en: string
  /** Only evaluations on this scorecard; null: any. */
  scorecard_id: string | null
  /** Compare this criterion's result; null: the evaluation's score. */
  criterion_id: string | null
  min_result: Numeric
  points: number
  enabled: Generated<boolean>
  updated_at: GeneratedTimestamp
}

/** `culture.incentive_award` (0004): points a rule gave for one evaluation. @category models @since 0.7.0 */
export interface IncentiveAwardTable {
  org_id: string
  id: string
  rule_id: string
  user_id: string
  evaluation_id: string
  case_id: string
  /** What was compared, a 0–1 fraction. */
  result: Numeric
  points: number
  awarded_at: GeneratedTimestamp
}

/** `culture.programme` (0004): an ordered set of courses a person is enrolled in. @category models @since 0.7.0 */
export interface ProgrammeTable {
  org_id: string
  id: string
  name_zh: string
  name_en: string
  course_ids: GeneratedJson<ReadonlyArray<string>>
  due_days: Generated<number>
  created_at: GeneratedTimestamp
}

/** `culture.programme_enrolment` (0004): a person enrolled in a programme. @category models @since 0.7.0 */
export interface ProgrammeEnrolmentTable {
  org_id: string
  programme_id: string
  user_id: string
  enrolled_at: GeneratedTimestamp
  enrolled_by: string
}

/** Every culture table by its schema-qualified name. @category models @since 0.1.0 */
export interface CultureTables {
  "culture.person": PersonTable
  "culture.framework": FrameworkTable
  "culture.rating": RatingTable
  "culture.course": CourseTable
  "culture.session": SessionTable
  "culture.attendance": AttendanceTable
  "culture.assignment": AssignmentTable
  "culture.certification": CertificationTable
  "culture.grant": GrantTable
  "culture.qa_course_rule": QaCourseRuleTable
  "culture.kudos": KudosTable
  "culture.article": ArticleTable
  "culture.article_version": ArticleVersionTable
  "culture.low_score_rule": LowScoreRuleTable
  "culture.coaching_task": CoachingTaskTable
  "culture.criterion_skill": CriterionSkillTable
  "culture.incentive_rule": IncentiveRuleTable
  "culture.incentive_award": IncentiveAwardTable
  "culture.programme": ProgrammeTable
  "culture.programme_enrolment": ProgrammeEnrolmentTable
}
