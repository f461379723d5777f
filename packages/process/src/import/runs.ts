// The import's runs: their lease, recovery of those whose process died, and their list.
import { randomUUID } from "node:crypto"
import { hostname } from "node:os"
import { type Db, Errors, type Jobs } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import type { ImportRunTable } from "../migrations/schema"
import { processDb } from "../Store"

type Database = Db.Database

/** Seconds between two renewals of a running import's lease. @category models @since 0.2.0 */
export const HEARTBEAT_SECONDS = 5
/** A run whose lease was not renewed for this long is taken as dead. @category models @since 0.2.0 */
export const LEASE_SECONDS = 60
export const HOST = hostname().slice(0, 200)
/** This process (a pid can be reused, e.g. pid 1 in every container; the instance cannot). */
export const INSTANCE = randomUUID()

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * Mark the imports whose process died as `interrupted`: on this host, those of a process that is
 * gone (or whose pid is now this process's); anywhere, those whose lease lapsed `leaseSeconds`
 * ago. Runs at start-up, before every import, and from a recurring job. Re-running the same file
 * completes an interrupted import: rows already imported are skipped by external id.
 * @category constructors
 * @since 0.2.0
 */
export const recoverImports = async (
  db: Database,
  options: { readonly leaseSeconds?: number | undefined } = {},
): Promise<number> => {
  const lease = options.leaseSeconds ?? LEASE_SECONDS
  const running = await sql<{
    org_id: string
    id: string
    host: string | null
    pid: number | null
    instance: string | null
    lapsed: boolean
  }>`select org_id, id, host, pid, instance,
      (heartbeat_at is null or heartbeat_at < now() - make_interval(secs => ${lease})) as lapsed
    from process.import_run where status = 'running'`.execute(db.kysely)
  const dead = running.rows.filter(
    (r) =>
      r.lapsed ||
      (r.host === HOST &&
        r.instance !== INSTANCE &&
        r.pid !== null &&
        (r.pid === process.pid || !alive(r.pid))),
  )
  for (const r of dead)
    await sql`update process.import_run set status = 'interrupted', finished_at = now()
      where org_id = ${r.org_id} and id = ${r.id} and status = 'running'`.execute(db.kysely)
  return dead.length
}

/** The recurring job that marks dead imports interrupted. @category models @since 0.2.0 */
export const RECOVER_JOB = "process.imports.recover"

/** @category constructors @since 0.2.0 */
export const jobHandlers: Jobs.JobHandlers = {
  [RECOVER_JOB]: async (_job, db) => {
    await recoverImports(db)
  },
}

/** Past and running imports. @category constructors @since 0.1.0 */
export const listImports = async (db: Database, orgId: string) =>
  (
    await processDb(db)
      .selectFrom("process.import_run")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("started_at", "desc")
      .limit(50)
      .execute()
  ).map(runOf)

const runOf = (r: Selectable<ImportRunTable>) => ({
  id: r.id,
  source: r.source,
  format: r.format,
  status: r.status,
  rows: r.rows_total,
  imported: r.rows_imported,
  skipped: r.rows_skipped,
  failed: r.rows_failed,
  errors: r.errors,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  heartbeatAt: r.heartbeat_at,
})

/** One import run with its row errors (404 when the organisation has no such run). @category constructors @since 0.3.0 */
export const getImport = async (db: Database, orgId: string, id: string) => {
  const r = await processDb(db)
    .selectFrom("process.import_run")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "import", id })
  return runOf(r)
}
