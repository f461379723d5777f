import { type Db, Encryption, Errors } from "@tenet/core"
import { sql } from "kysely"
import { OPEN_STATUSES } from "../Case"
import { openCase } from "../privacy/fields"
import { type CaseRow, toCase } from "../Store"

type Database = Db.Database

export interface CaseQuery {
  readonly status?: ReadonlyArray<string> | undefined
  readonly channel?: ReadonlyArray<string> | undefined
  readonly priority?: ReadonlyArray<string> | undefined
  readonly type?: ReadonlyArray<string> | undefined
  readonly team?: ReadonlyArray<string> | undefined
  readonly sla?: ReadonlyArray<string> | undefined
  readonly ownerId?: string | undefined
  readonly customerId?: string | undefined
  readonly q?: string | undefined
  readonly open?: boolean | undefined
  readonly from?: Date | undefined
  readonly to?: Date | undefined
  readonly sort?: string | undefined
  readonly cursor?: string | undefined
  readonly limit?: number | undefined
}

const SORTS: Record<string, "received_at" | "number" | "priority" | "next_due_at" | "status" | "updated_at"> =
  {
    receivedAt: "received_at",
    number: "number",
    priority: "priority",
    dueAt: "next_due_at",
    status: "status",
    updatedAt: "updated_at",
  }

const enc = (v: unknown, id: string) =>
  Buffer.from(JSON.stringify([v instanceof Date ? v.toISOString() : v, id])).toString("base64url")
const dec = (cursor: string): [unknown, string] => {
  try {
    const x = JSON.parse(Buffer.from(cursor, "base64url").toString())
    if (Array.isArray(x) && x.length === 2 && typeof x[1] === "string") return x as [unknown, string]
  } catch {}
  throw new Errors.ValidationError({
    message: "invalid cursor",
    issues: [{ path: ["cursor"], message: "is not a cursor this API returned", code: "notACursor" }],
  })
}

const where = (orgId: string, q: CaseQuery) => {
  const parts = [sql`c.org_id = ${orgId}`]
  const list = (col: string, values?: ReadonlyArray<string>) => {
    if (values?.length) parts.push(sql`${sql.ref(`c.${col}`)} in (${sql.join(values)})`)
  }
  list("status", q.status)
  list("channel", q.channel)
  list("priority", q.priority)
  list("type", q.type)
  list("team", q.team)
  list("sla_state", q.sla)
  if (q.open) parts.push(sql`c.status in (${sql.join(OPEN_STATUSES)})`)
  if (q.ownerId) parts.push(sql`c.owner_id = ${q.ownerId}`)
  if (q.customerId) parts.push(sql`c.customer_id = ${q.customerId}`)
  if (q.from) parts.push(sql`c.received_at >= ${q.from}`)
  if (q.to) parts.push(sql`c.received_at < ${q.to}`)
  if (q.q) {
    const n = /^#?(\d+)$/.exec(q.q.trim())
    parts.push(
      n ? sql`c.number = ${Number(n[1])}` : sql`(c.subject ilike ${`%${q.q}%`} or c.external_id = ${q.q})`,
    )
  }
  return sql.join(parts, sql` and `)
}

/**
 * The queue: filter, sort and keyset-page on the server. `total` is exact up to 1 000 and
 * reported as `totalCapped` beyond (counting millions of rows per page view is not free).
 * @category constructors
 * @since 0.1.0
 */
