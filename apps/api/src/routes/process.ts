import { Readable } from "node:stream"
import { Errors, Tenancy } from "@tenet/core"
import { Case, Cases, Config, Import } from "@tenet/process"
import { Schema } from "effect"
import type { Hono } from "hono"
import { stream } from "hono/streaming"
import { authorize, decodeQuery, endpoint, type StreamDoc } from "../http/endpoint"
import type { AppEnv } from "../http/env"
import { DEFAULT_LIMITS, type InputLimits, valueIssues } from "../http/policy"
import { requireMember } from "../iam/service"
import { registry } from "../registry"

import { DateTime, NonEmpty, NonEmptyShort, ShortText, TimeZone } from "./schemas"

const oneOf = <const L extends ReadonlyArray<string>>(values: L) =>
  Schema.Literals(values).annotate({ message: `must be one of: ${values.join(", ")}` })

const CustomerInput = Schema.Struct({
  name: NonEmptyShort,
  externalId: Schema.optionalKey(ShortText),
  segment: Schema.optionalKey(oneOf(Case.SEGMENTS)),
  valueTier: Schema.optionalKey(ShortText),
  contactFrequency: Schema.optionalKey(ShortText),
  needPriority: Schema.optionalKey(ShortText),
  contacts: Schema.optionalKey(Schema.Array(Schema.Struct({ channel: Schema.String, value: Schema.String }))),
  dedicatedTeam: Schema.optionalKey(ShortText),
}).annotate({ identifier: "CustomerInput" })

const CreateCase = Schema.Struct({
  type: NonEmptyShort.annotate({ description: `inquiry, problem, complaint, request (extensible)` }),
  channel: oneOf(Case.CHANNELS),
  subject: NonEmpty,
  content: Schema.optionalKey(Schema.String),
  externalId: Schema.optionalKey(ShortText),
  customerId: Schema.optionalKey(ShortText),
  customer: Schema.optionalKey(CustomerInput),
  urgency: Schema.optionalKey(oneOf(Case.LEVELS)),
  impact: Schema.optionalKey(oneOf(Case.LEVELS)),
  category: Schema.optionalKey(ShortText),
  tier: Schema.optionalKey(oneOf(Case.TIERS)),
  team: Schema.optionalKey(ShortText),
  ownerId: Schema.optionalKey(ShortText),
  receivedAt: Schema.optionalKey(DateTime),
  recordedAt: Schema.optionalKey(DateTime),
}).annotate({ identifier: "CreateCase" })

const Transition = Schema.Struct({
  to: oneOf(Case.STATUSES),
  reason: Schema.optionalKey(Schema.String),
  resolutionCode: Schema.optionalKey(ShortText),
}).annotate({ identifier: "CaseTransition" })
const Reply = Schema.Struct({
  content: NonEmpty,
  direction: Schema.optionalKey(oneOf(["outbound", "inbound"] as const)),
  channel: Schema.optionalKey(oneOf(Case.CHANNELS)),
}).annotate({ identifier: "CaseReply" })
const Note = Schema.Struct({ content: NonEmpty }).annotate({ identifier: "CaseNote" })
const Assign = Schema.Struct({
  ownerId: Schema.optionalKey(Schema.NullOr(Schema.String)),
  team: Schema.optionalKey(ShortText),
}).annotate({ identifier: "CaseAssignment" })
const CompleteFollowUp = Schema.Struct({ outcome: NonEmpty }).annotate({ identifier: "CompleteFollowUp" })

const list = Schema.optionalKey(Schema.String.annotate({ description: "comma-separated values" }))
export const CaseQuery = Schema.Struct({
  status: list,
  channel: list,
  priority: list,
  type: list,
  team: list,
  sla: list,
  ownerId: Schema.optionalKey(ShortText),
  customerId: Schema.optionalKey(ShortText),
  q: Schema.optionalKey(ShortText),
  open: Schema.optionalKey(Schema.Literals(["true", "false"])),
  from: Schema.optionalKey(DateTime),
  to: Schema.optionalKey(DateTime),
  sort: Schema.optionalKey(ShortText),
  cursor: Schema.optionalKey(Schema.String),
  limit: Schema.optionalKey(Schema.NumberFromString.check(Schema.isInt())),
}).annotate({ identifier: "CaseQuery" })

const split = (s: string | undefined) =>
  s
    ? s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined
