/**
 * Webhook delivery. The outbox handler turns each event of the catalogue into one delivery row per
 * matching subscription (one statement per page of events; a unique key per subscription and event
 * makes a repeated outbox delivery add nothing) and a durable job per attempt. The job signs the
 * body per Standard Webhooks (the `standardwebhooks` reference library), POSTs it through the SSRF
 * guard, logs the attempt (status, latency, response excerpt) and, on failure, schedules the next
 * attempt with exponential back-off. When a delivery has used every attempt and the subscription
 * has not succeeded since, the subscription is disabled and the organisation's owners and admins
 * are told.
 */
import http from "node:http"
import https from "node:https"
import { Change, type Db, Id, Jobs, Notifications, type Outbox, Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { Webhook } from "standardwebhooks"
import type { NotifyTables } from "../notify/schema"
import { bodyOf, FORWARDED_TYPES } from "./catalogue"
import { checkTarget, guardedLookup } from "./ssrf"

export const DELIVER_JOB = "webhooks.deliver"

export interface WebhookSettings {
  /** Allow private, loopback and link-local targets (TENET_WEBHOOKS_ALLOW_PRIVATE=1). */
  readonly allowPrivate: boolean
  /** Attempts per delivery before it fails (default 8). */
  readonly maxAttempts: number
  /** The first retry's delay; each next one is 4 × longer, capped at `maxDelayMs`. */
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  /** Time limit of one attempt. */
  readonly timeoutMs: number
}

export const webhookSettingsFromEnv = (): WebhookSettings => ({
  allowPrivate: process.env.TENET_WEBHOOKS_ALLOW_PRIVATE === "1",
  maxAttempts: Number(process.env.TENET_WEBHOOKS_MAX_ATTEMPTS ?? 8) || 8,
  baseDelayMs: Number(process.env.TENET_WEBHOOKS_RETRY_BASE_MS ?? 30_000) || 30_000,
  maxDelayMs: 6 * 3600_000,
  timeoutMs: 10_000,
})

/** The delay before attempt `n + 1` after `n` failed attempts: base × 4^(n−1), capped. */
export const backoffMs = (s: WebhookSettings, failed: number) =>
  Math.min(s.maxDelayMs, s.baseDelayMs * 4 ** Math.max(0, failed - 1))

const scheduleAttempt = (
  tx: Parameters<typeof Jobs.scheduleIn>[0],
  orgId: string,
  deliveryId: string,
  attempt: number,
  at: Date,
) =>
  Jobs.scheduleIn(tx, {
    orgId,
    kind: DELIVER_JOB,
    key: `${deliveryId}:${attempt}`,
    runAt: at,
    payload: { deliveryId },
    maxAttempts: 3,
  })

/** Create deliveries for events (a page at once); returns how many were created. */
export const enqueue = async (db: Db.Database, events: ReadonlyArray<Outbox.DomainEvent>) => {
  const rows = events
    .filter((e) => FORWARDED_TYPES.includes(e.type))
    .map((e) => ({
      org_id: e.orgId,
      event_id: e.id,
      event_type: e.type,
      body: bodyOf(e.type, e.occurredAt, e.aggregateId, e.payload),
    }))
  if (rows.length === 0) return 0
  return db.kysely.transaction().execute(async (tx) => {
    const made = await sql<{ org_id: string; id: string }>`
      insert into notify.webhook_delivery (org_id, id, subscription_id, message_id, event_id, event_type, body, next_attempt_at)
      select x.org_id, 'whd_' || replace(gen_random_uuid()::text, '-', ''), s.id, 'msg_' || x.event_id, x.event_id, x.event_type, x.body, now()
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(org_id text, event_id text, event_type text, body text)
      join notify.webhook_subscription s on s.org_id = x.org_id and s.enabled
        and (x.event_type = any(s.event_types) or '*' = any(s.event_types))
      on conflict do nothing
      returning org_id, id`.execute(tx)
    const now = new Date()
    for (const d of made.rows) await scheduleAttempt(tx, d.org_id, d.id, 1, now)
    return made.rows.length
  })
}

/** The outbox handler that feeds subscriptions. */
export const webhookHandler: Outbox.EventHandler = {
  name: "webhooks.enqueue",
  types: FORWARDED_TYPES,
  handle: async (event, db) => {
    await enqueue(db, [event])
  },
  handleMany: async (events, db) => {
    await enqueue(db, events)
  },
}

interface Answer {
  readonly status: number | null
  readonly excerpt: string | null
  readonly error: string | null
  readonly ms: number
}

/** POST a body with the SSRF guard at connect time; no redirects are followed. */
export const post = (url: string, headers: Record<string, string>, body: string, s: WebhookSettings) =>
  new Promise<Answer>((resolve) => {
    const t0 = performance.now()
    const done = (a: Omit<Answer, "ms">) => resolve({ ...a, ms: Math.round(performance.now() - t0) })
    let target: URL
    try {
      target = new URL(url)
    } catch {
      return done({ status: null, excerpt: null, error: "not a URL" })
    }
    const lib = target.protocol === "https:" ? https : http
    const req = lib.request(
      target,
      {
        method: "POST",
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
        },
        lookup: guardedLookup(s.allowPrivate) as never,
        timeout: s.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on("data", (c: Buffer) => {
          if (size < 4096) chunks.push(c)
          size += c.length
        })
        res.on("end", () =>
          done({
            status: res.statusCode ?? null,
            excerpt: Buffer.concat(chunks).toString("utf8").slice(0, 1000),
            error: null,
          }),
        )
        res.on("error", (e) => done({ status: res.statusCode ?? null, excerpt: null, error: e.message }))
      },
    )
    req.on("timeout", () => req.destroy(new Error(`no answer within ${s.timeoutMs} ms`)))
    req.on("error", (e) => done({ status: null, excerpt: null, error: e.message.slice(0, 1000) }))
    req.end(body)
  })

