import { type Contracts, type DataClasses, type Db, Outbox, Tenancy } from "@tenet/core"
import { sql } from "kysely"
import {
  DEFAULT_HEAP_MB,
  DEFAULT_TIMEOUT_MS,
  failureOf,
  HandlerFailure,
  importPlugin,
  type LoadedPlugin,
  limit,
  METRIC_TIMEOUT_MS,
  matches,
  type PluginSource,
  pluginModule,
  QUARANTINE_AFTER,
  START_LIMIT_MS,
  TENET_VERSION,
} from "./host-model"
import { PluginRunner } from "./host-runner"
import { type HandlerReport, handlerKey, type PluginTables, recordFailure } from "./host-state"
import { isPlugin, type PluginHandler } from "./index"
import { notificationEvent } from "./notify"
import { formatIssue, type PluginIssue, validatePlugin } from "./validate"

export {
  DEFAULT_HEAP_MB,
  DEFAULT_TIMEOUT_MS,
  ERRORS_KEPT,
  type FailureKind,
  HandlerFailure,
  type HandlerState,
  importPlugin,
  type LoadedPlugin,
  METRIC_TIMEOUT_MS,
  type PluginSource,
  pluginModule,
  QUARANTINE_AFTER,
  START_LIMIT_MS,
  TENET_VERSION,
} from "./host-model"
export { PluginRunner } from "./host-runner"
export {
  type HandlerReport,
  handlerKey,
  type PluginErrorRow,
  type PluginHandlerRow,
  type PluginSkipRow,
  type PluginTables,
  releaseHandler,
  skipEvent,
} from "./host-state"

// ---------------------------------------------------------------------------
// The host
// ---------------------------------------------------------------------------

/** A running set of plugins. @category models @since 0.1.0 */
export interface PluginHost {
  readonly plugins: ReadonlyArray<LoadedPlugin>
  readonly workflows: () => ReadonlyArray<Contracts.WorkflowDefinition & { readonly plugin: string }>
  readonly standards: () => ReadonlyArray<{ readonly plugin: string; readonly document: unknown }>
  readonly metrics: () => ReadonlyArray<Contracts.MetricDefinition>
  readonly scorecards: () => ReadonlyArray<{
    readonly plugin: string
    readonly name: string
    readonly definition: unknown
  }>
  readonly calendars: () => ReadonlyArray<{
    readonly plugin: string
    readonly name: string
    readonly spec: unknown
  }>
  /** Risk libraries (tenet-risk-library/v1), checked at load. */
  readonly riskLibraries: () => ReadonlyArray<{ readonly plugin: string; readonly document: unknown }>
  /** The data classes loaded plugins declare (marked with the plugin's id; no raw `where`). */
  readonly dataClasses: () => ReadonlyArray<DataClasses.DataClass>
  /** Outbox handlers, one per plugin handler, isolated. */
  readonly eventHandlers: () => ReadonlyArray<Outbox.EventHandler>
  /**
   * Each handler's persisted state; errors and the held event only of organisation `orgId`
   * (errors of other organisations' events are counted, not shown).
   */
  readonly handlerReports: (db: Db.Database, orgId: string) => Promise<ReadonlyArray<HandlerReport>>
  /** The workers (for figures and tests). */
  readonly runners: () => ReadonlyArray<PluginRunner>
  /** Lines describing refused plugins (for the server log). */
  readonly problems: () => ReadonlyArray<string>
  /** Terminate the plugins' workers. */
  readonly close: () => Promise<void>
}

/**
 * Load plugins. Never throws for a bad plugin: it is listed as refused with its issues.
 * @category constructors
 * @since 0.1.0
 */
