import { Errors, Notifications } from "@tenet/core"
import { Schema } from "effect"
import type { Context } from "hono"
import { endpoint } from "../http/endpoint"
import type { AppEnv, Auth } from "../http/env"
import * as Service from "../notify/service"
import { Locale, ShortText } from "./schemas"

const oneOf = <const L extends ReadonlyArray<string>>(values: L) =>
  Schema.Literals(values).annotate({ message: `must be one of: ${values.join(", ")}` })

const Limit = Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 100 }))
export const NotificationQuery = Schema.Struct({
  limit: Schema.optionalKey(Limit),
  cursor: Schema.optionalKey(ShortText),
  unread: Schema.optionalKey(oneOf(["true", "false"] as const)),
  locale: Schema.optionalKey(Locale),
}).annotate({ identifier: "NotificationQuery" })

export const Notification = Schema.Struct({
  id: Schema.String,
  kind: Schema.String,
  title: Schema.String,
  body: Schema.String,
  link: Schema.String,
  subject: Schema.Struct({ type: Schema.String, id: Schema.String }),
  createdAt: Schema.String,
  readAt: Schema.NullOr(Schema.String),
}).annotate({ identifier: "Notification" })
export const NotificationPage = Schema.Struct({
  items: Schema.Array(Notification),
  nextCursor: Schema.NullOr(Schema.String),
  unread: Schema.Finite,
}).annotate({ identifier: "NotificationPage" })

const Channel = oneOf(Notifications.CHANNELS)
export const Preferences = Schema.Struct({
  items: Schema.Array(Schema.Struct({ kind: Schema.String, channel: Channel, default: Channel })),
}).annotate({ identifier: "NotificationPreferences" })
export const PreferencesInput = Schema.Struct({
  items: Schema.Array(
    Schema.Struct({ kind: oneOf(Notifications.KINDS.filter((k) => k !== "test")), channel: Channel }),
  ).check(Schema.isMaxLength(50, { message: "must be at most 50 items" })),
}).annotate({ identifier: "NotificationPreferencesInput" })

/**
 * The person behind a request. Notifications belong to people: an API key has none (its bell is
 * empty, its preferences are the defaults and cannot be changed).
 */
const person = (auth: Auth, orgId: string): Service.Person =>
  auth.kind === "session" && auth.user ? { orgId, userId: auth.user.id } : { orgId, userId: "" }
const refuseKey = (auth: Auth) => {
  if (auth.kind !== "session")
    throw new Errors.ConflictError({
      message: "an API key has no notification preferences; sign in as a person",
    })
}
const db = (c: Context<AppEnv>) => c.get("db")

export const notificationEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/notifications",
    exportable: true,
    operationId: "listNotifications",
    summary: "My notifications, newest first (keyset pages), with the unread count",
    tag: "Notifications",
    access: "org:read",
    query: NotificationQuery,
    response: NotificationPage,
    handler: async (c, { auth, ctx, query }) =>
      Service.list(db(c), person(auth, ctx.orgId), {
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
        ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
        ...(query.locale !== undefined ? { locale: query.locale } : {}),
        unread: query.unread === "true",
      }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/notifications/unread-count",
    operationId: "countUnreadNotifications",
    summary: "How many of my notifications are unread (the bell)",
    tag: "Notifications",
    access: "org:read",
    response: Schema.Struct({ unread: Schema.Finite }),
    handler: async (c, { auth, ctx }) => ({
      unread: await Service.unreadCount(db(c), person(auth, ctx.orgId)),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/notifications/{id}/read",
    operationId: "markNotificationRead",
    summary: "Mark one of my notifications read",
    tag: "Notifications",
    access: "org:read",
    status: 204,
    handler: async (c, { auth, ctx, params }) => {
      await Service.markRead(db(c), person(auth, ctx.orgId), params.id!)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/notifications/read-all",
    operationId: "markAllNotificationsRead",
    summary: "Mark all my notifications read",
    tag: "Notifications",
    access: "org:read",
    response: Schema.Struct({ marked: Schema.Finite }),
    handler: async (c, { auth, ctx }) => Service.markAllRead(db(c), person(auth, ctx.orgId)),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/notifications/preferences",
    exportable: true,
    operationId: "getNotificationPreferences",
    summary: "My channel per notification kind (in_app, email, digest, off)",
    tag: "Notifications",
    access: "org:read",
    response: Preferences,
    handler: async (c, { auth, ctx }) => Service.preferences(db(c), person(auth, ctx.orgId)),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/notifications/preferences",
    operationId: "setNotificationPreferences",
    summary: "Choose my channel for some notification kinds",
    tag: "Notifications",
    access: "org:read",
    body: PreferencesInput,
    response: Preferences,
    handler: async (c, { auth, ctx, body }) => {
      refuseKey(auth)
      return Service.setPreferences(db(c), person(auth, ctx.orgId), body.items)
    },
  }),
]
