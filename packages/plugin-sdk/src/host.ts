/**
 * The plugin host: loads plugins, validates each (an invalid or incompatible plugin is refused
 * with a message naming the plugin, the field and the reason, and the rest load), collects their
 * contributions, and runs their event handlers isolated: each plugin's handlers run in one
 * long-lived worker thread of their own (`node:worker_threads`) with a heap limit, and a call that
 * passes its time limit has its worker terminated and replaced — so a synchronous endless loop or
 * a memory blow-up stops the plugin, not the server. Failures are counted in the database; after
 * `QUARANTINE_AFTER` in a row the handler is quarantined (across restarts and processes) and its
 * events wait, in order, until an admin releases it (or skips the event that poisons it).
 *
 * @since 0.1.0
 */
import { existsSync, readFileSync, statSync } from "node:fs"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { Worker } from "node:worker_threads"
import { type Contracts, type Db, Outbox } from "@tenet/core"
import { CompiledQuery, type ControlledTransaction, sql } from "kysely"
import { isPlugin, type Plugin, type PluginHandler } from "./index"
import { formatIssue, type PluginIssue, validatePlugin } from "./validate"

/** The Tenet version plugins are checked against. @category models @since 0.1.0 */
export const TENET_VERSION = "0.1.0"

/** Consecutive failures (errors, timeouts, crashes) after which a handler is quarantined. @category models @since 0.1.0 */
export const QUARANTINE_AFTER = 3

/** A handler's time limit per call when it sets none. @category models @since 0.4.0 */
export const DEFAULT_TIMEOUT_MS = 5000

/** The heap limit of a plugin's worker when the host is given none. @category models @since 0.4.0 */
export const DEFAULT_HEAP_MB = 128

/** How long a plugin's worker may take to start (import the plugin). @category models @since 0.4.0 */
export const START_LIMIT_MS = 30_000

/** A plugin metric's time limit per computation (its worker is stopped after it). @category models @since 0.4.0 */
export const METRIC_TIMEOUT_MS = 30_000

/** Errors kept per handler in the database (older ones are deleted). @category models @since 0.4.0 */
export const ERRORS_KEPT = 100

/** What ended a failed call. @category models @since 0.4.0 */
export type FailureKind = "error" | "timeout" | "memory" | "crash"

/** @category models @since 0.1.0 */
export interface HandlerState {
  readonly name: string
  readonly events: ReadonlyArray<string>
  /** Calls in this process since it started. */
  calls: number
  failures: number
  consecutiveFailures: number
  quarantined: boolean
  lastError: string | null
  lastErrorAt: string | null
}

/** @category models @since 0.1.0 */
export interface LoadedPlugin {
  readonly id: string
  readonly version: string | null
  readonly source: string
  readonly name: Plugin["name"] | null
  readonly status: "loaded" | "refused"
  readonly issues: ReadonlyArray<PluginIssue>
  readonly messages: ReadonlyArray<string>
  readonly contributions: {
    standards: number
    workflows: string[]
    metrics: string[]
    scorecards: number
    calendars: number
    handlers: number
  }
  /**
   * Where its handlers run: `worker` (a worker thread, the module imported there) or `in-process`
   * (a plugin given as a value with no module to import: a time limit only, no protection from an
   * endless loop). Null for a refused plugin or one without handlers.
   */
  readonly isolation: "worker" | "in-process" | null
  readonly handlers: HandlerState[]
  readonly plugin: Plugin | null
}

/**
 * Where a plugin comes from: a folder, a file or a package name (a string or file URL), or a value
 * (tests) — with `module`, the file the value came from, so that its handlers can run in a worker.
 * @category models
 * @since 0.1.0
 */
export type PluginSource =
  | string
  | URL
  | {
      readonly source: string
      readonly load: () => Promise<unknown>
      readonly module?: string | URL | undefined
    }

const entryOf = (dir: string) => {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
  const exp = typeof pkg.exports === "string" ? pkg.exports : pkg.exports?.["."]
  const entry =
    typeof exp === "string" ? exp : (exp?.import ?? exp?.default ?? pkg.module ?? pkg.main ?? "dist/index.js")
  return join(dir, entry)
}

/**
 * The module specifier (a file URL where the plugin is a file or folder) to import a plugin from.
 * @category constructors
 * @since 0.4.0
 */
export const pluginModule = (source: string | URL, base = process.cwd()): string => {
  if (source instanceof URL) return source.href
  if (source.startsWith("file:")) return source
  const path = resolve(base, source)
  if (existsSync(path)) return pathToFileURL(statSync(path).isDirectory() ? entryOf(path) : path).href
  try {
    return import.meta.resolve(source)
  } catch {
    return source
  }
}

