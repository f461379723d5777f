/**
 * Test helpers: a fresh, migrated database per call. PGlite in memory by default; a new
 * database on a PostgreSQL server when `TENET_TEST_DATABASE_URL` is set (CI runs the suite
 * both ways). Share one per test file.
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import { type Database, open } from "./Db"
import { compareWithDatabase, readDeclaredTables, type SchemaDifference } from "./internal/drift"
import { type ModuleMigrations, migrate } from "./Migrations"
import { coreMigrations } from "./migrations/index"

/**
 * Open a fresh database with the core migrations and the given modules' migrations applied.
 * @category testing
 * @since 0.1.0
 */
export const makeTestDatabase = async (modules: ReadonlyArray<ModuleMigrations> = []): Promise<Database> => {
  const url = process.env.TENET_TEST_DATABASE_URL
  let db: Database
  if (url) {
    const name = `tenet_test_${randomBytes(6).toString("hex")}`
    const admin = await open({ kind: "postgres", url, max: 1 })
    await admin.kysely.executeQuery({
      sql: `create database ${name}`,
      parameters: [],
      query: { kind: "RawNode" },
    } as never)
    await admin.close()
    const target = new URL(url)
    target.pathname = `/${name}`
    const inner = await open({ kind: "postgres", url: target.toString() })
    db = {
      ...inner,
      close: async () => {
        await inner.close()
        const a = await open({ kind: "postgres", url, max: 1 })
        await a.kysely.executeQuery({
          sql: `drop database if exists ${name} with (force)`,
          parameters: [],
          query: { kind: "RawNode" },
        } as never)
        await a.close()
      },
    }
  } else {
    db = await open({ kind: "pglite" })
  }
  await migrate(db, [coreMigrations, ...modules])
  return db
}

/** The engine the tests run on. @category testing @since 0.1.0 */
export const testEngine = (): "pglite" | "postgres" =>
  process.env.TENET_TEST_DATABASE_URL ? "postgres" : "pglite"

export type { SchemaDifference } from "./internal/drift"

/**
 * Hold a module's table interfaces against the migrated database: reads the map interface
 * `mapName` (e.g. `"ProcessTables"`) of `schemaFile` (the module's `src/migrations/schema.ts`) with
 * the TypeScript compiler and compares every table with `information_schema.columns` — tables and
 * columns on one side only, nullability (`| null`), and the type family (string ↔ text, varchar,
 * uuid; number ↔ integer, bigint, double; Date ↔ timestamptz; boolean; json shapes ↔ json/jsonb;
 * string[] ↔ text[]). Returns the differences (empty when they agree). Needs `typescript` installed.
 *
 * ```ts
 * const db = await makeTestDatabase([processMigrations])
 * const schema = fileURLToPath(new URL("../src/migrations/schema.ts", import.meta.url))
 * expect(await checkSchemaDrift(db, schema, "ProcessTables")).toEqual([])
 * ```
 * @category testing
 * @since 0.5.0
 */
export const checkSchemaDrift = async (
  db: Database,
  schemaFile: string,
  mapName: string,
): Promise<ReadonlyArray<SchemaDifference>> =>
  compareWithDatabase(db, await readDeclaredTables(schemaFile, mapName))
