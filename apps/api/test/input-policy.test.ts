import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Errors } from "@tenet/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createApp } from "../src/app"
import { DEFAULT_LIMITS, jsonDepthExceeds, limitsFromEnv, valueIssues } from "../src/http/policy"
import { toProblem } from "../src/http/problem"
import { type Harness, makeHarness, ORIGIN, seedTwoOrgs } from "./helpers"

let h: Harness
let orgs: Awaited<ReturnType<typeof seedTwoOrgs>>

beforeAll(async () => {
  h = await makeHarness()
  orgs = await seedTwoOrgs(h)
})
afterAll(async () => {
  await h.db.close()
})

const raw = (path: string, init: RequestInit & { key?: string } = {}) => {
  const headers = new Headers(init.headers)
  if (init.key) headers.set("authorization", `Bearer ${init.key}`)
  return h.app.request(`${ORIGIN}${path}`, { ...init, headers })
}
const codes = (body: any) => (body.errors ?? []).map((e: any) => `${e.path} ${e.code}`)
const newCase = (extra: Record<string, unknown> = {}) => ({
  type: "inquiry",
  channel: "chat",
  subject: "policy",
  ...extra,
})

describe("the input policy: body size and content type", () => {
  it("refuses a JSON body over the limit with 413 and a code", async () => {
    const r = await raw("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(newCase({ content: "x".repeat(DEFAULT_LIMITS.jsonBodyBytes) })),
    })
    expect(r.status).toBe(413)
    expect(r.headers.get("content-type")).toContain("application/problem+json")
    expect(await r.json()).toMatchObject({ code: "bodyTooLarge", params: { max: 1024 * 1024 } })
  })

  it("refuses a JSON body sent as text/plain with 415 (it is not parsed)", async () => {
    const r = await raw("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      headers: { "content-type": "text/plain" },
      body: JSON.stringify(newCase()),
    })
    expect(r.status).toBe(415)
    expect(await r.json()).toMatchObject({ code: "unsupportedMediaType" })
  })

  it("reads the limits from the environment", () => {
    expect(limitsFromEnv({ TENET_MAX_BODY_BYTES: "2048", TENET_MAX_IMPORT_BYTES: "4096" })).toMatchObject({
      jsonBodyBytes: 2048,
      importBodyBytes: 4096,
    })
    expect(() => limitsFromEnv({ TENET_MAX_BODY_BYTES: "lots" })).toThrow(/whole number/)
  })

  it("bounds an import upload by its own (configurable) limit", async () => {
    const app = createApp({
      db: h.db,
      logError: () => {},
      limits: { ...DEFAULT_LIMITS, importBodyBytes: 64 },
    })
    const r = await app.request(`${ORIGIN}/api/v1/process/imports?format=csv`, {
      method: "POST",
      headers: { authorization: `Bearer ${orgs.a.adminKey}`, "content-type": "text/csv" },
      body: `subject,channel,type\n${"hello,email,inquiry\n".repeat(10)}`,
    })
    expect(r.status).toBe(413)
    expect(await r.json()).toMatchObject({ code: "bodyTooLarge", params: { max: 64 } })
  })
})

describe("the input policy: text", () => {
  it("a NUL byte in the (unauthenticated) sign-in is a 400 naming the field, not a 500", async () => {
    const r = await h.request("/api/v1/auth/sign-in", {
      method: "POST",
      body: { email: "owner@acme.test", password: "pass\u0000word" },
    })
    expect(r.status).toBe(400)
    expect(codes(r.body)).toEqual(["/password invalidText"])
  })

  it("a lone surrogate anywhere in a body (values and keys) is a 400 naming the field", async () => {
    const r = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body: '{"type":"inquiry","channel":"chat","subject":"a\\ud800b","customer":{"name":"x","contacts":[{"channel":"email","value":"\\udc00"}]}}',
    })
    expect(r.status).toBe(400)
    expect(codes(r.body)).toEqual(["/subject invalidText", "/customer/contacts/0/value invalidText"])
  })

  it("a NUL byte in a query value or a path parameter, an overlong Idempotency-Key, is a 400", async () => {
    const q = await h.request("/api/v1/process/cases?q=a%00b", { key: orgs.a.adminKey })
    expect(q.status).toBe(400)
    expect(codes(q.body)).toEqual(["/q invalidText"])
    const p = await h.request("/api/v1/process/cases/case_a%00b", { key: orgs.a.adminKey })
    expect(p.status).toBe(400)
    expect(codes(p.body)).toEqual(["/id invalidText"])
    const s = await h.request("/api/v1/standards/x%00/versions/1/export", { key: orgs.a.adminKey })
    expect(s.status).toBe(400)
    const k = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      headers: { "idempotency-key": "k".repeat(256) },
      body: newCase(),
    })
    expect(k.status).toBe(400)
    expect(codes(k.body)).toEqual(["/Idempotency-Key maxLength"])
  })
})

