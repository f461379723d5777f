import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { AuditCheckpoint, Tenancy } from "@tenet/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createApp } from "../src/app"
import type { OriginPolicy } from "../src/http/origin"
import * as Iam from "../src/iam/service"
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

/** The same database behind an app with another origin policy (a proxy, a public URL). */
const appWith = (origin: OriginPolicy, extra: Partial<Parameters<typeof createApp>[0]> = {}) =>
  createApp({ db: h.db, logError: () => {}, plugins: h.plugins, origin, ...extra })

const call = async (
  app: ReturnType<typeof createApp>,
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) => {
  const res = await app.request(url, {
    method: init.method ?? "GET",
    headers: { ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
  const text = await res.text()
  let body: any = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {}
  return { status: res.status, body, headers: res.headers }
}

const person = async (slug: "a" | "b", email: string, role: Tenancy.Role) => {
  const user = await Iam.createUser(h.db, { email, name: email, password: "password-1" })
  await Iam.addMember(h.db, Tenancy.system(orgs[slug].org.id), { userId: user.id, role })
  return user
}

describe("API keys follow their creator", () => {
  it("a removed member's keys stop at once, and so do keys those keys minted", async () => {
    const user = await person("a", "leaver@acme.test", "admin")
    const cookie = await h.signIn("leaver@acme.test", "password-1")
    const made = await h.request("/api/v1/api-keys", {
      method: "POST",
      cookie,
      body: { name: "leaver's key", role: "admin" },
    })
    expect(made.status).toBe(201)
    const key = made.body.secret as string
    const minted = await h.request("/api/v1/api-keys", {
      method: "POST",
      key,
      body: { name: "minted by a key", role: "admin" },
    })
    expect(minted.status).toBe(201)
    // both work, and are cached as verified
    expect((await h.request("/api/v1/members", { key })).status).toBe(200)
    expect((await h.request("/api/v1/members", { key: minted.body.secret })).status).toBe(200)
    const removed = await h.request(`/api/v1/members/${user.id}`, { method: "DELETE", key: orgs.a.adminKey })
    expect(removed.status).toBe(204)
    expect((await h.request("/api/v1/members", { key })).status).toBe(401)
    expect((await h.request("/api/v1/members", { key: minted.body.secret })).status).toBe(401)
    const again = await h.request("/api/v1/api-keys", {
      method: "POST",
      key,
      body: { name: "one more", role: "admin" },
    })
    expect(again.status).toBe(401)
  })

  it("a key never acts above its creator's current role", async () => {
    const user = await person("a", "demoted@acme.test", "admin")
    const cookie = await h.signIn("demoted@acme.test", "password-1")
    const made = await h.request("/api/v1/api-keys", {
      method: "POST",
      cookie,
      body: { name: "admin key", role: "admin" },
    })
    const key = made.body.secret as string
    expect((await h.request("/api/v1/api-keys", { key })).status).toBe(200)
    const changed = await h.request(`/api/v1/members/${user.id}`, {
      method: "PATCH",
      key: orgs.a.adminKey,
      body: { role: "supervisor" },
    })
    expect(changed.status).toBe(204)
    const me = await h.request("/api/v1/auth/me", { key })
    expect(me.body.apiKey.role).toBe("supervisor")
    expect((await h.request("/api/v1/api-keys", { key })).status).toBe(403)
  })

  it("nobody makes a key with more than their own role", async () => {
    await person("a", "qa-maker@acme.test", "supervisor")
    const cookie = await h.signIn("qa-maker@acme.test", "password-1")
    // supervisors have no apikeys:manage; an admin's key cannot mint an owner key
    const r = await h.request("/api/v1/api-keys", {
      method: "POST",
      key: orgs.a.adminKey,
      body: { name: "owner please", role: "owner" },
    })
    expect(r.status).toBe(403)
    expect(
      (await h.request("/api/v1/api-keys", { method: "POST", cookie, body: { name: "x", role: "agent" } }))
        .status,
    ).toBe(403)
  })
})

describe("sign-in throttling does not lock anyone out", () => {
  const proxied = () => appWith({ trustProxy: true })
  const signInFrom = (app: ReturnType<typeof createApp>, ip: string, email: string, password: string) =>
    call(app, "http://localhost/api/v1/auth/sign-in", {
      method: "POST",
      body: { email, password },
      headers: { "x-forwarded-for": ip },
    })

  it("an attacker's failures slow the attacker, not the owner signing in from elsewhere", async () => {
    await person("b", "target@globex.test", "owner")
    const app = proxied()
    for (let i = 0; i < 5; i++)
      expect((await signInFrom(app, "203.0.113.9", "target@globex.test", "guess")).status).toBe(401)
    const throttled = await signInFrom(app, "203.0.113.9", "target@globex.test", "password-1")
    expect(throttled.status).toBe(429)
    expect(throttled.body.code).toBe("signInThrottled")
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0)
    // the real owner, from their own client, signs in
    const owner = await signInFrom(app, "198.51.100.7", "target@globex.test", "password-1")
    expect(owner.status).toBe(200)
    // and many more failures never lock them
    for (let i = 0; i < 5; i++) await signInFrom(app, "203.0.113.9", "target@globex.test", "guess")
    expect((await signInFrom(app, "198.51.100.7", "target@globex.test", "password-1")).status).toBe(200)
  })

  it("a client failing over many accounts waits for all of them; other clients do not", async () => {
    await person("b", "spray@globex.test", "agent")
    const app = proxied()
    for (let i = 0; i < Iam.THROTTLE.CLIENT_FREE_FAILURES; i++)
      await signInFrom(app, "203.0.113.50", `nobody${i}@globex.test`, "guess")
    const sprayer = await signInFrom(app, "203.0.113.50", "spray@globex.test", "password-1")
    expect(sprayer.status).toBe(429)
    expect((await signInFrom(app, "198.51.100.8", "spray@globex.test", "password-1")).status).toBe(200)
  })

  it("X-Forwarded-For is ignored unless the proxy is trusted", async () => {
    await person("b", "spoof@globex.test", "agent")
    const app = appWith({})
    // the untrusted header does not make a fresh client for each try
    for (let i = 0; i < 5; i++) await signInFrom(app, `192.0.2.${i}`, "spoof@globex.test", "guess")
    expect((await signInFrom(app, "192.0.2.99", "spoof@globex.test", "guess")).status).toBe(429)
  })
})

describe("sessions", () => {
  it("a session is resolved from this process's cache, yet every change made here is seen at once", async () => {
    const user = await person("a", "cached@acme.test", "agent")
    const cookie = await h.signIn("cached@acme.test", "password-1")
    const me = () => h.request("/api/v1/auth/me", { cookie })
    expect((await me()).body.memberships.map((m: any) => m.role)).toEqual(["agent"]) // now cached
    // a role change through the service (as the CLI of this process would)
    await Iam.changeRole(h.db, Tenancy.system(orgs.a.org.id), user.id, "supervisor")
    expect((await me()).body.memberships.map((m: any) => m.role)).toEqual(["supervisor"])
    // joining a second organisation: usable on the very next request
    await Iam.addMember(h.db, Tenancy.system(orgs.b.org.id), { userId: user.id, role: "auditor" })
    const other = await h.request("/api/v1/process/cases?limit=1", {
      cookie,
      headers: { "x-tenet-org": orgs.b.org.id },
    })
    expect(other.status).toBe(200)
    // a profile change over HTTP
    const renamed = await h.request("/api/v1/auth/me", { method: "PATCH", cookie, body: { name: "Renamed" } })
    expect(renamed.status).toBe(200)
    expect((await me()).body.user.name).toBe("Renamed")
    // removal from the organisation
    await Iam.removeMember(h.db, Tenancy.system(orgs.b.org.id), user.id)
    const gone = await h.request("/api/v1/process/cases?limit=1", {
      cookie,
      headers: { "x-tenet-org": orgs.b.org.id },
    })
    expect(gone.status).toBe(404)
    // sign-out
    expect((await h.request("/api/v1/auth/sign-out", { method: "POST", cookie })).status).toBeLessThan(300)
    expect((await me()).status).toBe(401)
  })

  it("a sign-in ends the session it was sent with (rotation)", async () => {
    await person("a", "rotate@acme.test", "agent")
    const first = await h.signIn("rotate@acme.test", "password-1")
    const res = await h.app.request("http://localhost/api/v1/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: first, origin: "http://localhost" },
      body: JSON.stringify({ email: "rotate@acme.test", password: "password-1" }),
    })
    expect(res.status).toBe(200)
    const second = res.headers.get("set-cookie")!.split(";")[0]!
    expect(second).not.toBe(first)
    expect((await h.request("/api/v1/auth/me", { cookie: first })).status).toBe(401)
    expect((await h.request("/api/v1/auth/me", { cookie: second })).status).toBe(200)
  })

  it("a password change ends every session; the changing browser gets a new one", async () => {
    await person("a", "pw@acme.test", "agent")
    const laptop = await h.signIn("pw@acme.test", "password-1")
    const phone = await h.signIn("pw@acme.test", "password-1")
    const wrong = await h.request("/api/v1/auth/password", {
      method: "POST",
      cookie: laptop,
      body: { currentPassword: "nope-nope", newPassword: "password-2" },
    })
    expect(wrong.status).toBe(400)
    expect(wrong.body.errors[0]).toMatchObject({ path: "/currentPassword", code: "passwordWrong" })
    const r = await h.app.request("http://localhost/api/v1/auth/password", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: laptop, origin: "http://localhost" },
      body: JSON.stringify({ currentPassword: "password-1", newPassword: "password-2" }),
    })
    expect(r.status).toBe(204)
    const fresh = r.headers.get("set-cookie")!.split(";")[0]!
    expect((await h.request("/api/v1/auth/me", { cookie: laptop })).status).toBe(401)
    expect((await h.request("/api/v1/auth/me", { cookie: phone })).status).toBe(401)
    expect((await h.request("/api/v1/auth/me", { cookie: fresh })).status).toBe(200)
    await expect(h.signIn("pw@acme.test", "password-1")).rejects.toThrow()
    expect(await h.signIn("pw@acme.test", "password-2")).toBeTruthy()
  })

  it("guessing the current password through a session is throttled like sign-in", async () => {
    await person("a", "stolen@acme.test", "agent")
    const app = appWith({ trustProxy: true })
    const cookie = await h.signIn("stolen@acme.test", "password-1")
    const guess = () =>
      call(app, "http://localhost/api/v1/auth/password", {
        method: "POST",
        body: { currentPassword: "guess-guess", newPassword: "password-9" },
        headers: { cookie, origin: "http://localhost", "x-forwarded-for": "203.0.113.77" },
      })
    for (let i = 0; i < Iam.THROTTLE.ACCOUNT_FREE_FAILURES; i++) expect((await guess()).status).toBe(400)
    const r = await guess()
    expect(r.status).toBe(429)
    expect(r.body.code).toBe("signInThrottled")
  })

  it("signs out everywhere else", async () => {
    await person("a", "elsewhere@acme.test", "agent")
    const here = await h.signIn("elsewhere@acme.test", "password-1")
    const there = await h.signIn("elsewhere@acme.test", "password-1")
    const other = await h.signIn("owner@acme.test", "password-1")
    const r = await h.request("/api/v1/auth/sign-out-others", { method: "POST", cookie: here })
    expect(r.status).toBe(200)
    expect(r.body.ended).toBe(1)
    expect((await h.request("/api/v1/auth/me", { cookie: here })).status).toBe(200)
    expect((await h.request("/api/v1/auth/me", { cookie: there })).status).toBe(401)
    expect((await h.request("/api/v1/auth/me", { cookie: other })).status).toBe(200)
  })
})

