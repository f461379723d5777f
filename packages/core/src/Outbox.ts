/**
 * Domain events through a transactional outbox. A change writes its events in the same
 * transaction as its rows (`publish`); a dispatcher delivers them to handlers at least
 * once, in order per handler, with bounded retries. Several processes may run
 * dispatchers on one database: each handler's cursor is leased by one process at a time.
 * Handlers must be idempotent; `once` records an event as processed inside the handler's
 * own transaction.
 *
 * @since 0.1.0
 */
import { hostname } from "node:os"
import { type Selectable, sql } from "kysely"
import type { Database, Executor } from "./Db"
import * as Id from "./Id"
import { toJsonValue } from "./internal/canonical"
import type { OutboxEventTable } from "./migrations/schema"
import type { OrgContext } from "./Tenancy"

/** An event to publish. @category models @since 0.1.0 */
export interface EventInput {
  /** e.g. `process.case.created` */
  readonly type: string
  readonly aggregateType: string
  readonly aggregateId: string
  readonly payload?: unknown
}

/** A published event as handlers receive it. @category models @since 0.1.0 */
export interface DomainEvent {
  readonly orgId: string
  readonly id: string
  readonly position: number
  readonly type: string
  readonly aggregateType: string
  readonly aggregateId: string
  readonly payload: unknown
  readonly occurredAt: Date
}

/** A subscriber. `types` filters by event type (prefix match with a trailing `*`). @category models @since 0.1.0 */
export interface EventHandler {
  readonly name: string
  readonly types?: ReadonlyArray<string>
  readonly handle: (event: DomainEvent, db: Database) => Promise<void>
  /**
   * Optional: handle a page of matching events at once (in order). When it fails, the events are
   * handed to `handle` one by one, so failures are recorded per event.
   */
  readonly handleMany?: (events: ReadonlyArray<DomainEvent>, db: Database) => Promise<void>
  /** Milliseconds before a handler call is abandoned and counted as failed (default 10 s). */
  readonly timeoutMs?: number
  /** Attempts before an event is parked as dead for this handler (default 5). */
  readonly maxAttempts?: number
  /**
   * Optional: asked before each pass; when it answers true the handler is left alone for this pass
   * (its cursor does not move, so the events wait for it). Used for quarantine and retry back-off.
   */
  readonly paused?: (db: Database) => Promise<boolean>
}

/**
 * Thrown by a handler to hold its cursor at the event it was given: the event is not recorded as
 * failed, this pass ends for the handler, and the same event is offered again on a later pass. A
 * handler that holds gets its events strictly in order, none skipped (the plugin host uses it so
 * that events wait while a plugin handler is quarantined).
 * @category errors
 * @since 0.4.0
 */
export class Hold extends Error {
  readonly _tag = "OutboxHold"
}

const isHold = (e: unknown): boolean =>
  e instanceof Hold ||
  (typeof e === "object" && e !== null && (e as { _tag?: unknown })._tag === "OutboxHold")

/**
 * Write an event in the caller's transaction.
 * @category constructors
 * @since 0.1.0
 */
export const publish = async (tx: Executor, ctx: OrgContext, event: EventInput): Promise<string> =>
  (await publishMany(tx, ctx, [event]))[0]!

/**
 * Write several events in the caller's transaction, in order, as one insert.
 * @category constructors
 * @since 0.2.0
 */
export const publishMany = async (
  tx: Executor,
  ctx: OrgContext,
  events: ReadonlyArray<EventInput>,
): Promise<ReadonlyArray<string>> => {
  if (events.length === 0) return []
  const { statement, ids } = insertEvents(ctx, events)
  await statement.execute(tx)
  return ids
}

/**
 * The insert of `events` as a statement, to run alone or inside a larger one (a change writes its
 * audit records and events in one round trip).
 * @category constructors
 * @since 0.2.0
 */
export const insertEvents = (ctx: OrgContext, events: ReadonlyArray<EventInput>) => {
  const rows = events.map((e, i) => ({
    i,
    id: Id.make("evt"),
    type: e.type,
    aggregate_type: e.aggregateType,
    aggregate_id: e.aggregateId,
    payload: toJsonValue(e.payload ?? {}),
  }))
  const statement = sql`insert into core.outbox_event (org_id, id, type, aggregate_type, aggregate_id, payload)
    select ${ctx.orgId}, x.id, x.type, x.aggregate_type, x.aggregate_id, x.payload
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(i int, id text, type text, aggregate_type text, aggregate_id text, payload jsonb)
    order by x.i`
  return { statement, ids: rows.map((r) => r.id) }
}

