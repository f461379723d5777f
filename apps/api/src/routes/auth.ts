import { getConnInfo } from "@hono/node-server/conninfo"
import { Errors, Organizations } from "@tenet/core"
import { deleteCookie, getCookie, setCookie } from "hono/cookie"
import { endpoint } from "../http/endpoint"
import * as Iam from "../iam/service"
import * as S from "./schemas"

export const SESSION_COOKIE = "tenet_session"

const clientIp = (c: any): string => {
  try {
    return getConnInfo(c).remote.address ?? "unknown"
  } catch {
    return c.req.header("x-forwarded-for")?.split(",")[0]?.trim() ?? "local"
  }
}

const meBody = async (db: any, user: Iam.User, orgId: string | undefined) => {
  const memberships = await Iam.membershipsOf(db, user.id)
  return {
    user: { id: user.id, email: user.email, name: user.name, locale: user.locale },
    memberships,
    currentOrgId: orgId ?? memberships[0]?.orgId ?? null,
  }
}

export const authEndpoints = [
  endpoint({
    method: "post",
    path: "/api/v1/auth/sign-in",
    operationId: "signIn",
    summary: "Sign in with email and password (sets the session cookie)",
    tag: "Auth",
    access: "public",
    body: S.SignIn,
    handler: async (c, { body }) => {
      const db = c.get("db")
      const { token, user, expiresAt } = await Iam.signIn(db, {
        email: body.email,
        password: body.password,
        ip: clientIp(c),
        userAgent: c.req.header("user-agent"),
      })
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: "Lax",
        path: "/",
        secure: new URL(c.req.url).protocol === "https:",
        expires: expiresAt,
      })
      return meBody(db, user, undefined)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/auth/sign-out",
    operationId: "signOut",
    summary: "Sign out (ends the session)",
    tag: "Auth",
    access: "public",
    status: 204,
    handler: async (c) => {
      const t = getCookie(c, SESSION_COOKIE)
      if (t) await Iam.signOut(c.get("db"), t)
      deleteCookie(c, SESSION_COOKIE, { path: "/" })
      return undefined
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/auth/me",
    operationId: "getMe",
    summary: "The signed-in user, their organisations and roles",
    tag: "Auth",
    access: "signed_in",
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
    handler: async (c, { auth, body }) => {
      if (!auth.user) throw new Errors.ForbiddenError({ message: "API keys have no profile" })
      const user = await Iam.updateUser(c.get("db"), auth.user.id, body)
      return meBody(c.get("db"), user, auth.orgId)
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
