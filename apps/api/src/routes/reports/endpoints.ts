// The report routes: compliance schedules, management reviews, scheduled reports and their files, the public report.
import { Errors } from "@tenet/core"
import { Improvement } from "@tenet/process"
import { Catalogue, Register } from "@tenet/risk"
import { ComplianceSchedules, Reviews } from "@tenet/standards"
import { endpoint } from "../../http/endpoint"
import * as Public from "../../reports/public"
import * as Reports from "../../reports/service"
import {
  ComplianceScheduleBody,
  FilesQuery,
  PublicQuery,
  PublicSettingsBody,
  ReportScheduleBody,
  ReviewBody,
} from "./schemas"

/**
 * The risks a review looks at when the request names none: the register's risks that are not
 * closed and whose residual rating is high or very high, most severe first (at most 20), each as
 * "R-n title · likelihood×impact = score · band (zh-CN / en)" — a review is a record, so its text
 * does not change with the reader's language.
 */
const registerRisks = async (db: Parameters<typeof Register.listRisks>[0], orgId: string) => {
  const matrices = new Map((await Catalogue.listMatrices(db, orgId)).map((m) => [m.id, m]))
  return (await Register.listRisks(db, orgId))
    .filter((r) => r.status !== "closed" && ["high", "very_high"].includes(r.residual.severity))
    .slice(0, 20)
    .map((r) => {
      const band = matrices.get(r.matrixId)?.bands.find((b) => b.id === r.residual.band)?.name
      const name = band ? `${band["zh-CN"]} / ${band.en}` : r.residual.severity
      const { likelihood, impact, score } = r.residual
      return `R-${r.number} ${r.title} · ${likelihood}×${impact} = ${score} · ${name}`.slice(0, 200)
    })
}