/**
 * Record that `handler` processed `eventId`, inside the handler's transaction. Returns false
 * when it was already processed (the handler should then do nothing).
 * @category constructors
 * @since 0.1.0
 */
export const once = async (tx: Executor, handler: string, eventId: string) => {
  const r = await sql`insert into core.processed_event (handler, event_id) values (${handler}, ${eventId})
    on conflict do nothing`.execute(tx)
  return Number(r.numAffectedRows ?? 0) === 1
}

/** The SQL condition for a handler's types (exact names, or prefixes with a trailing `*`). */
const typeFilter = (h: EventHandler) => {
  if (!h.types) return sql`true`
  const exact = h.types.filter((t) => !t.endsWith("*"))
  const prefixes = h.types
    .filter((t) => t.endsWith("*"))
    .map((t) => `${t.slice(0, -1).replace(/[\\%_]/g, "\\$&")}%`)
  return sql`(e.type = any(${exact}::text[]) or e.type like any(${prefixes}::text[]))`
}

const withTimeout = <A>(p: Promise<A>, ms: number, name: string): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`handler ${name} timed out after ${ms} ms`)), ms)
    p.then(
      (a) => {
        clearTimeout(timer)
        resolve(a)
      },
      (e) => {
        clearTimeout(timer)
        reject(e)
      },
    )
  })

type EventRow = Selectable<OutboxEventTable>

const rowToEvent = (r: EventRow): DomainEvent => ({
  orgId: r.org_id,
  id: r.id,
  position: Number(r.position),
  type: r.type,
  aggregateType: r.aggregate_type,
  aggregateId: r.aggregate_id,
  payload: r.payload,
  occurredAt: r.occurred_at,
})

/** What one dispatch pass did. @category models @since 0.1.0 */
export interface DispatchReport {
  readonly delivered: number
  readonly failed: number
  readonly retried: number
  /** Some handler read a full page: more events are probably waiting (run again at once). */
  readonly more: boolean
}

/**
 * Deliver pending events to handlers, once pass. Safe to run from several processes.
 * @category constructors
 * @since 0.1.0
 */
