import { resolve } from "node:path"
import type { Db } from "@tenet/core"
import { parseTrustProxy, type TrustProxy } from "./http/origin"

export interface Config {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  readonly db: Db.DbConfig
  readonly demo: boolean
  /** Days of demo cases (TENET_DEMO_DAYS, default 90). */
  readonly demoDays: number
  /**
   * Seed a new demo behind the running server instead of before it answers (`tenet start` sets it
   * unless TENET_DEMO_WAIT=1); the sign-in page shows that the seed is under way.
   */
  readonly demoInBackground?: boolean | undefined
  /** TENET_PUBLIC_URL: the URL people open Tenet at (own origin for CSRF checks, Secure cookies). */
  readonly publicUrl: string | undefined
  /** TENET_TRUST_PROXY: whose X-Forwarded-Proto/Host/For headers are believed. */
  readonly trustProxy: TrustProxy
  /** TENET_AUDIT_KEY_FILE: the Ed25519 key that signs audit checkpoints (default <data dir>/audit-key.pem). */
  readonly auditKeyFile: string
  /** TENET_AUDIT_CHECKPOINT_DIR: where signed checkpoints are written (default <data dir>/audit-checkpoints). */
  readonly auditCheckpointDir: string
  /** TENET_AUDIT_CHECKPOINT_SECONDS: how often a checkpoint is taken (default 3600). */
  readonly auditCheckpointSeconds: number
  /** On PostgreSQL, each statement of a report is cancelled after this many ms (0: no bound). */
  readonly reportTimeoutMs: number
}

/** The environment holds a value Tenet cannot use; the message names the variable. */
export class ConfigError extends Error {
  readonly _tag = "ConfigError" as const
}

/** Configuration from the environment (PORT, HOST, TENET_DATA_DIR, DATABASE_URL, DATABASE_READ_URL, TENET_DEMO, TENET_SESSION_SECRET). */
export const configFromEnv = (env: Record<string, string | undefined> = process.env): Config => {
  const port = Number(env.PORT ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be a port number, not "${env.PORT}"`)
  if (env.DATABASE_URL) {
    try {
      const u = new URL(env.DATABASE_URL)
      if (!/^postgres(ql)?:$/.test(u.protocol)) throw new Error()
    } catch {
      throw new ConfigError("DATABASE_URL must be a postgres:// URL")
    }
  }
  if (env.DATABASE_READ_URL) {
    if (!env.DATABASE_URL)
      throw new ConfigError("DATABASE_READ_URL names a read replica: set DATABASE_URL (the primary) too")
    try {
      const u = new URL(env.DATABASE_READ_URL)
      if (!/^postgres(ql)?:$/.test(u.protocol)) throw new Error()
    } catch {
      throw new ConfigError("DATABASE_READ_URL must be a postgres:// URL")
    }
  }
  const waitMs = Number(env.TENET_READ_WAIT_MS ?? 250)
  const maxLagMs = Number(env.TENET_READ_MAX_LAG_MS ?? 10_000)
  if (!Number.isFinite(waitMs) || waitMs < 0 || waitMs > 60_000)
    throw new ConfigError(
      `TENET_READ_WAIT_MS must be milliseconds from 0 to 60000, not "${env.TENET_READ_WAIT_MS}"`,
    )
  if (!Number.isFinite(maxLagMs) || maxLagMs < 0)
    throw new ConfigError(`TENET_READ_MAX_LAG_MS must be milliseconds, not "${env.TENET_READ_MAX_LAG_MS}"`)
  const reportTimeoutMs = Number(env.TENET_REPORT_TIMEOUT_MS ?? 30_000)
  if (!Number.isInteger(reportTimeoutMs) || reportTimeoutMs < 0)
    throw new ConfigError(
      `TENET_REPORT_TIMEOUT_MS must be a whole number of milliseconds (0: no bound), not "${env.TENET_REPORT_TIMEOUT_MS}"`,
    )
  const dataDir = resolve(env.TENET_DATA_DIR ?? "./data")
  let publicUrl: string | undefined
  if (env.TENET_PUBLIC_URL) {
    try {
      const u = new URL(env.TENET_PUBLIC_URL)
      if (!/^https?:$/.test(u.protocol)) throw new Error()
      publicUrl = u.origin
    } catch {
      throw new ConfigError(
        `TENET_PUBLIC_URL must be an http:// or https:// URL, not "${env.TENET_PUBLIC_URL}"`,
      )
    }
  }
  const checkpointSeconds = Number(env.TENET_AUDIT_CHECKPOINT_SECONDS ?? 3600)
  if (!Number.isInteger(checkpointSeconds) || checkpointSeconds < 10)
    throw new ConfigError(
      `TENET_AUDIT_CHECKPOINT_SECONDS must be a whole number of seconds (at least 10), not "${env.TENET_AUDIT_CHECKPOINT_SECONDS}"`,
    )
  return {
    port,
    host: env.HOST ?? "0.0.0.0",
    dataDir,
    db: env.DATABASE_URL
      ? {
          kind: "postgres",
          url: env.DATABASE_URL,
          prepare: env.TENET_DB_PREPARE !== "0",
          ...(env.DATABASE_READ_URL ? { readUrl: env.DATABASE_READ_URL, replica: { waitMs, maxLagMs } } : {}),
        }
      : {
          kind: "pglite",
          dataDir: `${dataDir}/db`,
          // the embedded database on its own thread (TENET_DB_WORKER=0 keeps it on the server's)
          worker: env.TENET_DB_WORKER !== "0",
        },
    demo: env.TENET_DEMO !== "0",
    demoDays: Math.max(0, Math.min(365, Number(env.TENET_DEMO_DAYS ?? 90) || 0)),
    publicUrl,
    trustProxy: parseTrustProxy(env.TENET_TRUST_PROXY),
    auditKeyFile: resolve(env.TENET_AUDIT_KEY_FILE ?? `${dataDir}/audit-key.pem`),
    auditCheckpointDir: resolve(env.TENET_AUDIT_CHECKPOINT_DIR ?? `${dataDir}/audit-checkpoints`),
    auditCheckpointSeconds: checkpointSeconds,
    reportTimeoutMs,
  }
}

export const describeDb = (c: Db.DbConfig) =>
  c.kind === "postgres"
    ? `PostgreSQL (${new URL(c.url).host}${c.readUrl ? `, reports from the replica ${new URL(c.readUrl).host}` : ""})`
    : `embedded PGlite (${c.dataDir})`
