import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"

let h: Harness
let orgs: Awaited<ReturnType<typeof seedTwoOrgs>>

beforeAll(async () => {
  h = await makeHarness()
  orgs = await seedTwoOrgs(h)
})
afterAll(async () => {
  await h.db.close()
})

describe("health and docs", () => {
  it("GET /healthz is liveness: it answers without asking the database", async () => {
    const r = await h.request("/healthz")
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: "ok", version: "0.1.0", database: { kind: h.db.kind } })
  })

  it("GET /readyz reports the database's version when it answers", async () => {
    const r = await h.request("/readyz")
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: "ok", version: "0.1.0", database: { kind: h.db.kind } })
    expect(r.body.database.version).toMatch(/^\d+/)
  })

  it("GET /healthz answers while the database session is held; /readyz waits for it", async () => {
    if (h.db.kind !== "pglite") return // PostgreSQL has a pool: no single session to hold
    let release!: () => void
    const held = new Promise<void>((r) => {
      release = r
    })
    const tx = h.db.kysely.transaction().execute(() => held)
    await new Promise((r) => setTimeout(r, 10))
    const live = await h.request("/healthz")
    expect(live.status).toBe(200)
    let ready = false
    const readyz = h.request("/readyz").then((r) => {
      ready = true
      return r
    })
    await new Promise((r) => setTimeout(r, 20))
    expect(ready).toBe(false)
    release()
    await tx
    expect((await readyz).status).toBe(200)
  })

  it("serves an OpenAPI 3.1 document generated from the schemas, and the docs page", async () => {
    const r = await h.request("/api/v1/openapi.json")
    expect(r.body.openapi).toBe("3.1.0")
    const invite = r.body.paths["/api/v1/invitations"].post
    expect(invite.requestBody.content["application/json"].schema.$ref).toBe(
      "#/components/schemas/CreateInvitation",
    )
    expect(r.body.components.schemas.CreateInvitation.properties.role.$ref).toBe("#/components/schemas/Role")
    expect(r.body.components.schemas.Role.enum).toContain("qa_analyst")
    expect(invite["x-tenet-permission"]).toBe("members:manage")
    const docs = await h.request("/api/docs")
    expect(docs.status).toBe(200)
    expect(docs.body).toContain("/api/v1/openapi.json")
    expect(docs.headers.get("content-security-policy")).toContain("script-src 'self'")
  })

  it("sets security headers", async () => {
    const r = await h.request("/healthz")
    expect(r.headers.get("x-content-type-options")).toBe("nosniff")
    expect(r.headers.get("content-security-policy")).toContain("default-src 'self'")
  })

  it("an unknown route is a problem, not a stack trace", async () => {
    const r = await h.request("/api/v1/nothing-here")
    expect(r.status).toBe(404)
    expect(r.headers.get("content-type")).toContain("application/problem+json")
  })
})

describe("tenancy", () => {
  it("an API key of one organisation gets 404 for another organisation's resources", async () => {
    const revoke = await h.request(`/api/v1/api-keys/${orgs.b.adminKeyId}`, {
      method: "DELETE",
      key: orgs.a.adminKey,
    })
    expect(revoke.status).toBe(404)
    const role = await h.request(`/api/v1/members/${orgs.b.agent.id}`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { role: "supervisor" },
    })
    expect(role.status).toBe(404)
    expect(role.headers.get("content-type")).toContain("application/problem+json")
    // and B's key still works, its agent unchanged
    const members = await h.request("/api/v1/members", { key: orgs.b.adminKey })
    expect(members.body.items.find((m: any) => m.userId === orgs.b.agent.id).role).toBe("agent")
    // lists show only the caller's organisation
    const mine = await h.request("/api/v1/members", { key: orgs.a.adminKey })
    expect(mine.body.items.map((m: any) => m.email).sort()).toEqual(["agent@acme.test", "owner@acme.test"])
  })

  it("a session asking for an organisation it does not belong to gets 404", async () => {
    const cookie = await h.signIn("owner@acme.test", "password-1")
    const r = await h.request("/api/v1/org", { cookie, org: "globex" })
    expect(r.status).toBe(404)
    const own = await h.request("/api/v1/org", { cookie, org: "acme" })
    expect(own.body.slug).toBe("acme")
  })
})

