/**
 * The database service. One PostgreSQL dialect, two engines chosen by configuration:
 * PGlite in process (a data folder, the default) or a PostgreSQL server through `pg`
 * (`DATABASE_URL`). Both return the same JS values for the same SQL (see `internal/types`).
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import { Kysely, PostgresDialect, type QueryExecutorProvider, sql } from "kysely"
import type { PoolClient, PoolConfig } from "pg"
import { PGliteDialect } from "./internal/pgliteDialect"
import { type PGliteSession, PGliteWorkerSession, pgliteStartParams } from "./internal/pgliteSession"
import { prepareStatements } from "./internal/statements"
import { boundStatements } from "./internal/statementTimeout"

export { withStatementTimeout } from "./internal/statementTimeout"

import type { Preopened } from "./early"
import { parsers } from "./internal/types"
import type { CoreTables } from "./migrations/schema"
import * as ReadReplica from "./ReadReplica"

/** @category models @since 0.1.0 */
export type DbKind = "pglite" | "postgres"

/** How to open the database. @category models @since 0.1.0 */
export type DbConfig =
  | {
      readonly kind: "pglite"
      readonly dataDir?: string | undefined
      readonly loadDataDir?: Blob | undefined
      /**
       * Run PGlite on a worker thread (default false): the caller's event loop stays free while
       * PostgreSQL computes, so HTTP, liveness and timers answer during a heavy query. The server
       * turns it on (`TENET_DB_WORKER`, default 1); see the core README for the figures.
       */
      readonly worker?: boolean | undefined
      /** Extra PostgreSQL settings for PGlite (`name=value`), e.g. `work_mem=16MB`. */
      readonly settings?: ReadonlyArray<string> | undefined
      /**
       * A worker started early on the same data folder (`@tenet/core/early`), used instead of
       * starting one here. Only with `worker: true` and no `settings` or `loadDataDir`.
       */
      readonly preopened?: Preopened | undefined
    }
  | {
      readonly kind: "postgres"
      readonly url: string
      readonly max?: number | undefined
      /**
       * Send queries with parameters as prepared statements, cached per connection (default
       * true). Turn off behind a pooler in transaction mode that cannot keep them.
       */
      readonly prepare?: boolean | undefined
      /** A streaming replica for reports (`DATABASE_READ_URL`); see `ReadReplica`. */
      readonly readUrl?: string | undefined
      readonly replica?: ReadReplica.ReplicaOptions | undefined
    }

/**
 * What a statement written with `sql` runs on: any Kysely or transaction, whichever tables it is
 * typed with (core's functions that take the caller's transaction accept a module's typed one).
 * @category models
 * @since 0.5.0
 */
export type Executor = QueryExecutorProvider

/** An open database. @category models @since 0.1.0 */
export interface Database {
  readonly kind: DbKind
  /** Kysely typed with core's tables; modules add theirs through `as`. */
  readonly kysely: Kysely<CoreTables>
  /**
   * The same database typed with a module's tables and core's, e.g. `db.as<ProcessTables>()`
   * (`src/migrations/schema.ts` of each module). A cast: no cost at run time.
   */
  readonly as: <T>() => Kysely<CoreTables & T>
  /** PGlite only: dump the data folder as a tarball (used for fast test fixtures). */
  readonly dumpDataDir?: () => Promise<Blob>
  readonly close: () => Promise<void>
  readonly describe: string
  /** PostgreSQL with `readUrl`: the read side (reports on the replica, read-your-writes). */
  readonly reads?: ReadReplica.Reads | undefined
}

/**
 * Open a database from configuration.
 * @category constructors
 * @since 0.1.0
 */
