/**
 * Outbound webhooks against a real receiver on loopback: signatures verify with the reference
 * library (standardwebhooks), a repeated outbox delivery queues nothing twice, retries back off and
 * stop, then the subscription is disabled and the owners and admins are told; SSRF targets refused.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { Jobs, Organizations, Outbox, Tenancy } from "@tenet/core"
import { Cases } from "@tenet/process"
import { sql } from "kysely"
import { Webhook } from "standardwebhooks"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Iam from "../src/iam/service"
import { notificationHandler } from "../src/notify/deliver"
import {
  backoffMs,
  deliveryJobs,
  enqueue,
  type WebhookSettings,
  webhookHandler,
} from "../src/webhooks/deliver"
import * as Webhooks from "../src/webhooks/service"
import { checkTarget, isPublicAddress } from "../src/webhooks/ssrf"
import { type Harness, makeHarness } from "./helpers"
import { type Receiver, startReceiver } from "./servers"

let h: Harness
let receiver: Receiver
const settings: WebhookSettings = {
  allowPrivate: true,
  maxAttempts: 3,
  baseDelayMs: 150,
  maxDelayMs: 10_000,
  timeoutMs: 2000,
}
beforeAll(async () => {
  h = await makeHarness()
  receiver = await startReceiver()
})
afterAll(async () => {
  await receiver.close()
  await h.db.close()
})

const dispatch = async () => {
  for (let i = 0; i < 20; i++)
    if (!(await Outbox.dispatch(h.db, [webhookHandler], { workerId: "t" })).more) break
}
/** Run delivery jobs until the delivery is finished (or the time is up). */
const runUntil = async (done: () => Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms
  while (Date.now() < end) {
    await Jobs.runDue(h.db, deliveryJobs(settings), { limit: 20 })
    if (await done()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error("timed out")
}

const makeOrg = async (slug: string) => {
  const org = await Organizations.create(h.db, { type: "system", id: "test" }, { name: slug, slug })
  const ctx = { orgId: org.id, actor: { type: "system" as const, id: "test" } }
  return { org, ctx }
}

describe("webhooks", () => {
  it("a case event arrives signed; the reference library verifies it; a repeated outbox delivery adds nothing", async () => {
    const { org, ctx } = await makeOrg("hooks")
    receiver.status = 200
    const { subscription, secret } = await Webhooks.create(
      h.db,
      ctx,
      { url: receiver.url, eventTypes: ["process.case.created"] },
      true,
    )
    expect(secret).toMatch(/^whsec_/)
    const c = await Cases.createCase(h.db, Tenancy.system(org.id), {
      type: "inquiry",
      channel: "chat",
      subject: "hello",
    })
    await dispatch()
    const from = receiver.received.length
    await runUntil(async () => receiver.received.length > from)
    const got = receiver.received.at(-1)!
    const verified = new Webhook(secret).verify(got.body, got.headers as Record<string, string>) as any
    expect(verified).toMatchObject({ type: "process.case.created", data: { id: c.id, number: c.number } })
    expect(got.headers["webhook-id"]).toMatch(/^msg_evt_/)
    // a wrong secret fails verification
    expect(() =>
      new Webhook(`whsec_${Buffer.from("another secret of 24 b!").toString("base64")}`).verify(
        got.body,
        got.headers as Record<string, string>,
      ),
    ).toThrow()
    // the same events delivered again by the outbox: no second delivery
    const events = await sql<any>`select * from core.outbox_event where org_id = ${org.id}`.execute(
      h.db.kysely,
    )
    const again = await enqueue(
      h.db,
      events.rows.map((e) => ({
        orgId: e.org_id,
        id: e.id,
        position: Number(e.position),
        type: e.type,
        aggregateType: e.aggregate_type,
        aggregateId: e.aggregate_id,
        payload: e.payload,
        occurredAt: e.occurred_at,
      })),
    )
    expect(again).toBe(0)
    const log = await Webhooks.deliveries(h.db, org.id, subscription.id)
    expect(log.items).toHaveLength(1)
    expect(log.items[0]).toMatchObject({ status: "succeeded", attempts: 1, statusCode: 200, response: "ok" })
    expect(log.items[0]!.latencyMs).toBeGreaterThanOrEqual(0)
    // replay: the same webhook-id again, a new delivery
    const replayed = await Webhooks.replay(h.db, ctx, subscription.id, log.items[0]!.id)
    await runUntil(async () => receiver.received.length > from + 1)
    expect(receiver.received.at(-1)!.headers["webhook-id"]).toBe(got.headers["webhook-id"])
    const after = await Webhooks.deliveries(h.db, org.id, subscription.id)
    expect(after.items.find((d) => d.id === replayed.deliveryId)).toMatchObject({
      replayOf: log.items[0]!.id,
    })
  })

  it("retries back off and stop; the subscription is disabled and owners and admins are told", async () => {
    const { org, ctx } = await makeOrg("failing")
    const owner = await Iam.createUser(h.db, {
      email: "owner@failing.test",
      name: "O",
      password: "password-1",
    })
    const admin = await Iam.createUser(h.db, {
      email: "admin@failing.test",
      name: "A",
      password: "password-1",
    })
    const agent = await Iam.createUser(h.db, {
      email: "agent@failing.test",
      name: "G",
      password: "password-1",
    })
    await Iam.addMember(h.db, Tenancy.system(org.id), { userId: owner.id, role: "owner" })
    await Iam.addMember(h.db, Tenancy.system(org.id), { userId: admin.id, role: "admin" })
    await Iam.addMember(h.db, Tenancy.system(org.id), { userId: agent.id, role: "agent" })
    receiver.status = 503
    const { subscription, secret } = await Webhooks.create(
      h.db,
      ctx,
      { url: receiver.url, eventTypes: ["*"] },
      true,
    )
    const from = receiver.received.length
    const { deliveryId } = await Webhooks.sendTest(h.db, ctx, subscription.id)
    const status = async () =>
      (
        await sql<{
          status: string
        }>`select status from notify.webhook_delivery where org_id = ${org.id} and id = ${deliveryId}`.execute(
          h.db.kysely,
        )
      ).rows[0]!.status
    await runUntil(async () => (await status()) === "failed")
    const attempts = receiver.received.slice(from)
    expect(attempts).toHaveLength(3) // and no more
    for (const a of attempts) new Webhook(secret).verify(a.body, a.headers as Record<string, string>)
    const gaps = [attempts[1]!.at - attempts[0]!.at, attempts[2]!.at - attempts[1]!.at]
    // exponential: 150 ms, then 4 × 150 ms
    expect(backoffMs(settings, 1)).toBe(150)
    expect(backoffMs(settings, 2)).toBe(600)
    expect(gaps[0]).toBeGreaterThanOrEqual(150)
    expect(gaps[1]).toBeGreaterThanOrEqual(600)
    expect(gaps[1]).toBeGreaterThan(gaps[0]!)
    // nothing further is scheduled
    await new Promise((r) => setTimeout(r, 700))
    await Jobs.runDue(h.db, deliveryJobs(settings), { limit: 20 })
    expect(receiver.received.length).toBe(from + 3)
    const [sub] = (await Webhooks.list(h.db, org.id)).items
    expect(sub).toMatchObject({ enabled: false })
    expect(sub!.disabledReason).toContain("HTTP 503")
    const log = await Webhooks.deliveries(h.db, org.id, subscription.id)
    expect(log.items[0]!.log.map((a) => a.statusCode)).toEqual([503, 503, 503])
    expect(log.items[0]!.response).toBe("receiver is down")
    // the owners and admins are told (in the app; e-mail too when SMTP is set)
    const mail = { from: "t@t", publicUrl: "http://t" }
    for (let i = 0; i < 5; i++) await Outbox.dispatch(h.db, [notificationHandler(mail)], { workerId: "t" })
    const told = await sql<{ user_id: string }>`select user_id from notify.notification
      where org_id = ${org.id} and kind = 'webhook.disabled' order by user_id`.execute(h.db.kysely)
    expect(told.rows.map((r) => r.user_id).sort()).toEqual([owner.id, admin.id].sort())
    // new events are not delivered to a disabled subscription; enabling again works
    expect((await Webhooks.update(h.db, ctx, subscription.id, { enabled: true }, true)).enabled).toBe(true)
  })

  it("a receiver that hangs holds one lane until its time-out; the other deliveries go on", async () => {
    const { org, ctx } = await makeOrg("lanes")
    // a receiver that reads the request and never answers
    const sockets = new Set<import("node:net").Socket>()
    let hungAt = 0
    const hang = createServer((req) => {
      hungAt = Date.now()
      req.resume()
    })
    hang.on("connection", (s) => sockets.add(s))
    await new Promise<void>((resolve) => hang.listen(0, "127.0.0.1", resolve))
    try {
      const port = (hang.address() as AddressInfo).port
      receiver.status = 200
      const slow = await Webhooks.create(
        h.db,
        ctx,
        { url: `http://127.0.0.1:${port}/hooks`, eventTypes: ["*"] },
        true,
      )
      const fast = await Webhooks.create(h.db, ctx, { url: receiver.url, eventTypes: ["*"] }, true)
      const first = await Webhooks.sendTest(h.db, ctx, slow.subscription.id)
      await Webhooks.sendTest(h.db, ctx, fast.subscription.id)
      // the hanging one is claimed first
      await sql`update core.job set run_at = now() - interval '1 minute' where org_id = ${org.id}
        and payload->>'deliveryId' = ${first.deliveryId}`.execute(h.db.kysely)
      const from = receiver.received.length
      await Jobs.runDue(h.db, deliveryJobs(settings), { limit: 20, concurrency: 4 })
      const got = receiver.received.slice(from)
      expect(got).toHaveLength(1)
      // received while the other attempt was still waiting for its answer (time-out: 2 s)
      expect(hungAt).toBeGreaterThan(0)
      expect(got[0]!.at - hungAt).toBeLessThan(settings.timeoutMs)
      const log = await Webhooks.deliveries(h.db, org.id, slow.subscription.id)
      expect(log.items[0]!.log[0]!.error).toBeTruthy() // the hanging one timed out, and will be retried
    } finally {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => hang.close(() => resolve()))
    }
  })

  it("refuses private, loopback and link-local targets unless the operator allows them", async () => {
    const { org, ctx } = await makeOrg("ssrf")
    for (const url of [
      "http://127.0.0.1:8080/x",
      "http://localhost/x",
      "http://10.1.2.3/x",
      "http://192.168.1.1/x",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]/x",
      "http://[::ffff:127.0.0.1]/x",
      "http://[fd00::1]/x",
      "http://0.0.0.0/x",
      "http://100.64.0.1/x",
    ])
      await expect(checkTarget(url, false), url).rejects.toThrow(
        /private, loopback or reserved|does not resolve/,
      )
    expect(isPublicAddress("93.184.216.34")).toBe(true)
    expect(isPublicAddress("2606:4700:4700::1111")).toBe(true)
    await expect(checkTarget("ftp://example.com/x", false)).rejects.toThrow(/http or https/)
    await expect(checkTarget("http://127.0.0.1/x", true)).resolves.toBeUndefined()
    // through the API: a problem naming the field
    const { secret } = await Iam.createApiKey(h.db, Tenancy.system(org.id), { name: "k", role: "admin" })
    const r = await h.request("/api/v1/webhooks", {
      method: "POST",
      key: secret,
      body: { url: "http://169.254.169.254/latest", eventTypes: ["process.case.created"] },
    })
    expect(r.status).toBe(400)
    expect(r.body.errors[0].path).toBe("/url")
    const unknown = await h.request("/api/v1/webhooks", {
      method: "POST",
      key: secret,
      body: { url: "https://example.com/x", eventTypes: ["nope"] },
    })
    expect(unknown.status).toBe(400)
    expect(unknown.body.errors.map((e: any) => e.path)).toContain("/eventTypes/0")
    // a delivery to a target that became private is refused at send time, logged, not sent
    const { subscription } = await Webhooks.create(h.db, ctx, { url: receiver.url, eventTypes: ["*"] }, true)
    const from = receiver.received.length
    const strict = { ...settings, allowPrivate: false, maxAttempts: 1 }
    const { deliveryId } = await Webhooks.sendTest(h.db, ctx, subscription.id)
    for (let i = 0; i < 3; i++) await Jobs.runDue(h.db, deliveryJobs(strict), { limit: 20 })
    expect(receiver.received.length).toBe(from)
    const log = await Webhooks.deliveries(h.db, org.id, subscription.id)
    expect(log.items.find((d) => d.id === deliveryId)!.error).toMatch(/private, loopback or reserved/)
  })

  it("the event catalogue is the OpenAPI document's webhooks", async () => {
    const { org } = await makeOrg("catalogue")
    const { secret } = await Iam.createApiKey(h.db, Tenancy.system(org.id), { name: "k", role: "auditor" })
    const cat = await h.request("/api/v1/webhooks/events", { key: secret })
    expect(cat.status).toBe(200)
    const doc = (await h.request("/api/v1/openapi.json")).body
    expect(Object.keys(doc.webhooks).sort()).toEqual(cat.body.items.map((e: any) => e.type).sort())
    const created = cat.body.items.find((e: any) => e.type === "process.sla.breached")
    expect(doc.webhooks["process.sla.breached"].post.requestBody.content["application/json"].schema).toEqual(
      created.schema,
    )
    // an auditor reads webhooks, does not change them
    expect((await h.request("/api/v1/webhooks", { key: secret })).status).toBe(200)
    expect(
      (
        await h.request("/api/v1/webhooks", {
          method: "POST",
          key: secret,
          body: { url: "https://example.com", eventTypes: ["*"] },
        })
      ).status,
    ).toBe(403)
  })
})
