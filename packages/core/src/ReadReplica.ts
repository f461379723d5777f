/**
 * Reads from a PostgreSQL streaming replica (`DATABASE_READ_URL`), with read-your-writes.
 *
 * A {@link Reads} is a second {@link Database} over two pools: plain queries go to the replica,
 * transactions (and any write, which a standby refuses) go to the primary. After a request's first
 * write its later reads stay on the primary, so a report that refreshes a rollup reads what it wrote.
 *
 * Read-your-writes: after a change the API asks the primary for its WAL position
 * (`pg_current_wal_lsn()`, see {@link Reads.primaryLsn}) and hands it to the client; a read that carries
 * that position runs on the replica only once `pg_last_wal_replay_lsn()` has reached it — it waits up
 * to `waitMs`, then reads from the primary. A replica that is down (a failed query or connection) is
 * left alone for `retryMs`; a replica that has not replayed what the primary had written `maxLagMs`
 * ago is left alone until it catches up. Either is logged once per change of state, and every
 * query a replica fails for a connection reason is run again on the primary.
 *
 * Only the `pg` engine has replicas; the embedded database has none.
 *
 * @since 0.3.0
 */
import { AsyncLocalStorage } from "node:async_hooks"
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresAdapter,
  PostgresDriver,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely"
import type { Database } from "./Db"
import type { CoreTables } from "./migrations/schema"

/** Where one request reads. @category models @since 0.3.0 */
export type ReadTarget = "replica" | "primary"

/** Why a request reads from the primary or the replica. @category models @since 0.3.0 */
export type ReadReason = "replica" | "caught-up" | "waited" | "behind" | "down" | "lagging"

/** How a replica is used. @category models @since 0.3.0 */
export interface ReplicaOptions {
  /** Longest wait for the replica to replay a client's last write before reading from the primary (default 250 ms). */
  readonly waitMs?: number
  /** A replica that has not replayed what the primary wrote this long ago is not used (default 10 s). */
  readonly maxLagMs?: number
  /** After a failure, the replica is tried again after this long (default 5 s). */
  readonly retryMs?: number
  /** Where changes of the replica's state are logged (default console.warn). */
  readonly log?: (line: string) => void
}

/** Counters, for health checks and the reliability suites. @category models @since 0.3.0 */
export interface ReadStats {
  /** Requests routed to the replica / to the primary, by reason. */
  readonly routed: Record<ReadReason, number>
  /** Queries run on the replica, and queries a failing replica sent to the primary. */
  readonly replicaQueries: number
  readonly fellBack: number
  readonly state: "up" | "down" | "lagging"
}

/**
 * The read side: a database whose plain queries go to the replica, and the routing of one request.
 * @category models @since 0.3.0
 */
export interface Reads {
  /** The routed database: hand it to report code inside {@link Reads.run}. */
  readonly db: Database
  /** The primary's current WAL position (after a write: the position the client must see). */
  readonly primaryLsn: () => Promise<string>
  /**
   * Decide where a request reads: the replica when it is up, not lagging and has replayed `minLsn`
   * (waiting up to `waitMs` for it), otherwise the primary.
   */
  readonly choose: (minLsn?: string | undefined) => Promise<{ target: ReadTarget; reason: ReadReason }>
  /** Run `fn` with the routed database reading from `target` (writes always go to the primary). */
  readonly run: <A>(target: ReadTarget, fn: () => Promise<A>) => Promise<A>
  /**
   * Inside {@link Reads.run}: where the request's reads went — "primary" once any of them did (a
   * transaction, a write, or a replica that failed a query).
   */
  readonly readFrom: () => ReadTarget | undefined
  readonly stats: () => ReadStats
  readonly close: () => Promise<void>
}

