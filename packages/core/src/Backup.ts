/**
 * Logical backup and restore that work on both engines: a backup is NDJSON — a header line,
 * then for each table a table line followed by one line per row (`row_to_json`), then (version 2)
 * an end line with the number of tables. Restore
 * runs in one transaction: it empties the tables and loads every row with
 * `json_populate_recordset`, so PostgreSQL itself converts the values; a failed restore
 * leaves the database as it was.
 *
 * @since 0.1.0
 */
import { sql } from "kysely"
import type { Database } from "./Db"
import { type ModuleMigrations, tablesOf } from "./Migrations"

/**
 * Tables ordered so that a table comes after the tables its foreign keys reference (restore loads
 * them in the file's order, inside one transaction, with the constraints checked row by row).
 */
const inDependencyOrder = async <T extends { schema: string; table: string }>(
  db: Database,
  tables: ReadonlyArray<T>,
): Promise<T[]> => {
  const name = (t: { schema: string; table: string }) => `${t.schema}.${t.table}`
  const fks = await sql<{ child: string; parent: string }>`select cn.nspname || '.' || c.relname as child,
      pn.nspname || '.' || p.relname as parent
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace cn on cn.oid = c.relnamespace
    join pg_class p on p.oid = k.confrelid join pg_namespace pn on pn.oid = p.relnamespace
    where k.contype = 'f'`.execute(db.kysely)
  const parents = new Map<string, Set<string>>()
  for (const f of fks.rows)
    if (f.child !== f.parent)
      (parents.get(f.child) ?? parents.set(f.child, new Set()).get(f.child)!).add(f.parent)
  const out: T[] = []
  const done = new Set<string>()
  const visiting = new Set<string>()
  const byName = new Map(tables.map((t) => [name(t), t]))
  const visit = (t: T) => {
    const n = name(t)
    if (done.has(n) || visiting.has(n)) return
    visiting.add(n)
    for (const p of parents.get(n) ?? []) {
      const parent = byName.get(p)
      if (parent) visit(parent)
    }
    visiting.delete(n)
    done.add(n)
    out.push(t)
  }
  for (const t of tables) visit(t)
  return out
}

/** @category models @since 0.1.0 */
export interface BackupHeader {
  readonly format: "tenet-backup"
  /** 2 ends with a line `{"end":"tenet-backup","tables":N}`, so a backup cut after a table is refused too */
  readonly version: 1 | 2
  readonly createdAt: string
  readonly engine: string
  readonly modules: ReadonlyArray<{
    readonly module: string
    readonly schema: string
    readonly migrations: ReadonlyArray<string>
  }>
}

const PAGE = 2000

const keyColumns = async (db: Database, schema: string, table: string): Promise<string[]> => {
  const r = await sql<{ column: string }>`
    select a.attname as column from pg_index i
    join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = ${`${schema}.${table}`}::regclass and i.indisprimary
    order by array_position(i.indkey, a.attnum)`.execute(db.kysely)
  return r.rows.map((x) => x.column)
}

/**
 * Write a backup of the given modules' tables, line by line, to `write`.
 * Returns the row count per table.
 * @category constructors
 * @since 0.1.0
 */
export const backup = async (
  db: Database,
  modules: ReadonlyArray<ModuleMigrations>,
  write: (line: string) => Promise<void> | void,
): Promise<Record<string, number>> => {
  const header: BackupHeader = {
    format: "tenet-backup",
    version: 2,
    createdAt: new Date().toISOString(),
    engine: db.kind,
    modules: modules.map((m) => ({
      module: m.module,
      schema: m.schema,
      migrations: Object.keys(m.migrations).sort(),
    })),
  }
  await write(JSON.stringify(header))
  const counts: Record<string, number> = {}
  for (const t of await inDependencyOrder(db, await tablesOf(db, modules))) {
    const name = `${t.schema}.${t.table}`
    const keys = await keyColumns(db, t.schema, t.table)
    const order = keys.length > 0 ? sql.join(keys.map((k) => sql.ref(`t.${k}`))) : sql`1`
    const count = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(
      db.kysely,
    )
    const n = count.rows[0]?.n ?? 0
    await write(JSON.stringify({ table: name, rows: n }))
    for (let offset = 0; offset < n; offset += PAGE) {
      const page = await sql<{ j: string }>`select row_to_json(t)::text as j from ${sql.table(name)} as t
        order by ${order} limit ${PAGE} offset ${offset}`.execute(db.kysely)
      for (const row of page.rows) await write(row.j)
    }
    counts[name] = n
  }
  await write(JSON.stringify({ end: "tenet-backup", tables: Object.keys(counts).length }))
  return counts
}

/**
 * Restore a backup (an async iterable of its lines) into a database migrated with the same
 * modules. Everything happens in one transaction. Returns the row count per table.
 * @category constructors
 * @since 0.1.0
 */
