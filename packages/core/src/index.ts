export * as Audit from "./Audit"
export * as AuditCheckpoint from "./AuditCheckpoint"
export * as Backup from "./Backup"
export * as Batching from "./Batching"
export * as Change from "./Change"
export * as ContactPermissions from "./ContactPermissions"
export * as Contracts from "./Contracts"
export * as Corrections from "./Corrections"
export * as DataClasses from "./DataClasses"
export * as DataClassesSchema from "./DataClassesSchema"
export * as Db from "./Db"
export * as Eligibility from "./Eligibility"
/** @since 0.6.0 */
export * as Encryption from "./Encryption"
export * as Errors from "./Errors"
export * as Id from "./Id"
export * as Jobs from "./Jobs"
export * as Migrations from "./Migrations"
export { coreMigrations } from "./migrations/index"
export type {
  AuditCheckpointTable,
  AuditHeadTable,
  AuditLogTable,
  CoreTables,
  EligibilitySettingTable,
  GeneratedInt8,
  GeneratedJson,
  GeneratedTimestamp,
  Int8,
  JobStatus,
  JobTable,
  Json,
  LocalDate,
  Numeric,
  OrganizationTable,
  OrgKeyTable,
  OutboxCursorTable,
  OutboxEventTable,
  OutboxFailureTable,
  PiAccessTable,
  PluginErrorTable,
  PluginHandlerTable,
  PluginSkipTable,
  ProcessedEventTable,
  TeamLevel,
  TeamMemberTable,
  TeamTable,
  Timestamp,
} from "./migrations/schema"
/** @since 0.5.0 */
export * as Notifications from "./Notifications"
export * as Organizations from "./Organizations"
export * as Outbox from "./Outbox"
/** @since 0.6.0 */
export * as PiAccess from "./PiAccess"
/** @since 0.7.0 */
export * as QualityEvents from "./QualityEvents"
export * as ReadReplica from "./ReadReplica"
/** @since 0.6.0 */
export * as Redaction from "./Redaction"
export * as Shifts from "./Shifts"
export * as Statistics from "./Statistics"
export * as Teams from "./Teams"
export * as Tenancy from "./Tenancy"
