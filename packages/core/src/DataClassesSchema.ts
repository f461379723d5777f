/**
 * The schema check of the data-class contract: reads the migrated database (`information_schema`)
 * and names every table that holds a customer's personal data (by `DataClasses.PERSONAL_COLUMN`)
 * that no data class declares, and every declaration that names a table or column the database
 * does not have. Run by the API's test over every module's migrations; a module that adds a table
 * with a `customer_id` and no declaration fails it.
 *
 * @since 0.7.0
 */
import { sql } from "kysely"
import { all, type DataClass, type NotPersonal, notPersonal, PERSONAL_COLUMN } from "./DataClasses"
import type { Database } from "./Db"

/** @category models @since 0.7.0 */
export interface SchemaProblem {
  readonly table: string
  readonly message: string
}

const columnsOf = (c: DataClass): ReadonlyArray<string> => [
  ...c.key,
  ...c.columns,
  c.ageColumn,
  ...(c.customer ? [c.customer.column] : []),
  ...(c.case ? [c.case.column] : []),
  ...(c.purge.kind === "anonymise" ? Object.keys(c.purge.columns) : []),
]

/**
 * Compare the declarations with the migrated schema.
 * @category constructors
 * @since 0.7.0
 */
export const checkSchema = async (
  db: Database,
  declared: ReadonlyArray<DataClass> = all(),
  exempt: ReadonlyArray<NotPersonal> = notPersonal(),
): Promise<ReadonlyArray<SchemaProblem>> => {
  const rows = (
    await sql<{
      table: string
      column: string
    }>`select table_schema || '.' || table_name as table, column_name as column
      from information_schema.columns
      where table_schema not in ('pg_catalog', 'information_schema', 'public') and table_schema not like 'pg\\_%'
      order by 1, ordinal_position`.execute(db.kysely)
  ).rows
  const tables = new Map<string, Set<string>>()
  for (const r of rows) {
    const cols = tables.get(r.table) ?? new Set<string>()
    cols.add(r.column)
    tables.set(r.table, cols)
  }
  const problems: SchemaProblem[] = []
  const declaredTables = new Set(declared.map((c) => c.table))
  const exemptTables = new Set(exempt.map((e) => e.table))
  for (const [table, cols] of tables) {
    const personal = [...cols].filter((c) => PERSONAL_COLUMN.test(c))
    if (personal.length === 0 || declaredTables.has(table) || exemptTables.has(table)) continue
    problems.push({
      table,
      message: `${table}: holds personal data (${personal.join(", ")}) that no data class declares`,
    })
  }
  for (const c of declared) {
    if (c.plugin) continue
    const cols = tables.get(c.table)
    if (!cols) {
      problems.push({ table: c.table, message: `${c.id}: table ${c.table} does not exist` })
      continue
    }
    if (!c.global && !cols.has("org_id"))
      problems.push({ table: c.table, message: `${c.id}: ${c.table} has no org_id` })
    for (const col of new Set(columnsOf(c)))
      if (!cols.has(col))
        problems.push({ table: c.table, message: `${c.id}: column ${c.table}.${col} does not exist` })
    for (const p of [c.customer, c.case])
      if (p?.via) {
        const via = tables.get(p.via.table)
        if (!via?.has(p.via.column) || !via.has(p.via.key ?? "id"))
          problems.push({ table: c.table, message: `${c.id}: ${p.via.table}.${p.via.column} does not exist` })
      }
    for (const d of c.dependents ?? [])
      if (!tables.get(d.table)?.has(d.column))
        problems.push({ table: d.table, message: `${c.id}: dependent ${d.table}.${d.column} does not exist` })
  }
  return problems
}

const SEALED_PREFIX = "tnt1:"

/**
 * Compare the sealed columns the classes declare with what the database holds and with the tables the
 * re-encryption pass visits: every text or JSON column of every table is scanned for sealed values
 * (`tnt1:…`), and a column holding some that no class declares sealed is a problem (a module seals a
 * column it did not declare). With `requireSealed`, a declared sealed text column holding a value in
 * clear is one too (run it with encryption on, after the conversion pass). With `encryptedTables`
 * (the modules' `EncryptedTable`s), a declared sealed column the pass does not visit, and a column the
 * pass seals that no class declares, are problems.
 * @category constructors
 * @since 0.8.0
 */
