// Masking per role, the audited reveal, the PI access log, lookups by phone and HSTS over TLS.
import { Encryption, Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Iam from "../src/iam/service"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"

let h: Harness
let s: Awaited<ReturnType<typeof seedTwoOrgs>>
let auditorKey: string
let customerId: string

beforeAll(async () => {
  Encryption.configure(Encryption.fromKey(Buffer.alloc(32, 5).toString("base64"), "test"))
  h = await makeHarness()
  s = await seedTwoOrgs(h)
  auditorKey = (
    await Iam.createApiKey(h.db, Tenancy.system(s.a.org.id), { name: "auditor", role: "auditor" })
  ).secret
  const made = await h.request("/api/v1/process/cases", {
    method: "POST",
    key: s.a.adminKey,
    body: {
      type: "problem",
      channel: "phone",
      subject: "退款",
      content: "请退到卡 4111 1111 1111 1111",
      customer: {
        externalId: "crm-77",
        name: "张三",
        contacts: [
          { channel: "phone", value: "13812341234" },
          { channel: "email", value: "zhang@example.com" },
        ],
      },
    },
  })
  expect(made.status).toBe(201)
  customerId = made.body.customerId
}, 120_000)
afterAll(async () => {
  Encryption.configure(null)
  await h?.db.close()
})

describe("personal fields per role", () => {
  it("the raw table holds no plaintext; the card number was redacted on intake", async () => {
    const raw = JSON.stringify(
      (await sql`select * from process.customer where org_id = ${s.a.org.id}`.execute(h.db.kysely)).rows,
    )
    for (const plain of ["张三", "13812341234", "zhang@example.com", "crm-77"])
      expect(raw).not.toContain(plain)
    const list = await h.request("/api/v1/process/cases", { key: s.a.adminKey })
    const detail = await h.request(`/api/v1/process/cases/${list.body.items[0].id}`, { key: s.a.adminKey })
    expect(detail.body.case.content).toBe("请退到卡 411111******1111")
  })

  it("an admin (pi:read) sees values in clear", async () => {
    const r = await h.request(`/api/v1/process/customers/${customerId}`, { key: s.a.adminKey })
    expect(r.body).toMatchObject({ name: "张三", externalId: "crm-77" })
    expect(r.body.contacts[0].value).toBe("13812341234")
  })

  it("an agent and an auditor see them masked, in the customer, the queue and the case", async () => {
    for (const key of [s.a.agentKey, auditorKey]) {
      const r = await h.request(`/api/v1/process/customers/${customerId}`, { key })
      expect(r.body).toMatchObject({ name: "张*", masked: true })
      expect(r.body.contacts).toEqual([
        { channel: "phone", value: "138****1234" },
        { channel: "email", value: "z***@example.com" },
      ])
      const list = await h.request("/api/v1/process/cases", { key })
      expect(list.body.items[0].customerName).toBe("张*")
      const detail = await h.request(`/api/v1/process/cases/${list.body.items[0].id}`, { key })
      expect(detail.body.customer.name).toBe("张*")
      expect(JSON.stringify(detail.body)).not.toContain("13812341234")
      const customers = await h.request("/api/v1/process/customers", { key })
      expect(customers.body.items[0].name).toBe("张*")
    }
  })

  it("lookups by phone, e-mail and external id find the customer (masked for the agent)", async () => {
    const byPhone = await h.request("/api/v1/process/customers/lookup?phone=%2B86%20138-1234-1234", {
      key: s.a.adminKey,
    })
    expect(byPhone.body.items.map((c: { id: string }) => c.id)).toEqual([customerId])
    const byEmail = await h.request("/api/v1/process/customers/lookup?email=ZHANG%40example.com", {
      key: s.a.agentKey,
    })
    expect(byEmail.body.items[0]).toMatchObject({ id: customerId, name: "张*" })
    // another organisation's index does not match
    const other = await h.request("/api/v1/process/customers/lookup?phone=13812341234", { key: s.b.adminKey })
    expect(other.body.items).toEqual([])
  })

  it("an agent reveals (audited in the PI access log and the audit chain); an auditor may not", async () => {
    const r = await h.request(`/api/v1/process/customers/${customerId}/reveal`, {
      method: "POST",
      key: s.a.agentKey,
      body: { reason: "回电客户" },
    })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ name: "张三", externalId: "crm-77" })
    const refused = await h.request(`/api/v1/process/customers/${customerId}/reveal`, {
      method: "POST",
      key: auditorKey,
      body: {},
    })
    expect(refused.status).toBe(403)
    const log = await h.request(`/api/v1/pi-access?entityId=${customerId}`, { key: auditorKey })
    expect(log.body.retentionDays).toBeGreaterThanOrEqual(183)
    expect(log.body.items).toHaveLength(1)
    expect(log.body.items[0]).toMatchObject({
      actorType: "api_key",
      entityType: "customer",
      entityId: customerId,
      fields: ["name", "externalId", "contacts"],
      reason: "回电客户",
    })
    const audit = await sql<{
      action: string
    }>`select action from core.audit_log where org_id = ${s.a.org.id} and action = 'pi.revealed'`.execute(
      h.db.kysely,
    )
    expect(audit.rows).toHaveLength(1)
    // the agent cannot read the log itself
    expect((await h.request("/api/v1/pi-access", { key: s.a.agentKey })).status).toBe(403)
  })
})

describe("HSTS", () => {
  it("is sent over TLS only", async () => {
    const plain = await h.request("/healthz")
    expect(plain.headers.get("strict-transport-security")).toBeNull()
    const tls = await h.app.request("https://localhost/healthz")
    expect(tls.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains")
  })
})
