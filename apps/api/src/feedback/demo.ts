/** The demo's surveys: the resolved cases read from process, handed to feedback's seed. */
import type { Db, Tenancy } from "@tenet/core"
import { Demo } from "@tenet/feedback"
import { sql } from "kysely"

export const seedDemoSurveys = async (db: Db.Database, ctx: Tenancy.OrgContext, now = new Date()) => {
  const r = await sql<{
    id: string
    resolved_at: Date
    type: string
    channel: string
    segment: string | null
    team: string | null
    owner_id: string | null
    customer_id: string | null
  }>`select id, resolved_at, type, channel, segment, team, owner_id, customer_id from process.case
    where org_id = ${ctx.orgId} and resolved_at is not null order by resolved_at`.execute(db.kysely)
  return Demo.seedDemoFeedback(
    db,
    ctx,
    r.rows.map((c) => ({
      id: c.id,
      resolvedAt: c.resolved_at,
      type: c.type,
      channel: c.channel,
      segment: c.segment,
      team: c.team,
      agentId: c.owner_id,
      customerId: c.customer_id,
    })),
    { now },
  )
}
