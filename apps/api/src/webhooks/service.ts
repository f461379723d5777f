/**
 * Webhook subscriptions of an organisation: create (the secret is shown once), list, change,
 * enable again, delete; the delivery log with each attempt; replay; send a test event. Every
 * change is audited.
 */
import { randomBytes } from "node:crypto"
import { Change, type Db, Errors, Id, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import type { NotifyTables } from "../notify/schema"
import { bodyOf, EVENT_TYPES } from "./catalogue"
import { createDelivery } from "./deliver"
import { checkTarget, ForbiddenTarget } from "./ssrf"

export interface SubscriptionInput {
  readonly url: string
  readonly eventTypes: ReadonlyArray<string>
  readonly description?: string | undefined
}

const newSecret = () => `whsec_${randomBytes(24).toString("base64")}`

const toSubscription = (r: {
  id: string
  url: string
  description: string
  event_types: string[]
  enabled: boolean
  disabled_reason: string | null
  disabled_at: Date | null
  last_success_at: Date | null
  created_at: Date
}) => ({
  id: r.id,
  url: r.url,
  description: r.description,
  eventTypes: r.event_types,
  enabled: r.enabled,
  disabledReason: r.disabled_reason,
  disabledAt: r.disabled_at?.toISOString() ?? null,
  lastSuccessAt: r.last_success_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
})

const checkInput = async (input: Partial<SubscriptionInput>, allowPrivate: boolean) => {
  const issues: Errors.FieldIssue[] = []
  if (input.url !== undefined)
    try {
      await checkTarget(input.url, allowPrivate)
    } catch (e) {
      if (!(e instanceof ForbiddenTarget)) throw e
      issues.push({ path: ["url"], message: e.message, code: "invalidValue", params: { detail: e.message } })
    }
  input.eventTypes?.forEach((t, i) => {
    if (t !== "*" && !EVENT_TYPES.includes(t))
      issues.push({
        path: ["eventTypes", String(i)],
        message: `unknown event type (see GET /api/v1/webhooks/events)`,
        code: "oneOf",
        params: { values: ["*", ...EVENT_TYPES].join(", ") },
      })
  })
  if (input.eventTypes && input.eventTypes.length === 0)
    issues.push({ path: ["eventTypes"], message: "choose at least one event type", code: "required" })
  if (issues.length) throw new Errors.ValidationError({ message: "The request body is invalid.", issues })
}

const q = (db: Db.Database) => db.as<NotifyTables>()

export const list = async (db: Db.Database, orgId: string) => ({
  items: (
    await q(db)
      .selectFrom("notify.webhook_subscription")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("created_at", "desc")
      .execute()
  ).map(toSubscription),
})

export const get = async (db: Db.Database, orgId: string, id: string) => {
  const r = await q(db)
    .selectFrom("notify.webhook_subscription")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "webhook", id })
  return r
}

export const create = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  input: SubscriptionInput,
  allowPrivate: boolean,
) => {
  await checkInput(input, allowPrivate)
  const id = Id.make("whk")
  const secret = newSecret()
  const row = await Change.change(db, ctx, async ({ tx, audit }) => {
    const r = await (tx as unknown as ReturnType<typeof q>)
      .insertInto("notify.webhook_subscription")
      .values({
        org_id: ctx.orgId,
        id,
        url: input.url,
        description: input.description ?? "",
        event_types: [...new Set(input.eventTypes)],
        secret,
        created_by: ctx.actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "webhook.created",
      entityType: "webhook",
      entityId: id,
      after: { url: input.url, eventTypes: input.eventTypes },
    })
    return r
  })
  return { subscription: toSubscription(row), secret }
}

export const update = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  id: string,
  patch: Partial<SubscriptionInput> & { enabled?: boolean | undefined },
  allowPrivate: boolean,
) => {
  await checkInput(patch, allowPrivate)
  const before = await get(db, ctx.orgId, id)
  const row = await Change.change(db, ctx, async ({ tx, audit }) => {
    const r = await (tx as unknown as ReturnType<typeof q>)
      .updateTable("notify.webhook_subscription")
      .set({
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.eventTypes !== undefined ? { event_types: [...new Set(patch.eventTypes)] } : {}),
        ...(patch.enabled !== undefined
          ? patch.enabled
            ? { enabled: true, disabled_at: null, disabled_reason: null }
            : { enabled: false, disabled_at: new Date(), disabled_reason: "disabled by a person" }
          : {}),
        updated_at: new Date(),
      })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "webhook.updated",
      entityType: "webhook",
      entityId: id,
      before: { url: before.url, eventTypes: before.event_types, enabled: before.enabled },
      after: { url: r.url, eventTypes: r.event_types, enabled: r.enabled },
    })
    return r
  })
  return toSubscription(row)
}

