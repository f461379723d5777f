/**
 * The schema drift checker: a module's table interfaces (its `src/migrations/schema.ts`) against
 * the columns of the migrated database (`information_schema.columns`). The interfaces are read with
 * the TypeScript compiler's type checker, so `Generated<>`, `ColumnType<>`, `JSONColumnType<>`,
 * `| null`, aliases and imported types resolve exactly as Kysely sees them.
 *
 * `typescript` is loaded when the checker runs (it is a development tool, not needed by the server).
 */
import { sql } from "kysely"
import type * as TS from "typescript"
import type { Database } from "../Db"

/** One difference between the declared tables and the database. */
export interface SchemaDifference {
  /** Schema-qualified table, e.g. `core.job`. */
  readonly table: string
  readonly column?: string | undefined
  readonly kind:
    | "undeclared-table"
    | "missing-table"
    | "undeclared-column"
    | "missing-column"
    | "nullability"
    | "type"
  /** A sentence a person can act on. */
  readonly message: string
}

/** What a declared column's select type is, coarsely. */
type Family = "string" | "number" | "int8" | "bigint" | "boolean" | "Date" | "string[]" | "number[]" | "json"

export interface DeclaredColumn {
  readonly family: Family | `mixed(${string})`
  readonly nullable: boolean
  /** The select type as TypeScript prints it (for messages). */
  readonly text: string
}

/** The declared tables: `schema.table` → column → its type. */
export type DeclaredTables = ReadonlyMap<string, ReadonlyMap<string, DeclaredColumn>>

// the select types each PostgreSQL type is read as (see internal/types: int8 may be a bigint,
// numeric and date are strings)
const accepted: Record<string, ReadonlyArray<Family>> = {
  text: ["string"],
  "character varying": ["string"],
  character: ["string"],
  uuid: ["string"],
  xid8: ["string"],
  citext: ["string"],
  inet: ["string"],
  name: ["string"],
  smallint: ["number"],
  integer: ["number"],
  bigint: ["int8", "number", "bigint"],
  numeric: ["string", "number"],
  real: ["number"],
  "double precision": ["number"],
  "timestamp with time zone": ["Date"],
  "timestamp without time zone": ["Date"],
  date: ["string", "Date"],
  boolean: ["boolean"],
  json: ["json", "string[]", "number[]"],
  jsonb: ["json", "string[]", "number[]"],
}
const arrays: Record<string, ReadonlyArray<Family>> = {
  _text: ["string[]"],
  _varchar: ["string[]"],
  _uuid: ["string[]"],
  _int2: ["number[]"],
  _int4: ["number[]"],
  _int8: ["number[]"],
  _float8: ["number[]"],
}

/**
 * Read the map interface `mapName` (e.g. `CoreTables`) of the file `schemaFile` and resolve every
 * table's columns to their select types.
 */
export const readDeclaredTables = async (schemaFile: string, mapName: string): Promise<DeclaredTables> => {
  const ts = ((await import("typescript")) as { default?: typeof TS }).default ?? (await import("typescript"))
  const program = ts.createProgram([schemaFile], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    // no DOM: less to parse
    lib: ["lib.es2022.d.ts"],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // workspace packages resolve to their sources (as in the tests)
    customConditions: ["@tenet/source"],
    types: [],
  })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(schemaFile)
  if (!source) throw new Error(`schema drift: cannot read ${schemaFile}`)
  const moduleSymbol = checker.getSymbolAtLocation(source)
  const mapSymbol = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === mapName)
  if (!mapSymbol) throw new Error(`schema drift: ${schemaFile} exports no ${mapName}`)
  const mapType = checker.getDeclaredTypeOfSymbol(mapSymbol)

  const typeOf = (symbol: TS.Symbol): TS.Type => checker.getTypeOfSymbol(symbol)
  // ColumnType<S, I, U> is { __select__: S, __insert__: I, __update__: U }: a column is read as S
  const selectType = (t: TS.Type): ReadonlyArray<TS.Type> => {
    const parts = t.isUnion() ? t.types : [t]
    return parts.flatMap((p) => {
      const select = p.getProperty("__select__")
      return select ? selectType(typeOf(select)) : [p]
    })
  }
  const familyOf = (t: TS.Type): Family | "null" | "other" => {
    const f = t.flags
    if (f & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)) return "null"
    if (f & ts.TypeFlags.StringLike) return "string"
    if (f & ts.TypeFlags.NumberLike) return "number"
    if (f & ts.TypeFlags.BigIntLike) return "bigint"
    if (f & ts.TypeFlags.BooleanLike) return "boolean"
    if (f & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return "json"
    const name = (t.aliasSymbol ?? t.getSymbol())?.getName()
    if (name === "Date") return "Date"
    if ((name === "Array" || name === "ReadonlyArray") && f & ts.TypeFlags.Object) {
      const [element] = checker.getTypeArguments(t as TS.TypeReference)
      if (element) {
        const e = familyOf(element)
        if (e === "string") return "string[]"
        if (e === "number") return "number[]"
      }
      return "json"
    }
    if (f & ts.TypeFlags.Object) return "json"
    return "other"
  }

  const tables = new Map<string, Map<string, DeclaredColumn>>()
  for (const table of checker.getPropertiesOfType(mapType)) {
    const columns = new Map<string, DeclaredColumn>()
    for (const column of checker.getPropertiesOfType(typeOf(table))) {
      const parts = selectType(typeOf(column))
      const families = new Set(parts.map(familyOf))
      const nullable = families.delete("null")
      let family: DeclaredColumn["family"]
      if (families.size === 1) family = [...families][0] as Family
      else if (families.size === 2 && families.has("number") && families.has("bigint")) family = "int8"
      else if ([...families].every((x) => x === "json" || x === "string[]" || x === "number[]"))
        family = "json"
      else family = `mixed(${[...families].join(" | ")})`
      const text = [
        ...parts.filter((p) => familyOf(p) !== "null"),
        ...parts.filter((p) => familyOf(p) === "null"),
      ]
        .map((p) => checker.typeToString(p))
        .join(" | ")
      columns.set(column.getName(), { family, nullable, text })
    }
    tables.set(table.getName(), columns)
  }
  return tables
}

