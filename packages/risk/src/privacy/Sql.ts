/**
 * SQL pieces built from data-class declarations (identifiers are checked by
 * `DataClasses.validate` when a class is registered, so `sql.raw`/`sql.id` only see `[a-z0-9_.]`).
 */
import type { DataClasses } from "@tenet/core"
import { type RawBuilder, sql } from "kysely"

type DataClass = DataClasses.DataClass

/** `schema.table` as an identifier. */
export const table = (name: string): RawBuilder<unknown> => sql.id(...(name.split(".") as [string, string]))

/** A column of the row alias `t`. */
export const col = (name: string): RawBuilder<unknown> => sql.ref(`t.${name}`)

/** The subject (customer or case id) a path leads to, from the row alias `t`. */
export const subject = (path: DataClasses.SubjectPath): RawBuilder<string | null> =>
  path.via
    ? sql<string | null>`(select v.${sql.id(path.via.column)} from ${table(path.via.table)} v
        where v.org_id = t.org_id and v.${sql.id(path.via.key ?? "id")} = t.${sql.id(path.column)})`
    : sql<string | null>`t.${sql.id(path.column)}`

/** The row's key as one text (`k1:k2`). */
export const keyOf = (c: DataClass): RawBuilder<string> =>
  sql<string>`${sql.join(
    c.key.map((k) => sql`t.${sql.id(k)}::text`),
    sql` || ':' || `,
  )}`

/** The stored value of an anonymised column. */
export const anonymous = (a: DataClasses.Anonymise): RawBuilder<unknown> =>
  a === "null"
    ? sql`null`
    : a === "empty_text"
      ? sql`''`
      : a === "redacted"
        ? sql`'[redacted]'`
        : a === "empty_json_array"
          ? sql`'[]'::jsonb`
          : sql`'{}'::jsonb`

/** True when the row still holds something the purge would remove (anonymised rows are not purged twice). */
export const notYetPurged = (c: DataClass): RawBuilder<boolean> => {
  if (c.purge.kind === "delete") return sql<boolean>`true`
  const cols = Object.entries(c.purge.columns)
  if (cols.length === 0) return sql<boolean>`false`
  return sql<boolean>`not (${sql.join(
    cols.map(([name, a]) => sql`t.${sql.id(name)} is not distinct from ${anonymous(a)}`),
    sql` and `,
  )})`
}

/** No active legal hold covers the row (on its class, its customer or its case). */
export const notHeld = (
  c: DataClass,
): RawBuilder<boolean> => sql<boolean>`not exists (select 1 from risk.privacy_hold h
    where h.org_id = t.org_id and h.released_at is null and (
      (h.scope = 'class' and h.target = ${c.id})
      ${c.customer ? sql`or (h.scope = 'customer' and h.target = ${subject(c.customer)})` : sql``}
      ${c.case ? sql`or (h.scope = 'case' and h.target = ${subject(c.case)})` : sql``}))`

/** The class's own row filter. */
export const belongs = (c: DataClass): RawBuilder<boolean> =>
  c.where ? sql<boolean>`(${sql.raw(c.where)})` : sql`true`

/** Rows of the class that belong to a customer (by its customer path). */
export const ofCustomer = (c: DataClass, customerId: string): RawBuilder<boolean> =>
  c.customer ? sql<boolean>`${subject(c.customer)} = ${customerId}` : sql<boolean>`false`