export const checkSealed = async (
  db: Database,
  options: {
    readonly declared?: ReadonlyArray<DataClass>
    readonly requireSealed?: boolean
    readonly encryptedTables?: ReadonlyArray<{
      readonly table: string
      readonly columns: ReadonlyArray<string>
    }>
  } = {},
): Promise<ReadonlyArray<SchemaProblem>> => {
  const declared = options.declared ?? all()
  const sealedOf = new Map<string, Map<string, string>>()
  for (const c of declared)
    for (const s of c.sealed ?? []) {
      const m = sealedOf.get(c.table) ?? new Map<string, string>()
      m.set(s.column, c.id)
      sealedOf.set(c.table, m)
    }
  const rows = (
    await sql<{ schema: string; name: string; column: string; type: string }>`
      select c.table_schema as schema, c.table_name as name, c.column_name as column, c.data_type as type
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where t.table_type = 'BASE TABLE'
        and c.table_schema not in ('pg_catalog', 'information_schema', 'public') and c.table_schema not like 'pg\\_%'
        and c.data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY')
      order by 1, 2, c.ordinal_position`.execute(db.kysely)
  ).rows
  const byTable = new Map<string, Array<{ column: string; type: string }>>()
  for (const r of rows) {
    const t = `${r.schema}.${r.name}`
    const cols = byTable.get(t) ?? []
    cols.push({ column: r.column, type: r.type })
    byTable.set(t, cols)
  }
  const q = (name: string) => sql.id(...name.split("."))
  const problems: SchemaProblem[] = []
  for (const [table, cols] of byTable) {
    const found = (
      await sql<Record<string, boolean>>`select ${sql.join(
        cols.map(
          (c, i) =>
            sql`coalesce(bool_or(${
              c.type === "text" || c.type === "character varying"
                ? sql`${sql.id(c.column)} like ${`${SEALED_PREFIX}%`}`
                : sql`${sql.id(c.column)}::text like ${`%${SEALED_PREFIX}%`}`
            }), false) as ${sql.id(`c${i}`)}`,
        ),
      )} from ${q(table)}`.execute(db.kysely)
    ).rows[0]
    const declaredHere = sealedOf.get(table)
    cols.forEach((c, i) => {
      if (found?.[`c${i}`] && !declaredHere?.has(c.column))
        problems.push({
          table,
          message: `${table}.${c.column}: holds sealed values that no data class declares sealed`,
        })
    })
  }
  for (const [table, columns] of sealedOf) {
    const cols = byTable.get(table)
    for (const [column, id] of columns) {
      const col = cols?.find((c) => c.column === column)
      if (!col) {
        problems.push({ table, message: `${id}: sealed column ${table}.${column} does not exist` })
        continue
      }
      if (!options.requireSealed || (col.type !== "text" && col.type !== "character varying")) continue
      const clear = (
        await sql<{ n: number }>`select count(*)::int as n from ${q(table)}
          where ${sql.id(column)} is not null and ${sql.id(column)} not in ('', '[redacted]')
            and ${sql.id(column)} not like ${`${SEALED_PREFIX}%`}`.execute(db.kysely)
      ).rows[0]?.n
      if (clear)
        problems.push({
          table,
          message: `${id}: sealed column ${table}.${column} holds ${clear} values in clear`,
        })
    }
  }
  if (options.encryptedTables) {
    const visited = new Map<string, Set<string>>()
    for (const t of options.encryptedTables) {
      const set = visited.get(t.table) ?? new Set<string>()
      for (const c of t.columns) if (!c.endsWith("_bidx")) set.add(c)
      visited.set(t.table, set)
    }
    for (const [table, columns] of visited)
      for (const column of columns)
        if (!sealedOf.get(table)?.has(column))
          problems.push({
            table,
            message: `${table}.${column}: the re-encryption pass seals it but no data class declares it sealed`,
          })
    for (const [table, columns] of sealedOf)
      for (const [column, id] of columns)
        if (!visited.get(table)?.has(column))
          problems.push({
            table,
            message: `${id}: sealed column ${table}.${column} is not visited by the re-encryption pass`,
          })
  }
  return problems
}
