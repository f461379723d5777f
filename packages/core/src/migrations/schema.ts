/**
 * The core module's tables as Kysely table interfaces, kept beside the migrations that create them
 * (0001–0004). `CoreTables` maps each schema-qualified table name to its interface; every module's
 * typed database is `Kysely<CoreTables & ItsTables>` (`Db.Database.as`). The drift test
 * (`checkSchemaDrift` in `@tenet/core/testing`) holds these declarations against the migrated
 * database, so a migration and its types cannot part.
 *
 * Column types follow what the drivers return (see `internal/types`): `timestamptz` → `Date`,
 * `bigint` → `number` (or `bigint` past 2^53), `numeric` and `date` → `string`, json → the parsed value.
 *
 * @since 0.5.0
 */
import type { ColumnType, Generated } from "kysely"

// --- column types shared by every module's schema ------------------------------------------------

/** `timestamptz`: read as a Date, written as a Date or an ISO string. @category models @since 0.5.0 */
export type Timestamp = ColumnType<Date, Date | string, Date | string>
/** `timestamptz ... default now()`: may be left out of an insert. @category models @since 0.5.0 */
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** `bigint`: a number while it is a safe integer, a bigint past it. @category models @since 0.5.0 */
export type Int8 = ColumnType<number | bigint, number | bigint | string, number | bigint | string>
/** `bigint ... default` or `generated ... as identity`. @category models @since 0.5.0 */
export type GeneratedInt8 = ColumnType<
  number | bigint,
  number | bigint | string | undefined,
  number | bigint | string
>
/** `numeric`: an exact decimal, read as a string. @category models @since 0.5.0 */
export type Numeric = ColumnType<string, string | number, string | number>
/** `date`: a local date, read as "YYYY-MM-DD". @category models @since 0.5.0 */
export type LocalDate = ColumnType<string, string, string>
/**
 * `json`/`jsonb` holding `T`: read as the parsed value, written as JSON text (`JSON.stringify`;
 * the drivers would send a JS array as a PostgreSQL array).
 * @category models
 * @since 0.5.0
 */
export type Json<T> = ColumnType<T, string, string>
/** A json column with a default (`default '{}'`, `'[]'`). @category models @since 0.5.0 */
export type GeneratedJson<T> = ColumnType<T, string | undefined, string>

// --- tables ---------------------------------------------------------------------------------------

/** `core.organization` @category models @since 0.5.0 */
export interface OrganizationTable {
  id: string
  slug: string
  name: string
  time_zone: Generated<string>
  locale: Generated<string>
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}

/** `core.audit_head`: each organisation's audit chain head. @category models @since 0.5.0 */
export interface AuditHeadTable {
  org_id: string
  seq: Int8
  hash: string
}

/** `core.audit_log` @category models @since 0.5.0 */
export interface AuditLogTable {
  org_id: string
  seq: Int8
  id: string
  at: Timestamp
  actor_type: string
  actor_id: string
  action: string
  entity_type: string
  entity_id: string
  before: Json<unknown> | null
  after: Json<unknown> | null
  request_id: string | null
  prev_hash: string
  hash: string
}

/** `core.outbox_event` @category models @since 0.5.0 */
export interface OutboxEventTable {
  org_id: string
  id: string
  position: GeneratedInt8
  type: string
  aggregate_type: string
  aggregate_id: string
  payload: Json<unknown>
  occurred_at: GeneratedTimestamp
  /** `xid8`, the writing transaction (read as text). */
  tx: Generated<string>
}

/** `core.outbox_cursor`: each handler's place in the outbox. @category models @since 0.5.0 */
export interface OutboxCursorTable {
  handler: string
  position: GeneratedInt8
  locked_by: string | null
  locked_until: Timestamp | null
  /** `xid8` */
  tx: Generated<string>
}

/** `core.outbox_failure` @category models @since 0.5.0 */
export interface OutboxFailureTable {
  handler: string
  event_position: Int8
  org_id: string
  event_id: string
  attempts: Generated<number>
  last_error: string
  next_attempt_at: Timestamp
  dead: Generated<boolean>
}

/** `core.processed_event` @category models @since 0.5.0 */
export interface ProcessedEventTable {
  handler: string
  event_id: string
  processed_at: GeneratedTimestamp
}

/** The states of a job. @category models @since 0.5.0 */
export type JobStatus = "pending" | "running" | "done" | "failed"

/** `core.job` @category models @since 0.5.0 */
export interface JobTable {
  org_id: Generated<string>
  id: string
  kind: string
  key: string
  run_at: Timestamp
  every_seconds: number | null
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>
  attempts: Generated<number>
  max_attempts: Generated<number>
  payload: GeneratedJson<unknown>
  locked_by: string | null
  locked_until: Timestamp | null
  last_error: string | null
  runs: Generated<number>
  created_at: GeneratedTimestamp
  finished_at: Timestamp | null
}

/** `core.plugin_handler`: a plugin handler's failures and quarantine. @category models @since 0.5.0 */
export interface PluginHandlerTable {
  handler: string
  plugin_id: string
  name: string
  failures: GeneratedInt8
  consecutive_failures: Generated<number>
  retry_at: Timestamp | null
  quarantined_at: Timestamp | null
  held_event_position: Int8 | null
  last_error: string | null
  last_error_at: Timestamp | null
  updated_at: GeneratedTimestamp
}

