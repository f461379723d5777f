import { Audit, AuditCheckpoint, Errors } from "@tenet/core"
import type { AuditLogTable } from "@tenet/core/schema"
import type { Context } from "hono"
import { type Selectable, sql } from "kysely"
import { writeCheckpoint } from "../audit/checkpoints"
import { endpoint } from "../http/endpoint"
import type { AppEnv } from "../http/env"
import * as S from "./schemas"

/** A row of core.audit_log with its actor's name, as the list reads it. */
type AuditListRow = Selectable<AuditLogTable> & { readonly actor_name: string | null }

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

const signerOf = (c: Context<AppEnv>) => {
  const signer = c.get("auditSigner")
  if (!signer)
    throw new Errors.NotFoundError({ entity: "audit checkpoint key", id: "this server signs no checkpoints" })
  return signer
}

export const auditEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/audit",
    exportable: true,
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
      const rows = await sql<AuditListRow>`
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
    path: "/api/v1/audit/entity-types",
    operationId: "listAuditEntityTypes",
    summary: "Every record type written to this organisation's audit log (the log's type filter)",
    tag: "Audit",
    access: "audit:read",
    handler: async (c, { ctx }) => {
      // a skip scan over the (org_id, entity_type, entity_id) index: one probe per type, not a full read
      const r = await sql<{ entity_type: string | null }>`
        with recursive t(entity_type) as (
          (select entity_type from core.audit_log where org_id = ${ctx.orgId} order by entity_type limit 1)
          union all
          select (select a.entity_type from core.audit_log a
                  where a.org_id = ${ctx.orgId} and a.entity_type > t.entity_type order by a.entity_type limit 1)
          from t where t.entity_type is not null
        )
        select entity_type from t where entity_type is not null`.execute(c.get("db").kysely)
      return { items: r.rows.map((x) => x.entity_type!) }
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
  endpoint({
    method: "get",
    path: "/api/v1/audit/checkpoints",
    operationId: "listAuditCheckpoints",
    summary:
      "This organisation's signed audit checkpoints, newest first (save them: `tenet audit verify --checkpoints` checks the chain against them offline)",
    tag: "Audit",
    access: "audit:read",
    handler: async (c, { ctx }) => ({ items: await AuditCheckpoint.listForOrg(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/audit/checkpoints/public-key",
    operationId: "getAuditPublicKey",
    summary:
      "The Ed25519 public key the checkpoints are signed with (compare it with the one your administrator gave you)",
    tag: "Audit",
    access: "audit:read",
    handler: async (c) => {
      const { key } = signerOf(c)
      return { keyId: key.keyId, algorithm: "Ed25519", publicKeyPem: AuditCheckpoint.publicKeyPem(key) }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/audit/checkpoints",
    operationId: "createAuditCheckpoint",
    summary: "Sign a checkpoint of the audit chains now (also written to the checkpoint folder)",
    tag: "Audit",
    access: "audit:manage",
    status: 201,
    handler: async (c, { ctx }) => {
      const r = await writeCheckpoint(c.get("db"), signerOf(c))
      return r.set!.orgs.find((o) => o.payload.orgId === ctx.orgId) ?? r.set!.global
    },
  }),
]