export const dispatch = async (
  db: Database,
  handlers: ReadonlyArray<EventHandler>,
  options: { readonly workerId?: string; readonly batch?: number; readonly leaseSeconds?: number } = {},
): Promise<DispatchReport> => {
  const worker = options.workerId ?? `${hostname()}:${process.pid}`
  const batch = options.batch ?? 500
  const lease = options.leaseSeconds ?? 60
  let delivered = 0
  let failed = 0
  let retried = 0
  let more = false
  const known = cursorsMade.get(db) ?? new Set<string>()
  cursorsMade.set(db, known)
  for (const h of handlers) {
    if (h.paused && (await h.paused(db))) continue
    if (!known.has(h.name)) {
      await sql`insert into core.outbox_cursor (handler) values (${h.name}) on conflict do nothing`.execute(
        db.kysely,
      )
      known.add(h.name)
    }
    const claimed = await sql<{ position: number | bigint; tx: string }>`
      update core.outbox_cursor set locked_by = ${worker}, locked_until = now() + make_interval(secs => ${lease})
      where handler = ${h.name} and (locked_until is null or locked_until < now() or locked_by = ${worker})
      returning position, tx::text as tx`.execute(db.kysely)
    if (claimed.rows.length === 0) {
      // another process holds this handler — or its cursor row is gone (a restore): insert it next pass
      known.delete(h.name)
      continue
    }
    let position = String(claimed.rows[0]!.position)
    let tx = claimed.rows[0]!.tx
    let released = false
    try {
      // Retries first: failures whose time has come.
      const due = await sql<EventRow & { attempts: number }>`
        select e.*, f.attempts from core.outbox_failure f
        join core.outbox_event e on e.position = f.event_position
        where f.handler = ${h.name} and not f.dead and f.next_attempt_at <= now()
        order by f.event_position limit ${batch}`.execute(db.kysely)
      for (const row of due.rows) {
        const event = rowToEvent(row)
        retried++
        try {
          await withTimeout(h.handle(event, db), h.timeoutMs ?? 10_000, h.name)
          await sql`delete from core.outbox_failure where handler = ${h.name} and event_position = ${event.position}`.execute(
            db.kysely,
          )
          delivered++
        } catch (e) {
          failed++
          const attempts = Number(row.attempts) + 1
          await sql`update core.outbox_failure set attempts = ${attempts}, last_error = ${errorText(e)},
              dead = ${attempts >= (h.maxAttempts ?? 5)},
              next_attempt_at = now() + make_interval(secs => ${backoffSeconds(attempts)})
            where handler = ${h.name} and event_position = ${event.position}`.execute(db.kysely)
        }
      }
      // In (transaction, position) order, and only from transactions older than every running
      // one: an event of a transaction still running cannot appear later behind the cursor.
      // Only the handler's types are read; the same statement (same snapshot) also returns the
      // newest event below that horizon, so that a short page moves the cursor past the events
      // of other types too.
      const read = await sql<
        EventRow & { tx_text: string; is_end: boolean }
      >`with horizon as (select pg_snapshot_xmin(pg_current_snapshot()) as xmin)
        (select e.*, e.tx::text as tx_text, false as is_end from core.outbox_event e, horizon
          where (e.tx, e.position) > (${tx}::xid8, ${position}) and e.tx < horizon.xmin and ${typeFilter(h)}
          order by e.tx, e.position limit ${batch})
        union all
        (select e.*, e.tx::text as tx_text, true as is_end from core.outbox_event e, horizon
          where (e.tx, e.position) > (${tx}::xid8, ${position}) and e.tx < horizon.xmin
          order by e.tx desc, e.position desc limit 1)`.execute(db.kysely)
      const page = { rows: read.rows.filter((r) => !r.is_end) }
      const end = read.rows.find((r) => r.is_end)
      // the page holds the handler's types only (filtered in SQL above)
      const matching = page.rows.map(rowToEvent)
      const one = async (event: DomainEvent) => {
        try {
          await withTimeout(h.handle(event, db), h.timeoutMs ?? 10_000, h.name)
          delivered++
        } catch (e) {
          if (isHold(e)) throw e
          failed++
          await sql`insert into core.outbox_failure (handler, event_position, org_id, event_id, attempts, last_error, next_attempt_at, dead)
            values (${h.name}, ${event.position}, ${event.orgId}, ${event.id}, 1, ${errorText(e)},
              now() + make_interval(secs => ${backoffSeconds(1)}), ${(h.maxAttempts ?? 5) <= 1})
            on conflict do nothing`.execute(db.kysely)
        }
      }
      let done = false
      if (h.handleMany && matching.length > 0)
        try {
          await withTimeout(h.handleMany(matching, db), h.timeoutMs ?? 10_000, h.name)
          delivered += matching.length
          done = true
        } catch {
          // one by one below, so each failure is recorded against its event
        }
      // the index of the event the handler holds at (see Hold), if it did
      let held: number | undefined
      if (!done)
        for (let i = 0; i < matching.length; i++)
          try {
            await one(matching[i]!)
          } catch {
            held = i
            break
          }
      if (page.rows.length >= batch && held === undefined) more = true
      // held: up to the event before the one held (or nowhere); a full page: up to its last event;
      // a short one: up to the newest event below the horizon
      const last =
        held !== undefined
          ? held > 0
            ? page.rows[held - 1]
            : undefined
          : page.rows.length >= batch
            ? page.rows.at(-1)
            : end
      if (last) {
        position = String(last.position)
        tx = last.tx_text
        // the cursor moves once a page (delivery is at least once: a crash repeats the page), and
        // the handler is released in the same statement
        await sql`update core.outbox_cursor set position = ${position}, tx = ${tx}::xid8,
            locked_by = case when locked_by = ${worker} then null else locked_by end,
            locked_until = case when locked_by = ${worker} then null else locked_until end
          where handler = ${h.name}`.execute(db.kysely)
        released = true
      }
    } finally {
      if (!released)
        await sql`update core.outbox_cursor set locked_by = null, locked_until = null
          where handler = ${h.name} and locked_by = ${worker}`.execute(db.kysely)
    }
  }
  return { delivered, failed, retried, more }
}

// the handlers whose cursor row exists, per database (inserted once per process)
const cursorsMade = new WeakMap<Database, Set<string>>()

const backoffSeconds = (attempt: number) => Math.min(3600, 2 ** attempt)
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 2000)
