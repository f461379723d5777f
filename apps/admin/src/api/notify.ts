/** Notifications (the bell, the list, preferences) and webhooks: types and query hooks. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import type { components } from "@tenet/client"
import { i18next } from "../i18n"
import { api, call, getCurrentOrg, tenet } from "./client"

type Schemas = components["schemas"]
/** A notification and a page of them, as the server's OpenAPI document states them. */
export type Notification = Schemas["Notification"]
export type NotificationPage = Schemas["NotificationPage"]
export const CHANNELS = ["in_app", "email", "digest", "off"] as const
export type Channel = Schemas["NotificationPreferences"]["items"][number]["channel"]
/** A notification kind with the channel I chose and its default. */
export type Preference = Schemas["NotificationPreferences"]["items"][number]
/** A notification kind a preference can be set for. */
export type NotificationKind = Schemas["NotificationPreferencesInput"]["items"][number]["kind"]
/** A webhook subscription, as the server's OpenAPI document states it. */
export type Webhook = components["schemas"]["Webhook"]
export interface Delivery {
  readonly id: string
  readonly messageId: string
  readonly eventType: string
  readonly status: "pending" | "retrying" | "succeeded" | "failed" | "cancelled"
  readonly attempts: number
  readonly nextAttemptAt: string | null
  readonly statusCode: number | null
  readonly latencyMs: number | null
  readonly response: string | null
  readonly error: string | null
  readonly replayOf: string | null
  readonly createdAt: string
  readonly log: ReadonlyArray<{
    attempt: number
    at: string
    statusCode: number | null
    latencyMs: number
    response: string | null
    error: string | null
  }>
}
export interface EventType {
  readonly type: string
  readonly summary: string
}

const k = {
  list: (unread: boolean) => ["notifications", getCurrentOrg(), "list", unread, i18next.language] as const,
  unread: () => ["notifications", getCurrentOrg(), "unread"] as const,
  prefs: () => ["notifications", getCurrentOrg(), "preferences"] as const,
  webhooks: () => ["webhooks", getCurrentOrg()] as const,
  deliveries: (id: string) => ["webhooks", getCurrentOrg(), "deliveries", id] as const,
  events: ["webhook-events"] as const,
}

const lang = () => (i18next.language === "en" ? "en" : "zh-CN")

export const useNotifications = (options: { unread?: boolean; limit?: number } = {}) =>
  useQuery({
    queryKey: [...k.list(Boolean(options.unread)), options.limit ?? 50],
    queryFn: () =>
      call(
        tenet.GET("/api/v1/notifications", {
          params: {
            query: {
              limit: String(options.limit ?? 50),
              locale: lang(),
              ...(options.unread ? { unread: "true" as const } : {}),
            },
          },
        }),
      ),
  })
/** The bell's count, looked at again every 30 s. */
export const useUnreadCount = () =>
  useQuery({
    queryKey: k.unread(),
    queryFn: () => call(tenet.GET("/api/v1/notifications/unread-count")),
    refetchInterval: 30_000,
  })

const useInvalidate = () => {
  const qc = useQueryClient()
  return (...prefixes: string[]) => Promise.all(prefixes.map((p) => qc.invalidateQueries({ queryKey: [p] })))
}

export const useMarkRead = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (id: string) =>
      call(tenet.POST("/api/v1/notifications/{id}/read", { params: { path: { id } } })),
    onSuccess: () => invalidate("notifications"),
  })
}
export const useMarkAllRead = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: () => call(tenet.POST("/api/v1/notifications/read-all")),
    onSuccess: () => invalidate("notifications"),
  })
}
export const usePreferences = () =>
  useQuery({
    queryKey: k.prefs(),
    queryFn: () => call(tenet.GET("/api/v1/notifications/preferences")),
  })
export const useSetPreferences = () => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (items: Array<{ kind: NotificationKind; channel: Channel }>) =>
      call(tenet.PUT("/api/v1/notifications/preferences", { body: { items } })),
    onSuccess: (data) => qc.setQueryData(k.prefs(), data),
  })
}

export const useWebhooks = (enabled: boolean) =>
  useQuery({ queryKey: k.webhooks(), queryFn: () => call(tenet.GET("/api/v1/webhooks")), enabled })
export const useWebhookEvents = () =>
  useQuery({
    queryKey: k.events,
    queryFn: () => api<{ items: EventType[] }>("/api/v1/webhooks/events"),
    staleTime: Number.POSITIVE_INFINITY,
  })
export const useDeliveries = (id: string | undefined) =>
  useQuery({
    queryKey: k.deliveries(id ?? ""),
    queryFn: () => api<{ items: Delivery[] }>(`/api/v1/webhooks/${id}/deliveries`),
    enabled: Boolean(id),
    refetchInterval: 5000,
  })
export const useCreateWebhook = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (body: components["schemas"]["WebhookInput"]) =>
      call(tenet.POST("/api/v1/webhooks", { body })),
    onSuccess: () => invalidate("webhooks"),
  })
}
export const useUpdateWebhook = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string } & components["schemas"]["WebhookPatch"]) =>
      call(tenet.PATCH("/api/v1/webhooks/{id}", { params: { path: { id } }, body })),
    onSuccess: () => invalidate("webhooks"),
  })
}
export const useDeleteWebhook = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (id: string) => call(tenet.DELETE("/api/v1/webhooks/{id}", { params: { path: { id } } })),
    onSuccess: () => invalidate("webhooks"),
  })
}
export const useSendTest = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (id: string) => call(tenet.POST("/api/v1/webhooks/{id}/test", { params: { path: { id } } })),
    onSuccess: () => invalidate("webhooks"),
  })
}
export const useReplay = () => {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: ({ id, deliveryId }: { id: string; deliveryId: string }) =>
      call(
        tenet.POST("/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay", {
          params: { path: { id, deliveryId } },
        }),
      ),
    onSuccess: () => invalidate("webhooks"),
  })
}
