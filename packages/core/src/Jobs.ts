/**
 * A durable job scheduler in the database (SLA escalations, survey dispatch, retention
 * purge, reports). Scheduling is idempotent by `(org, kind, key)`; claiming uses
 * `for update skip locked` with a lease, so several API processes on one database run a
 * job once. The lease is renewed while the handler runs, so a slow handler is not run twice;
 * a claimed job whose lease expires (its process died) is claimed again — a process that dies
 * after its handler's effect and before the job is marked done means that job runs again
 * (at least once across crashes: make handlers whose effects are idempotent, or do the effect
 * and nothing else in one transaction).
 *
 * @since 0.1.0
 */
import { hostname } from "node:os"
import { type Selectable, sql } from "kysely"
import type { Database, Executor } from "./Db"
import * as Id from "./Id"
import type { JobTable } from "./migrations/schema"

/** A job to schedule. @category models @since 0.1.0 */
export interface JobInput {
  readonly orgId?: string
  readonly kind: string
  /** Deduplication key: scheduling the same (org, kind, key) twice keeps one job. */
  readonly key: string
  readonly runAt: Date
  readonly payload?: unknown
  /** Repeat every N seconds after each run. */
  readonly everySeconds?: number
  readonly maxAttempts?: number
}

/** A claimed job. @category models @since 0.1.0 */
export interface Job {
  readonly orgId: string
  readonly id: string
  readonly kind: string
  readonly key: string
  readonly runAt: Date
  readonly payload: unknown
  readonly attempts: number
}

/** Runs jobs of one kind. @category models @since 0.1.0 */
export type JobHandlers = Readonly<Record<string, (job: Job, db: Database) => Promise<void>>>

/**
 * Schedule a job. Returns true when it was created, false when a job with the same key exists.
 * @category constructors
 * @since 0.1.0
 */
export const schedule = async (db: Database, job: JobInput): Promise<boolean> => scheduleIn(db.kysely, job)

/**
 * Schedule a job inside the caller's transaction (the job exists only if the change commits).
 * @category constructors
 * @since 0.1.0
 */
export const scheduleIn = async (tx: Executor, job: JobInput): Promise<boolean> =>
  (await scheduleManyIn(tx, [job])) === 1

/**
 * Schedule several jobs in one insert inside the caller's transaction. Returns how many were
 * created (jobs whose key exists are kept as they are, except a recurring job that had failed
 * for good: it is revived).
 * @category constructors
 * @since 0.2.0
 */
export const scheduleManyIn = async (tx: Executor, jobs: ReadonlyArray<JobInput>): Promise<number> => {
  if (jobs.length === 0) return 0
  const rows = jobs.map((j) => ({
    org_id: j.orgId ?? "",
    id: Id.make("job"),
    kind: j.kind,
    key: j.key,
    run_at: j.runAt.toISOString(),
    payload: j.payload ?? {},
    every_seconds: j.everySeconds ?? null,
    max_attempts: j.maxAttempts ?? 5,
  }))
  const r =
    await sql`insert into core.job (org_id, id, kind, key, run_at, payload, every_seconds, max_attempts)
    select x.org_id, x.id, x.kind, x.key, x.run_at, x.payload, x.every_seconds, x.max_attempts
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(org_id text, id text, kind text, key text, run_at timestamptz,
      payload jsonb, every_seconds int, max_attempts int)
    on conflict (org_id, kind, key) do update set status = 'pending', attempts = 0, run_at = excluded.run_at, last_error = null
      where core.job.status = 'failed' and core.job.every_seconds is not null`.execute(tx)
  return Number(r.numAffectedRows ?? 0)
}

/**
 * Claim up to `limit` due jobs for this worker.
 * @category constructors
 * @since 0.1.0
 */
export const claim = async (
  db: Database,
  options: {
    readonly workerId: string
    readonly limit?: number
    readonly leaseSeconds?: number
    readonly kinds?: ReadonlyArray<string>
  },
): Promise<ReadonlyArray<Job>> => {
  const kinds =
    options.kinds && options.kinds.length > 0 ? sql`and kind in (${sql.join(options.kinds)})` : sql``
  const r = await sql<Selectable<JobTable>>`
    update core.job j set status = 'running', locked_by = ${options.workerId},
      locked_until = now() + make_interval(secs => ${options.leaseSeconds ?? 300}), attempts = j.attempts + 1
    where (j.org_id, j.id) in (
      select org_id, id from core.job
      where ((status = 'pending' and run_at <= now()) or (status = 'running' and locked_until < now())) ${kinds}
      order by run_at limit ${options.limit ?? 10}
      for update skip locked)
    returning j.*`.execute(db.kysely)
  // UPDATE … RETURNING has no order: run what was claimed in due order.
  const rows = [...r.rows].sort((a, b) => a.run_at.getTime() - b.run_at.getTime() || (a.id < b.id ? -1 : 1))
  return rows.map((row) => ({
    orgId: row.org_id,
    id: row.id,
    kind: row.kind,
    key: row.key,
    runAt: row.run_at,
    payload: row.payload,
    attempts: Number(row.attempts),
  }))
}

