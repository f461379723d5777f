import type { Db, Outbox } from "@tenet/core"
import { sql } from "kysely"
import { ERRORS_KEPT, type FailureKind, type HandlerFailure } from "./host-model"

// ---------------------------------------------------------------------------
// Handler state in the database (core.plugin_handler, core.plugin_error, core.plugin_skip)
// ---------------------------------------------------------------------------

/** A row of core.plugin_handler. @category models @since 0.4.0 */
export interface PluginHandlerRow {
  readonly handler: string
  readonly plugin_id: string
  readonly name: string
  readonly failures: number
  readonly consecutive_failures: number
  readonly retry_at: Date | null
  readonly quarantined_at: Date | null
  readonly held_event_position: number | null
  readonly last_error: string | null
  readonly last_error_at: Date | null
  readonly updated_at: Date
}

/** A row of core.plugin_error. @category models @since 0.4.0 */
export interface PluginErrorRow {
  readonly id: number
  readonly handler: string
  readonly kind: FailureKind
  readonly message: string
  readonly org_id: string | null
  readonly event_id: string | null
  readonly event_type: string | null
  readonly event_position: number | null
  readonly at: Date
}

/** A row of core.plugin_skip. @category models @since 0.4.0 */
export interface PluginSkipRow {
  readonly handler: string
  readonly event_position: number
  readonly org_id: string
  readonly event_id: string
  readonly skipped_by: string
  readonly at: Date
}

/** The tables, for `db.as<PluginTables>()`. @category models @since 0.4.0 */
export interface PluginTables {
  "core.plugin_handler": PluginHandlerRow
  "core.plugin_error": PluginErrorRow
  "core.plugin_skip": PluginSkipRow
}

/** The outbox handler name of a plugin's handler. @category models @since 0.4.0 */
export const handlerKey = (pluginId: string, name: string) => `plugin:${pluginId}:${name}`

export const recordFailure = async (
  db: Db.Database,
  pluginId: string,
  name: string,
  event: Outbox.DomainEvent,
  f: HandlerFailure,
  quarantineAfter: number,
  maxDelay: number,
) => {
  const key = handlerKey(pluginId, name)
  const message = f.message.slice(0, 2000)
  await sql`insert into core.plugin_error (handler, kind, message, org_id, event_id, event_type, event_position)
    values (${key}, ${f.kind}, ${message}, ${event.orgId}, ${event.id}, ${event.type}, ${event.position})`.execute(
    db.kysely,
  )
  await sql`delete from core.plugin_error where handler = ${key} and id <= (
      select id from core.plugin_error where handler = ${key} order by id desc offset ${ERRORS_KEPT} limit 1)`.execute(
    db.kysely,
  )
  const r = await sql<{ consecutive_failures: number; quarantined_at: Date | null }>`
    insert into core.plugin_handler as h (handler, plugin_id, name, failures, consecutive_failures, retry_at,
        quarantined_at, held_event_position, last_error, last_error_at)
      values (${key}, ${pluginId}, ${name}, 1, 1, now() + make_interval(secs => least(${maxDelay}::int, 1)),
        case when 1 >= ${quarantineAfter}::int then now() end, ${event.position}, ${message}, now())
    on conflict (handler) do update set
      failures = h.failures + 1,
      consecutive_failures = h.consecutive_failures + 1,
      retry_at = now() + make_interval(secs => least(${maxDelay}::int, power(2, h.consecutive_failures)::int)),
      quarantined_at = case when h.consecutive_failures + 1 >= ${quarantineAfter}::int
        then coalesce(h.quarantined_at, now()) end,
      held_event_position = excluded.held_event_position,
      last_error = excluded.last_error, last_error_at = now(), updated_at = now()
    returning consecutive_failures, quarantined_at`.execute(db.kysely)
  return r.rows[0]!
}

/**
 * Release a quarantined handler: its failures in a row are forgotten and the events held for it
 * are delivered, in order, starting with the one it failed on. Returns false when there is no
 * such handler state.
 * @category constructors
 * @since 0.4.0
 */
export const releaseHandler = async (db: Db.Database, key: string): Promise<boolean> => {
  const r = await sql`update core.plugin_handler set consecutive_failures = 0, retry_at = null,
      quarantined_at = null, updated_at = now() where handler = ${key}`.execute(db.kysely)
  return Number(r.numAffectedRows ?? 0) > 0
}

/**
 * Skip one event for one handler (the admin's choice for a poison event): it is passed over when
 * offered, and the handler is released. `by` names who decided (kept with the skip).
 * @category constructors
 * @since 0.4.0
 */
export const skipEvent = async (
  db: Db.Database,
  key: string,
  event: { readonly position: number; readonly orgId: string; readonly id: string },
  by: string,
): Promise<void> => {
  await sql`insert into core.plugin_skip (handler, event_position, org_id, event_id, skipped_by)
    values (${key}, ${event.position}, ${event.orgId}, ${event.id}, ${by}) on conflict do nothing`.execute(
    db.kysely,
  )
  await releaseHandler(db, key)
}

/** A handler's persisted state and recent errors, as the API shows it. @category models @since 0.4.0 */
export interface HandlerReport {
  readonly plugin: string
  readonly name: string
  readonly key: string
  readonly events: ReadonlyArray<string>
  readonly isolation: "worker" | "in-process" | null
  readonly timeoutMs: number
  readonly calls: number
  readonly failures: number
  readonly consecutiveFailures: number
  readonly quarantined: boolean
  readonly quarantinedAt: string | null
  readonly retryAt: string | null
  /** The event it is held at (it failed on it), when that event belongs to the organisation asked for. */
  readonly heldEvent: { readonly id: string; readonly type: string; readonly position: number } | null
  /** Events waiting for it (all organisations). */
  readonly waiting: number
  readonly errors: ReadonlyArray<{
    readonly at: string
    readonly kind: FailureKind
    readonly message: string
    readonly eventId: string | null
    readonly eventType: string | null
  }>
}