const toQuery = (q: typeof CaseQuery.Type): Cases.CaseQuery => ({
  status: split(q.status),
  channel: split(q.channel),
  priority: split(q.priority),
  type: split(q.type),
  team: split(q.team),
  sla: split(q.sla),
  ownerId: q.ownerId,
  customerId: q.customerId,
  q: q.q,
  open: q.open === "true" ? true : undefined,
  from: q.from ? new Date(q.from) : undefined,
  to: q.to ? new Date(q.to) : undefined,
  sort: q.sort,
  cursor: q.cursor,
  limit: q.limit,
})

/** A saved view's query (as the queue sends it) as the case query it stands for; invalid fields are refused. */
export const caseQueryOf = (raw: unknown): Cases.CaseQuery => {
  const { limit: _all, cursor: _c, ...filters } = decodeQuery(CaseQuery, raw)
  return toQuery(filters)
}

const CalendarInput = Schema.Struct({ name: NonEmptyShort, spec: Schema.Unknown }).annotate({
  identifier: "CalendarInput",
})
const CalendarPatch = Schema.Struct({
  name: Schema.optionalKey(NonEmptyShort),
  spec: Schema.optionalKey(Schema.Unknown),
}).annotate({ identifier: "CalendarPatch" })
const Preview = Schema.Struct({
  calendarId: Schema.optionalKey(ShortText),
  spec: Schema.optionalKey(Schema.Unknown),
  from: Schema.optionalKey(DateTime),
  seconds: Schema.Finite.check(Schema.isInt()),
}).annotate({ identifier: "CalendarPreview" })

const Seconds = Schema.Finite.check(Schema.isInt(), Schema.isGreaterThan(0))
const PolicyDefinition = Schema.Struct({
  conditions: Schema.Struct({
    type: Schema.optionalKey(Schema.Array(ShortText)),
    channel: Schema.optionalKey(Schema.Array(ShortText)),
    segment: Schema.optionalKey(Schema.Array(ShortText)),
    priority: Schema.optionalKey(Schema.Array(ShortText)),
    category: Schema.optionalKey(Schema.Array(ShortText)),
    team: Schema.optionalKey(Schema.Array(ShortText)),
    tier: Schema.optionalKey(Schema.Array(ShortText)),
  }),
  calendarId: NonEmptyShort,
  targets: Schema.Struct({
    first_response: Schema.optionalKey(Seconds),
    initial_record: Schema.optionalKey(Seconds),
    next_reply: Schema.optionalKey(Seconds),
    resolution: Schema.optionalKey(Seconds),
    follow_up: Schema.optionalKey(Seconds),
  }),
  pauseStatuses: Schema.Array(oneOf(Case.STATUSES)),
  warnAt: Schema.Finite,
  escalations: Schema.Array(
    Schema.Struct({
      afterSeconds: Schema.Finite.check(Schema.isInt()),
      action: oneOf(["notify", "reassign", "raise_tier"] as const),
      team: Schema.optionalKey(ShortText),
      notify: Schema.optionalKey(
        Schema.Array(oneOf(["owner", "team_leader", ...Tenancy.ROLES] as const)).annotate({
          description: "Who the step tells: owner, team_leader or roles (default: owner and team_leader)",
        }),
      ),
    }),
  ),
}).annotate({ identifier: "SlaPolicyDefinition" })
const PolicyInput = Schema.Struct({
  name: NonEmptyShort,
  definition: PolicyDefinition,
  position: Schema.optionalKey(Schema.Finite),
}).annotate({ identifier: "SlaPolicyInput" })
const PolicyPatch = Schema.Struct({
  name: Schema.optionalKey(NonEmptyShort),
  definition: Schema.optionalKey(PolicyDefinition),
  active: Schema.optionalKey(Schema.Boolean),
  position: Schema.optionalKey(Schema.Finite),
  expectedVersion: Schema.optionalKey(Schema.Finite),
}).annotate({ identifier: "SlaPolicyPatch" })
const PolicyPreview = Schema.Struct({
  type: NonEmptyShort,
  channel: NonEmptyShort,
  segment: Schema.optionalKey(ShortText),
  priority: Schema.optionalKey(ShortText),
  category: Schema.optionalKey(ShortText),
  team: Schema.optionalKey(ShortText),
  tier: Schema.optionalKey(ShortText),
  receivedAt: Schema.optionalKey(DateTime),
}).annotate({ identifier: "SlaPolicyPreview" })