export const loadPlugins = async (
  sources: ReadonlyArray<PluginSource>,
  options: {
    readonly tenetVersion?: string
    readonly base?: string
    readonly knownMetric?: (id: string) => boolean
    /** Heap limit of each plugin's worker, in MB (default 128). */
    readonly heapMb?: number
    /** Failures in a row before quarantine (default `QUARANTINE_AFTER`). */
    readonly quarantineAfter?: number
    /**
     * A failed event is tried again after 1, 2, 4 … seconds, at most this many (default 60; the
     * testing kit uses 0, so that each dispatch tries again).
     */
    readonly maxRetryDelaySeconds?: number
    /** Time limit of a contributed metric's computation (default `METRIC_TIMEOUT_MS`). */
    readonly metricTimeoutMs?: number
  } = {},
): Promise<PluginHost> => {
  const loaded: LoadedPlugin[] = []
  const modules = new Map<string, string | null>()
  const seen = new Set<string>()
  for (const s of sources) {
    const source = typeof s === "string" ? s : s instanceof URL ? s.href : s.source
    let value: unknown
    let module: string | null = null
    try {
      if (typeof s === "string" || s instanceof URL) {
        module = pluginModule(s, options.base)
        value = await importPlugin(s, options.base)
      } else {
        module = s.module ? pluginModule(s.module, options.base) : null
        value = await s.load()
      }
    } catch (e) {
      const issue = {
        plugin: source,
        field: "(module)",
        reason: `cannot be loaded: ${(e as Error).message.split("\n")[0]}`,
      }
      loaded.push(refused(source, [issue]))
      continue
    }
    const issues = validatePlugin(value, {
      tenetVersion: options.tenetVersion ?? TENET_VERSION,
      source,
      ...(options.knownMetric ? { knownMetric: options.knownMetric } : {}),
    })
    if (isPlugin(value) && seen.has(value.id))
      issues.push({ plugin: value.id, field: "id", reason: "another loaded plugin has the same id" })
    if (issues.length || !isPlugin(value)) {
      loaded.push(refused(source, issues, value))
      continue
    }
    seen.add(value.id)
    modules.set(value.id, module)
    const c = value.contributes ?? {}
    const handlerCount = value.handlers?.length ?? 0
    loaded.push({
      id: value.id,
      version: value.version,
      source,
      name: value.name ?? null,
      status: "loaded",
      issues: [],
      messages: [],
      contributions: {
        standards: c.standards?.length ?? 0,
        workflows: (c.workflows ?? []).map((w) => w.id),
        metrics: (c.metrics ?? []).map((m) => m.id),
        scorecards: c.scorecards?.length ?? 0,
        calendars: c.calendars?.length ?? 0,
        handlers: handlerCount,
      },
      isolation: handlerCount === 0 ? null : module ? "worker" : "in-process",
      handlers: (value.handlers ?? []).map((h) => ({
        name: h.name,
        events: h.events,
        calls: 0,
        failures: 0,
        consecutiveFailures: 0,
        quarantined: false,
        lastError: null,
        lastErrorAt: null,
      })),
      plugin: value,
    })
  }
  const ok = () => loaded.filter((p) => p.status === "loaded" && p.plugin)
  const quarantineAfter = options.quarantineAfter ?? QUARANTINE_AFTER
  const maxDelay = options.maxRetryDelaySeconds ?? 60
  const metricTimeoutMs = options.metricTimeoutMs ?? METRIC_TIMEOUT_MS
  const runners = new Map<string, PluginRunner>()
  const runnerOf = (p: LoadedPlugin) => {
    const module = modules.get(p.id)
    if (!module) return null
    let r = runners.get(p.id)
    if (!r) {
      r = new PluginRunner(p.id, module, options.heapMb ?? DEFAULT_HEAP_MB)
      runners.set(p.id, r)
    }
    return r
  }

  const wrap = (p: LoadedPlugin, h: PluginHandler): Outbox.EventHandler => {
    const state = p.handlers.find((x) => x.name === h.name)!
    const key = handlerKey(p.id, h.name)
    const timeoutMs = h.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const runner = runnerOf(p)
    // read at the start of each pass: the persisted state (another process or an admin may change it)
    let failing = false
    let skips = new Set<number>()
    return {
      name: key,
      types: h.events,
      // the host's own limits come first; this one only guards against a lost worker message
      timeoutMs: timeoutMs + START_LIMIT_MS + 10_000,
      paused: async (db) => {
        const row = (
          await db
            .as<PluginTables>()
            .selectFrom("core.plugin_handler")
            .selectAll()
            .where("handler", "=", key)
            .execute()
        )[0]
        failing = row !== undefined && (row.consecutive_failures > 0 || row.held_event_position !== null)
        if (row) {
          state.failures = Number(row.failures)
          state.consecutiveFailures = row.consecutive_failures
          state.quarantined = row.quarantined_at !== null
          state.lastError = row.last_error
          state.lastErrorAt = row.last_error_at?.toISOString() ?? null
        }
        if (row?.quarantined_at) return true
        if (row?.retry_at && row.retry_at.getTime() > Date.now()) return true
        // the events an admin chose to skip (few rows; read each pass, another process may add one)
        skips = new Set(
          (
            await db
              .as<PluginTables>()
              .selectFrom("core.plugin_skip")
              .select("event_position")
              .where("handler", "=", key)
              .execute()
          ).map((r) => Number(r.event_position)),
        )
        return false
      },
      handle: async (event, db) => {
        if (!matches(h.events, event.type)) return
        if (skips.has(event.position)) {
          await clearFailing(db, key)
          failing = false
          return
        }
        state.calls++
        try {
          if (runner) await runner.run(h.name, event, timeoutMs, db)
          else
            await limit(
              Promise.resolve().then(() =>
                h.handle(event, {
                  db,
                  notify: async (request) => {
                    await Outbox.publish(
                      db.kysely,
                      Tenancy.system(event.orgId),
                      notificationEvent(p.id, event, request),
                    )
                  },
                }),
              ),
              timeoutMs,
              () =>
                new HandlerFailure(
                  "timeout",
                  `handler ${h.name} of plugin ${p.id} took longer than ${timeoutMs} ms`,
                ),
            )
        } catch (e) {
          const f = failureOf(e)
          const r = await recordFailure(db, p.id, h.name, event, f, quarantineAfter, maxDelay)
          failing = true
          state.failures++
          state.consecutiveFailures = r.consecutive_failures
          state.quarantined = r.quarantined_at !== null
          state.lastError = f.message
          state.lastErrorAt = new Date().toISOString()
          // the cursor stays at this event: it is tried again after the back-off, or after release
          throw new Outbox.Hold(f.message)
        }
        if (failing) {
          await clearFailing(db, key)
          failing = false
          state.consecutiveFailures = 0
        }
      },
    }
  }

  return {
    plugins: loaded,
    workflows: () =>
      ok().flatMap((p) => (p.plugin!.contributes?.workflows ?? []).map((w) => ({ ...w, plugin: p.id }))),
    standards: () =>
      ok().flatMap((p) =>
        (p.plugin!.contributes?.standards ?? []).map((document) => ({ plugin: p.id, document })),
      ),
    metrics: () =>
      ok().flatMap((p) => {
        const runner = runnerOf(p)
        return (p.plugin!.contributes?.metrics ?? []).map(
          (m): Contracts.MetricDefinition =>
            runner
              ? {
                  ...m,
                  compute: (query, db) => runner.compute(m.id, query, metricTimeoutMs, db),
                }
              : m,
        )
      }),
    scorecards: () =>
      ok().flatMap((p) => (p.plugin!.contributes?.scorecards ?? []).map((x) => ({ plugin: p.id, ...x }))),
    calendars: () =>
      ok().flatMap((p) => (p.plugin!.contributes?.calendars ?? []).map((x) => ({ plugin: p.id, ...x }))),
    riskLibraries: () =>
      ok().flatMap((p) =>
        (p.plugin!.contributes?.riskLibraries ?? []).map((document) => ({ plugin: p.id, document })),
      ),
    dataClasses: () =>
      ok().flatMap((p) =>
        (p.plugin!.contributes?.dataClasses ?? []).map((d): DataClasses.DataClass => {
          // a plugin gives data, not SQL: a `where` it may still carry at run time is dropped
          const { where: _where, ...rest } = d as DataClasses.DataClass
          return { ...rest, plugin: p.id }
        }),
      ),
    problems: () => loaded.flatMap((p) => p.issues.map(formatIssue)),
    eventHandlers: () => ok().flatMap((p) => (p.plugin!.handlers ?? []).map((h) => wrap(p, h))),
    handlerReports: (db, orgId) => handlerReports(db, ok(), orgId),
    runners: () => [...runners.values()],
    close: async () => {
      await Promise.all([...runners.values()].map((r) => r.stop()))
    },
  }
}