export const open = async (config: DbConfig): Promise<Database> => {
  if (config.kind === "postgres") {
    const pg = await import("pg")
    // ESM over the CommonJS `pg`: the classes sit on `default` (a bundler may also hoist them)
    const Pool = pg.default?.Pool ?? (pg as unknown as typeof pg.default).Pool
    const makePool = (url: string, extra: PoolConfig = {}) => {
      const pool = new Pool({
        connectionString: url,
        max: config.max ?? 10,
        ...extra,
        types: {
          getTypeParser: (oid: number, format?: string) =>
            parsers[oid] ?? pg.default.types.getTypeParser(oid, format as "text"),
        },
      })
      pool.on("error", () => {
        // An idle client lost its connection; the pool replaces it on next use.
      })
      pool.on("connect", (client: PoolClient) => {
        // A connection that drops while a client is checked out (a server restart) fails the query in
        // flight; without a listener the client's 'error' event would end the process.
        client.on("error", () => {})
        if (config.prepare !== false) prepareStatements(client)
        boundStatements(client)
      })
      return pool
    }
    const pool = makePool(config.url)
    const kysely = new Kysely<CoreTables>({ dialect: new PostgresDialect({ pool }) })
    const describe = (u: string) => {
      const url = new URL(u)
      return `postgres://${url.hostname}:${url.port || 5432}${url.pathname}`
    }
    // the read replica (additive: nothing changes without readUrl)
    const reads = config.readUrl
      ? ReadReplica.make(
          pool,
          // an unreachable replica must not hold a report: give up connecting after 2 s (then the primary)
          makePool(config.readUrl, { connectionTimeoutMillis: 2000 }),
          describe(config.readUrl),
          config.replica,
        )
      : undefined
    return {
      kind: "postgres",
      kysely,
      as: <T>() => kysely as unknown as Kysely<CoreTables & T>,
      close: async () => {
        await reads?.close()
        await kysely.destroy()
      },
      describe: describe(config.url),
      reads,
    }
  }
  const options = {
    ...(config.dataDir ? { dataDir: config.dataDir } : {}),
    ...(config.loadDataDir ? { loadDataDir: config.loadDataDir } : {}),
    ...(config.settings?.length ? { startParams: pgliteStartParams(config.settings) } : {}),
  }
  let session: PGliteSession
  const early = config.preopened
  if (
    early &&
    (early.dataDir !== config.dataDir || !config.worker || config.settings?.length || config.loadDataDir)
  )
    throw new Error(`a database opened early on ${early.dataDir} cannot serve this configuration`)
  if (early) {
    session = (early.session as PGliteWorkerSession).adopt()
  } else if (config.worker) {
    session = await PGliteWorkerSession.open(options)
  } else {
    const { PGlite } = await import("@electric-sql/pglite")
    const pglite = await PGlite.create({ ...options, parsers })
    session = {
      query: (text, params) => pglite.query(text, params),
      exec: (text) => pglite.exec(text),
      dumpDataDir: async () => (await pglite.dumpDataDir("none")) as Blob,
      close: () => pglite.close(),
      get closed() {
        return pglite.closed
      },
      waitReady: pglite.waitReady,
    }
  }
  try {
    await session.waitReady
  } catch (e) {
    await session.close().catch(() => {})
    throw e
  }
  const kysely = new Kysely<CoreTables>({ dialect: new PGliteDialect(session) })
  return {
    kind: "pglite",
    kysely,
    as: <T>() => kysely as unknown as Kysely<CoreTables & T>,
    dumpDataDir: () => session.dumpDataDir(),
    close: () => kysely.destroy(),
    describe: `${config.dataDir ? `pglite:${config.dataDir}` : "pglite:memory"}${config.worker ? " (worker thread)" : ""}`,
  }
}

/**
 * Configuration from the environment: `DATABASE_URL` selects PostgreSQL, otherwise PGlite
 * in `TENET_DATA_DIR/db` (default `./data/db`). `TENET_DB_PREPARE=0` sends every query unprepared.
 * `DATABASE_READ_URL` (with `DATABASE_URL`) names a streaming replica for reports.
 * @category constructors
 * @since 0.1.0
 */
export const configFromEnv = (env: Record<string, string | undefined> = process.env): DbConfig =>
  env.DATABASE_URL
    ? {
        kind: "postgres",
        url: env.DATABASE_URL,
        prepare: env.TENET_DB_PREPARE !== "0",
        ...(env.DATABASE_READ_URL ? { readUrl: env.DATABASE_READ_URL } : {}),
      }
    : { kind: "pglite", dataDir: `${env.TENET_DATA_DIR ?? "./data"}/db` }

/** The server's version string, for health checks. @category models @since 0.1.0 */
export const serverVersion = async (db: Database): Promise<string> => {
  const r = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db.kysely)
  return r.rows[0]?.v ?? "unknown"
}

/**
 * The Db service: the open database, provided by a layer.
 * @category services
 * @since 0.1.0
 */
export class Db extends Context.Service<Db, Database>()("@tenet/core/Db") {
  /** A layer that opens the database and closes it when the scope ends. */
  static readonly layer = (config: DbConfig) =>
    Layer.effect(
      Db,
      Effect.acquireRelease(
        Effect.promise(() => open(config)),
        (db) => Effect.promise(() => db.close()),
      ),
    )
  /** A layer over an already opened database (the caller closes it). */
  static readonly layerOf = (db: Database) => Layer.succeed(Db, db)
}
