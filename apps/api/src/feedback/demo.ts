/** The demo's surveys and feedback items: the cases read from process, handed to feedback's seed. */
import type { Db, Tenancy } from "@tenet/core"
import { Demo } from "@tenet/feedback"
import { sql } from "kysely"
import { orgCalendar } from "./metrics"

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
  const surveys = await Demo.seedDemoFeedback(
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
  // complaints (ISO 10002 stages by age), suggestions and praise on the demo's cases, on its service calendar
  const all = await sql<{
    id: string
    received_at: Date
    type: string
    channel: string
    category: string | null
    customer_id: string | null
  }>`select id, received_at, type, channel, category, customer_id from process.case
    where org_id = ${ctx.orgId} order by received_at, id`.execute(db.kysely)
  const items = await Demo.seedDemoItems(
    db,
    ctx,
    all.rows.map((c) => ({
      id: c.id,
      receivedAt: c.received_at,
      type: c.type,
      channel: c.channel,
      category: c.category,
      customerId: c.customer_id,
    })),
    { now, calendar: await orgCalendar(db, ctx.orgId) },
  )
  return { ...surveys, ...items }
}
