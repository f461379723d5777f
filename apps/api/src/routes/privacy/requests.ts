/** Privacy endpoints: the subject-request queue (receive, verify, fulfil, refuse, export), restrictions and consents. */
import { Corrections, type Db, Errors } from "@tenet/core"
import { Consent, Erasure, PrivacyExport, PrivacyRequests, type RiskTables } from "@tenet/risk"
import { endpoint } from "../../http/endpoint"
import { calendarById, requestCalendar } from "../../privacy/clock"
import { TAG } from "./retention"
import {
  ConsentBody,
  ExportQuery,
  FulfilBody,
  RefuseBody,
  RequestBody,
  RequestQuery,
  SettingsBody,
  VerifyBody,
} from "./schemas"

const conflict = (e: unknown): never => {
  if (e instanceof Corrections.CorrectionRefused)
    throw new Errors.ValidationError({
      message: e.message,
      issues: [
        {
          path: e.field === "corrections" ? ["corrections"] : ["corrections", e.field],
          message: e.message,
          code: "correctionRefused",
        },
      ],
    })
  if (e instanceof PrivacyRequests.RequestConflict) {
    if (e.code === "not_found")
      throw new Errors.NotFoundError({ entity: "privacy_request", id: e.message.slice(11) })
    throw new Errors.ConflictError({
      message: e.message,
      code:
        e.code === "not_verified"
          ? "requestNotVerified"
          : e.code === "closed"
            ? "requestClosed"
            : "requestAlreadyVerified",
    })
  }
  throw e
}

const found = async (
  c: { get: (k: "db") => import("@tenet/core").Db.Database },
  orgId: string,
  id: string,
) => {
  const r = await PrivacyRequests.get(c.get("db").as<RiskTables>(), orgId, id)
  if (!r) throw new Errors.NotFoundError({ entity: "privacy_request", id })
  return r
}

/** The settings as the admin shows them: the clock, its calendar and the correctable fields. */
const settingsView = async (db: Db.Database, orgId: string) => {
  const s = await PrivacyRequests.settings(db.as<RiskTables>(), orgId)
  const { source } = await requestCalendar(db, orgId)
  return {
    ...s,
    // which calendar the clock counts on now: the one set here, the service calendar, or none (calendar days)
    calendarSource: source,
    correctionFields: Corrections.fields(),
  }
}

