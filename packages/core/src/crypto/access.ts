// The PI access log: who revealed which personal fields of which record, when, and why. Kept at
// least 6 months (PIPL Art 51, MLPS 2.0); retention is the data lifecycle's job, this file only writes and reads.
import { sql } from "kysely"
import type { Executor } from "../Db"
import * as Id from "../Id"
import type { OrgContext } from "../Tenancy"

/** The shortest time an entry must be kept, in days (≥ 6 months). */
export const MIN_RETENTION_DAYS = 183

/** One reveal. */
export interface PiAccess {
  readonly id: string
  readonly at: Date
  readonly actorType: string
  readonly actorId: string
  readonly entityType: string
  readonly entityId: string
  readonly fields: ReadonlyArray<string>
  readonly reason: string | null
}

/** Record a reveal (in the caller's transaction when it has one). */
export const record = async (
  ex: Executor,
  ctx: OrgContext,
  entry: {
    entityType: string
    entityId: string
    fields: ReadonlyArray<string>
    reason?: string | null | undefined
  },
): Promise<string> => {
  const id = Id.make("pia")
  await sql`insert into core.pi_access (org_id, id, actor_type, actor_id, entity_type, entity_id, fields, reason, request_id)
    values (${ctx.orgId}, ${id}, ${ctx.actor.type}, ${ctx.actor.id}, ${entry.entityType}, ${entry.entityId},
      ${sql`array[${sql.join(entry.fields.length ? entry.fields : [""])}]::text[]`}, ${entry.reason ?? null}, ${ctx.requestId ?? null})`.execute(
    ex,
  )
  return id
}

/** The log, newest first, optionally for one record; keyset paged on (at, id). */
export const list = async (
  ex: Executor,
  orgId: string,
  q: { entityType?: string | undefined; entityId?: string | undefined; limit?: number | undefined } = {},
): Promise<PiAccess[]> => {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500)
  const r = await sql<{
    id: string
    at: Date
    actor_type: string
    actor_id: string
    entity_type: string
    entity_id: string
    fields: string[]
    reason: string | null
  }>`select id, at, actor_type, actor_id, entity_type, entity_id, fields, reason from core.pi_access
    where org_id = ${orgId}
    ${q.entityType ? sql`and entity_type = ${q.entityType}` : sql``}
    ${q.entityId ? sql`and entity_id = ${q.entityId}` : sql``}
    order by at desc, id desc limit ${limit}`.execute(ex)
  return r.rows.map((x) => ({
    id: x.id,
    at: x.at,
    actorType: x.actor_type,
    actorId: x.actor_id,
    entityType: x.entity_type,
    entityId: x.entity_id,
    fields: x.fields,
    reason: x.reason,
  }))
}