export const listCases = async (db: Database, orgId: string, q: CaseQuery) => {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500)
  const sortKey = (q.sort ?? "-receivedAt").replace(/^-/, "")
  // own properties only: "toString" or "__proto__" are not sort keys
  const col = Object.hasOwn(SORTS, sortKey) ? SORTS[sortKey] : undefined
  if (!col)
    throw new Errors.ValidationError({
      message: "invalid sort",
      issues: [
        {
          path: ["sort"],
          message: `must be one of ${Object.keys(SORTS).join(", ")} (prefix - for descending)`,
          code: "oneOf",
          params: { values: Object.keys(SORTS).join(", ") },
        },
      ],
    })
  const desc = (q.sort ?? "-receivedAt").startsWith("-")
  const dir = desc ? sql`desc` : sql`asc`
  const ref = sql.ref(`c.${col}`)
  let keyset = sql`true`
  if (q.cursor) {
    const [v, id] = dec(q.cursor)
    const value =
      col === "received_at" || col === "next_due_at" || col === "updated_at"
        ? v === null
          ? null
          : new Date(v as string)
        : v
    // nulls sort last in both directions
    if (col === "number")
      keyset = desc ? sql`c.number < ${value}` : sql`c.number > ${value}` // unique: no tie to break
    else if (value === null)
      keyset = desc ? sql`(${ref} is null and c.id < ${id})` : sql`(${ref} is null and c.id > ${id})`
    else
      keyset = desc
        ? sql`(${ref} < ${value} or (${ref} = ${value} and c.id < ${id}) or ${ref} is null)`
        : sql`(${ref} > ${value} or (${ref} = ${value} and c.id > ${id}) or ${ref} is null)`
  }
  const w = where(orgId, q)
  const rows = await sql<CaseRow>`select c.*, cu.name as customer_name from process.case c
    left join process.customer cu on cu.org_id = c.org_id and cu.id = c.customer_id
    where ${w} and ${keyset}
    order by ${ref} ${dir} ${col === "next_due_at" ? sql`nulls last` : sql``}${col === "number" ? sql`` : sql`, c.id ${dir}`} limit ${limit + 1}`.execute(
    db.kysely,
  )
  const count = await sql<{
    n: number
  }>`select count(*)::int as n from (select 1 from process.case c where ${w} limit 1001) t`.execute(db.kysely)
  const cipher = await Encryption.cipherFor(db.kysely, orgId)
  const items = rows.rows.slice(0, limit).map((r) => openCase(cipher, toCase(r)))
  const last = rows.rows[limit - 1]
  return {
    items,
    nextCursor: rows.rows.length > limit && last ? enc(last[col], last.id) : null,
    total: Math.min(count.rows[0]!.n, 1000),
    totalCapped: count.rows[0]!.n > 1000,
  }
}

/** Resolved cases in a period with their owner (the population QA samples from). @category constructors @since 0.1.0 */
export const resolvedWithOwner = async (db: Database, orgId: string, from: Date, to: Date) =>
  (
    await sql<{
      id: string
      number: number
      owner_id: string
    }>`select id, number, owner_id from process.case where org_id = ${orgId}
      and owner_id is not null and resolved_at >= ${from} and resolved_at < ${to} order by id`.execute(
      db.kysely,
    )
  ).rows.map((r) => ({ id: r.id, number: Number(r.number), agent: r.owner_id }))

/**
 * One person's cases resolved in a period (`from` inclusive, `to` exclusive) with what training
 * effectiveness compares: whether the case was a first contact resolved without a repeat (FCR: a
 * case that is not itself a repeat, `firstContactResolved` false when a repeat followed it; null
 * for a repeat) and its handling time in seconds (null when none was recorded).
 * @category constructors
 * @since 0.7.0
 */
export const resolvedOutcomesOf = async (
  db: Database,
  orgId: string,
  q: { readonly ownerId: string; readonly from: Date; readonly to: Date },
) =>
  (
    await sql<{
      id: string
      resolved_at: Date
      repeat_of: string | null
      repeated_by: string | null
      handle_seconds: number | null
    }>`select id, resolved_at, repeat_of, repeated_by, handle_seconds from process.case
      where org_id = ${orgId} and owner_id = ${q.ownerId} and resolved_at >= ${q.from} and resolved_at < ${q.to}
      order by resolved_at, id`.execute(db.kysely)
  ).rows.map((r) => ({
    id: r.id,
    resolvedAt: new Date(r.resolved_at),
    firstContactResolved: r.repeat_of === null ? r.repeated_by === null : null,
    handleSeconds: r.handle_seconds === null ? null : Number(r.handle_seconds),
  }))
