import { resolve } from "node:path"
import type { Db } from "@tenet/core"

export interface Config {
  readonly port: number
  readonly host: string
  readonly dataDir: string
  readonly db: Db.DbConfig
  readonly demo: boolean
  /** Days of demo cases (TENET_DEMO_DAYS, default 90). */
  readonly demoDays: number
}

export class ConfigError extends Error {}

/** Configuration from the environment (PORT, HOST, TENET_DATA_DIR, DATABASE_URL, TENET_DEMO, TENET_SESSION_SECRET). */
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
  const dataDir = resolve(env.TENET_DATA_DIR ?? "./data")
  return {
    port,
    host: env.HOST ?? "0.0.0.0",
    dataDir,
    db: env.DATABASE_URL
      ? { kind: "postgres", url: env.DATABASE_URL }
      : {
          kind: "pglite",
          dataDir: `${dataDir}/db`,
          // the embedded database on its own thread (TENET_DB_WORKER=0 keeps it on the server's)
          worker: env.TENET_DB_WORKER !== "0",
        },
    demo: env.TENET_DEMO !== "0",
    demoDays: Math.max(0, Math.min(365, Number(env.TENET_DEMO_DAYS ?? 90) || 0)),
  }
}

export const describeDb = (c: Db.DbConfig) =>
  c.kind === "postgres" ? `PostgreSQL (${new URL(c.url).host})` : `embedded PGlite (${c.dataDir})`
