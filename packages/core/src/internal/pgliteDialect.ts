import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely"
import type { PGliteSession } from "./pgliteSession"

/**
 * A Kysely dialect over one PGlite instance. PGlite has a single session, so the driver
 * serialises access: a connection is a lease on that session, taken in acquireConnection
 * and given back in releaseConnection (a transaction keeps its lease until it ends).
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pglite: PGliteSession) {}
  createAdapter(): DialectAdapter {
    return new PostgresAdapter()
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pglite)
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db)
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler()
  }
}

const SLOW_MS = Number(process.env.TENET_DB_SLOW_MS ?? 0)

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGliteSession) {}
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (!SLOW_MS) return this.run(compiled)
    const t0 = performance.now()
    try {
      return await this.run(compiled)
    } finally {
      const ms = performance.now() - t0
      if (ms >= SLOW_MS)
        console.warn(`slow query ${ms.toFixed(0)} ms: ${compiled.sql.replace(/\s+/g, " ").slice(0, 400)}`)
    }
  }
  private async run<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (compiled.parameters.length === 0 && /;\s*\S/.test(compiled.sql)) {
      // Several statements (migrations): the simple protocol, as node-postgres does without parameters.
      const all = await this.pglite.exec(compiled.sql)
      return { rows: (all.at(-1)?.rows ?? []) as R[] }
    }
    const res = await this.pglite.query<R>(compiled.sql, compiled.parameters as unknown[])
    const affected = res.affectedRows
    return affected !== undefined && /^\s*(insert|update|delete|merge)/i.test(compiled.sql)
      ? { rows: res.rows, numAffectedRows: BigInt(affected) }
      : { rows: res.rows }
  }
  // biome-ignore lint/correctness/useYield: streaming is not supported on PGlite
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("PGlite does not support streaming queries")
  }
}

const WAIT_LIMIT_MS = 30_000

/**
 * Who may use the one PGlite session, in arrival order: statements outside a transaction share it
 * (several may be in flight; PGlite runs them one after the other, so the engine never waits for
 * the caller between two of them), a transaction has it alone from `begin` to its end (a statement
 * that arrives meanwhile waits, and nothing of another caller lands inside the transaction).
 */
export class SessionGate {
  private shared = 0
  private exclusive = false
  private readonly waiting: Array<{ exclusive: boolean; go: () => void }> = []

  /** Waits for a turn; resolves a function that gives it back. Fails after `limitMs`. */
  acquire(exclusive: boolean, limitMs = WAIT_LIMIT_MS): Promise<() => void> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined
      const waiter = {
        exclusive,
        go: () => {
          clearTimeout(timer)
          let released = false
          resolve(() => {
            if (released) return
            released = true
            if (exclusive) this.exclusive = false
            else this.shared--
            this.pump()
          })
        },
      }
      this.waiting.push(waiter)
      this.pump()
      if (!this.waiting.includes(waiter)) return
      // PGlite has one session: a query on the database while a transaction is open on it waits
      // forever. Fail loudly instead of hanging.
      timer = setTimeout(() => {
        const i = this.waiting.indexOf(waiter)
        if (i < 0) return
        this.waiting.splice(i, 1)
        this.pump()
        reject(
          new Error(
            `PGlite: waited ${limitMs / 1000} s for the database session. A query ran on the database while a transaction was open on it; inside a transaction use its own \`tx\`.`,
          ),
        )
      }, limitMs)
      timer.unref?.()
    })
  }

  private pump() {
    for (;;) {
      const head = this.waiting[0]
      if (!head || this.exclusive) return
      if (head.exclusive) {
        if (this.shared > 0) return
        this.exclusive = true
      } else this.shared++
      this.waiting.shift()
      head.go()
    }
  }
}

/** One use of the session: a single statement (shared turn) or a whole transaction (exclusive turn). */
class PGliteLease implements DatabaseConnection {
  /** Set from `begin` to the lease's release: the transaction's exclusive turn. */
  releaseTransaction: (() => void) | undefined
  constructor(
    private readonly connection: PGliteConnection,
    private readonly gate: SessionGate,
  ) {}
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (this.releaseTransaction) return this.connection.executeQuery<R>(compiled)
    const release = await this.gate.acquire(false)
    try {
      return await this.connection.executeQuery<R>(compiled)
    } finally {
      release()
    }
  }
  // biome-ignore lint/correctness/useYield: streaming is not supported on PGlite
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("PGlite does not support streaming queries")
  }
}

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection
  private readonly gate = new SessionGate()
  constructor(private readonly pglite: PGliteSession) {
    this.connection = new PGliteConnection(pglite)
  }
  async init(): Promise<void> {
    await this.pglite.waitReady
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    // the turn is taken per statement, or at `begin` for a transaction
    return new PGliteLease(this.connection, this.gate)
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = connection as PGliteLease
    const release = lease.releaseTransaction
    lease.releaseTransaction = undefined
    release?.()
  }
  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const lease = conn as PGliteLease
    lease.releaseTransaction = await this.gate.acquire(true)
    const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : ""
    await lease.executeQuery({ sql: `begin${level}`, parameters: [], query: { kind: "RawNode" } } as never)
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery({ sql: "commit", parameters: [], query: { kind: "RawNode" } } as never)
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery({ sql: "rollback", parameters: [], query: { kind: "RawNode" } } as never)
  }
  async destroy(): Promise<void> {
    // every statement and transaction already admitted ends first
    await this.gate.acquire(true).then(
      (release) => release(),
      () => {}, // a transaction left open: close anyway
    )
    if (!this.pglite.closed) await this.pglite.close()
  }
}
