/**
 * Per-module migrations. A module owns a PostgreSQL schema and keeps its own migration
 * history table in it (`<schema>.kysely_migration`). Migrations are a static record
 * (`{ "0001_create_x": { up, down } }`), so nothing scans the filesystem.
 *
 * @since 0.1.0
 */
import { type Kysely, sql } from "kysely"
import { type Migration, Migrator } from "kysely/migration"
import type { Database } from "./Db"
import { analyse } from "./Statistics"

/** A module's migrations. @category models @since 0.1.0 */
export interface ModuleMigrations {
  /** The module's name, e.g. "process". */
  readonly module: string
  /** The PostgreSQL schema the module owns, e.g. "process". */
  readonly schema: string
  /** Static record of migrations, applied in key order. */
  readonly migrations: Readonly<Record<string, Migration>>
}

/** The outcome of migrating one module. @category models @since 0.1.0 */
export interface MigrationReport {
  readonly module: string
  readonly applied: ReadonlyArray<string>
}

/**
 * Apply every pending migration of the given modules, in the order given.
 * Throws with the module and migration name when one fails.
 * @category constructors
 * @since 0.1.0
 */
export const migrate = async (
  db: Database,
  modules: ReadonlyArray<ModuleMigrations>,
): Promise<ReadonlyArray<MigrationReport>> => {
  const reports: MigrationReport[] = []
  // The usual start (nothing to apply) costs one query: Kysely's migrator introspects every table of
  // the database several times per module, which made a start on an existing data folder wait seconds.
  const done = await appliedMigrations(db, modules)
  for (const m of modules) {
    const applied = done.get(m.schema)
    // (a history naming a migration this build lacks goes to the migrator, which refuses it)
    const names = Object.keys(m.migrations)
    if (applied && applied.size === names.length && names.every((name) => applied.has(name))) {
      reports.push({ module: m.module, applied: [] })
      continue
    }
    await sql`create schema if not exists ${sql.id(m.schema)}`.execute(db.kysely)
    const migrator = new Migrator({
      db: db.kysely as Kysely<unknown>,
      provider: { getMigrations: async () => m.migrations as Record<string, Migration> },
      migrationTableSchema: m.schema,
      migrationTableName: "kysely_migration",
      migrationLockTableName: "kysely_migration_lock",
    })
    const { error, results } = await migrator.migrateToLatest()
    const failed = results?.find((r) => r.status === "Error")
    if (error) {
      throw new Error(
        `migration ${m.module}/${failed?.migrationName ?? "?"} failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      )
    }
    reports.push({ module: m.module, applied: (results ?? []).map((r) => r.migrationName) })
  }
  // New tables and indexes (and rows a migration moved) get planner statistics at once: PGlite has
  // no autovacuum to do it later, and on a server it saves the first minutes of poor plans.
  if (reports.some((r) => r.applied.length > 0)) await analyse(db)
  return reports
}

/** Per module schema, the names of the migrations already applied (schemas without a history are absent). */
const appliedMigrations = async (
  db: Database,
  modules: ReadonlyArray<ModuleMigrations>,
): Promise<ReadonlyMap<string, ReadonlySet<string>>> => {
  const schemas = [...new Set(modules.map((m) => m.schema))]
  if (schemas.length === 0) return new Map()
  const present = await sql<{ schema: string }>`
    select n.nspname as schema from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relname = 'kysely_migration' and c.relkind = 'r' and n.nspname in (${sql.join(schemas)})`.execute(
    db.kysely,
  )
  const out = new Map<string, Set<string>>()
  if (present.rows.length === 0) return out
  const rows = await sql<{ schema: string; name: string }>`${sql.join(
    present.rows.map(
      (r) => sql`select ${r.schema}::text as schema, name from ${sql.id(r.schema, "kysely_migration")}`,
    ),
    sql` union all `,
  )}`.execute(db.kysely)
  for (const r of present.rows) out.set(r.schema, new Set())
  for (const r of rows.rows) out.get(r.schema)?.add(r.name)
  return out
}

/**
 * The tables owned by the given modules (schema-qualified, excluding migration bookkeeping),
 * in a stable order. Used by backup, restore and row counts.
 * @category constructors
 * @since 0.1.0
 */
export const tablesOf = async (
  db: Database,
  modules: ReadonlyArray<ModuleMigrations>,
): Promise<ReadonlyArray<{ schema: string; table: string }>> => {
  const schemas = modules.map((m) => m.schema)
  const r = await sql<{ schema: string; table: string }>`
    select table_schema as schema, table_name as "table" from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema in (${sql.join(schemas)})
      and table_name not in ('kysely_migration', 'kysely_migration_lock')
    order by table_schema, table_name`.execute(db.kysely)
  const order = new Map(schemas.map((s, i) => [s, i]))
  return [...r.rows].sort(
    (a, b) => (order.get(a.schema) ?? 0) - (order.get(b.schema) ?? 0) || a.table.localeCompare(b.table),
  )
}
