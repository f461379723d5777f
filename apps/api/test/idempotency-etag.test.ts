import { testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"

let h: Harness
let orgs: Awaited<ReturnType<typeof seedTwoOrgs>>
beforeAll(async () => {
  h = await makeHarness()
  orgs = await seedTwoOrgs(h)
}, 300_000)
afterAll(async () => {
  await h.db.close()
})

const countCases = async (subject: string) => {
  const r = await h.request(`/api/v1/process/cases?limit=200`, { key: orgs.a.adminKey })
  return (r.body.items as Array<{ subject: string }>).filter((c) => c.subject === subject).length
}

describe(`Idempotency-Key on creates and imports (${testEngine()})`, () => {
  it("a retried create gets the first answer, and nothing is created twice", async () => {
    const body = { type: "complaint", channel: "phone", subject: "重复提交的投诉" }
    const headers = { "idempotency-key": "create-1" }
    const first = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body,
      headers,
    })
    expect(first.status).toBe(201)
    expect(first.headers.get("idempotent-replayed")).toBeNull()
    const retry = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body,
      headers,
    })
    expect(retry.status).toBe(201)
    expect(retry.headers.get("idempotent-replayed")).toBe("true")
    expect(retry.body).toEqual(first.body)
    expect(await countCases("重复提交的投诉")).toBe(1)
    // without a key, the same body creates another case (as before)
    await h.request("/api/v1/process/cases", { method: "POST", key: orgs.a.adminKey, body })
    expect(await countCases("重复提交的投诉")).toBe(2)
  })

  it("a key used for a different request is refused with 422, and names the problem", async () => {
    const headers = { "idempotency-key": "create-2" }
    await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { type: "inquiry", channel: "email", subject: "第一个" },
      headers,
    })
    const other = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { type: "inquiry", channel: "email", subject: "另一个" },
      headers,
    })
    expect(other.status).toBe(422)
    expect(other.headers.get("content-type")).toContain("application/problem+json")
    expect(other.body.code).toBe("idempotencyKeyReused")
    expect(await countCases("另一个")).toBe(0)
  })

  it("a key is the caller's own: another key holder's request with it runs", async () => {
    const body = { type: "inquiry", channel: "chat", subject: "各自的键" }
    const headers = { "idempotency-key": "shared-name" }
    const a = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body,
      headers,
    })
    const b = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.agentKey,
      body,
      headers,
    })
    expect([a.status, b.status]).toEqual([201, 201])
    expect(b.headers.get("idempotent-replayed")).toBeNull()
    expect(b.body.id).not.toBe(a.body.id)
  })

  it("a first request that failed keeps nothing: the corrected retry with the same key runs", async () => {
    const headers = { "idempotency-key": "fix-and-retry" }
    const bad = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { type: "complaint", channel: "phone" },
      headers,
    })
    expect(bad.status).toBe(400)
    const good = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { type: "complaint", channel: "phone", subject: "改正后重试" },
      headers,
    })
    expect(good.status).toBe(201)
  })

  it("a key over 255 characters is refused with a field error", async () => {
    const r = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { type: "complaint", channel: "phone", subject: "长键" },
      headers: { "idempotency-key": "k".repeat(300) },
    })
    expect(r.status).toBe(400)
    expect(JSON.stringify(r.body.errors)).toContain("Idempotency-Key")
  })

  it("a retried import gets the first import's summary", async () => {
    const csv =
      "external_id,subject,channel,type,received_at\nI-1,导入一,email,inquiry,2026-11-02T09:00:00+08:00\n"
    const send = (key: string) =>
      h.app.request("http://localhost/api/v1/process/imports?format=csv&name=retry.csv", {
        method: "POST",
        headers: {
          authorization: `Bearer ${orgs.a.adminKey}`,
          "content-type": "text/csv",
          "idempotency-key": key,
        },
        body: csv,
      })
    const first = await send("import-1")
    expect(first.status).toBe(201)
    const summary = await first.json()
    const again = await send("import-1")
    expect(again.status).toBe(201)
    expect(again.headers.get("idempotent-replayed")).toBe("true")
    expect(await again.json()).toEqual(summary)
    const imports = await h.request("/api/v1/process/imports", { key: orgs.a.adminKey })
    expect(
      (imports.body.items as Array<{ source: string }>).filter((i) => i.source === "retry.csv"),
    ).toHaveLength(1)
  })
})

