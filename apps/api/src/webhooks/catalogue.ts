/**
 * The webhook event catalogue: each event type Tenet sends, with the Effect Schema of its `data`.
 * The same schemas give the OpenAPI document's `webhooks` section, GET /api/v1/webhooks/events and
 * docs/webhooks.md, so the three cannot disagree. The body of every delivery is the Standard
 * Webhooks envelope `{ type, timestamp, data }`; `data.id` is the aggregate the event is about.
 */
import { Schema } from "effect"

const Id = Schema.String.annotate({ description: "Id of the aggregate the event is about (case_…, cycle_…)" })
const Target = Schema.String.annotate({ description: "SLA target: first_response, next_reply, resolution…" })
const At = Schema.String.annotate({ description: "ISO 8601 date-time (UTC)" })

export interface CatalogueEntry {
  readonly type: string
  readonly summary: string
  readonly data: Schema.Top
}

export const CATALOGUE: ReadonlyArray<CatalogueEntry> = [
  {
    type: "process.case.created",
    summary: "A service case was created (any channel, the API or an import).",
    data: Schema.Struct({
      id: Id,
      number: Schema.Finite,
      type: Schema.String,
      channel: Schema.String,
      priority: Schema.String,
    }),
  },
  {
    type: "process.case.status_changed",
    summary: "A case moved from one status to another.",
    data: Schema.Struct({ id: Id, from: Schema.String, to: Schema.String, reopen: Schema.Boolean }),
  },
  {
    type: "process.case.replied",
    summary: "A reply was recorded on a case (inbound or outbound).",
    data: Schema.Struct({ id: Id, direction: Schema.String }),
  },
  {
    type: "process.sla.warning",
    summary: "An SLA target of a case is close to its due time (the policy's warnAt share consumed).",
    data: Schema.Struct({ id: Id, target: Target, dueAt: At }),
  },
  {
    type: "process.sla.breached",
    summary: "An SLA target of a case passed its due time.",
    data: Schema.Struct({ id: Id, target: Target, dueAt: At }),
  },
  {
    type: "process.case.escalated",
    summary: "An escalation step of the case's SLA policy fired.",
    data: Schema.Struct({
      id: Id,
      level: Schema.Finite,
      action: Schema.Literals(["notify", "reassign", "raise_tier"]),
      target: Target,
      notify: Schema.optionalKey(Schema.Array(Schema.String)),
    }),
  },
  {
    type: "process.follow_up.overdue",
    summary: "A follow-up of a case is due and not done.",
    data: Schema.Struct({ id: Id, followUpId: Schema.String }),
  },
  {
    type: "process.case.recurring_issue",
    summary: "A customer contacted again about the same category (a chain of repeats).",
    data: Schema.Struct({ id: Id, contacts: Schema.Finite }),
  },
  {
    type: "process.cycle.opened",
    summary: "An improvement cycle was opened (by hand, from a breach or a complaint).",
    data: Schema.Struct({
      id: Id,
      workflow: Schema.String,
      trigger: Schema.String,
      breachId: Schema.NullOr(Schema.String),
    }),
  },
  {
    type: "process.cycle.stage_due",
    summary: "The current stage of an improvement cycle is past its due date.",
    data: Schema.Struct({
      id: Id,
      number: Schema.Finite,
      title: Schema.String,
      stage: Schema.String,
      ownerId: Schema.NullOr(Schema.String),
      dueAt: At,
    }),
  },
  {
    type: "standards.version.published",
    summary: "A version of a standard was published (superseding the previous one).",
    data: Schema.Struct({
      id: Id,
      version: Schema.Finite,
      superseded: Schema.Array(Schema.Finite),
      sourceCycleId: Schema.NullOr(Schema.String),
    }),
  },
  {
    type: "standards.target.breached",
    summary: "A compliance evaluation found a target of a standard breached.",
    data: Schema.Struct({
      id: Id,
      standardId: Schema.String,
      version: Schema.Finite,
      requirementId: Schema.String,
      targetId: Schema.String,
      metric: Schema.String,
    }),
  },
  {
    type: "standards.review.due",
    summary: "A published standard version is due for review within 7 days.",
    data: Schema.Struct({
      id: Id,
      standardId: Schema.String,
      key: Schema.String,
      version: Schema.Finite,
      label: Schema.String,
      nextReviewAt: At,
    }),
  },
  {
    type: "quality.evaluated",
    summary:
      "A QA evaluation was recorded: its score (0–100), whether it passed, and each criterion's result as a 0–1 fraction of its scale.",
    data: Schema.Struct({
      id: Id,
      caseId: Schema.String,
      agentId: Schema.String,
      scorecardId: Schema.String,
      scorecardVersion: Schema.Finite,
      score: Schema.Finite,
      passed: Schema.Boolean,
      autoFailed: Schema.Boolean,
      criteria: Schema.Record(Schema.String, Schema.NullOr(Schema.Finite)),
      families: Schema.Array(Schema.String),
    }),
  },
  {
    type: "quality.critical_error",
    summary: "A QA evaluation found a critical error (customer, business or compliance).",
    data: Schema.Struct({
      id: Id,
      caseId: Schema.String,
      agentId: Schema.String,
      families: Schema.Array(Schema.String),
    }),
  },
  {
    type: "webhook.test",
    summary: 'A test event, sent by "Send test event"; it changes nothing.',
    data: Schema.Struct({ id: Id, message: Schema.String }),
  },
]

export const EVENT_TYPES: ReadonlyArray<string> = CATALOGUE.map((e) => e.type)
/** Domain events the dispatcher forwards (every catalogue type but the test). */
export const FORWARDED_TYPES: ReadonlyArray<string> = EVENT_TYPES.filter((t) => t !== "webhook.test")

const envelope = (e: CatalogueEntry) =>
  Schema.Struct({
    type: Schema.Literal(e.type),
    timestamp: At,
    data: e.data,
  })

/** The JSON Schema of each entry's body (the envelope), for the catalogue endpoint. */
export const catalogue = () =>
  CATALOGUE.map((e) => ({
    type: e.type,
    summary: e.summary,
    schema: Schema.toJsonSchemaDocument(envelope(e) as never).schema,
  }))

/** The OpenAPI 3.1 `webhooks` section: one POST per event type, with the signature headers. */
export const openApiWebhooks = () =>
  Object.fromEntries(
    catalogue().map((e) => [
      e.type,
      {
        post: {
          summary: e.summary,
          description:
            "Signed per Standard Webhooks: verify `webhook-signature` over `webhook-id.webhook-timestamp.body` with the subscription's secret (see docs/webhooks.md). Answer 2xx within 10 s; anything else is retried with exponential back-off.",
          parameters: ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => ({
            name,
            in: "header",
            required: true,
            schema: { type: "string" },
          })),
          requestBody: { required: true, content: { "application/json": { schema: e.schema } } },
          responses: { "200": { description: "Received" } },
        },
      },
    ]),
  )

/** The body of a delivery: the envelope, with `data.id` the aggregate. */
export const bodyOf = (type: string, at: Date, aggregateId: string, payload: unknown) =>
  JSON.stringify({
    type,
    timestamp: at.toISOString(),
    data: { id: aggregateId, ...((payload ?? {}) as object) },
  })
