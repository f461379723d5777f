/**
 * OIDC single sign-on against a real OpenID provider (oidc-provider) on loopback: the
 * authorisation-code flow with PKCE, state bound to the browser, just-in-time membership with
 * the role from a claim, linking by verified e-mail only, allowed domains, password sign-in off.
 */
import { testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, makeHarness, ORIGIN, seedTwoOrgs } from "./helpers"
import { type OpenIdProvider, startOpenIdProvider } from "./servers"

let h: Harness
let op: OpenIdProvider
let seed: Awaited<ReturnType<typeof seedTwoOrgs>>
let ownerCookie: string

const settings = (over: Record<string, unknown> = {}) => ({
  displayName: "Acme Login",
  issuer: op.issuer,
  clientId: op.clientId,
  clientSecret: op.clientSecret,
  scopes: "openid email profile groups",
  allowedDomains: ["acme.test"],
  roleClaim: "groups",
  roleMap: [
    { value: "cs-leads", role: "supervisor" },
    { value: "cs-quality", role: "qa_analyst" },
  ],
  defaultRole: "agent",
  enabled: true,
  passwordSignIn: true,
  ...over,
})

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]!)

/** A browser's way through: start at Tenet, the provider's login form, back to Tenet's callback. */
const signOn = async (login: string, opts: { slug?: string; tamperState?: boolean } = {}) => {
  const start = await h.app.request(`${ORIGIN}/api/v1/auth/sso/orgs/${opts.slug ?? "acme"}/start`)
  expect(start.status).toBe(302)
  const authUrl = new URL(start.headers.get("location")!)
  if (!authUrl.href.startsWith(op.issuer)) return { start, authUrl, callback: start }
  const tenetCookies = cookiesOf(start)
  const jar = new Map<string, string>()
  let url = authUrl
  let init: RequestInit = {}
  for (let hop = 0; hop < 12; hop++) {
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers ?? {}), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
    })
    for (const c of cookiesOf(res)) {
      const [k, ...v] = c.split("=")
      jar.set(k!, v.join("="))
    }
    init = {}
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get("location")!, url)
      if (url.origin === ORIGIN) break
      continue
    }
    const html = await res.text()
    const action = /action="([^"]+)"/.exec(html)?.[1]
    if (!action) throw new Error(`no form at ${url}: ${res.status} ${html.slice(0, 300)}`)
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1] ?? "login"
    url = new URL(action, url)
    init = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(
        prompt === "login" ? { prompt, login, password: "any" } : { prompt },
      ).toString(),
    }
  }
  if (opts.tamperState) url.searchParams.set("state", "forged-state")
  const callback = await h.app.request(url.href, { headers: { cookie: tenetCookies.join("; ") } })
  return { start, authUrl, callback }
}

const sessionOf = (res: Response) =>
  cookiesOf(res).find((c) => c.startsWith("tenet_session=") && c.length > 15)

beforeAll(async () => {
  h = await makeHarness()
  seed = await seedTwoOrgs(h)
  op = await startOpenIdProvider([`${ORIGIN}/api/v1/auth/sso/callback`])
  ownerCookie = await h.signIn("owner@acme.test", "password-1")
  const put = await h.request("/api/v1/sso/settings", {
    method: "PUT",
    cookie: ownerCookie,
    body: settings(),
  })
  expect(put.status).toBe(200)
}, 60_000)
afterAll(async () => {
  await op?.close()
  await h?.db.close()
})