describe(`ETag / If-Match where editors collide (${testEngine()})`, () => {
  let cycle: string
  const url = () => `/api/v1/improvements/cycles/${cycle}`
  beforeAll(async () => {
    const made = await h.request("/api/v1/improvements/cycles", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { workflowId: "eight-d", kind: "complaint", title: "两人同时编辑" },
    })
    cycle = made.body.id
  })

  it("a read answers an ETag that stays the same until the cycle changes; If-None-Match answers 304", async () => {
    const a = await h.request(url(), { key: orgs.a.adminKey })
    const tag = a.headers.get("etag")!
    expect(tag).toMatch(/^"[\w-]{27}"$/)
    const b = await h.request(url(), { key: orgs.a.adminKey })
    expect(b.headers.get("etag")).toBe(tag)
    const c = await h.request(url(), { key: orgs.a.adminKey, headers: { "if-none-match": tag } })
    expect(c.status).toBe(304)
  })

  it("the second editor's stale If-Match is refused with 412 and nothing is overwritten", async () => {
    const tag = (await h.request(url(), { key: orgs.a.adminKey })).headers.get("etag")!
    const first = await h.request(`${url()}/fields`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { values: { emergency: "先退款" } },
      headers: { "if-match": tag },
    })
    expect(first.status).toBe(200)
    const next = first.headers.get("etag")
    expect(next).not.toBe(tag)
    const second = await h.request(`${url()}/fields`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { values: { emergency: "先道歉" } },
      headers: { "if-match": tag },
    })
    expect(second.status).toBe(412)
    expect(second.body.code).toBe("preconditionFailed")
    const now = await h.request(url(), { key: orgs.a.adminKey })
    expect(JSON.stringify(now.body)).toContain("先退款")
    expect(JSON.stringify(now.body)).not.toContain("先道歉")
    // the version the first change answered is the current one
    expect(now.headers.get("etag")).toBe(next)
  })

  it("two changes sent at once with the same If-Match: one wins, the other gets 412", async () => {
    const tag = (await h.request(url(), { key: orgs.a.adminKey })).headers.get("etag")!
    const send = (value: string) =>
      h.request(`${url()}/fields`, {
        method: "PATCH",
        key: orgs.a.adminKey,
        body: { values: { emergency: value } },
        headers: { "if-match": tag },
      })
    const statuses = (await Promise.all([send("甲"), send("乙")])).map((r) => r.status).sort()
    expect(statuses).toEqual([200, 412])
  })

  it("a change without If-Match is not checked (older clients keep working)", async () => {
    const r = await h.request(`${url()}/fields`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { values: { emergency: "无条件" } },
    })
    expect(r.status).toBe(200)
  })

  it("the OpenAPI document names the headers and the 412", async () => {
    const doc = (await h.request("/api/v1/openapi.json")).body
    const names = (op: { parameters?: Array<{ name: string }> }) => (op.parameters ?? []).map((p) => p.name)
    expect(names(doc.paths["/api/v1/process/cases"].post)).toContain("Idempotency-Key")
    expect(names(doc.paths["/api/v1/process/imports"].post)).toContain("Idempotency-Key")
    const fields = doc.paths["/api/v1/improvements/cycles/{id}/fields"].patch
    expect(names(fields)).toContain("If-Match")
    expect(fields.responses["412"]).toBeDefined()
    expect(doc.paths["/api/v1/improvements/cycles/{id}"].get.responses["200"].headers.ETag).toBeDefined()
  })
})
