import { Worker } from "node:worker_threads"
import { type Contracts, type CoreTables, type Db, Outbox, Tenancy } from "@tenet/core"
import { CompiledQuery, type ControlledTransaction } from "kysely"
import { type FailureKind, HandlerFailure, limit, START_LIMIT_MS } from "./host-model"
import { notificationEvent } from "./notify"

// ---------------------------------------------------------------------------
// The worker of one plugin
// ---------------------------------------------------------------------------

export const WORKER_URL = new URL("./plugin-worker.mjs", import.meta.url)

export type FromWorker =
  | { readonly t: "ready" }
  | { readonly t: "done"; readonly id: number; readonly result?: unknown }
  | { readonly t: "fail"; readonly id: number; readonly error: string }
  | {
      readonly t: "db"
      readonly id: number
      readonly op: "query" | "begin" | "commit" | "rollback" | "notify"
      readonly session?: number | null
      readonly sql?: string
      readonly parameters?: ReadonlyArray<unknown>
      readonly isolationLevel?: string | null
      readonly accessMode?: string | null
      /** op "notify": the handler's request (checked here; the organisation is the event's) */
      readonly request?: unknown
    }

export interface Pending {
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
  // a plugin's queries are SQL text sent from its worker; the transaction is the database's (typed with core's tables)
  private readonly sessions = new Map<number, { owner: Worker; trx: ControlledTransaction<CoreTables> }>()
  private nextId = 0
  /** The event of the handler call running now (a worker's `notify` is for its organisation only). */
  private current: Outbox.DomainEvent | undefined
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
    const p = this.queue.then(async () => {
      this.current = message.t === "call" ? (message.event as Outbox.DomainEvent) : undefined
      try {
        return await this.runNow(message, timeoutMs, db, what)
      } finally {
        this.current = undefined
      }
    })
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
      } else if (m.op === "notify") {
        const event = this.current
        if (!event) throw new Error("notify() is available to event handlers only, while they run")
        const session = m.session ? this.sessions.get(m.session) : undefined
        await Outbox.publish(
          session?.trx ?? db.kysely,
          Tenancy.system(event.orgId),
          notificationEvent(this.pluginId, event, m.request),
        )
        reply({ result: null })
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
