import { Audit, Errors } from "@tenet/core"
import { sql } from "kysely"
import { endpoint } from "../http/endpoint"
import * as S from "./schemas"

const COLUMNS = { at: "seq", action: "action", entityType: "entity_type", actorId: "actor_id" } as const

const encodeCursor = (v: unknown, seq: number) => Buffer.from(JSON.stringify([v, seq])).toString("base64url")
const decodeCursor = (cursor: string): [unknown, number] => {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString())
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === "number")
      return parsed as [unknown, number]
  } catch {}
  throw new Errors.ValidationError({
    message: "invalid cursor",
    issues: [{ path: ["cursor"], message: "is not a cursor this API returned", code: "notACursor" }],
  })
}

const parseDate = (value: string | undefined, field: string) => {
  if (value === undefined) return undefined
  const d = new Date(value)
  if (Number.isNaN(d.getTime()))
    throw new Errors.ValidationError({
      message: "invalid date",
      issues: [{ path: [field], message: "must be an ISO date or date-time", code: "dateOrDateTime" }],
    })
  return d
}

export const auditEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/audit",
    operationId: "listAuditRecords",
    summary: "The audit log: filter, sort and page on the server (keyset cursor)",
    tag: "Audit",
    access: "audit:read",
    query: S.AuditQuery,
    response: S.AuditPage,
    handler: async (c, { ctx, query }) => {
      const db = c.get("db")
      const limit = Math.min(Math.max(query.limit ?? 50, 1), 500)
      const sortKey = (query.sort ?? "-at").replace(/^-/, "") as keyof typeof COLUMNS
      const desc = (query.sort ?? "-at").startsWith("-")
      const col = sql.ref(`a.${COLUMNS[sortKey]}`)
      const from = parseDate(query.from, "from")
      const to = parseDate(query.to, "to")
      const filters = [
        sql`a.org_id = ${ctx.orgId}`,
        query.action ? sql`a.action like ${query.action.replace(/\*$/, "%")}` : undefined,
        query.entityType ? sql`a.entity_type = ${query.entityType}` : undefined,
        query.entityId ? sql`a.entity_id = ${query.entityId}` : undefined,
        query.actorId ? sql`a.actor_id = ${query.actorId}` : undefined,
        query.q
          ? sql`(a.action ilike ${`%${query.q}%`} or a.entity_id ilike ${`%${query.q}%`} or a.entity_type ilike ${`%${query.q}%`})`
          : undefined,
        from ? sql`a.at >= ${from}` : undefined,
        to ? sql`a.at < ${to}` : undefined,
      ].filter((x) => x !== undefined)
      const where = sql.join(filters, sql` and `)
      let keyset = sql`true`
      if (query.cursor) {
        const [v, seq] = decodeCursor(query.cursor)
        keyset = desc ? sql`(${col}, a.seq) < (${v}, ${seq})` : sql`(${col}, a.seq) > (${v}, ${seq})`
      }
      const dir = desc ? sql`desc` : sql`asc`
      const rows = await sql<any>`
        select a.*, u.name as actor_name from core.audit_log a
        left join iam.user u on a.actor_type = 'user' and u.id = a.actor_id
        where ${where} and ${keyset}
        order by ${col} ${dir}, a.seq ${dir} limit ${limit + 1}`.execute(db.kysely)
      const total = await sql<{
        n: number
      }>`select count(*)::int as n from core.audit_log a where ${where}`.execute(db.kysely)
      const page = rows.rows.slice(0, limit)
      const last = page.at(-1)
      return {
        items: page.map((r) => ({
          seq: Number(r.seq),
          id: r.id,
          at: r.at,
          actorType: r.actor_type,
          actorId: r.actor_id,
          actorName: r.actor_name ?? null,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          before: r.before,
          after: r.after,
          hash: r.hash,
        })),
        nextCursor:
          rows.rows.length > limit && last
            ? encodeCursor(sortKey === "at" ? Number(last.seq) : last[COLUMNS[sortKey]], Number(last.seq))
            : null,
        total: total.rows[0]!.n,
      }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/audit/verify",
    operationId: "verifyAuditChain",
    summary: "Walk this organisation's audit hash chain and name the first broken record",
    tag: "Audit",
    access: "audit:read",
    handler: async (c, { ctx }) => Audit.verify(c.get("db"), ctx.orgId),
  }),
]
