// The feedback routes for items from every channel, the cause taxonomy and its Pareto, and complaints (ISO 10002).
import { Causes, Complaints, Items } from "@tenet/feedback"
import { orgCalendar } from "../../feedback/metrics"
import { endpoint } from "../../http/endpoint"
import { CauseBody, ItemBody, ItemsQuery, ParetoQuery, RateBody, ReplyBody, StepBody } from "./schemas"

const TAG = "Feedback"

export const itemEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/feedback/items",
    exportable: true,
    operationId: "listFeedbackItems",
    summary:
      "Suggestions, praise and complaints, newest first, with their clocks (keyset: beforeAt + beforeId)",
    tag: TAG,
    access: "feedback:read",
    query: ItemsQuery,
    handler: async (c, { ctx, query }) => ({
      items: await Items.listItems(c.get("db"), ctx.orgId, {
        kind: query.kind,
        status: query.status,
        limit: query.limit,
        before:
          query.beforeAt && query.beforeId ? { at: new Date(query.beforeAt), id: query.beforeId } : undefined,
      }),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/feedback/items",
    operationId: "recordFeedbackItem",
    summary:
      "Record a suggestion, praise or complaint from any channel (reply deadline on the service calendar)",
    tag: TAG,
    access: "feedback:write",
    body: ItemBody,
    status: 201,
    handler: async (c, { ctx, body }) => {
      const db = c.get("db")
      return Items.record(
        db,
        ctx,
        { ...body, receivedAt: body.receivedAt ? new Date(body.receivedAt) : undefined },
        await orgCalendar(db, ctx.orgId),
      )
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/feedback/items/{id}",
    operationId: "getFeedbackItem",
    summary: "An item with its clocks and ledger, and for a complaint the stages it may go to next",
    tag: TAG,
    access: "feedback:read",
    handler: async (c, { ctx, params }) => {
      const item = await Items.getItem(c.get("db"), ctx.orgId, params.id!)
      return { ...item, next: item.stage ? Complaints.TRANSITIONS[item.stage] : [] }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/feedback/items/{id}/reply",
    operationId: "replyToFeedbackItem",
    summary: "Reply to a suggestion or praise (stops its reply clock)",
    tag: TAG,
    access: "feedback:write",
    body: ReplyBody,
    handler: async (c, { ctx, params, body }) => Items.replyTo(c.get("db"), ctx, params.id!, body),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/feedback/complaints/{id}/steps",
    operationId: "stepComplaint",
    summary: "Move a complaint to its next ISO 10002 stage (assessment sets the response deadline)",
    tag: TAG,
    access: "feedback:write",
    body: StepBody,
    handler: async (c, { ctx, params, body }) => {
      const db = c.get("db")
      return Complaints.step(db, ctx, params.id!, body, { calendar: await orgCalendar(db, ctx.orgId) })
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/feedback/complaints/{id}/handling-rating",
    operationId: "rateComplaintHandling",
    summary: "The complainant's satisfaction with the handling (1–5), after closure",
    tag: TAG,
    access: "feedback:write",
    body: RateBody,
    handler: async (c, { ctx, params, body }) =>
      Complaints.rateHandling(c.get("db"), ctx, params.id!, body.score),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/feedback/causes",
    exportable: true,
    operationId: "listFeedbackCauses",
    summary: "The root-cause taxonomy",
    tag: TAG,
    access: "feedback:read",
    handler: async (c, { ctx }) => ({ items: await Causes.listCauses(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/feedback/causes",
    operationId: "saveFeedbackCause",
    summary: "Add or rename a root cause",
    tag: TAG,
    access: "feedback:manage",
    body: CauseBody,
    status: 204,
    handler: async (c, { ctx, body }) => Causes.saveCause(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/feedback/pareto",
    operationId: "feedbackPareto",
    summary: "Items per root cause in a period, largest first, with the cumulative share",
    tag: TAG,
    access: "feedback:read",
    query: ParetoQuery,
    handler: async (c, { ctx, query }) =>
      Causes.pareto(c.get("db"), ctx.orgId, {
        from: new Date(query.from),
        to: new Date(query.to),
        kind: query.kind,
      }),
  }),
]
