/**
 * Reports from the read replica, with read-your-writes (only with `DATABASE_READ_URL`).
 *
 * - After a change that succeeded (POST, PUT, PATCH, DELETE under 400), the answer carries the
 *   primary's WAL position in the `Tenet-Read-Lsn` header and the `tenet_lsn` cookie, and this process
 *   remembers it for the person or API key.
 * - The report routes below read from the replica once it has replayed the latest of those positions
 *   the request brings (header, cookie, or this process's memory), waiting briefly, else from the
 *   primary. Every other route reads from the primary. `Tenet-Read-From` says where a report read
 *   (`primary` when any of its queries ran there, e.g. after refreshing a rollup).
 */
import { type Db, Db as DbModule, ReadReplica } from "@tenet/core"
import type { Hono } from "hono"
import { getCookie, setCookie } from "hono/cookie"
import type { AppEnv, Auth } from "./env"

export const READ_LSN_HEADER = "tenet-read-lsn"
export const READ_LSN_COOKIE = "tenet_lsn"
export const READ_FROM_HEADER = "tenet-read-from"

/** The routes that read from the replica (GET only): dashboards and reports, listed in docs/scaling.md. */
export const REPLICA_ROUTES = [
  "/api/v1/dashboard/kpis",
  "/api/v1/metrics/:id",
  "/api/v1/metrics/:id/control-chart",
  "/api/v1/process/cases/export.csv",
  "/api/v1/audit",
] as const

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"])
const principalOf = (auth: Auth | undefined) =>
  auth?.kind === "api_key" ? `key:${auth.apiKeyId}` : auth?.user ? `user:${auth.user.id}` : undefined

/**
 * Heavy reads never hold PostgreSQL for long: every statement a report route runs is cancelled
 * after `timeoutMs` (SQLSTATE 57014, answered as 503 `reportTimeout`). On the embedded database
 * the bound does nothing (PGlite has no statement timer); there the engine's worker thread keeps
 * the server answering while a report computes.
 */
export const registerReportBound = (app: Hono<AppEnv>, db: Db.Database, timeoutMs: number) => {
  if (db.kind !== "postgres" || timeoutMs <= 0) return
  for (const path of REPLICA_ROUTES)
    app.get(path, (_c, next) => DbModule.withStatementTimeout(timeoutMs, next))
}

export const registerReadRouting = (app: Hono<AppEnv>, db: Db.Database) => {
  const reads = db.reads
  if (!reads) return
  const { lsnValue, isLsn } = ReadReplica
  // the last write's position per person or key in this process (bounded; a minute is plenty)
  const last = new Map<string, { lsn: string; at: number }>()
  const remember = (who: string, lsn: string) => {
    const had = last.get(who)
    if (had && lsnValue(had.lsn) >= lsnValue(lsn)) return
    last.delete(who)
    last.set(who, { lsn, at: Date.now() })
    if (last.size > 10_000) for (const k of [...last.keys()].slice(0, 1000)) last.delete(k)
  }
  app.use("/api/*", async (c, next) => {
    await next()
    if (!UNSAFE.has(c.req.method) || c.res.status >= 400) return
    const lsn = await reads.primaryLsn().catch(() => undefined)
    if (!lsn) return
    c.header(READ_LSN_HEADER, lsn)
    setCookie(c, READ_LSN_COOKIE, lsn, { path: "/", httpOnly: true, sameSite: "Lax", maxAge: 300 })
    const who = principalOf(c.get("auth"))
    if (who) remember(who, lsn)
  })
  for (const path of REPLICA_ROUTES)
    app.get(path, async (c, next) => {
      const who = principalOf(c.get("auth"))
      const mine = who ? last.get(who) : undefined
      const candidates = [
        c.req.header(READ_LSN_HEADER),
        getCookie(c, READ_LSN_COOKIE),
        mine && Date.now() - mine.at < 300_000 ? mine.lsn : undefined,
      ].filter(isLsn)
      const minLsn = candidates.sort((a, b) => (lsnValue(a) < lsnValue(b) ? 1 : -1))[0]
      const { target } = await reads.choose(minLsn)
      c.set("db", reads.db)
      await reads.run(target, async () => {
        await next()
        c.header(READ_FROM_HEADER, reads.readFrom() ?? target)
      })
    })
}