/** A WAL position "16/B374D848" as a number, to compare. @category utils @since 0.3.0 */
export const lsnValue = (lsn: string): bigint => {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn.trim())
  if (!m) return -1n
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`)
}

/** Is `lsn` a WAL position as PostgreSQL prints it? @category utils @since 0.3.0 */
export const isLsn = (lsn: string | undefined): lsn is string => lsn !== undefined && lsnValue(lsn) >= 0n

// Connection failures and recovery conflicts: the replica is the problem, the primary can answer.
const CONNECTION_CODES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
])
const NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH"])
const isConnectionFailure = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code
  if (typeof code === "string" && (CONNECTION_CODES.has(code) || NODE_CODES.has(code))) return true
  const message = e instanceof Error ? e.message : ""
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  )
}
// 25006: "cannot execute … in a read-only transaction" — a write sent to the standby.
const isReadOnly = (e: unknown) => (e as { code?: unknown } | null)?.code === "25006"
// 40001 on a standby: "canceling statement due to conflict with recovery" — this query, not the replica.
const isRecoveryConflict = (e: unknown) => (e as { code?: unknown } | null)?.code === "40001"

interface RequestState {
  target: ReadTarget
}

type Pool = {
  query: (text: string) => Promise<{ rows: Array<Record<string, unknown>> }>
  end: () => Promise<void>
}

/**
 * The read side over a primary pool and a replica pool (both `pg` pools; the caller made them).
 * Closing it ends the replica pool only.
 * @category constructors @since 0.3.0
 */
export const make = (
  primaryPool: Pool,
  replicaPool: Pool,
  describe: string,
  options: ReplicaOptions = {},
): Reads => {
  const waitMs = options.waitMs ?? 250
  const maxLagMs = options.maxLagMs ?? 10_000
  const retryMs = options.retryMs ?? 5_000
  const log = options.log ?? ((line: string) => console.warn(line))
  const als = new AsyncLocalStorage<RequestState>()
  const routed: Record<ReadReason, number> = {
    replica: 0,
    "caught-up": 0,
    waited: 0,
    behind: 0,
    down: 0,
    lagging: 0,
  }
  let replicaQueries = 0
  let fellBack = 0
  let state: "up" | "down" | "lagging" = "up"
  let downUntil = 0
  let checkedAt = 0
  let checking: Promise<void> | undefined
  /** The replica's replay position at the last look (null: not a standby — reads are current). */
  let replayed: bigint | null = 0n
  // the primary's positions over the last minute, to tell how far behind the replica is in time
  const samples: Array<{ at: number; lsn: bigint }> = []

  const setState = (next: "up" | "down" | "lagging", why: string) => {
    if (next === state) return
    state = next
    log(
      next === "up"
        ? `read replica ${describe}: back, reports read from it again`
        : `read replica ${describe}: ${next} (${why}); reports read from the primary`,
    )
  }
  const failed = (e: unknown) => {
    downUntil = Date.now() + retryMs
    setState("down", e instanceof Error ? e.message : String(e))
  }
  const replayLsn = async (): Promise<bigint | null> => {
    const r = await replicaPool.query("select pg_last_wal_replay_lsn()::text as lsn")
    const lsn = r.rows[0]?.lsn
    return typeof lsn === "string" ? lsnValue(lsn) : null
  }
  // every position learnt from the primary (after each write too) is a sample of where it was when
  const sample = (lsn: string) => {
    const now = Date.now()
    const value = lsnValue(lsn)
    const last = samples.at(-1)
    if (!last || now - last.at >= 100) samples.push({ at: now, lsn: value })
    else if (value > last.lsn) last.lsn = value
    while (samples.length > 0 && (samples[0]!.at < now - 60_000 || samples.length > 1000)) samples.shift()
  }
  const primaryLsn = async () => {
    const r = await primaryPool.query("select pg_current_wal_lsn()::text as lsn")
    const lsn = String(r.rows[0]?.lsn)
    sample(lsn)
    return lsn
  }
  // at most once a second: where the primary is, where the replica is, and so how far behind
  const check = async () => {
    const now = Date.now()
    if (now - checkedAt < 1000) return
    checkedAt = now
    try {
      await primaryLsn()
      replayed = await replayLsn()
    } catch (e) {
      failed(e)
      return
    }
    const behind =
      replayed !== null && samples.some((s) => s.at <= now - maxLagMs && s.lsn > (replayed as bigint))
    if (behind) setState("lagging", `it has not replayed what the primary wrote ${maxLagMs / 1000} s ago`)
    else setState("up", "")
  }

  const choose = async (minLsn?: string): Promise<{ target: ReadTarget; reason: ReadReason }> => {
    const pick = (target: ReadTarget, reason: ReadReason) => {
      routed[reason]++
      return { target, reason }
    }
    if (state === "down" && Date.now() < downUntil) return pick("primary", "down")
    if (state === "down") checkedAt = 0
    checking ??= check().finally(() => {
      checking = undefined
    })
    await checking
    if (state === "down") return pick("primary", "down")
    if (state === "lagging") return pick("primary", "lagging")
    if (!isLsn(minLsn)) return pick("replica", "replica")
    const wanted = lsnValue(minLsn)
    if (replayed === null || replayed >= wanted) return pick("replica", "caught-up")
    const deadline = Date.now() + waitMs
    for (let pause = 5; ; pause = Math.min(pause * 2, 40)) {
      try {
        replayed = await replayLsn()
      } catch (e) {
        failed(e)
        return pick("primary", "down")
      }
      if (replayed === null || replayed >= wanted) return pick("replica", "waited")
      if (Date.now() + pause > deadline) return pick("primary", "behind")
      await new Promise((r) => setTimeout(r, pause))
    }
  }

  const primaryDriver = new PostgresDriver({ pool: primaryPool as never })
  const replicaDriver = new PostgresDriver({ pool: replicaPool as never })

  /** One connection, bound on first use: to the replica for a plain read, to the primary otherwise. */
  class RoutedConnection implements DatabaseConnection {
    inner: DatabaseConnection | undefined
    driver: PostgresDriver | undefined
    async bind(target: ReadTarget) {
      if (target === "replica") {
        try {
          this.inner = await replicaDriver.acquireConnection()
          this.driver = replicaDriver
          return
        } catch (e) {
          failed(e)
          fellBack++
          const request = als.getStore()
          if (request) request.target = "primary"
        }
      }
      this.inner = await primaryDriver.acquireConnection()
      this.driver = primaryDriver
    }
    async unbind() {
      if (this.inner && this.driver) await this.driver.releaseConnection(this.inner as never)
      this.inner = undefined
      this.driver = undefined
    }
    target(): ReadTarget {
      const request = als.getStore()
      if (request?.target === "primary") return "primary"
      return state === "down" && Date.now() < downUntil
        ? "primary"
        : state === "lagging"
          ? "primary"
          : "replica"
    }
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      if (!this.inner) await this.bind(this.target())
      if (this.driver !== replicaDriver) return this.inner!.executeQuery<R>(query)
      replicaQueries++
      try {
        return await this.inner!.executeQuery<R>(query)
      } catch (e) {
        if (!isConnectionFailure(e) && !isReadOnly(e) && !isRecoveryConflict(e)) throw e
        // a write in a report (or a failure): it and everything after it in this request go to the primary
        const request = als.getStore()
        if (request) request.target = "primary"
        if (!isReadOnly(e) && !isRecoveryConflict(e)) failed(e)
        // (a recovery conflict cancels this query only: it runs on the primary, the replica stays in use)
        fellBack++
        await this.unbind()
        await this.bind("primary")
        return this.inner!.executeQuery<R>(query)
      }
    }
    async *streamQuery<R>(query: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
      if (!this.inner) await this.bind(this.target())
      if (this.driver === replicaDriver) replicaQueries++
      yield* this.inner!.streamQuery<R>(query, chunkSize)
    }
  }
  const inner = (c: DatabaseConnection) => (c as RoutedConnection).inner!
  const driverOf = (c: DatabaseConnection) => (c as RoutedConnection).driver!
  const driver: Driver = {
    init: async () => {
      await primaryDriver.init()
      await replicaDriver.init()
    },
    acquireConnection: async () => new RoutedConnection(),
    beginTransaction: async (c, settings: TransactionSettings) => {
      const rc = c as RoutedConnection
      // a transaction writes, or must see one snapshot with what follows: the primary
      if (rc.driver !== primaryDriver) {
        await rc.unbind()
        await rc.bind("primary")
      }
      const request = als.getStore()
      if (request) request.target = "primary"
      await primaryDriver.beginTransaction(inner(c), settings)
    },
    commitTransaction: async (c) => driverOf(c).commitTransaction(inner(c)),
    rollbackTransaction: async (c) => driverOf(c).rollbackTransaction(inner(c) as never),
    savepoint: async (c, name, compile) => driverOf(c).savepoint(inner(c), name, compile),
    rollbackToSavepoint: async (c, name, compile) => driverOf(c).rollbackToSavepoint(inner(c), name, compile),
    releaseSavepoint: async (c, name, compile) => driverOf(c).releaseSavepoint(inner(c), name, compile),
    releaseConnection: async (c) => (c as RoutedConnection).unbind(),
    destroy: async () => {},
  }
  const kysely = new Kysely<CoreTables>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  })
  const db: Database = {
    kind: "postgres",
    kysely,
    as: <T>() => kysely as unknown as Kysely<CoreTables & T>,
    close: async () => {},
    describe: `${describe} (read replica)`,
  }
  return {
    db,
    primaryLsn,
    choose,
    run: (target, fn) => als.run({ target }, fn),
    readFrom: () => als.getStore()?.target,
    stats: () => ({ routed: { ...routed }, replicaQueries, fellBack, state }),
    close: async () => {
      await kysely.destroy()
      await replicaPool.end()
    },
  }
}