describe("origins", () => {
  it("refuses a sign-in from a foreign page (login CSRF)", async () => {
    const foreign = await call(h.app, "http://localhost/api/v1/auth/sign-in", {
      method: "POST",
      body: { email: "owner@acme.test", password: "password-1" },
      headers: { origin: "https://evil.example" },
    })
    expect(foreign.status).toBe(403)
    expect(foreign.headers.get("set-cookie")).toBeNull()
    const crossSite = await call(h.app, "http://localhost/api/v1/auth/sign-in", {
      method: "POST",
      body: { email: "owner@acme.test", password: "password-1" },
      headers: { "sec-fetch-site": "cross-site" },
    })
    expect(crossSite.status).toBe(403)
  })

  it("own origin is the public URL, not the Host header", async () => {
    const app = appWith({ publicUrl: "https://tenet.example.com" })
    const cookie = await h.signIn("owner@acme.test", "password-1")
    // a request whose Host (and so its URL) is the attacker's, with the attacker's Origin
    const forged = await call(app, "http://evil.example/api/v1/org", {
      method: "PATCH",
      body: { name: "Hijacked" },
      headers: { cookie, origin: "http://evil.example" },
    })
    expect(forged.status).toBe(403)
    const own = await call(app, "http://evil.example/api/v1/org", {
      method: "PATCH",
      body: { name: "ACME" },
      headers: { cookie, origin: "https://tenet.example.com" },
    })
    expect(own.status).toBe(200)
  })

  it("without a public URL, own origin is the listening address", async () => {
    const app = appWith({ listen: { host: "127.0.0.1", port: 3999 } })
    const cookie = await h.signIn("owner@acme.test", "password-1")
    const byHost = await call(app, "http://evil.example/api/v1/auth/sign-out", {
      method: "POST",
      headers: { cookie, origin: "http://evil.example" },
    })
    expect(byHost.status).toBe(403)
    const own = await call(app, "http://evil.example/api/v1/auth/sign-in", {
      method: "POST",
      body: { email: "owner@acme.test", password: "password-1" },
      headers: { origin: "http://127.0.0.1:3999" },
    })
    expect(own.status).toBe(200)
  })

  it("forwarded headers count only from a trusted proxy", async () => {
    const cookie = await h.signIn("owner@acme.test", "password-1")
    const headers = {
      cookie,
      origin: "https://tenet.example.com",
      "x-forwarded-proto": "https",
      "x-forwarded-host": "tenet.example.com",
    }
    const untrusted = appWith({ listen: { host: "127.0.0.1", port: 3999 } })
    expect((await call(untrusted, "http://x/api/v1/auth/sign-out", { method: "POST", headers })).status).toBe(
      403,
    )
    const trusted = appWith({ trustProxy: true, listen: { host: "127.0.0.1", port: 3999 } })
    expect((await call(trusted, "http://x/api/v1/auth/sign-out", { method: "POST", headers })).status).toBe(
      200,
    )
  })
})

