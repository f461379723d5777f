/**
 * OIDC single sign-on: the organisation's provider settings (settings:manage), what the sign-in
 * page may know of it, the start (a redirect to the provider) and the callback (a session, then a
 * redirect into the app, or back to the sign-in page with `ssoError`). See docs/sso.md.
 */
import { Schema } from "effect"
import type { Context } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import { endpoint } from "../http/endpoint"
import type { AppEnv } from "../http/env"
import { clientAddress, isHttps, ownOrigins } from "../http/origin"
import * as Iam from "../iam/service"
import { signInWithClaims } from "../iam/sso/accounts"
import { endSessionUrl, FLOW_MINUTES, finishFlow, startFlow } from "../iam/sso/flow"
import { SsoRefused } from "../iam/sso/refused"
import { deleteSsoSettings, getSsoSettings, publicProvider, putSsoSettings } from "../iam/sso/settings"
import { SESSION_COOKIE, setSessionCookie } from "./auth"
import * as S from "./schemas"

const STATE_COOKIE = "tenet_sso_state"
const CALLBACK = "/api/v1/auth/sso/callback"
/** A session opened through the provider: its organisation and ID token, for signing out of the provider too. */
export const SSO_SESSION_COOKIE = "tenet_sso_session"
const SSO_SESSION_PATH = "/api/v1/auth"

/** Where the provider sends the browser after signing out of it (register it with the provider). */
export const POST_LOGOUT_PATH = "/sign-in"

export const SsoSettingsBody = Schema.Struct({
  displayName: S.NonEmptyShort,
  issuer: S.NonEmpty.check(Schema.isMaxLength(2000, { message: "must be at most 2000 characters" })),
  clientId: S.NonEmptyShort,
  clientSecret: Schema.optionalKey(
    S.NonEmpty.check(Schema.isMaxLength(2000, { message: "must be at most 2000 characters" })),
  ),
  scopes: S.NonEmpty.check(Schema.isMaxLength(500, { message: "must be at most 500 characters" })),
  allowedDomains: Schema.Array(S.NonEmptyShort).check(
    Schema.isMaxLength(50, { message: "must be at most 50 items" }),
  ),
  roleClaim: S.ShortText,
  roleMap: Schema.Array(Schema.Struct({ value: S.NonEmptyShort, role: S.Role })).check(
    Schema.isMaxLength(50, { message: "must be at most 50 items" }),
  ),
  defaultRole: S.Role,
  enabled: Schema.Boolean,
  passwordSignIn: Schema.Boolean,
}).annotate({ identifier: "SsoSettingsInput" })

/** The origin the provider sends the browser back to: the public URL, else the one this request came to. */
const ownOrigin = (c: Context<AppEnv>) => {
  const policy = c.get("origin")
  if (policy.publicUrl) return new URL(policy.publicUrl).origin
  const own = ownOrigins(c, policy)
  const here = new URL(c.req.url).origin
  return own.has(here) ? here : [...own][0]!
}

const backToSignIn = (c: Context<AppEnv>, code: string, slug?: string) =>
  c.redirect(`/sign-in?${new URLSearchParams({ ssoError: code, ...(slug ? { org: slug } : {}) })}`, 302)