describe("roles", () => {
  it("an agent is refused an admin action with 403", async () => {
    const r = await h.request("/api/v1/api-keys", {
      method: "POST",
      key: orgs.a.agentKey,
      body: { name: "x", role: "admin" },
    })
    expect(r.status).toBe(403)
    expect(r.body).toMatchObject({ status: 403, title: "Forbidden" })
    expect(r.body.detail).toContain("apikeys:manage")
    const cookie = await h.signIn("agent@acme.test", "password-1")
    const s = await h.request(`/api/v1/members/${orgs.a.owner.id}`, { method: "DELETE", cookie })
    expect(s.status).toBe(403)
  })

  it("an admin cannot make an owner, and the last owner cannot be removed", async () => {
    const r = await h.request(`/api/v1/members/${orgs.a.agent.id}`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { role: "owner" },
    })
    expect(r.status).toBe(403)
    const cookie = await h.signIn("owner@acme.test", "password-1")
    const last = await h.request(`/api/v1/members/${orgs.a.owner.id}`, { method: "DELETE", cookie })
    expect(last.status).toBe(409)
  })

  it("without credentials a protected route answers 401", async () => {
    const none = await h.request("/api/v1/members")
    expect(none.status).toBe(401)
    // codes the admin app translates, not only the API's English text
    expect(none.body).toMatchObject({ code: "unauthorized" })
    const wrong = await h.request("/api/v1/auth/sign-in", {
      method: "POST",
      body: { email: "nobody@globex.test", password: "not-the-one" },
    })
    expect(wrong.status).toBe(401)
    expect(wrong.body).toMatchObject({ code: "wrongCredentials", detail: "email or password is wrong" })
    expect(
      (await h.request("/api/v1/members", { key: "tnt_000000000000_bogusbogusbogusbogusbogus" })).status,
    ).toBe(401)
  })
})

describe("input validation", () => {
  it("malformed input gets problem+json naming each field", async () => {
    const r = await h.request("/api/v1/invitations", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { email: "nope", role: "boss" },
    })
    expect(r.status).toBe(400)
    expect(r.headers.get("content-type")).toContain("application/problem+json")
    expect(r.body.errors).toEqual([
      { path: "/email", message: "must be an email address", code: "email" },
      {
        path: "/role",
        message: expect.stringContaining("owner"),
        code: "oneOf",
        params: { values: expect.stringContaining("owner") },
      },
    ])
    expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:\d+/)
  })

  it("a body that is not JSON is named as such", async () => {
    const r = await h.request("/api/v1/api-keys", { method: "POST", key: orgs.a.adminKey, body: "{not json" })
    expect(r.status).toBe(400)
    expect(r.body.errors[0].message).toContain("JSON")
  })

  it("a bad query parameter is named", async () => {
    const r = await h.request("/api/v1/audit?limit=ten&sort=sideways", { key: orgs.a.adminKey })
    expect(r.status).toBe(400)
    expect(r.body.errors.map((e: any) => e.path)).toEqual(["/limit", "/sort"])
  })
})

describe("sessions", () => {
  it("signs in, reads /me, signs out", async () => {
    const cookie = await h.signIn("owner@acme.test", "password-1")
    const me = await h.request("/api/v1/auth/me", { cookie })
    expect(me.body.user.email).toBe("owner@acme.test")
    expect(me.body.memberships[0]).toMatchObject({ slug: "acme", role: "owner" })
    await h.request("/api/v1/auth/sign-out", { method: "POST", cookie })
    expect((await h.request("/api/v1/auth/me", { cookie })).status).toBe(401)
  })

  it("refuses a cross-site change made with a session cookie (CSRF)", async () => {
    const cookie = await h.signIn("owner@acme.test", "password-1")
    const r = await h.request("/api/v1/org", {
      method: "PATCH",
      cookie,
      body: { name: "Hijacked" },
      headers: { origin: "https://evil.example" },
    })
    expect(r.status).toBe(403)
    expect((await h.request("/api/v1/org", { cookie })).body.name).toBe("ACME")
  })

  it("throttles sign-in from a client after repeated failures on an account (429, Retry-After, code)", async () => {
    const tries = []
    for (let i = 0; i < 6; i++)
      tries.push(
        (
          await h.request("/api/v1/auth/sign-in", {
            method: "POST",
            body: { email: "owner@globex.test", password: "wrong-one" },
          })
        ).status,
      )
    expect(tries.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    const last = await h.request("/api/v1/auth/sign-in", {
      method: "POST",
      body: { email: "owner@globex.test", password: "password-1" },
    })
    expect(last.status).toBe(429)
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0)
    expect(last.body).toMatchObject({ code: "signInThrottled", params: { seconds: expect.any(Number) } })
  })

  it("invites a person who accepts and signs in with the given role", async () => {
    const cookie = await h.signIn("owner@acme.test", "password-1")
    const inv = await h.request("/api/v1/invitations", {
      method: "POST",
      cookie,
      body: { email: "qa@acme.test", role: "qa_analyst" },
    })
    expect(inv.status).toBe(201)
    expect(inv.body.url).toContain("/accept-invitation?token=")
    const acc = await h.request("/api/v1/auth/accept-invitation", {
      method: "POST",
      body: { token: inv.body.token, name: "Q. A.", password: "password-2" },
    })
    expect(acc.status).toBe(200)
    const qa = await h.signIn("qa@acme.test", "password-2")
    const me = await h.request("/api/v1/auth/me", { cookie: qa })
    expect(me.body.memberships[0].role).toBe("qa_analyst")
    const again = await h.request("/api/v1/auth/accept-invitation", {
      method: "POST",
      body: { token: inv.body.token },
    })
    expect(again.status).toBe(400)
    expect(again.body.errors[0].path).toBe("/token")
  })
})