export const restore = async (
  db: Database,
  modules: ReadonlyArray<ModuleMigrations>,
  lines: AsyncIterable<string>,
): Promise<Record<string, number>> => {
  const iterator = lines[Symbol.asyncIterator]()
  const first = await iterator.next()
  if (first.done) throw new Error("the backup is empty")
  let header: BackupHeader
  try {
    header = JSON.parse(first.value)
  } catch {
    throw new Error("the backup does not start with a Tenet backup header (line 1 is not JSON)")
  }
  if (header.format !== "tenet-backup" || (header.version !== 1 && header.version !== 2))
    throw new Error(`line 1: not a Tenet backup of a known version (format ${String(header.format)})`)
  for (const m of header.modules) {
    const mine = modules.find((x) => x.module === m.module)
    if (!mine) throw new Error(`the backup contains module "${m.module}", which this Tenet does not have`)
    const known = new Set(Object.keys(mine.migrations))
    const unknown = m.migrations.find((x) => !known.has(x))
    if (unknown)
      throw new Error(
        `the backup was made by a newer Tenet: migration ${m.module}/${unknown} is unknown here`,
      )
  }
  const tables = await tablesOf(db, modules)
  const tableNames = new Set(tables.map((t) => `${t.schema}.${t.table}`))
  const counts: Record<string, number> = {}
  await db.kysely.transaction().execute(async (tx) => {
    if (tables.length > 0)
      await sql`truncate ${sql.join(tables.map((t) => sql.table(`${t.schema}.${t.table}`)))}`.execute(tx)
    let current: string | undefined
    let ended: number | undefined
    let expected = 0
    let buffer: string[] = []
    let lineNo = 1
    const flush = async () => {
      if (!current || buffer.length === 0) return
      await sql`insert into ${sql.table(current)} overriding system value
        select * from json_populate_recordset(null::${sql.raw(current)}, ${`[${buffer.join(",")}]`}::json)`.execute(
        tx,
      )
      counts[current] = (counts[current] ?? 0) + buffer.length
      buffer = []
    }
    for (;;) {
      const next = await iterator.next()
      if (next.done) break
      lineNo++
      const line = next.value
      if (line.trim() === "") continue
      if (line.startsWith('{"end":')) {
        const e = JSON.parse(line) as { end: string; tables: number }
        ended = e.tables
        continue
      }
      if (ended !== undefined) throw new Error(`line ${lineNo}: a line after the end of the backup`)
      if (line.startsWith('{"table":')) {
        await flush()
        if (current && (counts[current] ?? 0) !== expected)
          throw new Error(`table ${current}: expected ${expected} rows, found ${counts[current] ?? 0}`)
        const t = JSON.parse(line) as { table: string; rows: number }
        if (!tableNames.has(t.table)) throw new Error(`line ${lineNo}: table ${t.table} does not exist here`)
        current = t.table
        expected = t.rows
        counts[current] = 0
        continue
      }
      if (!current) throw new Error(`line ${lineNo}: a row before any table line`)
      buffer.push(line)
      if (buffer.length >= PAGE) await flush()
    }
    await flush()
    if (current && (counts[current] ?? 0) !== expected)
      throw new Error(
        `table ${current}: expected ${expected} rows, found ${counts[current] ?? 0} (truncated backup?)`,
      )
    // a version 2 backup says how many tables it holds on its last line: without it, or with another
    // number, the file was cut (after a whole table, which the row counts alone cannot see)
    if (header.version === 2) {
      if (ended === undefined) throw new Error("the backup has no end line (truncated backup?)")
      if (ended !== Object.keys(counts).length)
        throw new Error(
          `the backup's end line counts ${ended} tables, but ${Object.keys(counts).length} were read (truncated backup?)`,
        )
    }
    // Transaction ids (xid8) belong to the database that made them: restored rows take this one's.
    const xids = await sql<{ schema: string; table: string; column: string }>`
      select table_schema as schema, table_name as "table", column_name as column from information_schema.columns
      where data_type = 'xid8' and table_schema in (${sql.join(modules.map((m) => m.schema))})`.execute(tx)
    for (const c of xids.rows)
      await sql`update ${sql.table(`${c.schema}.${c.table}`)} set ${sql.ref(c.column)} = pg_current_xact_id()`.execute(
        tx,
      )
    // Identity columns continue after the restored values.
    const identities = await sql<{ schema: string; table: string; column: string }>`
      select table_schema as schema, table_name as "table", column_name as column from information_schema.columns
      where is_identity = 'YES' and table_schema in (${sql.join(modules.map((m) => m.schema))})`.execute(tx)
    for (const c of identities.rows) {
      await sql`select setval(pg_get_serial_sequence(${`${c.schema}.${c.table}`}, ${c.column}),
        coalesce((select max(${sql.ref(c.column)}) from ${sql.table(`${c.schema}.${c.table}`)}), 0) + 1, false)`.execute(
        tx,
      )
    }
  })
  return counts
}

/**
 * Row counts of every table of the given modules.
 * @category constructors
 * @since 0.1.0
 */
export const rowCounts = async (
  db: Database,
  modules: ReadonlyArray<ModuleMigrations>,
): Promise<Record<string, number>> => {
  const out: Record<string, number> = {}
  for (const t of await tablesOf(db, modules)) {
    const name = `${t.schema}.${t.table}`
    const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(db.kysely)
    out[name] = r.rows[0]?.n ?? 0
  }
  return out
}