describe("the input policy: sizes", () => {
  it("a 20,000-deep JSON scorecard is a 400, not a stack overflow", async () => {
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`
    const r = await h.request("/api/v1/quality/scorecards", {
      method: "POST",
      key: orgs.a.adminKey,
      body: `{"name":"deep","definition":${deep}}`,
    })
    expect(r.status).toBe(400)
    expect(r.body.errors[0]).toMatchObject({ code: "maxDepth", params: { max: 32 } })
    expect(jsonDepthExceeds('{"a":"[[[[[[[[[["}', 2)).toBe(false)
  })

  it("a 1 MB team is refused at the edge (short strings have a maxLength)", async () => {
    const r = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body: newCase({ team: "t".repeat(1_000_000) }),
    })
    expect(r.status).toBe(400)
    const t = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body: newCase({ team: "t".repeat(201), externalId: "e".repeat(201) }),
    })
    expect(t.status).toBe(400)
    expect(t.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "/team", code: "maxLength", params: { max: 200 } }),
        expect.objectContaining({ path: "/externalId", code: "maxLength" }),
      ]),
    )
  })

  it("bounds array lengths and object sizes", () => {
    expect(valueIssues({ a: Array.from({ length: 10_001 }, () => 1) })).toEqual([
      { path: ["a"], message: "must have at most 10000 items", code: "maxItems", params: { max: 10_000 } },
    ])
    expect(
      valueIssues(Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i])))[0],
    ).toMatchObject({
      code: "maxKeys",
    })
  })
})

describe("the input policy: dates and time zones", () => {
  it("an extreme date is refused with a code on every route", async () => {
    const r = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body: newCase({ receivedAt: "+275760-09-13T00:00:00.000Z" }),
    })
    expect(r.status).toBe(400)
    expect(codes(r.body)).toEqual(["/receivedAt dateRange"])
    const q = await h.request(
      "/api/v1/metrics/process.first_response_sla?from=1800-01-01T00:00:00Z&to=2025-01-01T00:00:00Z",
      { key: orgs.a.adminKey },
    )
    expect(q.status).toBe(400)
    expect(codes(q.body)).toEqual(["/from dateRange"])
  })

  it("an unknown time zone in a query or a body is a 400 with code timeZone", async () => {
    const q = await h.request(
      "/api/v1/metrics/process.first_response_sla?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z&bucket=day&timeZone=Mars/Phobos",
      { key: orgs.a.adminKey },
    )
    expect(q.status).toBe(400)
    expect(q.body.errors).toEqual([
      expect.objectContaining({ path: "/timeZone", code: "timeZone", params: { value: "Mars/Phobos" } }),
    ])
    const b = await h.request("/api/v1/org", {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { timeZone: "+08:00" },
    })
    expect(b.status).toBe(400)
    expect(codes(b.body)).toEqual(["/timeZone timeZone"])
    const ok = await h.request(
      "/api/v1/metrics/process.first_response_sla?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z&timeZone=Asia/Calcutta",
      { key: orgs.a.adminKey },
    )
    expect(ok.status).toBe(200)
  })
})

describe("the input policy: query keys, numbers and ids", () => {
  it("sort=toString, groupBy=__proto__ and unknown filter dimensions are 400s naming the allowed values", async () => {
    const s = await h.request("/api/v1/process/cases?sort=toString", { key: orgs.a.adminKey })
    expect(s.status).toBe(400)
    expect(s.body.errors[0]).toMatchObject({ path: "/sort", code: "oneOf" })
    expect(s.body.errors[0].params.values).toContain("receivedAt")
    const base =
      "/api/v1/metrics/process.first_response_sla?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z"
    for (const [query, path] of [
      ["groupBy=__proto__", "/groupBy"],
      ["groupBy=constructor", "/groupBy"],
      ["filter=__proto__:x", "/filter"],
      ["filter=toString:x", "/filter"],
      ["filter=nocolon", "/filter"],
    ] as const) {
      const r = await h.request(`${base}&${query}`, { key: orgs.a.adminKey })
      expect(r.status, query).toBe(400)
      expect(r.body.errors[0].path, query).toBe(path)
    }
  })

  it("fractions and huge numbers in integer path and query parameters are 400s", async () => {
    for (const v of ["1.5", "99999999999", "1e3", "-1"]) {
      const r = await h.request(`/api/v1/standards/std_nope/versions/${v}`, { key: orgs.a.adminKey })
      expect(r.status, v).toBe(400)
      expect(r.body.errors[0], v).toMatchObject({ path: "/version", code: "wholeRange" })
    }
    const l = await h.request("/api/v1/process/cases?limit=1.5", { key: orgs.a.adminKey })
    expect(l.status).toBe(400)
  })

  it("ids with a wrong prefix, or of another organisation, are 404 with a code", async () => {
    const other = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.b.adminKey,
      body: newCase(),
    })
    for (const id of ["nope_1", "toString", other.body.id]) {
      const r = await h.request(`/api/v1/process/cases/${id}`, { key: orgs.a.adminKey })
      expect(r.status, id).toBe(404)
      expect(r.body, id).toMatchObject({ code: "notFound", params: { entity: "case" } })
    }
  })
})

describe("problems: codes and the database as a last line of defence", () => {
  it("404, 409 and 429 problems carry a code", () => {
    expect(toProblem(new Errors.NotFoundError({ entity: "case", id: "case_1" })).problem).toMatchObject({
      status: 404,
      code: "notFound",
      params: { entity: "case", id: "case_1" },
    })
    expect(toProblem(new Errors.ConflictError({ message: "changed" })).problem).toMatchObject({
      status: 409,
      code: "conflict",
    })
    const r = toProblem(new Errors.RateLimitedError({ message: "slow down", retryAfterSeconds: 30 }))
    expect(r.problem).toMatchObject({ status: 429, code: "rateLimited", params: { seconds: 30 } })
    expect(r.headers["retry-after"]).toBe("30")
  })

  it("maps unique violations to 409 and invalid data to 400, never a 500 with internals", () => {
    const pg = (code: string) =>
      Object.assign(new Error(`duplicate key value violates "secret_index"`), { code })
    expect(toProblem(pg("23505")).problem).toMatchObject({ status: 409, code: "duplicate" })
    expect(JSON.stringify(toProblem(pg("23505")).problem)).not.toContain("secret_index")
    for (const code of ["22P02", "22003", "22021", "54000", "22001"])
      expect(toProblem(pg(code)).problem, code).toMatchObject({ status: 400, code: "valueRejected" })
    expect(toProblem({ cause: pg("23505") }).problem.status).toBe(409)
    expect(toProblem(new Error("boom")).problem.status).toBe(500)
  })

  it("a duplicate customer externalId is not a 500", async () => {
    const body = { name: "Dup", externalId: "dup-1" }
    const a = await h.request("/api/v1/process/customers", { method: "POST", key: orgs.a.adminKey, body })
    const b = await h.request("/api/v1/process/customers", { method: "POST", key: orgs.a.adminKey, body })
    expect(a.status).toBe(201)
    expect(b.status).toBeLessThan(500)
    const c1 = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body: newCase({ externalId: "ext-dup", customer: body }),
    })
    const c2 = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: orgs.a.adminKey,
      body: newCase({ externalId: "ext-dup", customer: body }),
    })
    expect(c1.status).toBe(201)
    expect(c2.status).toBeLessThan(500)
  })
})

describe("routes that are not there", () => {
  it("an unknown /api path is a problem+json 404 with a code", async () => {
    const r = await h.request("/api/v1/nothing-here", { key: orgs.a.adminKey })
    expect(r.status).toBe(404)
    expect(r.headers.get("content-type")).toContain("application/problem+json")
    expect(r.body).toMatchObject({ code: "noRoute" })
  })

  it("/assets/<missing> is a 404, not the app's page", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tenet-admin-"))
    try {
      writeFileSync(join(dir, "index.html"), "<!doctype html><title>app</title>")
      mkdirSync(join(dir, "assets"))
      writeFileSync(join(dir, "assets", "app.js"), "console.log(1)")
      const app = createApp({ db: h.db, logError: () => {}, adminDir: dir })
      expect((await app.request(`${ORIGIN}/assets/app.js`)).status).toBe(200)
      expect((await app.request(`${ORIGIN}/assets/missing.js`)).status).toBe(404)
      expect((await app.request(`${ORIGIN}/cases/123`)).status).toBe(200)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe("the OpenAPI document", () => {
  it("lists the query parameters of the case list and the audit log, and the stream routes", async () => {
    const doc = (await h.request("/api/v1/openapi.json")).body
    const names = (path: string, method = "get") =>
      (doc.paths[path][method].parameters ?? []).filter((p: any) => p.in === "query").map((p: any) => p.name)
    expect(names("/api/v1/process/cases")).toEqual(
      expect.arrayContaining(["status", "sort", "cursor", "limit"]),
    )
    expect(names("/api/v1/audit")).toEqual(expect.arrayContaining(["action", "sort", "from", "to"]))
    expect(names("/api/v1/process/cases/export.csv")).toEqual(expect.arrayContaining(["status", "q"]))
    expect(doc.paths["/api/v1/process/imports"].post).toMatchObject({
      operationId: "importCases",
      requestBody: { content: expect.objectContaining({ "text/csv": expect.anything() }) },
    })
    expect(names("/api/v1/process/imports", "post")).toEqual(expect.arrayContaining(["format", "mapping"]))
  })
})
