import { Errors } from "@tenet/core"
import { Standards } from "@tenet/standards"
import { Schema } from "effect"
import { sql } from "kysely"
import { endpoint } from "../../http/endpoint"
import { orgTimeZone } from "../../http/org-zone"
import { registry } from "../../registry"
import { ShortText } from "../schemas"
import {
  DocumentBody,
  DraftBody,
  EvaluateBody,
  ImportBody,
  Int,
  MappingBody,
  StepBody,
  version,
} from "./schemas"

export const standardEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/standards",
    exportable: true,
    operationId: "listStandards",
    summary: "Standards and their versions",
    tag: "Standards",
    access: "standards:read",
    handler: async (c, { ctx }) => ({ items: await Standards.listStandards(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/standards/{id}/versions",
    exportable: true,
    operationId: "listStandardVersions",
    summary: "One standard's versions (status, requirements, next review), as the standards page shows them",
    tag: "Standards",
    access: "standards:read",
    handler: async (c, { ctx, params }) => {
      const s = (await Standards.listStandards(c.get("db"), ctx.orgId)).find((x) => x.id === params.id)
      if (!s) throw new Errors.NotFoundError({ entity: "standard", id: params.id! })
      return { items: s.versions }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/standards/import",
    operationId: "importStandard",
    summary:
      "Import a standard library (JSON or YAML); a newer version of an imported library becomes a draft upgrade with its diff",
    tag: "Standards",
    access: "standards:manage",
    body: ImportBody,
    status: 201,
    handler: async (c, { ctx, body }) =>
      Standards.importLibrary(c.get("db"), ctx, registry, Standards.parseLibrary(body.text, body.format)),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/standards/reviews/due",
    exportable: true,
    operationId: "listDueReviews",
    summary: "Published versions whose review is due within 30 days",
    tag: "Standards",
    access: "standards:read",
    handler: async (c, { ctx }) => ({ items: await Standards.dueReviews(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/standards/breaches",
    exportable: true,
    operationId: "listBreaches",
    summary: "Breaches found by evaluations (open or answered by an improvement cycle)",
    tag: "Compliance",
    access: "standards:read",
    query: Schema.Struct({ status: Schema.optionalKey(Schema.Literals(["open", "answered"])) }),
    handler: async (c, { ctx, query }) => ({
      items: await Standards.listBreaches(c.get("db"), ctx.orgId, query.status),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/standards/breaches/{id}/cases",
    operationId: "listBreachCases",
    summary:
      "The cases a breach was computed from, as stored with its evaluation (the first 500 by intake, and how many in all)",
    tag: "Compliance",
    access: "cases:read",
    handler: async (c, { ctx, params }) => {
      const db = c.get("db")
      const e = await Standards.breachEvidence(db, ctx.orgId, params.id!)
      const rows = e.caseIds.length
        ? (
            await sql<{ id: string; number: string | number; subject: string; received_at: Date }>`
              select id, number, subject, received_at from process.case
              where org_id = ${ctx.orgId} and id in (${sql.join(e.caseIds)})`.execute(db.kysely)
          ).rows
        : []
      const byId = new Map(rows.map((r) => [r.id, r]))
      return {
        ...e,
        // in the stored order; a case deleted since (retention, erasure) stays listed by its id
        items: e.caseIds.map((id) => {
          const r = byId.get(id)
          return {
            id,
            number: r ? Number(r.number) : null,
            subject: r?.subject ?? null,
            receivedAt: r?.received_at ?? null,
          }
        }),
      }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/standards/evaluations",
    exportable: true,
    operationId: "listEvaluations",
    summary: "Stored compliance evaluations",
    tag: "Compliance",
    access: "standards:read",
    query: Schema.Struct({ standardId: Schema.optionalKey(ShortText) }),
    handler: async (c, { ctx, query }) => ({
      items: await Standards.listEvaluations(c.get("db"), ctx.orgId, query.standardId),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/standards/evaluations/{id}",
    // the evaluation's results, one row per target (the compliance report)
    exportable: { rows: (a) => (a as { results: ReadonlyArray<unknown> }).results },
    operationId: "getEvaluation",
    summary: "A compliance evaluation with its evidence",
    tag: "Compliance",
    access: "standards:read",
    handler: async (c, { ctx, params }) => Standards.getEvaluation(c.get("db"), ctx.orgId, params.id!),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/standards/mappings",
    exportable: true,
    operationId: "listMappings",
    summary: "Mappings between requirements of two standards",
    tag: "Standards",
    access: "standards:read",
    handler: async (c, { ctx }) => ({ items: await Standards.listMappings(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/standards/{id}/requirements",
    operationId: "listRequirements",
    summary:
      "The requirements of a standard's newest version (id, clause, title), e.g. to choose what to map",
    tag: "Standards",
    access: "standards:read",
    handler: async (c, { ctx, params }) => {
      const items = await Standards.requirementsOfStandard(c.get("db"), ctx.orgId, params.id!)
      if (!items) throw new Errors.NotFoundError({ entity: "standard", id: params.id! })
      return { items }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/standards/mappings",
    operationId: "createMapping",
    summary:
      "Map a requirement to a requirement of another standard (equal, subset, superset, intersect; strength 0–10)",
    tag: "Standards",
    access: "standards:manage",
    body: MappingBody,
    status: 201,
    handler: async (c, { ctx, body }) => Standards.createMapping(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/standards/{id}/versions/{version}",
    operationId: "getStandardVersion",
    etag: true,
    summary: "A version of a standard with its document",
    tag: "Standards",
    access: "standards:read",
    handler: async (c, { ctx, params }) =>
      Standards.getVersion(c.get("db"), ctx.orgId, params.id!, version(params)),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/standards/{id}/versions/{version}/document",
    operationId: "updateStandardDraft",
    ifMatch: "getStandardVersion",
    summary: "Replace a draft's document (published versions are immutable)",
    tag: "Standards",
    access: "standards:manage",
    body: DocumentBody,
    status: 204,
    handler: async (c, { ctx, params, body }) => {
      await Standards.updateDraft(c.get("db"), ctx, registry, params.id!, version(params), body.document)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/standards/{id}/versions/{version}/steps",
    operationId: "stepStandardVersion",
    ifMatch: "getStandardVersion",
    summary: "Move a version through review: in_review, approved, published, retired (or back to draft)",
    tag: "Standards",
    access: "standards:manage",
    body: StepBody,
    handler: async (c, { ctx, params, body }) =>
      Standards.step(c.get("db"), ctx, params.id!, version(params), body.to, body.note),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/standards/{id}/drafts",
    operationId: "createStandardDraft",
    summary:
      "A new draft from a version, optionally with a changed document and the improvement cycle proposing it",
    tag: "Standards",
    access: "standards:write",
    body: DraftBody,
    status: 201,
    handler: async (c, { ctx, params, body }) =>
      Standards.createDraft(c.get("db"), ctx, registry, params.id!, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/standards/{id}/diff",
    operationId: "diffStandardVersions",
    summary: "What changed between two versions",
    tag: "Standards",
    access: "standards:read",
    query: Schema.Struct({ a: Int, b: Int }),
    handler: async (c, { ctx, params, query }) => ({
      items: await Standards.diffVersions(c.get("db"), ctx.orgId, params.id!, query.a, query.b),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/standards/{id}/evaluations",
    operationId: "evaluateStandard",
    summary:
      "Evaluate the published version for a period: met / at risk / breached per target, with evidence; breaches are stored",
    tag: "Compliance",
    access: "standards:write",
    body: EvaluateBody,
    status: 201,
    handler: async (c, { ctx, params, body }) =>
      Standards.evaluate(c.get("db"), ctx, registry, params.id!, {
        from: new Date(body.from),
        to: new Date(body.to),
        timeZone: body.timeZone ?? (await orgTimeZone(c.get("db"), ctx.orgId)),
        version: body.version,
      }),
  }),
]
