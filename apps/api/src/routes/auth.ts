import { type Db, Errors, Organizations } from "@tenet/core"
import { Schema } from "effect"
import type { Context } from "hono"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import { demoStatus } from "../demo-status"
import { endpoint } from "../http/endpoint"
import type { AppEnv } from "../http/env"
import { clientAddress, isHttps } from "../http/origin"
import * as Iam from "../iam/service"
import * as S from "./schemas"
import { providerSignOut } from "./sso"

const StatusAnswer = Schema.Struct({
  demo: Schema.Literals(["off", "seeding", "ready", "failed"]),
  since: Schema.NullOr(Schema.String),
}).annotate({ identifier: "ServerStatus" })

const SignOutAnswer = Schema.Struct({
  /** The provider's end-session URL (single sign-on), or null. */
  providerSignOut: Schema.NullOr(Schema.String),
}).annotate({ identifier: "SignOutAnswer" })

export const SESSION_COOKIE = "tenet_session"

/** The client's address: the socket's peer, or what a trusted proxy says (TENET_TRUST_PROXY). */
const clientIp = (c: Context<AppEnv>): string => clientAddress(c, c.get("origin"))

/** The session cookie: HttpOnly, SameSite=Lax, Secure whenever the browser talks to us over https. */
export const setSessionCookie = (c: Context<AppEnv>, token: string, expires: Date) =>
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure: isHttps(c, c.get("origin")),
    expires,
  })

const meBody = async (db: Db.Database, user: Iam.User, orgId: string | undefined) => {
  const memberships = await Iam.membershipsOf(db, user.id)
  return {
    user: { id: user.id, email: user.email, name: user.name, locale: user.locale },
    memberships,
    currentOrgId: orgId ?? memberships[0]?.orgId ?? null,
  }
}

export const authEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/status",
    operationId: "getStatus",
    summary:
      "Where the server stands for the sign-in page: the demo organisation's seed (off, seeding, ready, failed) and since when",
    tag: "Auth",
    access: "public",
    response: StatusAnswer,
    handler: async () => demoStatus(),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/auth/sign-in",
    operationId: "signIn",
    summary: "Sign in with email and password (sets the session cookie)",
    tag: "Auth",
    access: "public",
    body: S.SignIn,
    response: S.Me,
    handler: async (c, { body }) => {
      const db = c.get("db")
      const { token, user, expiresAt } = await Iam.signIn(db, {
        email: body.email,
        password: body.password,
        ip: clientIp(c),
        userAgent: c.req.header("user-agent"),
        previousSession: getCookie(c, SESSION_COOKIE),
      })
      setSessionCookie(c, token, expiresAt)
      return meBody(db, user, undefined)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/auth/sign-out",
    operationId: "signOut",
    summary:
      "Sign out (ends the session). A session opened through single sign-on also answers the provider's end-session URL: send the browser there to sign out of the provider too",
    tag: "Auth",
    access: "public",
    response: SignOutAnswer,
    handler: async (c) => {
      const t = getCookie(c, SESSION_COOKIE)
      if (t) await Iam.signOut(c.get("db"), t)
      deleteCookie(c, SESSION_COOKIE, { path: "/" })
      return { providerSignOut: await providerSignOut(c) }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/auth/me",
    operationId: "getMe",
    summary: "The signed-in user, their organisations and roles",
    tag: "Auth",
    access: "signed_in",
    response: S.MeAnswer,
    handler: async (c, { auth }) => {
      if (!auth.user) {
        const org = await Organizations.get(c.get("db"), auth.orgId!)
        return { apiKey: { id: auth.apiKeyId, role: auth.role }, organization: org }
      }
      return meBody(c.get("db"), auth.user, auth.orgId)
    },
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/auth/me",
    operationId: "updateMe",
    summary: "Change your name or preferred language",
    tag: "Auth",
    access: "signed_in",
    body: S.UpdateMe,
    response: S.Me,
    handler: async (c, { auth, body }) => {
      if (!auth.user) throw new Errors.ForbiddenError({ message: "API keys have no profile" })
      const user = await Iam.updateUser(c.get("db"), auth.user.id, body)
      return meBody(c.get("db"), user, auth.orgId)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/auth/password",
    operationId: "changePassword",
    summary: "Change your password (ends every session of yours; this browser gets a new one)",
    tag: "Auth",
    access: "signed_in",
    body: S.ChangePassword,
    status: 204,
    handler: async (c, { auth, body }) => {
      if (!auth.user) throw new Errors.ForbiddenError({ message: "API keys have no password" })
      const { token, expiresAt } = await Iam.changePassword(c.get("db"), auth.user.id, {
        currentPassword: body.currentPassword,
        newPassword: body.newPassword,
        ip: clientIp(c),
        userAgent: c.req.header("user-agent"),
      })
      setSessionCookie(c, token, expiresAt)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/auth/sign-out-others",
    operationId: "signOutOthers",
    summary: "Sign out everywhere else: end every session of yours except this one",
    tag: "Auth",
    access: "signed_in",
    handler: async (c, { auth }) => {
      if (!auth.user) throw new Errors.ForbiddenError({ message: "API keys have no sessions" })
      const ended = await Iam.signOutOthers(c.get("db"), auth.user.id, getCookie(c, SESSION_COOKIE))
      return { ended }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/auth/accept-invitation",
    operationId: "acceptInvitation",
    summary: "Accept an invitation (creates the user when new)",
    tag: "Auth",
    access: "public",
    body: S.AcceptInvitation,
    handler: async (c, { body }) => {
      const user = await Iam.acceptInvitation(c.get("db"), body)
      return { userId: user.id, email: user.email }
    },
  }),
]