export const reportEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/compliance/schedules",
    exportable: true,
    operationId: "listComplianceSchedules",
    summary: "When each standard is evaluated by itself (daily, weekly or monthly at a local time)",
    tag: "Compliance",
    access: "standards:read",
    handler: async (c, { ctx }) => ({
      items: await ComplianceSchedules.listSchedules(c.get("db"), ctx.orgId),
    }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/standards/{id}/compliance-schedule",
    operationId: "setComplianceSchedule",
    summary: "Evaluate a standard on a schedule (each run evaluates the period before it)",
    tag: "Compliance",
    access: "standards:manage",
    body: ComplianceScheduleBody,
    handler: async (c, { ctx, params, body }) =>
      ComplianceSchedules.setSchedule(c.get("db"), ctx, params.id!, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/reviews",
    exportable: true,
    operationId: "listManagementReviews",
    summary: "Management reviews, newest first",
    tag: "Reviews",
    access: "standards:read",
    handler: async (c, { ctx }) => ({ items: await Reviews.listReviews(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/reviews",
    operationId: "createManagementReview",
    summary:
      "Record a management review: the period's compliance (latest evaluation of each standard), the open improvement cycles and — unless `risks` is given — the risk register's open high and very high risks are taken as they are now",
    tag: "Reviews",
    access: "standards:write",
    body: ReviewBody,
    status: 201,
    handler: async (c, { ctx, body }) => {
      const db = c.get("db")
      const cycles = (await Improvement.listCycles(db, ctx.orgId)).filter(
        (x) => x.status === "active" || x.status === "on_hold",
      )
      return Reviews.createReview(db, ctx, {
        title: body.title,
        from: new Date(body.from),
        to: new Date(body.to),
        heldAt: body.heldAt ? new Date(body.heldAt) : undefined,
        openCycles: cycles.map((x) => ({
          id: x.id,
          title: x.title,
          status: `${x.status}:${x.stage}`,
          workflowId: x.workflowId,
        })),
        risks: body.risks ?? (await registerRisks(db, ctx.orgId)),
        decisions: body.decisions ?? [],
        attendees: body.attendees ?? [],
        notes: body.notes,
      })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/reviews/{id}",
    operationId: "getManagementReview",
    summary: "One management review",
    tag: "Reviews",
    access: "standards:read",
    handler: async (c, { ctx, params }) => Reviews.getReview(c.get("db"), ctx.orgId, params.id!),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/reports/schedules",
    exportable: true,
    operationId: "listReportSchedules",
    summary: "Scheduled reports",
    tag: "Reports",
    access: "standards:read",
    handler: async (c, { ctx }) => ({ items: await Reports.listSchedules(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/reports/schedules",
    operationId: "createReportSchedule",
    summary:
      "Schedule a report: a source (dashboard, compliance, a saved case view), a format, a cadence, recipients",
    tag: "Reports",
    access: "standards:write",
    body: ReportScheduleBody,
    status: 201,
    handler: async (c, { ctx, body }) => Reports.saveSchedule(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/reports/schedules/{id}",
    operationId: "getReportSchedule",
    summary: "One scheduled report",
    tag: "Reports",
    access: "standards:read",
    handler: async (c, { ctx, params }) => Reports.getSchedule(c.get("db"), ctx.orgId, params.id!),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/reports/schedules/{id}",
    operationId: "updateReportSchedule",
    summary: "Change a scheduled report",
    tag: "Reports",
    access: "standards:write",
    body: ReportScheduleBody,
    handler: async (c, { ctx, params, body }) => Reports.saveSchedule(c.get("db"), ctx, body, params.id!),
  }),
  endpoint({
    method: "delete",
    path: "/api/v1/reports/schedules/{id}",
    operationId: "deleteReportSchedule",
    summary: "Delete a scheduled report (its files stay)",
    tag: "Reports",
    access: "standards:write",
    status: 204,
    handler: async (c, { ctx, params }) => {
      await Reports.deleteSchedule(c.get("db"), ctx, params.id!)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/reports/schedules/{id}/run",
    operationId: "runReportSchedule",
    summary: "Produce the report now (the period a run at this moment covers); recipients get report.ready",
    tag: "Reports",
    access: "standards:write",
    status: 201,
    handler: async (c, { ctx, params }) => Reports.runNow(c.get("db"), ctx, params.id!),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/reports/files",
    exportable: true,
    operationId: "listReportFiles",
    summary: "Produced reports, newest first",
    tag: "Reports",
    access: "standards:read",
    query: FilesQuery,
    handler: async (c, { ctx, query }) => ({
      items: await Reports.listFiles(c.get("db"), ctx.orgId, query.scheduleId),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/reports/public-settings",
    operationId: "getPublicReportSettings",
    summary: "What the public service report publishes (off by default)",
    tag: "Reports",
    access: "settings:read",
    handler: async (c, { ctx }) => Public.getSettings(c.get("db"), ctx.orgId),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/reports/public-settings",
    operationId: "setPublicReportSettings",
    summary: "Publish chosen KPIs (with n and interval) on a page without login, or stop",
    tag: "Reports",
    access: "settings:manage",
    body: PublicSettingsBody,
    handler: async (c, { ctx, body }) => {
      const out = await Public.saveSettings(c.get("db"), ctx, body)
      Public.forgetPublic(out.slug)
      return out
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/public/{slug}/report",
    operationId: "publicServiceReport",
    summary: "An organisation's public service report (no sign-in); 404 unless it publishes one",
    tag: "Public",
    access: "public",
    query: PublicQuery,
    handler: async (c, { params, query }) => {
      const slug = params.slug ?? ""
      if (!/^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/.test(slug))
        throw new Errors.NotFoundError({ entity: "public_report", id: slug.slice(0, 48) })
      const report = await Public.publicReport(c.get("db"), slug, query.locale ?? "zh-CN")
      // only an answer is cached by browsers and proxies (a 404 must not outlive publishing)
      c.header("cache-control", "public, max-age=60")
      return report
    },
  }),
]
