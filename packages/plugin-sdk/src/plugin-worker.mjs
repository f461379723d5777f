/**
 * The worker thread one plugin's event handlers run in (see host.ts, `PluginRunner`). Plain
 * JavaScript so that the same file runs from the sources (tests) and from dist (the server).
 *
 * In: `workerData = { module, plugin, dbKind }`; messages `{ t: "call", id, handler, event }` and
 * `{ t: "metric", id, metric, query }` (a contributed metric's computation).
 * Out: `{ t: "ready" }`, `{ t: "done", id, result? }`, `{ t: "fail", id, error }`, and database requests
 * `{ t: "db", id, op, … }` answered by the main thread with `{ t: "db", id, result | error }`.
 * The handler's `db` is a Kysely whose driver sends each compiled query to the main thread,
 * which runs it on the server's database (transactions included).
 */
import { parentPort, workerData } from "node:worker_threads"
import { Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from "kysely"

const port = parentPort
if (!port) throw new Error("plugin-worker.mjs runs as a worker thread")

let nextId = 0
/** @type {Map<number, { resolve: (v: any) => void, reject: (e: Error) => void }>} */
const asked = new Map()
/** @param {Record<string, unknown>} message */
const ask = (message) =>
  new Promise((resolve, reject) => {
    const id = ++nextId
    asked.set(id, { resolve, reject })
    port.postMessage({ ...message, t: "db", id })
  })

class Connection {
  /** @param {number | null} session */
  constructor(session) {
    this.session = session
  }
  /** @param {{ sql: string, parameters: ReadonlyArray<unknown> }} query */
  async executeQuery(query) {
    return ask({ op: "query", session: this.session, sql: query.sql, parameters: [...query.parameters] })
  }
  // biome-ignore lint/correctness/useYield: streaming is refused
  async *streamQuery() {
    throw new Error("streaming queries are not available to plugin handlers")
  }
}

const driver = {
  async init() {},
  async acquireConnection() {
    return new Connection(null)
  },
  /** @param {Connection} connection @param {{ isolationLevel?: string, accessMode?: string }} settings */
  async beginTransaction(connection, settings) {
    connection.session = await ask({
      op: "begin",
      isolationLevel: settings?.isolationLevel ?? null,
      accessMode: settings?.accessMode ?? null,
    })
  },
  /** @param {Connection} connection */
  async commitTransaction(connection) {
    await ask({ op: "commit", session: connection.session })
    connection.session = null
  },
  /** @param {Connection} connection */
  async rollbackTransaction(connection) {
    await ask({ op: "rollback", session: connection.session })
    connection.session = null
  },
  async releaseConnection() {},
  async destroy() {},
}

const kysely = new Kysely({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})
const db = {
  kind: workerData.dbKind,
  kysely,
  as: () => kysely,
  close: async () => {},
  describe: "the server's database, through the plugin host",
}

const mod = await import(workerData.module)
const plugin = mod.default ?? mod
const handlers = new Map((plugin?.handlers ?? []).map((h) => [h.name, h]))
const metrics = new Map((plugin?.contributes?.metrics ?? []).map((m) => [m.id, m]))

port.on("message", async (m) => {
  if (m.t === "db") {
    const waiting = asked.get(m.id)
    if (!waiting) return
    asked.delete(m.id)
    if ("error" in m) waiting.reject(new Error(m.error))
    else waiting.resolve(m.result)
    return
  }
  if (m.t !== "call" && m.t !== "metric") return
  try {
    if (m.t === "metric") {
      const metric = metrics.get(m.metric)
      if (!metric)
        throw new Error(`plugin ${workerData.plugin} has no metric ${m.metric} in ${workerData.module}`)
      port.postMessage({ t: "done", id: m.id, result: await metric.compute(m.query, db) })
      return
    }
    const h = handlers.get(m.handler)
    if (!h) throw new Error(`plugin ${workerData.plugin} has no handler ${m.handler} in ${workerData.module}`)
    // notify(): published by the host in the outbox of the event's organisation (checked there)
    const notify = async (request) => {
      await ask({ op: "notify", session: null, request })
    }
    await h.handle(m.event, { db, notify })
    port.postMessage({ t: "done", id: m.id })
  } catch (e) {
    port.postMessage({ t: "fail", id: m.id, error: e instanceof Error ? e.message : String(e) })
  }
})
port.postMessage({ t: "ready" })
