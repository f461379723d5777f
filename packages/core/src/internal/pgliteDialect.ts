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
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
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

class PGliteDriver implements Driver {
  private queue: Promise<void> = Promise.resolve()
  private readonly connection: PGliteConnection
  constructor(private readonly pglite: PGliteSession) {
    this.connection = new PGliteConnection(pglite)
  }
  async init(): Promise<void> {
    await this.pglite.waitReady
  }
  private releases = new WeakMap<DatabaseConnection, () => void>()
  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const previous = this.queue
    this.queue = previous.then(() => held)
    // PGlite has one session: a query on the database while a transaction is open on it waits
    // forever. Fail loudly instead of hanging.
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      previous,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `PGlite: waited ${WAIT_LIMIT_MS / 1000} s for the database session. A query ran on the database while a transaction was open on it; inside a transaction use its own \`tx\`.`,
              ),
            ),
          WAIT_LIMIT_MS,
        )
        timer.unref?.()
      }),
    ]).finally(() => clearTimeout(timer))
    // One lease object per acquisition, so release maps back to the right waiter.
    const lease = Object.create(this.connection) as DatabaseConnection
    this.releases.set(lease, release)
    return lease
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.releases.get(connection)?.()
    this.releases.delete(connection)
  }
  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : ""
    await conn.executeQuery({ sql: `begin${level}`, parameters: [], query: { kind: "RawNode" } } as never)
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery({ sql: "commit", parameters: [], query: { kind: "RawNode" } } as never)
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery({ sql: "rollback", parameters: [], query: { kind: "RawNode" } } as never)
  }
  async destroy(): Promise<void> {
    await this.queue
    if (!this.pglite.closed) await this.pglite.close()
  }
}