/** Import a plugin module from a folder (its package.json entry), a file or a package name. @category constructors @since 0.1.0 */
export const importPlugin = async (source: string | URL, base = process.cwd()): Promise<unknown> => {
  const mod = await import(pluginModule(source, base))
  return (mod as { default?: unknown }).default ?? mod
}

const matches = (patterns: ReadonlyArray<string>, type: string) =>
  patterns.some((p) => (p.endsWith("*") ? type.startsWith(p.slice(0, -1)) : p === type))

/** A failed handler call, with what ended it. @category errors @since 0.4.0 */
export class HandlerFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message)
  }
}

const failureOf = (e: unknown): HandlerFailure =>
  e instanceof HandlerFailure ? e : new HandlerFailure("error", e instanceof Error ? e.message : String(e))

const limit = <A>(p: Promise<A>, ms: number, onTimeout: () => HandlerFailure) =>
  new Promise<A>((res, rej) => {
    const t = setTimeout(() => rej(onTimeout()), ms)
    p.then(
      (a) => {
        clearTimeout(t)
        res(a)
      },
      (e) => {
        clearTimeout(t)
        rej(e)
      },
    )
  })

// ---------------------------------------------------------------------------
// The worker of one plugin
// ---------------------------------------------------------------------------

const WORKER_URL = new URL("./plugin-worker.mjs", import.meta.url)

type FromWorker =
  | { readonly t: "ready" }
  | { readonly t: "done"; readonly id: number; readonly result?: unknown }
  | { readonly t: "fail"; readonly id: number; readonly error: string }
  | {
      readonly t: "db"
      readonly id: number
      readonly op: "query" | "begin" | "commit" | "rollback"
      readonly session?: number | null
      readonly sql?: string
      readonly parameters?: ReadonlyArray<unknown>
      readonly isolationLevel?: string | null
      readonly accessMode?: string | null
    }

interface Pending {
  readonly resolve: (result: unknown) => void
  readonly reject: (e: HandlerFailure) => void
}

/**
 * Runs one plugin's handlers in a long-lived worker thread, one call at a time. A call past its
 * time limit terminates the worker (V8 stops even a synchronous loop); a worker that runs out of
 * heap or dies fails its call; the next call starts a fresh worker. Database requests from the
 * worker run here, on the server's database; a worker's open transactions are rolled back when it
 * ends.
 * @category models
 * @since 0.4.0
 */
export class PluginRunner {
  private worker: Worker | undefined
  private ready: Promise<void> | undefined
  private readonly calls = new Map<number, Pending>()
  // a plugin's queries are SQL text it sends from its worker: the transaction knows no tables
  private readonly sessions = new Map<number, { owner: Worker; trx: ControlledTransaction<unknown> }>()
  private nextId = 0
  private queue: Promise<unknown> = Promise.resolve()
  /** Workers started so far (1 + replacements). */
  started = 0

  constructor(
    readonly pluginId: string,
    readonly module: string,
    readonly heapMb: number,
  ) {}

  /** Run handler `handler` on `event`; rejects with a `HandlerFailure`. */
  run(handler: string, event: Outbox.DomainEvent, timeoutMs: number, db: Db.Database): Promise<void> {
    return this.enqueue(
      { t: "call", handler, event },
      timeoutMs,
      db,
      `handler ${handler} of plugin ${this.pluginId}`,
    ) as Promise<void>
  }

  /** Compute metric `metric` of the plugin for `query`; rejects with a `HandlerFailure`. */
  compute(
    metric: string,
    query: Contracts.MetricQuery,
    timeoutMs: number,
    db: Db.Database,
  ): Promise<ReadonlyArray<Contracts.MetricValue>> {
    return this.enqueue(
      { t: "metric", metric, query },
      timeoutMs,
      db,
      `metric ${metric} of plugin ${this.pluginId}`,
    ) as Promise<ReadonlyArray<Contracts.MetricValue>>
  }

  private enqueue(message: Record<string, unknown>, timeoutMs: number, db: Db.Database, what: string) {
    const p = this.queue.then(() => this.runNow(message, timeoutMs, db, what))
    this.queue = p.catch(() => {})
    return p
  }

  /** Terminate the worker (the next call starts another). */
  async stop(): Promise<void> {
    const w = this.worker
    if (!w) return
    this.ended(w, new HandlerFailure("crash", "the plugin host stopped"))
    await w.terminate()
  }