export const requestEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/privacy/requests",
    operationId: "listPrivacyRequests",
    summary: "The privacy officer's queue of data-subject requests, by due date, with days left",
    tag: TAG,
    access: "privacy:read",
    query: RequestQuery,
    handler: async (c, { ctx, query }) => ({
      items: await PrivacyRequests.queue(c.get("db").as<RiskTables>(), ctx.orgId, {
        ...(query.open ? { open: query.open === "true" } : {}),
        ...(query.customerId ? { customerId: query.customerId } : {}),
      }),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/privacy/requests",
    operationId: "receivePrivacyRequest",
    summary: "Record a data-subject request (access, correction, deletion, restriction); its clock starts",
    tag: TAG,
    access: "privacy:write",
    body: RequestBody,
    status: 201,
    handler: async (c, { ctx, body }) => {
      const db = c.get("db")
      const unknown = body.kind === "correction" ? Corrections.unknownFields(body.corrections ?? {}) : []
      // a record field names one of the customer's records (the corrector checks again when applying)
      const keys = Object.keys(body.corrections ?? {}).filter((k) => k.includes("@"))
      if (body.kind === "correction" && keys.length && !unknown.length) {
        const theirs = new Set(
          (await Corrections.records({ tx: db.kysely, ctx }, body.customerId)).map((r) => r.key),
        )
        const foreign = keys.filter((k) => !theirs.has(k))
        if (foreign.length)
          throw new Errors.ValidationError({
            message: `${foreign[0]} is not a record of customer ${body.customerId}`,
            issues: foreign.map((f) => ({
              path: ["corrections", f],
              message: "not a record of this customer",
              code: "correctionRefused",
            })),
          })
      }
      if (unknown.length)
        throw new Errors.ValidationError({
          message: `no module corrects the field ${unknown[0]}`,
          issues: unknown.map((f) => ({
            path: ["corrections", f],
            message: "no module corrects this field",
            code: "correctionRefused",
          })),
        })
      // the clock counts business days on the organisation's calendar
      const { calendar } = await requestCalendar(db, ctx.orgId)
      return PrivacyRequests.receive(
        db,
        ctx,
        { ...body, receivedAt: body.receivedAt ? new Date(body.receivedAt) : undefined },
        { calendar },
      )
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/privacy/settings",
    operationId: "getPrivacySettings",
    summary:
      "The subject-request clock (days, business calendar, reminder) and the fields a correction request may name",
    tag: TAG,
    access: "privacy:read",
    handler: async (c, { ctx }) => settingsView(c.get("db"), ctx.orgId),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/privacy/settings",
    operationId: "setPrivacySettings",
    summary:
      "Set the subject-request clock: days to answer (30 by default), the business calendar they count on, the reminder",
    tag: TAG,
    access: "privacy:manage",
    body: SettingsBody,
    handler: async (c, { ctx, body }) => {
      const db = c.get("db")
      const calendarId = body.calendarId ?? null
      if (calendarId && !(await calendarById(db, ctx.orgId, calendarId)))
        throw new Errors.ValidationError({
          message: `no calendar ${calendarId}`,
          issues: [{ path: ["calendarId"], message: "no such calendar", code: "unknownCalendar" }],
        })
      if (body.reminderDays >= body.requestDays)
        throw new Errors.ValidationError({
          message: "the reminder must come before the due date",
          issues: [
            {
              path: ["reminderDays"],
              message: "must be less than requestDays",
              code: "reminderAfterDue",
            },
          ],
        })
      await PrivacyRequests.setSettings(db, ctx, {
        requestDays: body.requestDays,
        reminderDays: body.reminderDays,
        calendarId,
      })
      return settingsView(db, ctx.orgId)
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/privacy/requests/{id}",
    operationId: "getPrivacyRequest",
    summary: "One data-subject request with its outcome (what was removed, what was kept and why)",
    tag: TAG,
    access: "privacy:read",
    handler: async (c, { ctx, params }) => found(c, ctx.orgId, params.id!),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/privacy/requests/{id}/verify",
    operationId: "verifyPrivacyRequest",
    summary: "Record how the requester's identity was verified",
    tag: TAG,
    access: "privacy:write",
    body: VerifyBody,
    handler: async (c, { ctx, params, body }) =>
      PrivacyRequests.verify(c.get("db"), ctx, params.id!, body.method).catch(conflict),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/privacy/requests/{id}/fulfil",
    operationId: "fulfilPrivacyRequest",
    summary:
      "Fulfil a verified request: erase (deletion, with a statement of what was kept and why), restrict, apply a correction in the modules holding the fields, or close an access",
    tag: TAG,
    access: "privacy:write",
    body: FulfilBody,
    handler: async (c, { ctx, params, body }) => {
      const db = c.get("db")
      const r = await found(c, ctx.orgId, params.id!)
      if (r.closedAt)
        throw new Errors.ConflictError({ message: `request ${r.id} is closed`, code: "requestClosed" })
      if (!r.verifiedAt)
        throw new Errors.ConflictError({
          message: `verify the requester of ${r.id} first`,
          code: "requestNotVerified",
        })
      if (r.kind === "correction")
        return PrivacyRequests.correct(db, ctx, r.id, body.corrections ?? {}).catch(conflict)
      let outcome: Parameters<typeof PrivacyRequests.complete>[3] = { removed: [], kept: [] }
      if (r.kind === "deletion") outcome = await Erasure.erase(db, ctx, r.customerId, { requestId: r.id })
      else if (r.kind === "restriction") await Erasure.restrict(db, ctx, r.customerId, r.id)
      return PrivacyRequests.complete(db, ctx, r.id, outcome).catch(conflict)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/privacy/requests/{id}/refuse",
    operationId: "refusePrivacyRequest",
    summary: "Refuse a request with the reason the customer is given (PIPL Art 50)",
    tag: TAG,
    access: "privacy:write",
    body: RefuseBody,
    handler: async (c, { ctx, params, body }) =>
      PrivacyRequests.refuse(c.get("db"), ctx, params.id!, body.reason).catch(conflict),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/privacy/requests/{id}/export",
    operationId: "exportPrivacyRequest",
    summary:
      "The customer's data from every module, as JSON or as a readable document in the request's language (verified requests only)",
    tag: TAG,
    access: "privacy:write",
    query: ExportQuery,
    handler: async (c, { ctx, params, query }) => {
      const r = await found(c, ctx.orgId, params.id!)
      if (!r.verifiedAt)
        throw new Errors.ConflictError({
          message: `verify the requester of ${r.id} first`,
          code: "requestNotVerified",
        })
      const e = await PrivacyExport.collect(c.get("db"), ctx.orgId, r.customerId, r.locale)
      const html = query.format === "html"
      return new Response(html ? PrivacyExport.toHtml(e) : JSON.stringify(e, null, 2), {
        headers: {
          "content-type": html ? "text/html; charset=utf-8" : "application/json; charset=utf-8",
          "content-disposition": `attachment; filename="personal-data-${r.id}.${html ? "html" : "json"}"`,
        },
      })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/privacy/customers/{id}/correctable",
    operationId: "listCorrectableRecords",
    summary:
      "The customer's records whose text a correction request can correct (what they wrote in feedback, survey comments), with the text held now and the correction key of each",
    tag: TAG,
    // the texts are the customer's own words: for those who handle the requests (as the export)
    access: "privacy:write",
    handler: async (c, { ctx, params }) => ({
      items: await Corrections.records({ tx: c.get("db").kysely, ctx }, params.id!),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/privacy/customers/{id}/consents",
    operationId: "listCustomerConsents",
    summary:
      "A customer's consent history (service contact, surveys, marketing) and whether they are restricted",
    tag: TAG,
    access: "privacy:read",
    handler: async (c, { ctx, params }) => {
      const q = c.get("db").as<RiskTables>()
      const restricted = await q
        .selectFrom("risk.privacy_restriction")
        .select("since")
        .where("org_id", "=", ctx.orgId)
        .where("customer_id", "=", params.id!)
        .executeTakeFirst()
      return {
        items: await Consent.history(q, ctx.orgId, params.id!),
        restrictedSince: restricted?.since ?? null,
      }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/privacy/customers/{id}/consents",
    operationId: "recordCustomerConsent",
    summary: "Record a customer's consent or its withdrawal, with the notice version and the source",
    tag: TAG,
    access: "privacy:write",
    body: ConsentBody,
    status: 201,
    handler: async (c, { ctx, params, body }) =>
      Consent.record(c.get("db"), ctx, { customerId: params.id!, ...body }),
  }),
]
