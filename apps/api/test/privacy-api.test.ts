import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"
import { seedCustomer } from "./privacy-fixtures"

let h: Harness
let orgs: Awaited<ReturnType<typeof seedTwoOrgs>>
beforeAll(async () => {
  h = await makeHarness()
  orgs = await seedTwoOrgs(h)
})
afterAll(async () => {
  await h.db.close()
})

describe("privacy API", () => {
  it("serves the inventory to privacy:read and refuses agents", async () => {
    const inv = await h.request("/api/v1/privacy/inventory", { key: orgs.a.adminKey })
    expect(inv.status).toBe(200)
    expect(inv.body.items.map((i: { id: string }) => i.id)).toContain("process.case_messages")
    const csv = await h.request("/api/v1/privacy/inventory/export", { key: orgs.a.adminKey })
    expect(csv.headers.get("content-type")).toContain("text/csv")
    expect(csv.body).toContain("process.case_messages")
    expect((await h.request("/api/v1/privacy/inventory", { key: orgs.a.agentKey })).status).toBe(403)
  })

  it("refuses a policy below the legal minimum as problem+json naming the field", async () => {
    const r = await h.request("/api/v1/privacy/policies/process.case_messages", {
      method: "PUT",
      key: orgs.a.adminKey,
      body: { minDays: 10, maxDays: 20 },
    })
    expect(r.status).toBe(400)
    expect(r.body.errors[0]).toMatchObject({ path: "/minDays", code: "belowLegalMinimum" })
  })

  it("takes a request from receipt to the downloaded export, and a deletion to its statement", async () => {
    const { customer } = await seedCustomer(h.db, orgs.a.org.id, "lin", 40)
    const created = await h.request("/api/v1/privacy/requests", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { customerId: customer, kind: "access", locale: "zh-CN", channel: "phone" },
    })
    expect(created.status).toBe(201)
    expect(created.body.daysLeft).toBe(30)
    const id = created.body.id
    // no export before the requester is verified
    expect((await h.request(`/api/v1/privacy/requests/${id}/export`, { key: orgs.a.adminKey })).status).toBe(
      409,
    )
    expect(
      (
        await h.request(`/api/v1/privacy/requests/${id}/verify`, {
          method: "POST",
          key: orgs.a.adminKey,
          body: { method: "SMS code to the phone on file" },
        })
      ).body.status,
    ).toBe("verified")
    const html = await h.request(`/api/v1/privacy/requests/${id}/export?format=html`, {
      key: orgs.a.adminKey,
    })
    expect(html.headers.get("content-disposition")).toContain("attachment")
    expect(html.body).toContain("您的个人信息副本")
    expect(html.body).toContain("lin wrote")
    const json = await h.request(`/api/v1/privacy/requests/${id}/export`, { key: orgs.a.adminKey })
    expect(json.body.sections.length).toBeGreaterThan(3)
    // the other organisation sees nothing of it
    expect((await h.request(`/api/v1/privacy/requests/${id}`, { key: orgs.b.adminKey })).status).toBe(404)
    const done = await h.request(`/api/v1/privacy/requests/${id}/fulfil`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: {},
    })
    expect(done.body.status).toBe("done")

    const del = await h.request("/api/v1/privacy/requests", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { customerId: customer, kind: "deletion", locale: "en", channel: "web" },
    })
    await h.request(`/api/v1/privacy/requests/${del.body.id}/verify`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: { method: "ID card" },
    })
    const erased = await h.request(`/api/v1/privacy/requests/${del.body.id}/fulfil`, {
      method: "POST",
      key: orgs.a.adminKey,
      body: {},
    })
    expect(erased.status).toBe(200)
    const kept = erased.body.outcome.kept.find(
      (k: { classId: string }) => k.classId === "process.case_messages",
    )
    expect(kept.why.en).toContain("two years")
    const queue = await h.request("/api/v1/privacy/requests?open=false", { key: orgs.a.adminKey })
    expect(queue.body.items).toHaveLength(2)
  })

  it("records consents and holds, runs a dry run, and names a bad field", async () => {
    const c = await h.request("/api/v1/privacy/customers/cus_x/consents", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { channel: "marketing", granted: true, noticeVersion: "2026-01", source: "web form" },
    })
    expect(c.status).toBe(201)
    const history = await h.request("/api/v1/privacy/customers/cus_x/consents", { key: orgs.a.adminKey })
    expect(history.body.items[0]).toMatchObject({ channel: "marketing", granted: true })
    const bad = await h.request("/api/v1/privacy/holds", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { scope: "everything", target: "x", reason: "y" },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0]).toMatchObject({ path: "/scope", code: "oneOf" })
    const hold = await h.request("/api/v1/privacy/holds", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { scope: "class", target: "process.cases", reason: "regulator" },
    })
    expect(hold.status).toBe(201)
    const dry = await h.request("/api/v1/privacy/retention/dry-run", { key: orgs.a.adminKey })
    expect(dry.body.items.find((i: { classId: string }) => i.classId === "process.cases")).toBeDefined()
    const purge = await h.request("/api/v1/privacy/retention/purge", {
      method: "POST",
      key: orgs.a.adminKey,
      body: {},
    })
    expect(purge.status).toBe(200)
    expect((await h.request("/api/v1/privacy/purges", { key: orgs.a.adminKey })).status).toBe(200)
  })
})
