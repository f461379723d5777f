/**
 * Streaming import of cases with their customers from CSV or NDJSON, with a column mapping,
 * and a preset for Zendesk's ticket JSON (one ticket per line, Zendesk's documented field
 * names: id, subject, description, type, priority, status, via.channel, created_at, updated_at,
 * requester_id, requester.name, group_id, tags), Freshdesk's (API v2: id, subject,
 * description_text, type, numeric priority, status and source, group_id, requester_id, tags,
 * created_at, stats.resolved_at) and Zammad's (REST API: id, title, article.body, state or
 * state_id, priority or priority_id, group or group_id, customer_id, create_article_type, tags,
 * created_at, close_at). `IMPORT_COLUMNS` (in `Case`) lists each format's columns; the Import
 * page and `tenet import cases --help` show them. Types and categories must be in the
 * organisation's vocabulary (a ticket's category: its first tag the vocabulary knows).
 *
 * Idempotent by external id: a row whose case exists is skipped, so a re-run imports nothing
 * twice. Rows are committed in batches through the set-based intake (`intakeMany`: one
 * statement per table per batch), one batch written while the next is parsed; a crash loses
 * only the batch in flight, and a re-run completes the rest. Invalid rows are collected as
 * `{ line, field, message }` without stopping the good ones; a batch the database refuses is
 * halved until the refused rows are found.
 *
 * @since 0.1.0
 */
export { IMPORT_COLUMNS, IMPORT_FORMATS } from "./Case"
export { mapRow } from "./import/map"
export {
  DEFAULT_MAPPING,
  type ImportFormat,
  type ImportSummary,
  type Mapping,
  type RowError,
} from "./import/model"
export { importCases } from "./import/run"
export {
  getImport,
  HEARTBEAT_SECONDS,
  jobHandlers,
  LEASE_SECONDS,
  listImports,
  RECOVER_JOB,
  recoverImports,
} from "./import/runs"