export const ssoEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/sso/settings",
    operationId: "getSsoSettings",
    summary: "The organisation's single sign-on provider (the client secret never shown), or null",
    tag: "Single sign-on",
    access: "settings:manage",
    handler: async (c, { ctx }) => ({ settings: await getSsoSettings(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/sso/settings",
    operationId: "putSsoSettings",
    summary: "Set the organisation's single sign-on provider (omit clientSecret to keep the stored one)",
    tag: "Single sign-on",
    access: "settings:manage",
    body: SsoSettingsBody,
    handler: async (c, { ctx, body }) => ({ settings: await putSsoSettings(c.get("db"), ctx, body) }),
  }),
  endpoint({
    method: "delete",
    path: "/api/v1/sso/settings",
    operationId: "deleteSsoSettings",
    summary: "Remove the organisation's single sign-on provider (and the identities linked through it)",
    tag: "Single sign-on",
    access: "settings:manage",
    status: 204,
    handler: async (c, { ctx }) => {
      await deleteSsoSettings(c.get("db"), ctx)
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/auth/sso/orgs/{slug}",
    operationId: "getSsoProvider",
    summary:
      "Whether an organisation (by slug) signs in with a provider, its name, and whether passwords still work",
    tag: "Auth",
    access: "public",
    handler: async (c, { params }) => {
      const p = await publicProvider(c.get("db"), params.slug!)
      return {
        provider: p
          ? {
              slug: p.slug,
              organization: p.organization,
              displayName: p.displayName,
              passwordSignIn: p.passwordSignIn,
            }
          : null,
      }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/auth/sso/orgs/{slug}/start",
    operationId: "startSso",
    summary: "Start single sign-on: redirects (302) to the organisation's provider",
    tag: "Auth",
    access: "public",
    handler: async (c, { params }) => {
      const db = c.get("db")
      const slug = params.slug!
      const provider = await publicProvider(db, slug)
      if (!provider) return backToSignIn(c, "ssoNotConfigured", slug)
      try {
        const { url, state } = await startFlow(db, provider.orgId, `${ownOrigin(c)}${CALLBACK}`)
        setCookie(c, STATE_COOKIE, state, {
          httpOnly: true,
          sameSite: "Lax",
          path: CALLBACK,
          secure: isHttps(c, c.get("origin")),
          maxAge: FLOW_MINUTES * 60,
        })
        return c.redirect(url, 302)
      } catch (e) {
        if (e instanceof SsoRefused) return backToSignIn(c, e.code, slug)
        throw e
      }
    },
  }),
  endpoint({
    method: "get",
    path: CALLBACK,
    operationId: "ssoCallback",
    summary: "Where the provider sends the browser back: signs in, then redirects (302) into the app",
    tag: "Auth",
    access: "public",
    handler: async (c) => {
      const db = c.get("db")
      const redirectUri = `${ownOrigin(c)}${CALLBACK}`
      const callbackUrl = new URL(`${redirectUri}${new URL(c.req.url).search}`)
      const cookieState = getCookie(c, STATE_COOKIE)
      deleteCookie(c, STATE_COOKIE, { path: CALLBACK })
      if (callbackUrl.searchParams.get("error")) return backToSignIn(c, "ssoProviderError")
      try {
        const done = await finishFlow(db, { cookieState, callbackUrl, redirectUri })
        const { token, expiresAt } = await signInWithClaims(db, {
          ...done,
          client: { ip: clientAddress(c, c.get("origin")), userAgent: c.req.header("user-agent") },
          requestId: c.get("requestId"),
        })
        // the session is rotated, as a password sign-in does
        const previous = getCookie(c, SESSION_COOKIE)
        if (previous) await Iam.signOut(db, previous)
        setSessionCookie(c, token, expiresAt)
        // kept for signing out of the provider too; an ID token too large for a cookie is left out (the
        // provider then asks the person to confirm)
        const hint = done.idToken && done.idToken.length <= 3000 ? `.${done.idToken}` : ""
        setCookie(c, SSO_SESSION_COOKIE, `${done.orgId}${hint}`, {
          httpOnly: true,
          sameSite: "Lax",
          path: SSO_SESSION_PATH,
          secure: isHttps(c, c.get("origin")),
          expires: expiresAt,
        })
        return c.redirect("/", 302)
      } catch (e) {
        if (e instanceof SsoRefused) {
          console.warn(`single sign-on refused (${e.code}): ${e.message}`)
          return backToSignIn(c, e.code)
        }
        throw e
      }
    },
  }),
]

/**
 * On sign-out: when the session was opened through the organisation's provider, the URL that signs
 * the browser out of the provider too (the cookie that remembered it is removed either way).
 */
export const providerSignOut = async (c: Context<AppEnv>): Promise<string | null> => {
  const kept = getCookie(c, SSO_SESSION_COOKIE)
  if (!kept) return null
  deleteCookie(c, SSO_SESSION_COOKIE, { path: SSO_SESSION_PATH })
  const dot = kept.indexOf(".")
  const orgId = dot < 0 ? kept : kept.slice(0, dot)
  const idToken = dot < 0 ? undefined : kept.slice(dot + 1)
  return endSessionUrl(c.get("db"), orgId, {
    idToken,
    postLogoutRedirectUri: `${ownOrigin(c)}${POST_LOGOUT_PATH}`,
  })
}
