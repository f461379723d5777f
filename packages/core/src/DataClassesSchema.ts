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