/**
 * Compare the declared tables with the migrated database: tables and columns on one side only,
 * nullability, and the coarse type family. Tables of the schemas the map names that it does not
 * declare are reported too (migration bookkeeping excepted).
 */
export const compareWithDatabase = async (
  db: Database,
  declared: DeclaredTables,
): Promise<ReadonlyArray<SchemaDifference>> => {
  const schemas = [...new Set([...declared.keys()].map((t) => t.split(".")[0]!))]
  if (schemas.length === 0) return []
  const r = await sql<{
    table_schema: string
    table_name: string
    column_name: string
    is_nullable: "YES" | "NO"
    data_type: string
    udt_name: string
  }>`select c.table_schema, c.table_name, c.column_name, c.is_nullable, c.data_type, c.udt_name
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where t.table_type = 'BASE TABLE' and c.table_schema in (${sql.join(schemas)})
      and c.table_name not in ('kysely_migration', 'kysely_migration_lock')
    order by c.table_schema, c.table_name, c.ordinal_position`.execute(db.kysely)
  const actual = new Map<string, Map<string, (typeof r.rows)[number]>>()
  for (const row of r.rows) {
    const name = `${row.table_schema}.${row.table_name}`
    const columns = actual.get(name) ?? new Map()
    columns.set(row.column_name, row)
    actual.set(name, columns)
  }
  const out: SchemaDifference[] = []
  for (const [table, columns] of actual) {
    const decl = declared.get(table)
    if (!decl) {
      out.push({
        table,
        kind: "undeclared-table",
        message: `${table}: table in the database, not declared in the interfaces`,
      })
      continue
    }
    for (const [column, col] of columns) {
      const d = decl.get(column)
      const dbType = col.data_type === "ARRAY" ? `${col.udt_name.slice(1)}[]` : col.data_type
      if (!d) {
        out.push({
          table,
          column,
          kind: "undeclared-column",
          message: `${table}.${column}: column in the database (${dbType}${col.is_nullable === "YES" ? ", nullable" : ""}), not declared in the interface`,
        })
        continue
      }
      const nullable = col.is_nullable === "YES"
      if (nullable !== d.nullable)
        out.push({
          table,
          column,
          kind: "nullability",
          message: nullable
            ? `${table}.${column}: nullable in the database, declared without | null (${d.text})`
            : `${table}.${column}: not null in the database, declared with | null (${d.text})`,
        })
      const ok = col.data_type === "ARRAY" ? arrays[col.udt_name] : accepted[col.data_type]
      if (ok && !ok.includes(d.family as Family))
        out.push({
          table,
          column,
          kind: "type",
          message: `${table}.${column}: ${dbType} in the database, declared as ${d.text}`,
        })
    }
    for (const column of decl.keys())
      if (!columns.has(column))
        out.push({
          table,
          column,
          kind: "missing-column",
          message: `${table}.${column}: declared in the interface, no such column in the database`,
        })
  }
  for (const table of declared.keys())
    if (!actual.has(table))
      out.push({
        table,
        kind: "missing-table",
        message: `${table}: declared in the interfaces, no such table in the database`,
      })
  return out
}