const SettingsPatch = Schema.Struct({
  priorityMatrix: Schema.optionalKey(Schema.Record(Schema.String, Schema.Record(ShortText, ShortText))),
  reopenWindowDays: Schema.optionalKey(Schema.Finite),
  repeatWindowDays: Schema.optionalKey(Schema.Finite),
}).annotate({ identifier: "ProcessSettingsPatch" })

const CustomerQuery = Schema.Struct({
  q: Schema.optionalKey(ShortText),
  segment: Schema.optionalKey(ShortText),
  cursor: Schema.optionalKey(Schema.String),
  limit: Schema.optionalKey(Schema.NumberFromString.check(Schema.isInt())),
})

const MetricQuery = Schema.Struct({
  from: DateTime,
  to: DateTime,
  bucket: Schema.optionalKey(oneOf(["day", "week", "month", "none"] as const)),
  groupBy: Schema.optionalKey(ShortText),
  timeZone: Schema.optionalKey(TimeZone),
  filter: Schema.optionalKey(
    Schema.String.annotate({ description: "dimension:value pairs, comma-separated, e.g. channel:chat" }),
  ),
})

const ensure = async (c: { get: (k: "db") => any }, orgId: string) =>
  Config.ensureDefaults(c.get("db"), Tenancy.system(orgId, "process"))

const ViewBody = Schema.Struct({
  name: NonEmptyShort,
  query: Schema.Record(ShortText, ShortText),
}).annotate({ identifier: "SavedView" })

