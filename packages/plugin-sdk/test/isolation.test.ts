import { Change } from "@tenet/core"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { loadPlugins, type PluginHost, QUARANTINE_AFTER, releaseHandler, skipEvent } from "../src/host"
import { startTestHost, type TestHost } from "../src/testing"

// Handlers run in a worker thread of their plugin: what a fault does to the worker, and what the
// host records in the database. (On the host that ran handlers in the server's thread, the endless
// loop never returned and these tests hung.)
const fixture = new URL("./fixtures/faults.mjs", import.meta.url)

let t: TestHost
beforeAll(async () => {
  t = await startTestHost({ plugins: [fixture], heapMb: 32 })
  await sql`create table public.delivered (seq serial primary key, handler text, event_id text, position bigint);
    create table public.gate (closed boolean not null)`.execute(t.db.kysely)
})
afterAll(() => t.stop())

const emit = (type: string, n = 1, payload: Record<string, unknown> = {}) =>
  Change.change(t.db, t.ctx, async ({ emit }) => {
    for (let i = 0; i < n; i++) await emit({ type, aggregateType: "x", aggregateId: `${type}-${i}`, payload })
  })

const handler = (name: string) => t.host.plugins[0]!.handlers.find((h) => h.name === name)!
const report = async (name: string) =>
  (await t.host.handlerReports(t.db, t.ctx.orgId)).find((h) => h.name === name)!
const dispatchTimes = async (n: number) => {
  for (let i = 0; i < n; i++) await t.dispatch()
}
const delivered = async () =>
  (
    await sql<{ event_id: string }>`select event_id from public.delivered order by seq`.execute(t.db.kysely)
  ).rows.map((r) => r.event_id)
const eventIds = async (type: string) =>
  (
    await sql<{
      id: string
    }>`select id from core.outbox_event where type = ${type} order by position`.execute(t.db.kysely)
  ).rows.map((r) => r.id)

describe("handlers run in a worker", () => {
  it("loads the plugin from its module and runs it in a worker", () => {
    expect(t.host.plugins[0]).toMatchObject({ id: "faults", status: "loaded", isolation: "worker" })
  })

  it("a synchronous endless loop is stopped by its time limit, the worker replaced, and after 3 the handler is quarantined", async () => {
    await emit("fault.loop")
    await dispatchTimes(QUARANTINE_AFTER + 1)
    const r = await report("loops")
    expect(r).toMatchObject({ quarantined: true, consecutiveFailures: QUARANTINE_AFTER })
    expect(r.errors.map((e) => e.kind)).toEqual(["timeout", "timeout", "timeout"])
    expect(r.errors[0]!.message).toBe(
      "handler loops of plugin faults took longer than 200 ms; its worker was stopped",
    )
    expect(handler("loops").calls).toBe(QUARANTINE_AFTER)
    // one long-lived worker per plugin, replaced after each time-out
    expect(t.host.runners()).toHaveLength(1)
    expect(t.host.runners()[0]!.started).toBeGreaterThanOrEqual(QUARANTINE_AFTER)
  })

  it("a handler that hangs on a promise times out the same way", async () => {
    await emit("fault.hang")
    await dispatchTimes(QUARANTINE_AFTER + 1)
    const r = await report("hangs")
    expect(r).toMatchObject({ quarantined: true })
    expect(r.errors[0]).toMatchObject({ kind: "timeout", eventId: (await eventIds("fault.hang"))[0] })
  })

  it("a memory blow-up ends the worker at its heap limit, not the server", async () => {
    await emit("fault.memory")
    await dispatchTimes(1)
    const r = await report("eats-memory")
    expect(r.errors[0]).toMatchObject({
      kind: "memory",
      message: "plugin faults ran out of memory (heap limit 32 MB); its worker was stopped",
    })
    expect(r.quarantined).toBe(false)
  })

  it("a throwing handler is recorded and quarantined after its limit", async () => {
    await emit("fault.throw")
    await dispatchTimes(QUARANTINE_AFTER + 2)
    const r = await report("throws")
    expect(r).toMatchObject({ quarantined: true, failures: QUARANTINE_AFTER })
    expect(r.errors[0]).toMatchObject({ kind: "error", message: "plugin bug", eventType: "fault.throw" })
  })

  it("handlers reach the database through the host, transactions included", async () => {
    await emit("fault.record", 3)
    await t.dispatch()
    expect(await delivered()).toEqual(await eventIds("fault.record"))
  })
})

