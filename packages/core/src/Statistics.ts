/**
 * Planner statistics upkeep. PostgreSQL's autovacuum analyses a table once enough of it changed;
 * PGlite runs PostgreSQL in a single process with no background workers, so nothing ever analyses
 * or vacuums its tables and plans made for empty tables stay in force as they fill (a dashboard
 * query that takes 48 ms with statistics took 7.5 s without). This module does it by hand:
 * `analyse` after migrations and bulk writes, and `maintain` on a schedule (the `MAINTAIN_JOB`
 * job), which applies autovacuum's own thresholds to the counters in `pg_stat_user_tables`.
 *
 * @since 0.2.0
 */
import { sql } from "kysely"
import type { Database } from "./Db"

/** The job kind that runs `maintain` (scheduled by the server on the embedded database). @category models @since 0.2.0 */
export const MAINTAIN_JOB = "core.statistics"

/**
 * Autovacuum's formulas: analyse a table when the rows changed since its last analyse exceed
 * `analyseBase + analyseScale × rows`; vacuum it when its dead rows exceed
 * `vacuumBase + vacuumScale × rows`, or when the rows inserted since its last vacuum exceed
 * `insertBase + insertScale × rows` (keeps the visibility map fresh for index-only scans).
 * The defaults are PostgreSQL's (`autovacuum_analyze_threshold` 50, `…_scale_factor` 0.1, …).
 * @category models
 * @since 0.2.0
 */
export interface Thresholds {
  readonly analyseBase: number
  readonly analyseScale: number
  readonly vacuumBase: number
  readonly vacuumScale: number
  readonly insertBase: number
  readonly insertScale: number
}

/** PostgreSQL's autovacuum defaults. @category constructors @since 0.2.0 */
export const defaultThresholds: Thresholds = {
  analyseBase: 50,
  analyseScale: 0.1,
  vacuumBase: 50,
  vacuumScale: 0.2,
  insertBase: 1000,
  insertScale: 0.2,
}

/** What one maintenance pass did. @category models @since 0.2.0 */
export interface MaintenanceReport {
  /** Tables analysed (schema-qualified). */
  readonly analysed: ReadonlyArray<string>
  /** Tables vacuumed (and analysed) (schema-qualified). */
  readonly vacuumed: ReadonlyArray<string>
}

/**
 * Publish this session's pending table counters. PGlite counts changes like PostgreSQL but, in its
 * single process, publishes them only when asked; the next statement sees them.
 */
const flushCounters = async (db: Database) => {
  await sql`select pg_stat_force_next_flush()`.execute(db.kysely)
  await sql`select 1`.execute(db.kysely)
}

const qualified = (schema: string, table: string) => sql`${sql.id(schema)}.${sql.id(table)}`

/**
 * Analyse the given tables (`"schema.table"`), or every table of the database when none are
 * given. Run after a bulk write (a seed, an import, a rebuild) so that the next plans see the new rows.
 * @category constructors
 * @since 0.2.0
 */
export const analyse = async (db: Database, tables?: ReadonlyArray<string>): Promise<void> => {
  // changes still pending in this session's counters would otherwise be published after the
  // analyse and count against it
  await flushCounters(db)
  if (!tables) {
    await sql`analyze`.execute(db.kysely)
    return
  }
  for (const t of tables) {
    const [schema, table] = t.includes(".") ? (t.split(".", 2) as [string, string]) : ["public", t]
    await sql`analyze ${qualified(schema, table)}`.execute(db.kysely)
  }
}

interface TableCounters {
  schema: string
  table: string
  live: number
  dead: number
  modified: number
  inserted: number
  reltuples: number
}

/**
 * The tables due for an analyse or a vacuum under `thresholds`, from `pg_stat_user_tables`.
 * PGlite publishes its counters only when asked (`pg_stat_force_next_flush()`): they are flushed first.
 * @category constructors
 * @since 0.2.0
 */
export const due = async (
  db: Database,
  thresholds: Thresholds = defaultThresholds,
): Promise<{ analyse: string[]; vacuum: string[] }> => {
  await flushCounters(db)
  const r = await sql<TableCounters>`
    select s.schemaname as schema, s.relname as "table", s.n_live_tup::float8 as live, s.n_dead_tup::float8 as dead,
      s.n_mod_since_analyze::float8 as modified, s.n_ins_since_vacuum::float8 as inserted,
      greatest(c.reltuples, 0)::float8 as reltuples
    from pg_stat_user_tables s join pg_class c on c.oid = s.relid
    order by s.schemaname, s.relname`.execute(db.kysely)
  const analyse: string[] = []
  const vacuum: string[] = []
  for (const t of r.rows) {
    // reltuples is the estimate of the last analyse (0 before any); the live count is fresher
    const rows = Math.max(Number(t.reltuples), Number(t.live))
    const name = `${t.schema}.${t.table}`
    if (
      Number(t.dead) > thresholds.vacuumBase + thresholds.vacuumScale * rows ||
      Number(t.inserted) > thresholds.insertBase + thresholds.insertScale * rows
    )
      vacuum.push(name)
    else if (Number(t.modified) > thresholds.analyseBase + thresholds.analyseScale * rows) analyse.push(name)
  }
  return { analyse, vacuum }
}

/**
 * One maintenance pass: vacuum-and-analyse the tables past the vacuum threshold, analyse those
 * past the analyse threshold, leave the rest. What autovacuum does on a server; the server runs it
 * as `MAINTAIN_JOB` on the embedded database (on PostgreSQL autovacuum already does).
 * @category constructors
 * @since 0.2.0
 */
export const maintain = async (
  db: Database,
  thresholds: Thresholds = defaultThresholds,
): Promise<MaintenanceReport> => {
  const dueTables = await due(db, thresholds)
  for (const t of dueTables.vacuum) {
    const [schema, table] = t.split(".", 2) as [string, string]
    await sql`vacuum (analyze) ${qualified(schema, table)}`.execute(db.kysely)
  }
  await analyse(db, dueTables.analyse)
  return { analysed: dueTables.analyse, vacuumed: dueTables.vacuum }
}