const clearFailing = (db: Db.Database, key: string) =>
  sql`update core.plugin_handler set consecutive_failures = 0, retry_at = null, held_event_position = null,
      updated_at = now() where handler = ${key}`.execute(db.kysely)

const handlerReports = async (
  db: Db.Database,
  plugins: ReadonlyArray<LoadedPlugin>,
  orgId: string,
): Promise<ReadonlyArray<HandlerReport>> => {
  const q = db.as<PluginTables>()
  const rows = new Map(
    (await q.selectFrom("core.plugin_handler").selectAll().execute()).map((r) => [r.handler, r]),
  )
  const out: HandlerReport[] = []
  for (const p of plugins)
    for (const h of p.plugin?.handlers ?? []) {
      const key = handlerKey(p.id, h.name)
      const row = rows.get(key)
      const state = p.handlers.find((x) => x.name === h.name)
      const errors = await q
        .selectFrom("core.plugin_error")
        .selectAll()
        .where("handler", "=", key)
        .where("org_id", "=", orgId)
        .orderBy("id", "desc")
        .limit(20)
        .execute()
      const held =
        row?.held_event_position != null
          ? (
              await sql<{ id: string; type: string; position: number }>`select id, type, position
                from core.outbox_event where position = ${row.held_event_position} and org_id = ${orgId}`.execute(
                db.kysely,
              )
            ).rows[0]
          : undefined
      const exact = h.events.filter((t) => !t.endsWith("*"))
      const prefixes = h.events
        .filter((t) => t.endsWith("*"))
        .map((t) => `${t.slice(0, -1).replace(/[\\%_]/g, "\\$&")}%`)
      const waiting = Number(
        (
          await sql<{ n: number }>`select count(*) as n from core.outbox_event e, core.outbox_cursor c
            where c.handler = ${key} and (e.tx, e.position) > (c.tx, c.position)
            and (e.type = any(${exact}::text[]) or e.type like any(${prefixes}::text[]))`.execute(db.kysely)
        ).rows[0]?.n ?? 0,
      )
      out.push({
        plugin: p.id,
        name: h.name,
        key,
        events: h.events,
        isolation: p.isolation,
        timeoutMs: h.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        calls: state?.calls ?? 0,
        failures: Number(row?.failures ?? 0),
        consecutiveFailures: row?.consecutive_failures ?? 0,
        quarantined: row?.quarantined_at != null,
        quarantinedAt: row?.quarantined_at?.toISOString() ?? null,
        retryAt: row?.retry_at?.toISOString() ?? null,
        heldEvent: held ? { id: held.id, type: held.type, position: Number(held.position) } : null,
        waiting,
        errors: errors.map((e) => ({
          at: e.at.toISOString(),
          kind: e.kind,
          message: e.message,
          eventId: e.event_id,
          eventType: e.event_type,
        })),
      })
    }
  return out
}

const refused = (source: string, issues: PluginIssue[], value?: unknown): LoadedPlugin => ({
  id: isPlugin(value) && typeof value.id === "string" ? value.id : source,
  version: isPlugin(value) && typeof value.version === "string" ? value.version : null,
  source,
  name: isPlugin(value) ? (value.name ?? null) : null,
  status: "refused",
  issues,
  messages: issues.map(formatIssue),
  contributions: { standards: 0, workflows: [], metrics: [], scorecards: 0, calendars: 0, handlers: 0 },
  isolation: null,
  handlers: [],
  plugin: null,
})