describe("a handler tells people through the notification centre", () => {
  it("notify() in a worker publishes one request in the event's organisation; a bad one fails the handler, naming the field", async () => {
    await emit("fault.tell", 1)
    await t.dispatch()
    const asked = await sql<{ org_id: string; payload: Record<string, unknown> }>`select org_id, payload
      from core.outbox_event where type = 'core.notification.requested' order by position`.execute(
      t.db.kysely,
    )
    expect(asked.rows).toHaveLength(1)
    const [event] = await eventIds("fault.tell")
    expect(asked.rows[0]!.org_id).toBe(t.ctx.orgId)
    expect(asked.rows[0]!.payload).toMatchObject({
      kind: "faults.told",
      title: { en: "Told", "zh-CN": "已通知" },
      recipients: [{ type: "role", role: "supervisor" }],
      subject: { type: "case", id: "fault.tell-0" },
      params: { n: 1 },
      dedupeKey: `plugin:faults:faults.told:${event}`,
    })
    await emit("fault.tell", 1, { bad: true })
    await t.dispatch()
    const r = await report("tells")
    expect(r.errors[0]!.message).toContain('kind must be "faults.<name>"')
  })
})

describe("quarantine holds events and survives a restart", () => {
  let again: PluginHost
  afterAll(() => again?.close())

  it("events that arrive while quarantined wait, and are delivered in order after release", async () => {
    const before = (await delivered()).length
    await sql`insert into public.gate values (true)`.execute(t.db.kysely)
    await emit("fault.record", 2)
    await dispatchTimes(QUARANTINE_AFTER)
    expect(await report("records")).toMatchObject({ quarantined: true, waiting: 2 })
    await emit("fault.record", 3) // arrive during quarantine
    await sql`delete from public.gate`.execute(t.db.kysely)
    await dispatchTimes(2)
    expect((await delivered()).length).toBe(before) // held, not dropped

    // a new host on the same database (a restart) finds the handler still quarantined
    again = await loadPlugins([fixture], { maxRetryDelaySeconds: 0 })
    const r = (await again.handlerReports(t.db, t.ctx.orgId)).find((h) => h.name === "records")!
    expect(r).toMatchObject({ quarantined: true, waiting: 5 })
    const records = again.eventHandlers().find((h) => h.name === "plugin:faults:records")!
    expect(await records.paused!(t.db)).toBe(true)

    expect(await releaseHandler(t.db, r.key)).toBe(true)
    await t.dispatch()
    const all = await eventIds("fault.record")
    expect(await delivered()).toEqual(all) // every event once, in order
    expect(await report("records")).toMatchObject({ quarantined: false, consecutiveFailures: 0, waiting: 0 })
  })

  it("a poison event holds the handler until an admin skips it; the events behind it follow", async () => {
    await emit("fault.record", 1, { poison: true })
    await emit("fault.record", 2)
    await dispatchTimes(QUARANTINE_AFTER)
    const r = await report("records")
    expect(r).toMatchObject({ quarantined: true, waiting: 3 })
    const poison = (await eventIds("fault.record")).at(-3)!
    expect(r.heldEvent?.id).toBe(poison)
    await skipEvent(t.db, r.key, { position: r.heldEvent!.position, orgId: t.ctx.orgId, id: poison }, "test")
    await dispatchTimes(2)
    const ids = await eventIds("fault.record")
    expect(await delivered()).toEqual(ids.filter((id) => id !== poison))
  })
})

describe("contributed metrics are computed in the worker", () => {
  let host: PluginHost
  beforeAll(async () => {
    host = await loadPlugins([fixture], { metricTimeoutMs: 300 })
  })
  afterAll(() => host.close())
  const query = () => ({
    orgId: t.ctx.orgId,
    from: new Date("2026-01-01T00:00:00Z"),
    to: new Date("2027-01-01T00:00:00Z"),
    timeZone: "Asia/Shanghai",
    bucket: "none" as const,
  })

  it("reads the database through the host", async () => {
    const m = host.metrics().find((x) => x.id === "faults.events")!
    const [v] = await m.compute(query(), t.db)
    const n = (await sql<{ n: number }>`select count(*) as n from core.outbox_event`.execute(t.db.kysely))
      .rows[0]!.n
    expect(v).toMatchObject({ value: Number(n) })
  })

  it("an endless loop in a computation is stopped by its time limit; the next computation works", async () => {
    const loop = host.metrics().find((x) => x.id === "faults.loop")!
    await expect(loop.compute(query(), t.db)).rejects.toThrow(
      "metric faults.loop of plugin faults took longer than 300 ms; its worker was stopped",
    )
    const [v] = await host
      .metrics()
      .find((x) => x.id === "faults.events")!
      .compute(query(), t.db)
    expect(v!.value).toBeGreaterThan(0)
  })
})
