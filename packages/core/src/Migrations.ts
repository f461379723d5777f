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
  for (const m of modules) {
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