describe("the session cookie is Secure over https", () => {
  const signInCookie = async (app: ReturnType<typeof createApp>, headers: Record<string, string> = {}) =>
    (
      await call(app, "http://localhost/api/v1/auth/sign-in", {
        method: "POST",
        body: { email: "owner@acme.test", password: "password-1" },
        headers,
      })
    ).headers.get("set-cookie") ?? ""

  it("behind a trusted proxy that says https, or with an https public URL", async () => {
    expect(await signInCookie(appWith({ trustProxy: true }), { "x-forwarded-proto": "https" })).toContain(
      "Secure",
    )
    expect(await signInCookie(appWith({ publicUrl: "https://tenet.example.com" }))).toContain("Secure")
    expect(await signInCookie(appWith({}), { "x-forwarded-proto": "https" })).not.toContain("Secure")
    const plain = await signInCookie(appWith({}))
    expect(plain).toContain("HttpOnly")
    expect(plain).not.toContain("Secure")
  })
})

describe("headers and paths", () => {
  it("the API docs get security headers with their own CSP", async () => {
    const docs = await h.request("/api/docs")
    expect(docs.headers.get("x-content-type-options")).toBe("nosniff")
    expect(docs.headers.get("x-frame-options")).toBeTruthy()
    expect(docs.headers.get("content-security-policy")).toContain("frame-ancestors 'none'")
    expect(docs.body).not.toMatch(/<script>[^<]/)
    const init = await h.request("/api/docs/init.js")
    expect(init.status).toBe(200)
  })

  it("plugin folders on the server are shown to admins only", async () => {
    const auditorKey = (
      await Iam.createApiKey(h.db, Tenancy.system(orgs.a.org.id), { name: "a", role: "auditor" })
    ).secret
    const forAuditor = await h.request("/api/v1/plugins", { key: auditorKey })
    expect(forAuditor.status).toBe(200)
    expect(JSON.stringify(forAuditor.body)).not.toContain(process.cwd())
    const forAdmin = await h.request("/api/v1/plugins", { key: orgs.a.adminKey })
    expect(forAdmin.body.items.length).toBe(forAuditor.body.items.length)
  })
})