  private async runNow(message: Record<string, unknown>, timeoutMs: number, db: Db.Database, what: string) {
    if (!this.worker || !this.ready) this.start(db)
    const w = this.worker!
    await limit(this.ready!, START_LIMIT_MS, () => {
      void this.kill(w, "timeout", "")
      return new HandlerFailure(
        "timeout",
        `plugin ${this.pluginId} did not start within ${START_LIMIT_MS} ms`,
      )
    })
    if (this.worker !== w) throw new HandlerFailure("crash", `the worker of plugin ${this.pluginId} ended`)
    const id = ++this.nextId
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.calls.delete(id)
        reject(
          new HandlerFailure("timeout", `${what} took longer than ${timeoutMs} ms; its worker was stopped`),
        )
        void this.kill(w, "timeout", "")
      }, timeoutMs)
      this.calls.set(id, {
        resolve: (result) => {
          clearTimeout(timer)
          resolve(result)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        },
      })
      w.postMessage({ ...message, id })
    })
  }

  private start(db: Db.Database) {
    const w = new Worker(WORKER_URL, {
      workerData: { module: this.module, plugin: this.pluginId, dbKind: db.kind },
      // not the parent's flags: a test runner's resolve conditions would point packages at sources
      execArgv: [],
      resourceLimits: {
        maxOldGenerationSizeMb: this.heapMb,
        maxYoungGenerationSizeMb: Math.max(4, Math.round(this.heapMb / 8)),
        stackSizeMb: 4,
      },
    })
    w.unref()
    this.started++
    this.worker = w
    this.ready = new Promise<void>((resolve, reject) => {
      w.on("message", (m: FromWorker) => {
        if (m.t === "ready") resolve()
        else if (m.t === "db") void this.onDb(w, db, m)
        else {
          const c = this.calls.get(m.id)
          if (!c) return
          this.calls.delete(m.id)
          if (m.t === "done") c.resolve(m.result)
          else c.reject(new HandlerFailure("error", m.error))
        }
      })
      w.once("error", (e: Error & { code?: string }) => {
        const f =
          e.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? new HandlerFailure(
                "memory",
                `plugin ${this.pluginId} ran out of memory (heap limit ${this.heapMb} MB); its worker was stopped`,
              )
            : new HandlerFailure("crash", `plugin ${this.pluginId} crashed: ${e.message.split("\n")[0]}`)
        reject(f)
        this.ended(w, f)
      })
      w.once("exit", (code) => {
        const f = new HandlerFailure("crash", `the worker of plugin ${this.pluginId} exited (code ${code})`)
        reject(f)
        this.ended(w, f)
      })
    })
    // a failed start is reported by the call that waits for it
    this.ready.catch(() => {})
  }

  private async kill(w: Worker, kind: FailureKind, message: string) {
    this.ended(w, new HandlerFailure(kind, message || `the worker of plugin ${this.pluginId} was stopped`))
    await w.terminate()
  }

  /** The worker `w` is gone (or going): fail its calls, roll back its transactions. */
  private ended(w: Worker, f: HandlerFailure) {
    if (this.worker !== w) return
    this.worker = undefined
    this.ready = undefined
    for (const [id, c] of this.calls) {
      this.calls.delete(id)
      c.reject(f)
    }
    for (const [id, s] of this.sessions)
      if (s.owner === w) {
        this.sessions.delete(id)
        s.trx
          .rollback()
          .execute()
          .catch(() => {})
      }
  }

  private async onDb(w: Worker, db: Db.Database, m: Extract<FromWorker, { t: "db" }>) {
    const reply = (body: { result: unknown } | { error: string }) => {
      if (this.worker !== w) return
      try {
        w.postMessage({ t: "db", id: m.id, ...body })
      } catch (e) {
        w.postMessage({ t: "db", id: m.id, error: `cannot send the result: ${(e as Error).message}` })
      }
    }
    try {
      if (m.op === "query") {
        const session = m.session ? this.sessions.get(m.session) : undefined
        if (m.session && !session) throw new Error("the transaction is no longer open")
        const r = await (session?.trx ?? db.kysely).executeQuery(
          CompiledQuery.raw(m.sql!, [...m.parameters!]),
        )
        reply({ result: r })
      } else if (m.op === "begin") {
        let builder = db.kysely.startTransaction()
        if (m.isolationLevel) builder = builder.setIsolationLevel(m.isolationLevel as "serializable")
        if (m.accessMode) builder = builder.setAccessMode(m.accessMode as "read only")
        const trx = await builder.execute()
        if (this.worker !== w) {
          await trx.rollback().execute()
          return
        }
        const id = ++this.nextId
        this.sessions.set(id, { owner: w, trx })
        reply({ result: id })
      } else {
        const session = this.sessions.get(m.session ?? -1)
        if (!session) throw new Error("the transaction is no longer open")
        this.sessions.delete(m.session!)
        await (m.op === "commit" ? session.trx.commit() : session.trx.rollback()).execute()
        reply({ result: null })
      }
    } catch (e) {
      reply({ error: e instanceof Error ? e.message : String(e) })
    }
  }
}

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

const recordFailure = async (
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
              Promise.resolve().then(() => h.handle(event, { db })),
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