export const processEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/process/views",
    operationId: "listSavedViews",
    summary: "Your saved queue views",
    tag: "Cases",
    access: "cases:read",
    handler: async (c, { ctx }) => ({ items: await Cases.listViews(c.get("db"), ctx.orgId, ctx.actor.id) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/views",
    operationId: "saveView",
    summary: "Save the current queue filters as a named view (the same name replaces it)",
    tag: "Cases",
    access: "cases:read",
    body: ViewBody,
    status: 201,
    handler: async (c, { ctx, body }) => Cases.saveView(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "delete",
    path: "/api/v1/process/views/{id}",
    operationId: "deleteView",
    summary: "Delete one of your saved views",
    tag: "Cases",
    access: "cases:read",
    status: 204,
    handler: async (c, { ctx, params }) => {
      await Cases.deleteView(c.get("db"), ctx, params.id!)
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/cases",
    operationId: "listCases",
    summary:
      "The case queue: filter, sort (receivedAt, number, priority, dueAt, status, updatedAt; - for descending) and keyset-page",
    tag: "Cases",
    access: "cases:read",
    query: CaseQuery,
    handler: async (c, { ctx, query }) => Cases.listCases(c.get("db"), ctx.orgId, toQuery(query)),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/cases",
    operationId: "createCase",
    summary: "Receive a case (with its customer); priority, routing, SLA policy and clocks are set",
    tag: "Cases",
    access: "cases:write",
    body: CreateCase,
    status: 201,
    handler: async (c, { ctx, body }) => {
      await requireMember(c.get("db"), ctx.orgId, body.ownerId, ["ownerId"])
      return Cases.createCase(c.get("db"), ctx, {
        ...body,
        receivedAt: body.receivedAt ? new Date(body.receivedAt) : undefined,
        recordedAt: body.recordedAt ? new Date(body.recordedAt) : undefined,
      })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/cases/{id}",
    operationId: "getCase",
    summary:
      "A case with its customer, timeline, SLA ledger (with explanations), follow-ups and allowed transitions",
    tag: "Cases",
    access: "cases:read",
    handler: async (c, { ctx, params }) => Cases.getCase(c.get("db"), ctx.orgId, params.id!),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/cases/{id}/transitions",
    operationId: "transitionCase",
    summary: "Move a case to another status (refused with the reason when not allowed)",
    tag: "Cases",
    access: "cases:write",
    body: Transition,
    handler: async (c, { ctx, params, body }) => Cases.transition(c.get("db"), ctx, params.id!, body),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/cases/{id}/replies",
    operationId: "replyToCase",
    summary: "Add a reply (outbound to the customer, or an inbound message from them)",
    tag: "Cases",
    access: "cases:write",
    body: Reply,
    handler: async (c, { ctx, params, body }) => Cases.reply(c.get("db"), ctx, params.id!, body),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/cases/{id}/notes",
    operationId: "noteOnCase",
    summary: "Add an internal note",
    tag: "Cases",
    access: "cases:write",
    body: Note,
    status: 204,
    handler: async (c, { ctx, params, body }) => {
      await Cases.note(c.get("db"), ctx, params.id!, body)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/cases/{id}/assignment",
    operationId: "assignCase",
    summary: "Assign an owner and/or a team",
    tag: "Cases",
    access: "cases:write",
    body: Assign,
    handler: async (c, { ctx, params, body }) => {
      await requireMember(c.get("db"), ctx.orgId, body.ownerId, ["ownerId"])
      return Cases.assign(c.get("db"), ctx, params.id!, body)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/follow-ups/{id}/complete",
    operationId: "completeFollowUp",
    summary: "Complete a follow-up task (confirmation of resolution, return visit)",
    tag: "Cases",
    access: "cases:write",
    body: CompleteFollowUp,
    status: 204,
    handler: async (c, { ctx, params, body }) => {
      await Cases.completeFollowUp(c.get("db"), ctx, params.id!, body)
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/customers",
    operationId: "listCustomers",
    summary: "Customers (search by name or external id, filter by segment)",
    tag: "Customers",
    access: "cases:read",
    query: CustomerQuery,
    handler: async (c, { ctx, query }) => Config.listCustomers(c.get("db"), ctx.orgId, query),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/customers",
    operationId: "createCustomer",
    summary: "Create a customer, or update the one with the same external id",
    tag: "Customers",
    access: "cases:write",
    body: CustomerInput,
    status: 201,
    handler: async (c, { ctx, body }) => Config.createCustomer(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/customers/{id}",
    operationId: "getCustomer",
    summary: "A customer",
    tag: "Customers",
    access: "cases:read",
    handler: async (c, { ctx, params }) => Config.getCustomer(c.get("db"), ctx.orgId, params.id!),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/calendars",
    operationId: "listCalendars",
    summary: "Business calendars",
    tag: "Calendars",
    access: "cases:read",
    handler: async (c, { ctx }) => {
      await ensure(c, ctx.orgId)
      return { items: await Config.listCalendars(c.get("db"), ctx.orgId) }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/calendars",
    operationId: "createCalendar",
    summary: "Create a calendar from its JSON spec (invalid specs name the offending path)",
    tag: "Calendars",
    access: "cases:manage",
    body: CalendarInput,
    status: 201,
    handler: async (c, { ctx, body }) => Config.createCalendar(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/process/calendars/{id}",
    operationId: "updateCalendar",
    summary: "Rename a calendar or replace its spec",
    tag: "Calendars",
    access: "cases:manage",
    body: CalendarPatch,
    handler: async (c, { ctx, params, body }) => Config.updateCalendar(c.get("db"), ctx, params.id!, body),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/calendars/preview",
    operationId: "previewDue",
    summary: "A case received at `from` (default now) would be due at …, because …",
    tag: "Calendars",
    access: "cases:read",
    body: Preview,
    handler: async (c, { ctx, body }) =>
      Config.previewDue(c.get("db"), ctx.orgId, {
        calendarId: body.calendarId,
        spec: body.spec,
        from: body.from ? new Date(body.from) : new Date(),
        seconds: body.seconds,
      }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/calendars/presets",
    operationId: "listCalendarPresets",
    summary: "Calendar presets (mainland China 2015–2026 with official holidays and make-up days)",
    tag: "Calendars",
    access: "cases:read",
    handler: async () => {
      const { chinaMainland, CN_YEARS } = await import("@tenet/calendar/presets/cn")
      return {
        items: [
          {
            id: "cn-mainland",
            name: {
              "zh-CN": "中国大陆法定节假日与调休",
              en: "Mainland China public holidays and make-up days",
            },
            years: CN_YEARS,
            spec: chinaMainland(),
            attribution: "holiday-cn (MIT), NateScarlet",
          },
        ],
      }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/sla-policies",
    operationId: "listSlaPolicies",
    summary: "SLA policies in the order they are matched",
    tag: "SLA policies",
    access: "cases:read",
    handler: async (c, { ctx }) => {
      await ensure(c, ctx.orgId)
      return { items: await Config.listPolicies(c.get("db"), ctx.orgId) }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/sla-policies",
    operationId: "createSlaPolicy",
    summary: "Create an SLA policy",
    tag: "SLA policies",
    access: "cases:manage",
    body: PolicyInput,
    status: 201,
    handler: async (c, { ctx, body }) => Config.createPolicy(c.get("db"), ctx, body as never),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/process/sla-policies/{id}",
    operationId: "updateSlaPolicy",
    summary:
      "Change a policy: a new version for new cases (send expectedVersion to avoid overwriting another editor)",
    tag: "SLA policies",
    access: "cases:manage",
    body: PolicyPatch,
    handler: async (c, { ctx, params, body }) =>
      Config.updatePolicy(c.get("db"), ctx, params.id!, body as never),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/sla-policies/preview",
    operationId: "previewSlaPolicy",
    summary: "Which policy a case would get, and its due times",
    tag: "SLA policies",
    access: "cases:read",
    body: PolicyPreview,
    handler: async (c, { ctx, body }) => {
      await ensure(c, ctx.orgId)
      const settings = await Config.getSettings(c.get("db"), ctx.orgId)
      return Config.previewPolicy(
        c.get("db"),
        ctx.orgId,
        {
          type: body.type,
          channel: body.channel,
          segment: body.segment ?? null,
          priority: body.priority ?? Case.priorityOf(settings.priorityMatrix, "medium", "medium"),
          category: body.category ?? null,
          team: body.team ?? null,
          tier: body.tier ?? "L1",
        },
        body.receivedAt ? new Date(body.receivedAt) : new Date(),
      )
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/settings",
    operationId: "getProcessSettings",
    summary: "Priority matrix, reopen and repeat windows",
    tag: "SLA policies",
    access: "cases:read",
    handler: async (c, { ctx }) => {
      await ensure(c, ctx.orgId)
      return Config.getSettings(c.get("db"), ctx.orgId)
    },
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/process/settings",
    operationId: "updateProcessSettings",
    summary: "Change the priority matrix or the windows",
    tag: "SLA policies",
    access: "cases:manage",
    body: SettingsPatch,
    handler: async (c, { ctx, body }) => Config.updateSettings(c.get("db"), ctx, body as never),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/imports",
    operationId: "listImports",
    summary: "Past and running imports with their row errors",
    tag: "Import",
    access: "cases:read",
    handler: async (c, { ctx }) => ({ items: await Import.listImports(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/metrics",
    operationId: "listMetrics",
    summary: "Metric definitions in the registry",
    tag: "Metrics",
    access: "cases:read",
    handler: async () => ({
      items: registry.list().map(({ compute: _, ...m }) => m),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/metrics/{id}",
    operationId: "computeMetric",
    summary:
      "Compute a metric for a period, bucket and dimensions: value, numerator, denominator, n, interval",
    tag: "Metrics",
    access: "cases:read",
    query: MetricQuery,
    handler: async (c, { ctx, params, query }) => {
      const def = registry.get(params.id!)
      if (!def) throw new Errors.NotFoundError({ entity: "metric", id: params.id! })
      // a Map, then an object without a prototype: user keys never reach Object.prototype
      const pairs = new Map<string, string>()
      for (const p of split(query.filter) ?? []) {
        const at = p.indexOf(":")
        if (at <= 0 || at === p.length - 1)
          throw new Errors.ValidationError({
            message: "invalid metric query",
            issues: [
              {
                path: ["filter"],
                message: "must be dimension:value pairs, comma-separated",
                code: "invalidValue",
                params: { detail: "dimension:value" },
              },
            ],
          })
        pairs.set(p.slice(0, at), p.slice(at + 1))
      }
      const filter: Record<string, string> = Object.assign(Object.create(null), Object.fromEntries(pairs))
      try {
        return {
          metric: params.id,
          values: await def.compute(
            {
              orgId: ctx.orgId,
              from: new Date(query.from),
              to: new Date(query.to),
              timeZone: query.timeZone ?? "Asia/Shanghai",
              bucket: query.bucket ?? "none",
              groupBy: split(query.groupBy) ?? [],
              filter,
            },
            c.get("db"),
          ),
        }
      } catch (e) {
        if (e instanceof RangeError) {
          const dim = /unknown dimension "(.*)"; use (.+)$/.exec(e.message)
          const inGroupBy = dim && (split(query.groupBy) ?? []).includes(dim[1]!)
          throw new Errors.ValidationError({
            message: "invalid metric query",
            issues: [
              dim
                ? {
                    path: [inGroupBy ? "groupBy" : "filter"],
                    message: `must be one of: ${dim[2]}`,
                    code: "oneOf",
                    params: { values: dim[2]! },
                  }
                : {
                    path: ["groupBy"],
                    message: e.message,
                    code: "invalidValue",
                    params: { detail: e.message },
                  },
            ],
          })
        }
        throw e
      }
    },
  }),
]

/** Routes that stream: the CSV export and file imports. */
const ImportQuery = Schema.Struct({
  format: Schema.optionalKey(oneOf(["csv", "ndjson", "zendesk"] as const)),
  mapping: Schema.optionalKey(
    Schema.String.annotate({ description: 'a JSON object of field → column, e.g. {"subject":"Title"}' }),
  ),
  name: Schema.optionalKey(ShortText.annotate({ description: "the source's name, kept on the import" })),
}).annotate({ identifier: "ImportQuery" })
const ImportMapping = Schema.Record(ShortText, ShortText)

/** The OpenAPI description of the hand-written routes below (they stream, so they are not `endpoint`s). */
export const processStreamDocs: ReadonlyArray<StreamDoc> = [
  {
    method: "get",
    path: "/api/v1/process/cases/export.csv",
    operationId: "exportCases",
    summary: "Export the cases matching the queue's filters as CSV (streamed)",
    tag: "Cases",
    access: "cases:read",
    query: CaseQuery,
    response: {
      status: 200,
      contentType: "text/csv",
      description: "The cases, one a row, UTF-8 with a header row",
    },
  },
  {
    method: "post",
    path: "/api/v1/process/imports",
    operationId: "importCases",
    summary: "Import cases from a CSV, NDJSON or Zendesk export sent as the request body (streamed)",
    tag: "Cases",
    access: "cases:write",
    query: ImportQuery,
    requestBody: {
      contentTypes: ["text/csv", "application/x-ndjson", "application/json", "application/octet-stream"],
      description: "The file itself (TENET_MAX_IMPORT_BYTES at most, 64 MiB by default)",
    },
    response: { status: 201, contentType: "application/json", description: "The import's summary" },
  },
]

export const registerProcessStreams = (app: Hono<AppEnv>, limits: InputLimits = DEFAULT_LIMITS) => {
  app.get("/api/v1/process/cases/export.csv", async (c) => {
    const auth = authorize(c, "cases:read")
    const { limit: _all, ...filters } = decodeQuery(CaseQuery, c.req.query())
    const q = toQuery(filters)
    c.header("content-type", "text/csv; charset=utf-8")
    c.header(
      "content-disposition",
      `attachment; filename="cases-${new Date().toISOString().slice(0, 10)}.csv"`,
    )
    return stream(c, async (s) => {
      for await (const chunk of Cases.exportCases(c.get("db"), auth.orgId, q)) await s.write(chunk)
    })
  })
  app.post("/api/v1/process/imports", async (c) => {
    const auth = authorize(c, "cases:write")
    const query = decodeQuery(ImportQuery, c.req.query())
    let mapping: Record<string, string> | undefined
    if (query.mapping !== undefined) {
      let parsed: unknown
      try {
        parsed = JSON.parse(query.mapping)
      } catch {}
      const ok = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      if (!ok || valueIssues(parsed, limits).length)
        throw new Errors.ValidationError({
          message: "invalid import",
          issues: [
            { path: ["mapping"], message: "must be a JSON object of field → column", code: "mappingObject" },
          ],
        })
      mapping = decodeQuery(ImportMapping, parsed) as Record<string, string>
    }
    const body = c.req.raw.body
    if (!body)
      throw new Errors.ValidationError({
        message: "invalid import",
        issues: [{ path: ["file"], message: "send the file as the request body", code: "fileBody" }],
      })
    const actor =
      auth.kind === "api_key"
        ? { type: "api_key" as const, id: auth.apiKeyId! }
        : { type: "user" as const, id: auth.user!.id }
    const summary = await Import.importCases(
      c.get("db"),
      { orgId: auth.orgId, actor },
      Readable.fromWeb(body as never),
      {
        format: query.format ?? "csv",
        mapping,
        sourceName: query.name ?? "upload",
      },
    )
    return c.json(summary, 201)
  })
}