export const remove = async (db: Db.Database, ctx: Tenancy.OrgContext, id: string) => {
  const before = await get(db, ctx.orgId, id)
  await Change.change(db, ctx, async ({ tx, audit }) => {
    await sql`delete from notify.webhook_attempt where org_id = ${ctx.orgId} and delivery_id in
      (select id from notify.webhook_delivery where org_id = ${ctx.orgId} and subscription_id = ${id})`.execute(
      tx,
    )
    await sql`delete from notify.webhook_delivery where org_id = ${ctx.orgId} and subscription_id = ${id}`.execute(
      tx,
    )
    await sql`delete from notify.webhook_subscription where org_id = ${ctx.orgId} and id = ${id}`.execute(tx)
    await audit({
      action: "webhook.deleted",
      entityType: "webhook",
      entityId: id,
      before: { url: before.url },
    })
  })
}

/** The delivery log of a subscription, newest first, each with its attempts. */
export const deliveries = async (db: Db.Database, orgId: string, id: string, limit = 50) => {
  await get(db, orgId, id)
  const rows = await q(db)
    .selectFrom("notify.webhook_delivery")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("subscription_id", "=", id)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(Math.min(Math.max(limit, 1), 200))
    .execute()
  const attempts = rows.length
    ? await q(db)
        .selectFrom("notify.webhook_attempt")
        .selectAll()
        .where("org_id", "=", orgId)
        .where(
          "delivery_id",
          "in",
          rows.map((r) => r.id),
        )
        .orderBy("attempt")
        .execute()
    : []
  return {
    items: rows.map((r) => ({
      id: r.id,
      messageId: r.message_id,
      eventId: r.event_id,
      eventType: r.event_type,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
      statusCode: r.last_status_code,
      latencyMs: r.last_latency_ms,
      response: r.last_response,
      error: r.last_error,
      replayOf: r.replay_of,
      createdAt: r.created_at.toISOString(),
      completedAt: r.completed_at?.toISOString() ?? null,
      log: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({
          attempt: a.attempt,
          at: a.at.toISOString(),
          statusCode: a.status_code,
          latencyMs: a.latency_ms,
          response: a.response_excerpt,
          error: a.error,
        })),
    })),
  }
}

/** Send a delivery's body again, with the same message id (receivers deduplicate on it). */
export const replay = async (db: Db.Database, ctx: Tenancy.OrgContext, id: string, deliveryId: string) => {
  const sub = await get(db, ctx.orgId, id)
  if (!sub.enabled)
    throw new Errors.ConflictError({ message: "the subscription is disabled; enable it before replaying" })
  const d = await q(db)
    .selectFrom("notify.webhook_delivery")
    .selectAll()
    .where("org_id", "=", ctx.orgId)
    .where("subscription_id", "=", id)
    .where("id", "=", deliveryId)
    .executeTakeFirst()
  if (!d) throw new Errors.NotFoundError({ entity: "webhook_delivery", id: deliveryId })
  const made = await createDelivery(db, ctx.orgId, {
    subscriptionId: id,
    messageId: d.message_id,
    eventId: d.event_id,
    eventType: d.event_type,
    body: d.body,
    replayOf: d.id,
  })
  return { deliveryId: made }
}

/** Queue a `webhook.test` event to one subscription. */
export const sendTest = async (db: Db.Database, ctx: Tenancy.OrgContext, id: string) => {
  const sub = await get(db, ctx.orgId, id)
  if (!sub.enabled)
    throw new Errors.ConflictError({ message: "the subscription is disabled; enable it before testing" })
  const eventId = Id.make("evt")
  const made = await createDelivery(db, ctx.orgId, {
    subscriptionId: id,
    messageId: `msg_${eventId}`,
    eventId,
    eventType: "webhook.test",
    body: bodyOf("webhook.test", new Date(), id, { message: "Hello from Tenet" }),
  })
  return { deliveryId: made }
}
