import { Change, Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"

let h: Harness
let orgs: Awaited<ReturnType<typeof seedTwoOrgs>>
const KEY = "plugin:example-standard:count-breaches"
let poison: { id: string; position: number }

beforeAll(async () => {
  h = await makeHarness()
  orgs = await seedTwoOrgs(h)
  // organisation a's breach event, on which the example plugin's handler is quarantined
  await Change.change(h.db, Tenancy.system(orgs.a.org.id), ({ emit }) =>
    emit({ type: "standards.target.breached", aggregateType: "breach", aggregateId: "b1" }),
  )
  poison = (
    await sql<{ id: string; position: number }>`select id, position from core.outbox_event
      where type = 'standards.target.breached'`.execute(h.db.kysely)
  ).rows[0]!
  await sql`insert into core.plugin_handler (handler, plugin_id, name, failures, consecutive_failures,
      quarantined_at, held_event_position, last_error, last_error_at)
    values (${KEY}, 'example-standard', 'count-breaches', 3, 3, now(), ${poison.position}, 'boom', now())`.execute(
    h.db.kysely,
  )
  await sql`insert into core.plugin_error (handler, kind, message, org_id, event_id, event_type, event_position)
    values (${KEY}, 'timeout', 'took too long', ${orgs.a.org.id}, ${poison.id}, 'standards.target.breached', ${poison.position})`.execute(
    h.db.kysely,
  )
})
afterAll(() => h.db.close())

const handlers = async (key: string) =>
  (await h.request("/api/v1/plugins/handlers", { key })).body.items.find((x: any) => x.key === KEY)

describe("plugin handler isolation API", () => {
  it("shows a quarantined handler to admins; errors and the held event only to the event's organisation", async () => {
    expect((await h.request("/api/v1/plugins/handlers", { key: orgs.a.agentKey })).status).toBe(403)
    expect(await handlers(orgs.a.adminKey)).toMatchObject({
      plugin: "example-standard",
      name: "count-breaches",
      quarantined: true,
      failures: 3,
      heldEvent: { id: poison.id, type: "standards.target.breached" },
      errors: [{ kind: "timeout", message: "took too long", eventId: poison.id }],
    })
    expect(await handlers(orgs.b.adminKey)).toMatchObject({ quarantined: true, heldEvent: null, errors: [] })
  })

  it("refuses to skip another organisation's event, or for an unknown handler", async () => {
    const other = await h.request("/api/v1/plugins/example-standard/handlers/count-breaches/skip", {
      method: "POST",
      key: orgs.b.adminKey,
      body: { eventId: poison.id },
    })
    expect(other.status).toBe(404)
    const unknown = await h.request("/api/v1/plugins/example-standard/handlers/nope/release", {
      method: "POST",
      key: orgs.a.adminKey,
    })
    expect(unknown.status).toBe(404)
    const agent = await h.request("/api/v1/plugins/example-standard/handlers/count-breaches/release", {
      method: "POST",
      key: orgs.a.agentKey,
    })
    expect(agent.status).toBe(403)
  })

  it("an admin skips the poison event: recorded, audited, and the handler released", async () => {
    const r = await h.request("/api/v1/plugins/example-standard/handlers/count-breaches/skip", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { eventId: poison.id },
    })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ quarantined: false, consecutiveFailures: 0 })
    const skips = await sql`select event_id, org_id from core.plugin_skip where handler = ${KEY}`.execute(
      h.db.kysely,
    )
    expect(skips.rows).toEqual([{ event_id: poison.id, org_id: orgs.a.org.id }])
    const audit = await h.request("/api/v1/audit?limit=5", { key: orgs.a.adminKey })
    expect(audit.body.items.map((x: any) => x.action)).toContain("plugin.event.skipped")
  })

  it("an admin releases a quarantined handler (audited)", async () => {
    await sql`update core.plugin_handler set quarantined_at = now(), consecutive_failures = 3 where handler = ${KEY}`.execute(
      h.db.kysely,
    )
    const r = await h.request("/api/v1/plugins/example-standard/handlers/count-breaches/release", {
      method: "POST",
      key: orgs.a.adminKey,
    })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ quarantined: false, consecutiveFailures: 0 })
    const audit = await h.request("/api/v1/audit?limit=5", { key: orgs.a.adminKey })
    expect(audit.body.items[0]).toMatchObject({ action: "plugin.handler.released", entityId: KEY })
  })
})