/** One attempt of one delivery (the job's work). */
export const attempt = async (db: Db.Database, s: WebhookSettings, orgId: string, deliveryId: string) => {
  const q = db.as<NotifyTables>()
  const d = await q
    .selectFrom("notify.webhook_delivery as d")
    .innerJoin("notify.webhook_subscription as s", (j) =>
      j.onRef("s.org_id", "=", "d.org_id").onRef("s.id", "=", "d.subscription_id"),
    )
    .select([
      "d.id",
      "d.status",
      "d.attempts",
      "d.message_id",
      "d.body",
      "d.created_at",
      "s.id as subscription_id",
      "s.url",
      "s.secret",
      "s.enabled",
      "s.last_success_at",
    ])
    .where("d.org_id", "=", orgId)
    .where("d.id", "=", deliveryId)
    .executeTakeFirst()
  if (!d || d.status === "succeeded" || d.status === "failed" || d.status === "cancelled") return
  if (!d.enabled) {
    await q
      .updateTable("notify.webhook_delivery")
      .set({
        status: "cancelled",
        completed_at: new Date(),
        next_attempt_at: null,
        last_error: "subscription disabled",
      })
      .where("org_id", "=", orgId)
      .where("id", "=", deliveryId)
      .execute()
    return
  }
  const n = d.attempts + 1
  const at = new Date()
  let answer: Answer
  try {
    await checkTarget(d.url, s.allowPrivate)
    const signature = new Webhook(d.secret).sign(d.message_id, at, d.body)
    answer = await post(
      d.url,
      {
        "webhook-id": d.message_id,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signature,
        "user-agent": "Tenet-Webhooks/1",
      },
      d.body,
      s,
    )
  } catch (e) {
    answer = { status: null, excerpt: null, error: e instanceof Error ? e.message : String(e), ms: 0 }
  }
  const ok = answer.status !== null && answer.status >= 200 && answer.status < 300
  const last = !ok && n >= s.maxAttempts
  await Change.change(db, Tenancy.system(orgId, "webhooks"), async ({ tx, audit, emit }) => {
    await sql`insert into notify.webhook_attempt (org_id, delivery_id, attempt, at, status_code, latency_ms, response_excerpt, error)
      values (${orgId}, ${deliveryId}, ${n}, ${at}, ${answer.status}, ${answer.ms}, ${answer.excerpt}, ${answer.error})
      on conflict do nothing`.execute(tx)
    const next = ok || last ? null : new Date(Date.now() + backoffMs(s, n))
    await sql`update notify.webhook_delivery set attempts = ${n}, status = ${ok ? "succeeded" : last ? "failed" : "retrying"},
        last_status_code = ${answer.status}, last_latency_ms = ${answer.ms}, last_response = ${answer.excerpt},
        last_error = ${answer.error}, next_attempt_at = ${next}, completed_at = ${ok || last ? new Date() : null}
      where org_id = ${orgId} and id = ${deliveryId}`.execute(tx)
    if (ok) {
      await sql`update notify.webhook_subscription set last_success_at = now()
        where org_id = ${orgId} and id = ${d.subscription_id}`.execute(tx)
      return
    }
    if (next) {
      await scheduleAttempt(tx, orgId, deliveryId, n + 1, next)
      return
    }
    // every attempt used: persistent failure unless the subscription succeeded since this delivery began
    if (d.last_success_at && d.last_success_at > d.created_at) return
    const reason = `${s.maxAttempts} attempts failed, the last: ${answer.status ? `HTTP ${answer.status}` : answer.error}`
    const off = await sql`update notify.webhook_subscription set enabled = false, disabled_at = now(),
        disabled_reason = ${reason.slice(0, 500)}, updated_at = now()
      where org_id = ${orgId} and id = ${d.subscription_id} and enabled`.execute(tx)
    if (Number(off.numAffectedRows ?? 0) === 0) return
    await audit({
      action: "webhook.disabled",
      entityType: "webhook",
      entityId: d.subscription_id,
      after: { reason },
    })
    await emit(
      Notifications.requestEvent({
        kind: "webhook.disabled",
        recipients: [
          { type: "role", role: "owner" },
          { type: "role", role: "admin" },
        ],
        subject: { type: "webhook", id: d.subscription_id },
        params: { url: d.url, reason },
        dedupeKey: `webhook.disabled:${d.subscription_id}:${deliveryId}`,
      }),
    )
  })
}

export const deliveryJobs = (s: WebhookSettings): Jobs.JobHandlers => ({
  [DELIVER_JOB]: async (job, db) => {
    await attempt(db, s, job.orgId, (job.payload as { deliveryId: string }).deliveryId)
  },
})

/** A new delivery of a body to one subscription (a test event, a replay), with its first attempt. */
export const createDelivery = async (
  db: Db.Database,
  orgId: string,
  input: {
    subscriptionId: string
    messageId: string
    eventId: string
    eventType: string
    body: string
    replayOf?: string
  },
) => {
  const id = Id.make("whd")
  await db.kysely.transaction().execute(async (tx) => {
    await sql`insert into notify.webhook_delivery (org_id, id, subscription_id, message_id, event_id, event_type, body, replay_of, next_attempt_at)
      values (${orgId}, ${id}, ${input.subscriptionId}, ${input.messageId}, ${input.eventId}, ${input.eventType}, ${input.body},
        ${input.replayOf ?? null}, now())`.execute(tx)
    await scheduleAttempt(tx, orgId, id, 1, new Date())
  })
  return id
}
