import { Schema } from "effect"
import { endpoint } from "../http/endpoint"
import { catalogue } from "../webhooks/catalogue"
import { webhookSettingsFromEnv } from "../webhooks/deliver"
import * as Webhooks from "../webhooks/service"
import { ShortText } from "./schemas"

const Url = Schema.String.check(
  Schema.isMaxLength(2000, { message: "must be at most 2000 characters" }),
  Schema.isPattern(/^https?:\/\/\S+$/, { message: "must be an http(s) URL" }),
).annotate({
  description: "The receiver's URL (http or https)",
  examples: ["https://example.com/hooks/tenet"],
})
const EventTypes = Schema.Array(ShortText)
  .check(Schema.isMaxLength(50, { message: "must be at most 50 items" }))
  .annotate({ description: "Event types of the catalogue (GET /api/v1/webhooks/events), or `*` for all" })

export const WebhookInput = Schema.Struct({
  url: Url,
  eventTypes: EventTypes,
  description: Schema.optionalKey(ShortText),
}).annotate({ identifier: "WebhookInput" })
export const WebhookPatch = Schema.Struct({
  url: Schema.optionalKey(Url),
  eventTypes: Schema.optionalKey(EventTypes),
  description: Schema.optionalKey(ShortText),
  enabled: Schema.optionalKey(Schema.Boolean),
}).annotate({ identifier: "WebhookPatch" })
export const Webhook = Schema.Struct({
  id: Schema.String,
  url: Schema.String,
  description: Schema.String,
  eventTypes: Schema.Array(Schema.String),
  enabled: Schema.Boolean,
  disabledReason: Schema.NullOr(Schema.String),
  disabledAt: Schema.NullOr(Schema.String),
  lastSuccessAt: Schema.NullOr(Schema.String),
  createdAt: Schema.String,
}).annotate({ identifier: "Webhook" })
const Queued = Schema.Struct({ deliveryId: Schema.String })

const allowPrivate = () => webhookSettingsFromEnv().allowPrivate

export const webhookEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/webhooks/events",
    operationId: "listWebhookEvents",
    summary: "The event catalogue: each type with the JSON Schema of its body (as in the OpenAPI `webhooks`)",
    tag: "Webhooks",
    access: "signed_in",
    handler: async () => ({ items: catalogue() }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/webhooks",
    exportable: true,
    operationId: "listWebhooks",
    summary: "Webhook subscriptions of the organisation (never the secret)",
    tag: "Webhooks",
    access: "webhooks:read",
    response: Schema.Struct({ items: Schema.Array(Webhook) }),
    handler: async (c, { ctx }) => Webhooks.list(c.get("db"), ctx.orgId),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/webhooks",
    operationId: "createWebhook",
    summary: "Subscribe a URL to event types; the signing secret is returned once",
    tag: "Webhooks",
    access: "webhooks:manage",
    body: WebhookInput,
    status: 201,
    response: Schema.Struct({ subscription: Webhook, secret: Schema.String }),
    handler: async (c, { ctx, body }) => Webhooks.create(c.get("db"), ctx, body, allowPrivate()),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/webhooks/{id}",
    operationId: "updateWebhook",
    summary: "Change a subscription's URL, event types or description; enable or disable it",
    tag: "Webhooks",
    access: "webhooks:manage",
    body: WebhookPatch,
    response: Webhook,
    handler: async (c, { ctx, params, body }) =>
      Webhooks.update(c.get("db"), ctx, params.id!, body, allowPrivate()),
  }),
  endpoint({
    method: "delete",
    path: "/api/v1/webhooks/{id}",
    operationId: "deleteWebhook",
    summary: "Delete a subscription and its delivery log",
    tag: "Webhooks",
    access: "webhooks:manage",
    status: 204,
    handler: async (c, { ctx, params }) => {
      await Webhooks.remove(c.get("db"), ctx, params.id!)
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/webhooks/{id}/deliveries",
    exportable: true,
    operationId: "listWebhookDeliveries",
    summary: "The delivery log: status, attempts, latency, response excerpt (newest first)",
    tag: "Webhooks",
    access: "webhooks:read",
    handler: async (c, { ctx, params }) => Webhooks.deliveries(c.get("db"), ctx.orgId, params.id!),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay",
    operationId: "replayWebhookDelivery",
    summary: "Send a delivery again (same webhook-id, new attempts)",
    tag: "Webhooks",
    access: "webhooks:manage",
    status: 201,
    response: Queued,
    handler: async (c, { ctx, params }) => Webhooks.replay(c.get("db"), ctx, params.id!, params.deliveryId!),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/webhooks/{id}/test",
    operationId: "sendWebhookTest",
    summary: "Send a webhook.test event to the subscription",
    tag: "Webhooks",
    access: "webhooks:manage",
    status: 201,
    response: Queued,
    handler: async (c, { ctx, params }) => Webhooks.sendTest(c.get("db"), ctx, params.id!),
  }),
]