/** `core.plugin_error` @category models @since 0.5.0 */
export interface PluginErrorTable {
  id: GeneratedInt8
  handler: string
  kind: "error" | "timeout" | "memory" | "crash"
  message: string
  org_id: string | null
  event_id: string | null
  event_type: string | null
  event_position: Int8 | null
  at: GeneratedTimestamp
}

/** `core.plugin_skip`: events an admin chose to skip for a handler. @category models @since 0.5.0 */
export interface PluginSkipTable {
  handler: string
  event_position: Int8
  org_id: string
  event_id: string
  skipped_by: string
  at: GeneratedTimestamp
}

/** What a checkpoint states. (`core.audit_checkpoint.payload`) @category models @since 0.4.0 */
export interface CheckpointPayload {
  readonly v: 1
  readonly scope: "org" | "global"
  /** The organisation (absent for a global checkpoint). */
  readonly orgId?: string
  /** The last sequence number (org) or the number of organisations (global). */
  readonly seq: number
  /** The head hash (org) or sha256 over every organisation's `orgId:seq:hash` line, sorted (global). */
  readonly hash: string
  /** The number of records covered. */
  readonly count: number
  /** ISO time the checkpoint was taken. */
  readonly at: string
  /** Global only: every organisation's head. */
  readonly heads?: ReadonlyArray<{ readonly orgId: string; readonly seq: number; readonly hash: string }>
}

/** `core.audit_checkpoint` @category models @since 0.5.0 */
export interface AuditCheckpointTable {
  org_id: string
  id: string
  at: Timestamp
  seq: Int8
  hash: string
  count: Int8
  key_id: string
  signature: string
  payload: Json<CheckpointPayload>
}

/** A team member's level (seed 002 §4.1). @category models @since 0.6.0 */
export type TeamLevel = "team_leader" | "project_manager" | "service_specialist"

/** `core.team`: a team, the queue cases are routed to; `id` is its stable key. @category models @since 0.6.0 */
export interface TeamTable {
  org_id: string
  id: string
  name_zh: string
  name_en: string
  leader_id: string | null
  /** The channels the team serves. */
  channels: GeneratedJson<ReadonlyArray<string>>
  /** The case types (queues) the team serves. */
  queues: GeneratedJson<ReadonlyArray<string>>
  active: Generated<boolean>
  created_at: GeneratedTimestamp
  updated_at: GeneratedTimestamp
}

/** `core.team_member` @category models @since 0.6.0 */
export interface TeamMemberTable {
  org_id: string
  team_id: string
  user_id: string
  level: TeamLevel
  joined_on: ColumnType<string, string | undefined, string>
  left_on: LocalDate | null
}

/** `core.shift`: a weekly working pattern of one person for one team. @category models @since 0.7.0 */
export interface ShiftTable {
  org_id: string
  id: string
  team_id: string
  user_id: string
  /** 0 = Sunday … 6 = Saturday */
  weekdays: Json<ReadonlyArray<number>>
  /** local "HH:MM"; an end at or before the start runs past midnight */
  start_time: string
  end_time: string
  valid_from: LocalDate
  valid_to: LocalDate | null
  off_on_holidays: Generated<boolean>
  created_at: GeneratedTimestamp
}

/** `core.eligibility_setting`: whether the eligibility gate is on. @category models @since 0.6.0 */
export interface EligibilitySettingTable {
  org_id: string
  gate_enabled: Generated<boolean>
  updated_at: GeneratedTimestamp
}

/**
 * Every core table by its schema-qualified name.
 * @category models
 * @since 0.5.0
 */
/** `core.org_key`: an organisation's wrapped data and blind-index keys. @category models @since 0.6.0 */
export interface OrgKeyTable {
  org_id: string
  purpose: "data" | "index"
  version: number
  state: "active" | "retiring" | "retired"
  wrapped: string
  kek_id: string
  created_at: GeneratedTimestamp
  retired_at: Timestamp | null
}

/** `core.pi_access`: the PI access log (reveals of masked values). @category models @since 0.6.0 */
export interface PiAccessTable {
  org_id: string
  id: string
  at: GeneratedTimestamp
  actor_type: string
  actor_id: string
  entity_type: string
  entity_id: string
  fields: string[]
  reason: string | null
  request_id: string | null
}

export interface CoreTables {
  "core.organization": OrganizationTable
  "core.audit_head": AuditHeadTable
  "core.audit_log": AuditLogTable
  "core.outbox_event": OutboxEventTable
  "core.outbox_cursor": OutboxCursorTable
  "core.outbox_failure": OutboxFailureTable
  "core.processed_event": ProcessedEventTable
  "core.job": JobTable
  "core.plugin_handler": PluginHandlerTable
  "core.plugin_error": PluginErrorTable
  "core.plugin_skip": PluginSkipTable
  "core.audit_checkpoint": AuditCheckpointTable
  "core.team": TeamTable
  "core.team_member": TeamMemberTable
  "core.eligibility_setting": EligibilitySettingTable
  "core.shift": ShiftTable
  "core.org_key": OrgKeyTable
  "core.pi_access": PiAccessTable
}
