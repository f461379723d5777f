/** Treatments and acceptances, contingency plans (activations, timeline, exercises) and incidents. */
import { Activations, Exercises, Incidents, Plans, Severity, Treatments } from "@tenet/risk"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"
import { orgTimeZone } from "../../http/org-zone"
import { caseLookup, withCases } from "../../risk/cases"
import { ShortText } from "../schemas"
import {
  AcceptanceBody,
  AcceptanceStepBody,
  ActivateBody,
  CloseBody,
  DraftNoticeBody,
  EntryBody,
  ExerciseBody,
  FollowUpBody,
  IncidentBody,
  IncidentPatch,
  NoticeBody,
  PlanBody,
  PlanPatch,
  SeverityBody,
  TreatmentBody,
  TreatmentPatch,
  TreatmentStatusBody,
} from "./schemas"

const tag = "Risk"
const date = (s: string | undefined) => (s ? new Date(s) : undefined)
const ByRisk = Schema.Struct({ riskId: Schema.optionalKey(ShortText) })
const ByPlan = Schema.Struct({ planId: Schema.optionalKey(ShortText) })

export const continuityEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/risk/treatments",
    exportable: true,
    operationId: "listRiskTreatments",
    summary: "Treatments (of one risk with riskId), with overdue marked",
    tag,
    access: "risk:read",
    query: ByRisk,
    handler: async (c, { ctx, query }) => ({
      items: await Treatments.listTreatments(c.get("db"), ctx.orgId, query.riskId),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/treatments",
    operationId: "createRiskTreatment",
    summary: "Plan a treatment (an ISO 31000 option) with owner and due date",
    tag,
    access: "risk:write",
    body: TreatmentBody,
    status: 201,
    handler: async (c, { ctx, body }) =>
      Treatments.createTreatment(c.get("db"), ctx, { ...body, dueAt: new Date(body.dueAt) }),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/risk/treatments/{id}",
    operationId: "updateRiskTreatment",
    summary: "Edit a treatment: option, title, owner, due date or status",
    tag,
    access: "risk:write",
    body: TreatmentPatch,
    handler: async (c, { ctx, params, body }) =>
      Treatments.updateTreatment(c.get("db"), ctx, params.id!, { ...body, dueAt: date(body.dueAt) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/treatments/{id}/status",
    operationId: "setRiskTreatmentStatus",
    summary: "Move a treatment: planned, in progress, done, cancelled",
    tag,
    access: "risk:write",
    body: TreatmentStatusBody,
    handler: async (c, { ctx, params, body }) =>
      Treatments.setTreatmentStatus(c.get("db"), ctx, params.id!, body.status),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/acceptances",
    operationId: "listRiskAcceptances",
    summary: "Acceptances of residual risks",
    tag,
    access: "risk:read",
    query: ByRisk,
    handler: async (c, { ctx, query }) => ({
      items: await Treatments.listAcceptances(c.get("db"), ctx.orgId, query.riskId),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/acceptances",
    operationId: "draftRiskAcceptance",
    summary: "Draft the acceptance of a residual risk, valid until an expiry",
    tag,
    access: "risk:write",
    body: AcceptanceBody,
    status: 201,
    handler: async (c, { ctx, body }) =>
      Treatments.draftAcceptance(c.get("db"), ctx, { ...body, expiresAt: new Date(body.expiresAt) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/acceptances/{id}/steps",
    operationId: "stepRiskAcceptance",
    summary: "Submit an acceptance, or accept / reject a submitted one (not by its submitter)",
    tag,
    access: "risk:manage",
    body: AcceptanceStepBody,
    handler: async (c, { ctx, params, body }) =>
      Treatments.stepAcceptance(c.get("db"), ctx, params.id!, body.action, body.note),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/plans",
    exportable: true,
    operationId: "listRiskPlans",
    summary: "Contingency plans with their last exercise and activation",
    tag,
    access: "risk:read",
    handler: async (c, { ctx }) => ({ items: await Plans.listPlans(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/plans",
    operationId: "createRiskPlan",
    summary:
      "Create a contingency plan (triggers, tiers, steps with roles and time limits, backup channels, contacts)",
    tag,
    access: "risk:manage",
    body: PlanBody,
    status: 201,
    handler: async (c, { ctx, body }) => Plans.createPlan(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/risk/plans/{id}",
    operationId: "updateRiskPlan",
    summary:
      "Edit a contingency plan: any of its title, scenario, triggers, tiers, steps, backup channels or contacts (each replaced whole)",
    tag,
    access: "risk:manage",
    body: PlanPatch,
    handler: async (c, { ctx, params, body }) => Plans.updatePlan(c.get("db"), ctx, params.id!, body),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/plans/{id}/activations",
    operationId: "activateRiskPlan",
    summary: "Activate a plan at a tier (startedAt may be in the past: act first, record afterwards)",
    tag,
    access: "risk:write",
    body: ActivateBody,
    status: 201,
    handler: async (c, { ctx, params, body }) =>
      Activations.activate(c.get("db"), ctx, params.id!, { ...body, startedAt: date(body.startedAt) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/activations",
    operationId: "listRiskActivations",
    summary: "Plan activations, newest first",
    tag,
    access: "risk:read",
    query: ByPlan,
    handler: async (c, { ctx, query }) => ({
      items: await Activations.listActivations(c.get("db"), ctx.orgId, query.planId),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/activations/{id}",
    operationId: "getRiskActivation",
    summary: "An activation with its timeline (happened / recorded) and its step checklist",
    tag,
    access: "risk:read",
    handler: async (c, { ctx, params }) => Activations.getActivation(c.get("db"), ctx.orgId, params.id!),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/activations/{id}/entries",
    operationId: "recordRiskActivation",
    summary:
      "Record what happened (when it happened; recorded now by the caller), optionally completing a step",
    tag,
    access: "risk:write",
    body: EntryBody,
    status: 201,
    handler: async (c, { ctx, params, body }) =>
      Activations.record(c.get("db"), ctx, params.id!, { ...body, happenedAt: date(body.happenedAt) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/activations/{id}/close",
    operationId: "closeRiskActivation",
    summary: "Close an activation with its post-incident review (optionally opening an improvement cycle)",
    tag,
    access: "risk:write",
    body: CloseBody,
    handler: async (c, { ctx, params, body }) =>
      Activations.close(c.get("db"), ctx, params.id!, { ...body, closedAt: date(body.closedAt) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/exercises",
    operationId: "listRiskExercises",
    summary: "Plan exercises with their findings",
    tag,
    access: "risk:read",
    query: ByPlan,
    handler: async (c, { ctx, query }) => ({
      items: await Exercises.listExercises(c.get("db"), ctx.orgId, query.planId),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/plans/{id}/exercises",
    operationId: "recordRiskExercise",
    summary: "Record an exercise of a plan with findings and follow-ups",
    tag,
    access: "risk:write",
    body: ExerciseBody,
    status: 201,
    handler: async (c, { ctx, params, body }) =>
      Exercises.recordExercise(c.get("db"), ctx, params.id!, { ...body, heldAt: new Date(body.heldAt) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/exercises/{id}/follow-ups",
    operationId: "setRiskExerciseFollowUp",
    summary:
      "Tick a finding's follow-up done (who and when are kept) or reopen it; `finding` is its place, 0 first",
    tag,
    access: "risk:write",
    body: FollowUpBody,
    handler: async (c, { ctx, params, body }) =>
      Exercises.setFollowUp(c.get("db"), ctx, params.id!, body.finding, body.done),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/incidents",
    exportable: true,
    operationId: "listRiskIncidents",
    summary:
      "Incidents, newest first, with their notification clocks and affected cases (those of one case with caseId)",
    tag,
    access: "risk:read",
    query: Schema.Struct({ caseId: Schema.optionalKey(ShortText) }),
    handler: async (c, { ctx, query }) => ({
      items: await withCases(
        c.get("db"),
        ctx.orgId,
        await Incidents.listIncidents(c.get("db"), ctx.orgId, new Date(), { caseId: query.caseId }),
      ),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/incidents",
    operationId: "createRiskIncident",
    summary: "Record an incident: severity computed, notification clocks started from its detection",
    tag,
    access: "risk:write",
    body: IncidentBody,
    status: 201,
    handler: async (c, { ctx, body }) => {
      const db = c.get("db")
      const i = await Incidents.createIncident(
        db,
        ctx,
        { ...body, startedAt: new Date(body.startedAt), detectedAt: new Date(body.detectedAt) },
        new Date(),
        caseLookup(db),
      )
      return (await withCases(db, ctx.orgId, [i]))[0]
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/severity",
    operationId: "calculateIncidentSeverity",
    summary:
      "The severity calculator: a level and its reason from people affected, data categories and duration",
    tag,
    access: "risk:read",
    body: SeverityBody,
    handler: async (_c, { body }) => Severity.severity(body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/risk/incidents/{id}",
    operationId: "getRiskIncident",
    summary: "An incident with its clocks",
    tag,
    access: "risk:read",
    handler: async (c, { ctx, params }) =>
      (
        await withCases(c.get("db"), ctx.orgId, [
          await Incidents.getIncident(c.get("db"), ctx.orgId, params.id!),
        ])
      )[0],
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/risk/incidents/{id}",
    operationId: "updateRiskIncident",
    summary:
      "Record containment, resolution or lessons learned, or replace the affected cases (ids or numbers)",
    tag,
    access: "risk:write",
    body: IncidentPatch,
    handler: async (c, { ctx, params, body }) => {
      const db = c.get("db")
      const i = await Incidents.updateIncident(
        db,
        ctx,
        params.id!,
        {
          containedAt: date(body.containedAt),
          resolvedAt: date(body.resolvedAt),
          lessons: body.lessons,
          affectedCases: body.affectedCases,
        },
        new Date(),
        caseLookup(db),
      )
      return (await withCases(db, ctx.orgId, [i]))[0]
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/incidents/{id}/notices",
    operationId: "markRiskIncidentNoticeSent",
    summary: "Mark a regulatory notice sent",
    tag,
    access: "risk:write",
    body: NoticeBody,
    handler: async (c, { ctx, params, body }) =>
      Incidents.markSent(c.get("db"), ctx, params.id!, body.regime, body.notice, date(body.sentAt)),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/risk/incidents/{id}/notice-drafts",
    operationId: "draftRiskIncidentNotice",
    summary: "The draft of a regulatory notice in zh-CN and en",
    tag,
    access: "risk:read",
    body: DraftNoticeBody,
    handler: async (c, { ctx, params, body }) =>
      Incidents.draftNotice(
        c.get("db"),
        ctx.orgId,
        params.id!,
        body.regime,
        body.notice,
        body,
        await orgTimeZone(c.get("db"), ctx.orgId),
      ),
  }),
]