/** Extend the lease of jobs this worker still holds. */
const renew = async (db: Database, jobs: ReadonlyArray<Job>, workerId: string, leaseSeconds: number) => {
  if (jobs.length === 0) return
  await sql`update core.job set locked_until = now() + make_interval(secs => ${leaseSeconds})
    where (org_id, id) in (${sql.join(jobs.map((j) => sql`(${j.orgId}, ${j.id})`))})
      and status = 'running' and locked_by = ${workerId}`.execute(db.kysely)
}

/** A worker id unique to this process and call (several workers may share a process). */
const defaultWorkerId = () => `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`

const finish = async (db: Database, job: Job, workerId: string, error?: unknown) => {
  if (error === undefined) {
    await sql`update core.job set
        status = case when every_seconds is null then 'done' else 'pending' end,
        run_at = case when every_seconds is null then run_at else now() + make_interval(secs => every_seconds) end,
        attempts = case when every_seconds is null then attempts else 0 end,
        runs = runs + 1, finished_at = now(), locked_by = null, locked_until = null, last_error = null
      where org_id = ${job.orgId} and id = ${job.id} and locked_by = ${workerId}`.execute(db.kysely)
  } else {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000)
    await sql`update core.job set
        status = case when attempts >= max_attempts then 'failed' else 'pending' end,
        run_at = now() + make_interval(secs => least(3600, power(2, attempts)::int)),
        last_error = ${message}, locked_by = null, locked_until = null
      where org_id = ${job.orgId} and id = ${job.id} and locked_by = ${workerId}`.execute(db.kysely)
  }
}

/**
 * Claim and run due jobs once. Returns how many ran and how many failed.
 * @category constructors
 * @since 0.1.0
 */
export const runDue = async (
  db: Database,
  handlers: JobHandlers,
  options: {
    readonly workerId?: string
    readonly limit?: number
    readonly leaseSeconds?: number
    /** How many of the claimed jobs run at once (default 1: one after another). */
    readonly concurrency?: number
  } = {},
): Promise<{ ran: number; failed: number; claimed: number }> => {
  const workerId = options.workerId ?? defaultWorkerId()
  const leaseSeconds = options.leaseSeconds ?? 300
  const jobs = await claim(db, {
    workerId,
    limit: options.limit ?? 10,
    leaseSeconds,
    kinds: Object.keys(handlers),
  })
  let ran = 0
  let failed = 0
  // renew the lease of the jobs not yet finished every third of it, so no other worker takes them
  const pending = new Set(jobs)
  let renewing: Promise<void> = Promise.resolve()
  const timer =
    jobs.length > 0
      ? setInterval(
          () => {
            renewing = renew(db, [...pending], workerId, leaseSeconds).catch(() => {})
          },
          Math.max(100, (leaseSeconds * 1000) / 3),
        )
      : undefined
  const runOne = async (job: Job) => {
    const handler = handlers[job.kind]
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`)
      await handler(job, db)
      ran++
      pending.delete(job)
      await finish(db, job, workerId)
    } catch (e) {
      failed++
      pending.delete(job)
      await finish(db, job, workerId, e)
    }
  }
  try {
    // a pool of `concurrency` lanes over the claimed jobs, in claim order (a slow job holds one lane)
    let next = 0
    const lanes = Math.max(1, Math.min(options.concurrency ?? 1, jobs.length))
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < jobs.length) await runOne(jobs[next++]!)
      }),
    )
  } finally {
    if (timer) clearInterval(timer)
    await renewing
  }
  return { ran, failed, claimed: jobs.length }
}

/**
 * A polling worker loop: runs due jobs every `intervalMs`, and at once again after a full batch
 * (a backlog drains at the database's pace). Returns a function that stops it (and waits for the
 * current pass).
 * @category constructors
 * @since 0.1.0
 */
export const startWorker = (
  db: Database,
  handlers: JobHandlers,
  options: {
    readonly workerId?: string
    readonly intervalMs?: number
    readonly limit?: number
    readonly leaseSeconds?: number
    /** How many jobs of a pass run at once (default 1). */
    readonly concurrency?: number
    readonly onError?: (e: unknown) => void
  } = {},
): (() => Promise<void>) => {
  const workerOptions = { ...options, workerId: options.workerId ?? defaultWorkerId() }
  let stopped = false
  let current: Promise<unknown> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  const tick = () => {
    if (stopped) return
    let full = false
    current = runDue(db, handlers, workerOptions)
      .then((r) => {
        full = r.claimed > 0 && r.claimed >= (options.limit ?? 10)
      })
      .catch((e) => options.onError?.(e))
      .finally(() => {
        // a full batch means a backlog: go on at once; otherwise look again after the interval
        if (!stopped) timer = setTimeout(tick, full ? 0 : (options.intervalMs ?? 1000))
      })
  }
  timer = setTimeout(tick, 0)
  return async () => {
    stopped = true
    if (timer) clearTimeout(timer)
    await current
  }
}