describe(`OIDC single sign-on (${testEngine()})`, () => {
  it("keeps the settings for settings:manage only, never returns the secret, names bad fields", async () => {
    const got = await h.request("/api/v1/sso/settings", { cookie: ownerCookie })
    expect(got.status).toBe(200)
    expect(got.body.settings).toMatchObject({ displayName: "Acme Login", clientSecretSet: true })
    expect(JSON.stringify(got.body)).not.toContain(op.clientSecret)
    const row = await h.db.kysely
      .selectFrom("iam.sso_provider" as never)
      .select("client_secret" as never)
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toContain(op.clientSecret)
    const agent = await h.signIn("agent@acme.test", "password-1")
    expect((await h.request("/api/v1/sso/settings", { cookie: agent })).status).toBe(403)
    const bad = await h.request("/api/v1/sso/settings", {
      method: "PUT",
      cookie: ownerCookie,
      body: settings({ scopes: "email", allowedDomains: ["not a domain"], defaultRole: "owner" }),
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(["/scopes", "/allowedDomains/0", "/defaultRole"]),
    )
    const http = await h.request("/api/v1/sso/settings", {
      method: "PUT",
      cookie: ownerCookie,
      body: settings({ issuer: "http://idp.example.com/realms/acme" }),
    })
    expect(http.status).toBe(400)
    expect(http.body.errors[0]).toMatchObject({ path: "/issuer", code: "issuerHttp" })
    const badType = await h.request("/api/v1/sso/settings", {
      method: "PUT",
      cookie: ownerCookie,
      body: settings({ enabled: "yes" }),
    })
    expect(badType.status).toBe(400)
    expect(badType.body.errors[0].path).toBe("/enabled")
    const pub = await h.request("/api/v1/auth/sso/orgs/acme")
    expect(pub.body.provider).toEqual({
      slug: "acme",
      organization: "ACME",
      displayName: "Acme Login",
      passwordSignIn: true,
    })
    expect((await h.request("/api/v1/auth/sso/orgs/globex")).body.provider).toBeNull()
  })

  it("signs a new person in with PKCE, makes them a member in the mapped role, audits it", async () => {
    op.accounts.set("lea", {
      email: "lea@acme.test",
      email_verified: true,
      name: "Lea Lead",
      groups: ["cs-leads"],
    })
    const { authUrl, callback } = await signOn("lea")
    expect(authUrl.searchParams.get("code_challenge_method")).toBe("S256")
    expect(authUrl.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/)
    expect(authUrl.searchParams.get("state")).toBeTruthy()
    expect(authUrl.searchParams.get("nonce")).toBeTruthy()
    expect(callback.status).toBe(302)
    expect(callback.headers.get("location")).toBe("/")
    const cookie = sessionOf(callback)!
    const me = await h.request("/api/v1/auth/me", { cookie })
    expect(me.body.user).toMatchObject({ email: "lea@acme.test", name: "Lea Lead" })
    expect(me.body.memberships).toEqual([expect.objectContaining({ slug: "acme", role: "supervisor" })])
    const audit = await h.request("/api/v1/audit?limit=20", { cookie: ownerCookie })
    const actions = (audit.body.items ?? audit.body.records ?? []).map((r: { action: string }) => r.action)
    expect(actions).toEqual(expect.arrayContaining(["sso.signed_in", "member.added", "sso.settings_changed"]))
    // sign-out ends the session and, for a session opened through the provider, answers the provider's
    // end-session URL (RP-initiated logout) with the ID token as a hint and the way back to the sign-in page
    const ssoCookie = cookiesOf(callback).find((c) => c.startsWith("tenet_sso_session="))!
    expect(ssoCookie.split("=")[1]!.split(".")[0]).toBe(seed.a.org.id)
    const out = await h.request("/api/v1/auth/sign-out", {
      method: "POST",
      cookie: `${cookie}; ${ssoCookie}`,
    })
    expect(out.status).toBe(200)
    const end = new URL(out.body.providerSignOut)
    expect(end.href.startsWith(`${op.issuer}/`)).toBe(true)
    expect(end.searchParams.get("post_logout_redirect_uri")).toBe(`${ORIGIN}/sign-in`)
    expect(end.searchParams.get("id_token_hint")?.split(".")).toHaveLength(3)
    expect((await h.request("/api/v1/auth/me", { cookie })).status).toBe(401)
    // a password session (no provider cookie) only ends Tenet's session
    const plain = await h.request("/api/v1/auth/sign-out", {
      method: "POST",
      cookie: await h.signIn("owner@acme.test", "password-1"),
    })
    expect(plain.body).toEqual({ providerSignOut: null })
  })

  it("follows the role claim at the next sign-on; the default role when no rule matches", async () => {
    op.accounts.set("qa", { email: "qa@acme.test", email_verified: true, name: "Q", groups: ["others"] })
    let cookie = sessionOf((await signOn("qa")).callback)!
    expect((await h.request("/api/v1/auth/me", { cookie })).body.memberships[0].role).toBe("agent")
    op.accounts.set("qa", { email: "qa@acme.test", email_verified: true, name: "Q", groups: ["cs-quality"] })
    cookie = sessionOf((await signOn("qa")).callback)!
    expect((await h.request("/api/v1/auth/me", { cookie })).body.memberships[0].role).toBe("qa_analyst")
  })

  it("refuses a callback whose state is not this browser's", async () => {
    op.accounts.set("sam", { email: "sam@acme.test", email_verified: true, name: "Sam", groups: [] })
    const { callback } = await signOn("sam", { tamperState: true })
    expect(callback.status).toBe(302)
    expect(callback.headers.get("location")).toBe("/sign-in?ssoError=ssoStateInvalid")
    expect(sessionOf(callback)).toBeUndefined()
  })

  it("links an existing user only when the provider says the e-mail is verified", async () => {
    op.accounts.set("agent-unverified", {
      email: "agent@acme.test",
      email_verified: false,
      name: "Agent",
      groups: ["cs-leads"],
    })
    const refused = (await signOn("agent-unverified")).callback
    expect(refused.headers.get("location")).toBe("/sign-in?ssoError=ssoEmailUnverified")
    expect(sessionOf(refused)).toBeUndefined()
    op.accounts.set("agent-verified", {
      email: "Agent@acme.test",
      email_verified: true,
      name: "Agent",
      groups: [],
    })
    const linked = (await signOn("agent-verified")).callback
    const me = await h.request("/api/v1/auth/me", { cookie: sessionOf(linked)! })
    expect(me.body.user.id).toBe(seed.a.agent.id)
    expect(me.body.memberships[0].role).toBe("agent")
  })

  it("refuses an e-mail domain the organisation does not allow", async () => {
    op.accounts.set("eve", {
      email: "eve@evil.test",
      email_verified: true,
      name: "Eve",
      groups: ["cs-leads"],
    })
    const { callback } = await signOn("eve")
    expect(callback.headers.get("location")).toBe("/sign-in?ssoError=ssoDomainNotAllowed")
    const users = await h.db.kysely
      .selectFrom("iam.user" as never)
      .select("email" as never)
      .where("email" as never, "=", "eve@evil.test" as never)
      .execute()
    expect(users).toEqual([])
  })

  it("turns password sign-in off for members (owners keep it), and the start refuses an unknown slug", async () => {
    const put = await h.request("/api/v1/sso/settings", {
      method: "PUT",
      cookie: ownerCookie,
      body: { ...settings({ passwordSignIn: false }), clientSecret: undefined },
    })
    expect(put.status).toBe(200)
    const agent = await h.request("/api/v1/auth/sign-in", {
      method: "POST",
      body: { email: "agent@acme.test", password: "password-1" },
    })
    expect(agent.status).toBe(400)
    expect(agent.body.errors[0]).toMatchObject({ path: "/password", code: "passwordSignInOff" })
    // a wrong password still says only that it is wrong
    const wrong = await h.request("/api/v1/auth/sign-in", {
      method: "POST",
      body: { email: "agent@acme.test", password: "nope-nope" },
    })
    expect(wrong.status).toBe(401)
    await h.signIn("owner@acme.test", "password-1")
    await h.signIn("agent@globex.test", "password-1")
    // single sign-on still works with the kept secret
    op.accounts.set("lea", {
      email: "lea@acme.test",
      email_verified: true,
      name: "Lea Lead",
      groups: ["cs-leads"],
    })
    expect(sessionOf((await signOn("lea")).callback)).toBeTruthy()
    const none = await h.app.request(`${ORIGIN}/api/v1/auth/sso/orgs/globex/start`)
    expect(none.headers.get("location")).toBe("/sign-in?ssoError=ssoNotConfigured&org=globex")
  })
})
