import { Cases, Config } from "@tenet/process"
import { caseDetailFor, casesFor, customerFor, customersFor } from "../../encryption/masking"
import { endpoint } from "../../http/endpoint"
import { requireMember } from "../../iam/service"
import {
  Assign,
  CasePatch,
  CaseQuery,
  CompleteFollowUp,
  CreateCase,
  CustomerInput,
  CustomerPatch,
  CustomerQuery,
  Note,
  Reply,
  Transition,
  toQuery,
  ViewBody,
} from "./schemas"

export const caseEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/process/views",
    exportable: true,
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
    exportable: true,
    operationId: "listCases",
    summary:
      "The case queue: filter, sort (receivedAt, number, priority, dueAt, status, updatedAt; - for descending) and keyset-page",
    tag: "Cases",
    access: "cases:read",
    query: CaseQuery,
    handler: async (c, { ctx, query }) =>
      casesFor(ctx, await Cases.listCases(c.get("db"), ctx.orgId, toQuery(query))),
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
    handler: async (c, { ctx, params }) =>
      caseDetailFor(ctx, await Cases.getCase(c.get("db"), ctx.orgId, params.id!)),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/process/cases/{id}",
    operationId: "updateCase",
    summary:
      "Complete or correct a case's record (subject, content, category, customer, milestones); the change that completes the record stops the initial-record clock",
    tag: "Cases",
    access: "cases:write",
    body: CasePatch,
    handler: async (c, { ctx, params, body }) => Cases.updateCase(c.get("db"), ctx, params.id!, body),
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
    exportable: true,
    operationId: "listCustomers",
    summary:
      "Customers (search by exact name, external id, phone or e-mail — through blind indexes when encrypted; filter by segment). Masked without pi:read",
    tag: "Customers",
    access: "cases:read",
    query: CustomerQuery,
    handler: async (c, { ctx, query }) =>
      customersFor(ctx, await Config.listCustomers(c.get("db"), ctx.orgId, query)),
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
    handler: async (c, { ctx, body }) =>
      customerFor(ctx, await Config.createCustomer(c.get("db"), ctx, body)),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/process/customers/{id}",
    operationId: "getCustomer",
    summary: "A customer (masked without pi:read)",
    tag: "Customers",
    access: "cases:read",
    handler: async (c, { ctx, params }) =>
      customerFor(ctx, await Config.getCustomer(c.get("db"), ctx.orgId, params.id!)),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/process/customers/{id}",
    operationId: "updateCustomer",
    summary: "Edit a customer (the fields given replace the stored ones)",
    tag: "Customers",
    access: "cases:write",
    body: CustomerPatch,
    handler: async (c, { ctx, params, body }) =>
      customerFor(ctx, await Config.updateCustomer(c.get("db"), ctx, params.id!, body)),
  }),
]
