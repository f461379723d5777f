/**
 * @tenet/client against the app in this process: auth by API key and session, problems as typed values,
 * pages, and the schema as the truth (every documented answer of a list or read decodes, closed, against it).
 */
import { collect, createTenetClient, isProblem, type TenetClient, TenetProblem, unwrap } from "@tenet/client"
import { Schema } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { ENDPOINTS } from "../src/app"
import { type Harness, makeHarness, ORIGIN, seedTwoOrgs } from "./helpers"

let h: Harness
let seed: Awaited<ReturnType<typeof seedTwoOrgs>>
let client: TenetClient

beforeAll(async () => {
  h = await makeHarness()
  seed = await seedTwoOrgs(h)
  client = createTenetClient({
    baseUrl: ORIGIN,
    apiKey: seed.a.adminKey,
    fetch: (input) => Promise.resolve(h.app.request(input as Request)),
  })
})

const sessionClient = (session: string, org?: string) =>
  createTenetClient({
    baseUrl: ORIGIN,
    session,
    org,
    fetch: (input) => Promise.resolve(h.app.request(input as Request)),
  })

describe("@tenet/client", () => {
  it("reads with an API key: typed data, unwrap", async () => {
    const { data, error } = await client.GET("/api/v1/org")
    expect(error).toBeUndefined()
    expect(data?.slug).toBe("acme")
    const members = await unwrap(client.GET("/api/v1/members"))
    expect(members.items.map((m) => m.email).sort()).toEqual(["agent@acme.test", "owner@acme.test"])
  })

  it("signs in and works with the session and the organisation header (changes pass the CSRF check)", async () => {
    const anonymous = createTenetClient({
      baseUrl: ORIGIN,
      headers: { origin: ORIGIN },
      fetch: (input) => Promise.resolve(h.app.request(input as Request)),
    })
    const signIn = await anonymous.POST("/api/v1/auth/sign-in", {
      body: { email: "owner@globex.test", password: "password-1" },
    })
    expect(signIn.data?.user.email).toBe("owner@globex.test")
    const token = /tenet_session=([^;]+)/.exec(signIn.response.headers.get("set-cookie") ?? "")![1]!
    const me = await unwrap(sessionClient(token).GET("/api/v1/auth/me"))
    expect("user" in me && me.memberships.map((m) => m.slug)).toEqual(["globex"])
    const asOwner = sessionClient(token, "globex")
    const created = await unwrap(
      asOwner.POST("/api/v1/api-keys", { body: { name: "script", role: "agent" } }),
    )
    expect(created.secret).toMatch(/^tnt_/)
    expect(created.key.role).toBe("agent")
  })

  it("gives problems as typed values, and unwrap throws them as TenetProblem", async () => {
    const r = await client.POST("/api/v1/api-keys", { body: { name: "", role: "agent" } })
    expect(r.data).toBeUndefined()
    expect(isProblem(r.error)).toBe(true)
    expect(r.error?.status).toBe(400)
    expect(r.error?.errors?.[0]?.path).toBe("/name")
    const thrown = await unwrap(client.POST("/api/v1/api-keys", { body: { name: "", role: "agent" } })).catch(
      (e: unknown) => e,
    )
    expect(thrown).toBeInstanceOf(TenetProblem)
    expect((thrown as TenetProblem).field("name")).toBeTruthy()
    const missing = await unwrap(
      client.DELETE("/api/v1/invitations/{id}", { params: { path: { id: "nope" } } }),
    )
      .then(() => undefined)
      .catch((e: TenetProblem) => e)
    expect(missing?.status).toBe(404)
    expect(missing?.code).toBe("notFound")
  })

  it("pages through a keyset list until nextCursor is null", async () => {
    const first = await unwrap(client.GET("/api/v1/audit", { params: { query: { limit: "500" } } }))
    const all = await collect((cursor) =>
      unwrap(
        client.GET("/api/v1/audit", { params: { query: { limit: "1", ...(cursor ? { cursor } : {}) } } }),
      ),
    )
    expect(all.length).toBe(first.total)
    expect(all.map((r) => r.seq)).toEqual(first.items.map((r) => r.seq))
  })

  it("answers exactly what the OpenAPI document says (every documented read without path parameters)", async () => {
    const reads = ENDPOINTS.filter((e) => e.method === "get" && e.response && !e.path.includes("{"))
    expect(reads.length).toBeGreaterThanOrEqual(8)
    for (const e of reads) {
      const r = await h.request(e.path, { key: seed.a.adminKey })
      expect(r.status, e.path).toBe(200)
      expect(
        () => Schema.decodeUnknownSync(e.response!)(r.body, { onExcessProperty: "error" }),
        e.path,
      ).not.toThrow()
    }
  })
})
