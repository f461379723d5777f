/**
 * Demo data of the notification centre: in the demo organisation, a few true notifications (the
 * agent's and the supervisor's breached cases, the review of the published baseline for the owner
 * and the admin) and one webhook subscription, disabled and pointing at example.com, so the bell,
 * the list and the webhooks page show something at first start.
 */
import { randomBytes } from "node:crypto"
import { type Db, Id } from "@tenet/core"
import { type Insertable, sql } from "kysely"
import type { NotificationTable, NotifyTables } from "./schema"

export const seedDemoNotifications = async (
  db: Db.Database,
  orgId: string,
  people: Readonly<Record<string, string>>,
) => {
  const q = db.as<NotifyTables>()
  const breached = await sql<{ id: string; number: number; owner_id: string; breached_at: Date }>`
    select c.id, c.number, c.owner_id, coalesce(c.updated_at, c.received_at) as breached_at from process.case c
    where c.org_id = ${orgId} and c.sla_state = 'breached' and c.owner_id is not null
    order by c.received_at desc limit 4`.execute(db.kysely)
  const rows: Array<Insertable<NotificationTable>> = []
  for (const [i, c] of breached.rows.entries()) {
    for (const userId of new Set([c.owner_id, people.supervisor!]))
      rows.push({
        org_id: orgId,
        id: Id.make("ntf"),
        user_id: userId,
        kind: i === 0 ? "sla.escalated" : "sla.breached",
        subject_type: "case",
        subject_id: c.id,
        params: JSON.stringify(
          i === 0
            ? { number: c.number, level: 1, action: "notify", target: "resolution" }
            : { number: c.number, target: "resolution", dueAt: c.breached_at.toISOString() },
        ) as never,
        title: null,
        dedupe_key: `demo:${c.id}`,
        channel: "in_app",
        ...(i === 3 ? { read_at: new Date() } : {}),
      })
  }
  const std = await sql<{ standard_id: string; key: string; label: string; version: number }>`
    select v.standard_id, s.key, v.label, v.version from standards.version v
    join standards.standard s on s.org_id = v.org_id and s.id = v.standard_id
    where v.org_id = ${orgId} and v.status = 'published' limit 1`.execute(db.kysely)
  for (const s of std.rows)
    for (const userId of [people.owner!, people.admin!])
      rows.push({
        org_id: orgId,
        id: Id.make("ntf"),
        user_id: userId,
        kind: "standard.review_due",
        subject_type: "standard",
        subject_id: s.standard_id,
        params: JSON.stringify({
          key: s.key,
          label: s.label,
          version: s.version,
          nextReviewAt: new Date(Date.now() + 5 * 86_400_000).toISOString(),
        }) as never,
        title: null,
        dedupe_key: `demo:review:${s.standard_id}`,
        channel: "in_app",
      })
  if (rows.length) await q.insertInto("notify.notification").values(rows).execute()
  await q
    .insertInto("notify.webhook_subscription")
    .values({
      org_id: orgId,
      id: Id.make("whk"),
      url: "https://example.com/tenet-webhooks",
      description: "示例 · Example (disabled: point it at your receiver, then enable)",
      event_types: ["process.sla.breached", "process.case.escalated", "standards.target.breached"],
      secret: `whsec_${randomBytes(24).toString("base64")}`,
      enabled: false,
      disabled_reason: "demo",
      disabled_at: new Date(),
      created_by: people.owner!,
    })
    .execute()
  return rows.length
}