describe("signed audit checkpoints over the API", () => {
  it("an auditor downloads the organisation's checkpoints and the public key; they verify", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tenet-ckp-"))
    const key = AuditCheckpoint.loadKey(join(dir, "key.pem"), { create: true })
    const app = appWith({}, { auditSigner: { key, dir: join(dir, "out") } })
    const auditorKey = (
      await Iam.createApiKey(h.db, Tenancy.system(orgs.a.org.id), { name: "b", role: "auditor" })
    ).secret
    const denied = await call(app, "http://localhost/api/v1/audit/checkpoints", {
      method: "POST",
      headers: { authorization: `Bearer ${auditorKey}` },
    })
    expect(denied.status).toBe(403)
    const made = await call(app, "http://localhost/api/v1/audit/checkpoints", {
      method: "POST",
      headers: { authorization: `Bearer ${orgs.a.adminKey}` },
    })
    expect(made.status).toBe(201)
    expect(made.body.payload).toMatchObject({ scope: "org", orgId: orgs.a.org.id })
    const list = await call(app, "http://localhost/api/v1/audit/checkpoints", {
      headers: { authorization: `Bearer ${auditorKey}` },
    })
    expect(list.body.items.length).toBeGreaterThan(0)
    expect(list.body.items.every((c: any) => c.payload.orgId === orgs.a.org.id)).toBe(true)
    const pub = await call(app, "http://localhost/api/v1/audit/checkpoints/public-key", {
      headers: { authorization: `Bearer ${auditorKey}` },
    })
    const publicKey = AuditCheckpoint.loadPublicKey(pub.body.publicKeyPem)
    expect(publicKey.keyId).toBe(key.keyId)
    expect(list.body.items.every((c: any) => AuditCheckpoint.isSignedBy(c, publicKey))).toBe(true)
    const r = await AuditCheckpoint.verifyWith(h.db, list.body.items, publicKey)
    expect(r.problems).toEqual([])
  })
})