describe("audit", () => {
  it("every mutation leaves an audit record, and tampering is detected", async () => {
    const key = orgs.a.adminKey
    const created = await h.request("/api/v1/api-keys", {
      method: "POST",
      key,
      body: { name: "CI", role: "auditor" },
    })
    expect(created.status).toBe(201)
    expect(created.body.secret).toMatch(/^tnt_[0-9a-f]{12}_/)
    await h.request(`/api/v1/api-keys/${created.body.key.id}`, { method: "DELETE", key })
    await h.request("/api/v1/org", { method: "PATCH", key, body: { timeZone: "Europe/Berlin" } })
    await h.request(`/api/v1/members/${orgs.a.agent.id}`, {
      method: "PATCH",
      key,
      body: { role: "supervisor" },
    })
    const list = await h.request("/api/v1/audit?limit=100", { key })
    const actions = list.body.items.map((i: any) => i.action)
    for (const a of ["apikey.created", "apikey.revoked", "org.updated", "member.role_changed"])
      expect(actions).toContain(a)
    const roleChange = list.body.items.find((i: any) => i.action === "member.role_changed")
    expect(roleChange).toMatchObject({
      before: { role: "agent" },
      after: { role: "supervisor" },
      actorType: "api_key",
    })
    expect((await h.request("/api/v1/audit/verify", { key })).body.ok).toBe(true)

    await sql`update core.audit_log set after = '{"role":"owner"}' where org_id = ${orgs.a.org.id}
      and action = 'member.role_changed'`.execute(h.db.kysely)
    const verify = await h.request("/api/v1/audit/verify", { key })
    expect(verify.body.ok).toBe(false)
    expect(verify.body.broken).toMatchObject({ seq: roleChange.seq, reason: "hash_mismatch" })
    // the other organisation's chain is untouched
    expect((await h.request("/api/v1/audit/verify", { key: orgs.b.adminKey })).body.ok).toBe(true)
  })

  it("pages with a keyset cursor, filters and sorts on the server", async () => {
    const key = orgs.b.adminKey
    for (let i = 0; i < 5; i++)
      await h.request("/api/v1/org", { method: "PATCH", key, body: { name: `Globex ${i}` } })
    const seen: number[] = []
    let cursor: string | null = null
    do {
      const r: any = await h.request(
        `/api/v1/audit?limit=2&action=org.*${cursor ? `&cursor=${cursor}` : ""}`,
        { key },
      )
      seen.push(...r.body.items.map((i: any) => i.seq))
      cursor = r.body.nextCursor
      expect(r.body.total).toBe(6)
    } while (cursor)
    expect(seen).toHaveLength(6)
    expect([...seen].sort((a, b) => b - a)).toEqual(seen)
    const byAction = await h.request("/api/v1/audit?sort=action&limit=100", { key })
    const actions = byAction.body.items.map((i: any) => i.action)
    expect(actions).toEqual([...actions].sort())
  })

  it("lists every record type written to the organisation's log, for its type filter", async () => {
    const key = orgs.a.adminKey
    await h.request("/api/v1/process/cases", {
      method: "POST",
      key,
      body: { type: "inquiry", channel: "chat", subject: "audit types" },
    })
    const r = await h.request("/api/v1/audit/entity-types", { key })
    expect(r.status).toBe(200)
    const written = await sql<{ entity_type: string }>`select distinct entity_type from core.audit_log
      where org_id = ${orgs.a.org.id} order by entity_type`.execute(h.db.kysely)
    expect(r.body.items).toEqual(written.rows.map((x) => x.entity_type))
    // more than the four types the filter once offered, the case among them
    expect(r.body.items).toEqual(expect.arrayContaining(["api_key", "organization", "case"]))
    expect(r.body.items.length).toBeGreaterThan(4)
    // each organisation its own
    const b = await h.request("/api/v1/audit/entity-types", { key: orgs.b.adminKey })
    const bWritten = await sql<{ entity_type: string }>`select distinct entity_type from core.audit_log
      where org_id = ${orgs.b.org.id} order by entity_type`.execute(h.db.kysely)
    expect(b.body.items).toEqual(bWritten.rows.map((x) => x.entity_type))
  })

  it("is readable by an auditor but not by an agent", async () => {
    const cookie = await h.signIn("agent@globex.test", "password-1")
    expect((await h.request("/api/v1/audit", { cookie })).status).toBe(403)
    const auditorKey = await h.request("/api/v1/api-keys", {
      method: "POST",
      key: orgs.b.adminKey,
      body: { name: "auditor", role: "auditor" },
    })
    expect((await h.request("/api/v1/audit", { key: auditorKey.body.secret })).status).toBe(200)
  })
})
