/**
 * Scheduled work on standards (compliance schedules, management reviews), scheduled reports and
 * their files, XLSX exports of the admin's tables, and the public service report.
 */
import { PassThrough, Readable } from "node:stream"
import { Errors } from "@tenet/core"
import { Cases, Improvement } from "@tenet/process"
import { Cadence, ComplianceSchedules, Reviews, Standards } from "@tenet/standards"
import { Schema } from "effect"
import type { Context, Hono } from "hono"
import { authorize, endpoint, type StreamDoc } from "../http/endpoint"
import type { AppEnv } from "../http/env"
import * as Public from "../reports/public"
import * as Reports from "../reports/service"
import { CaseQuery, caseQueryOf } from "./process"
import { DateTime, Email, Locale, NonEmptyShort, ShortText, TimeZone } from "./schemas"

const oneOf = <const T extends ReadonlyArray<string>>(values: T) =>
  Schema.Literals(values).annotate({ message: `must be one of: ${values.join(", ")}` })
const LocalTime = Schema.String.check(
  Schema.isPattern(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a local time HH:MM" }),
)
const Int = Schema.Finite.check(Schema.isInt({ message: "must be a whole number" }))
const CadenceFields = {
  frequency: oneOf(Cadence.FREQUENCIES),
  time: LocalTime,
  weekday: Schema.optionalKey(Schema.NullOr(Int)),
  monthDay: Schema.optionalKey(Schema.NullOr(Int)),
  timeZone: Schema.optionalKey(TimeZone),
  enabled: Schema.optionalKey(Schema.Boolean),
}
const ComplianceScheduleBody = Schema.Struct(CadenceFields).annotate({ identifier: "ComplianceSchedule" })
const ReportScheduleBody = Schema.Struct({
  name: NonEmptyShort,
  source: oneOf(Reports.SOURCES),
  params: Schema.optionalKey(Schema.Record(ShortText, ShortText)),
  format: oneOf(Reports.FORMATS),
  locale: Schema.optionalKey(Locale),
  recipients: Schema.optionalKey(Schema.Array(Email)),
  ...CadenceFields,
}).annotate({ identifier: "ReportSchedule" })
const ReviewBody = Schema.Struct({
  title: NonEmptyShort,
  from: DateTime,
  to: DateTime,
  heldAt: Schema.optionalKey(DateTime),
  risks: Schema.optionalKey(Schema.Array(ShortText)),
  decisions: Schema.optionalKey(
    Schema.Array(
      Schema.Struct({
        text: NonEmptyShort,
        owner: Schema.optionalKey(ShortText),
        due: Schema.optionalKey(DateTime),
      }),
    ),
  ),
  attendees: Schema.optionalKey(Schema.Array(NonEmptyShort)),
  notes: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "ManagementReviewInput" })
const PublicSettingsBody = Schema.Struct({
  enabled: Schema.Boolean,
  title: NonEmptyShort,
  intro: Schema.optionalKey(Schema.NullOr(Schema.String)),
  kpis: Schema.Array(ShortText),
  period: oneOf(Public.PERIODS),
  scheduleId: Schema.optionalKey(Schema.NullOr(ShortText)),
}).annotate({ identifier: "PublicReportSettings" })
const FilesQuery = Schema.Struct({ scheduleId: Schema.optionalKey(ShortText) })
const PublicQuery = Schema.Struct({ locale: Schema.optionalKey(Locale) })

export const reportEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/compliance/schedules",
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
      "Record a management review: the period's compliance (latest evaluation of each standard) and the open improvement cycles are taken as they are now",
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
        risks: body.risks ?? [],
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

export const reportStreamDocs: ReadonlyArray<StreamDoc> = [
  {
    method: "get",
    path: "/api/v1/reports/files/{id}/download",
    operationId: "downloadReportFile",
    summary: "Download a produced report (PDF, XLSX or CSV)",
    tag: "Reports",
    access: "standards:read",
    response: { status: 200, contentType: "application/octet-stream", description: "The file" },
  },
  {
    method: "get",
    path: "/api/v1/process/cases/export.xlsx",
    operationId: "exportCasesXlsx",
    summary: "Export the cases matching the queue's filters as XLSX (streamed)",
    tag: "Cases",
    access: "cases:read",
    query: CaseQuery,
    response: {
      status: 200,
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      description: "The cases, one a row, with a header row",
    },
  },
  {
    method: "get",
    path: "/api/v1/standards/evaluations/{id}/report.xlsx",
    operationId: "complianceReportXlsx",
    summary: "The compliance report of an evaluation as XLSX",
    tag: "Compliance",
    access: "standards:read",
    response: {
      status: 200,
      contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      description: "One row per target",
    },
  },
]

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
const attachment = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]/g, "_").replace(/"/g, "")}"; filename*=UTF-8''${encodeURIComponent(name)}`

/** A streamed XLSX: rows are written (and sent) as they come, never held whole in memory. */
const streamXlsx = (
  c: Context<AppEnv>,
  name: string,
  sheet: string,
  produce: (add: (values: ReadonlyArray<unknown>) => void) => Promise<void>,
) => {
  const out = new PassThrough()
  void (async () => {
    try {
      // loaded on first use (it costs a second or two at start)
      const { default: Excel } = await import("exceljs")
      const wb = new Excel.stream.xlsx.WorkbookWriter({
        stream: out,
        useSharedStrings: false,
        useStyles: true,
      })
      const ws = wb.addWorksheet(sheet)
      await produce((values) => ws.addRow([...values]).commit())
      ws.commit()
      await wb.commit()
    } catch (e) {
      out.destroy(e instanceof Error ? e : new Error(String(e)))
    }
  })()
  return c.body(Readable.toWeb(out) as ReadableStream, 200, {
    "content-type": XLSX,
    "content-disposition": attachment(name),
  })
}

const cellOf = (v: unknown) =>
  v === null || v === undefined ? null : v instanceof Date ? v : typeof v === "object" ? JSON.stringify(v) : v

export const registerReportStreams = (app: Hono<AppEnv>) => {
  app.get("/api/v1/reports/files/:id/download", async (c) => {
    const auth = authorize(c, "standards:read")
    const f = await Reports.getFile(c.get("db"), auth.orgId, c.req.param("id"))
    return c.body(f.content as Uint8Array<ArrayBuffer>, 200, {
      "content-type": f.content_type,
      "content-disposition": attachment(f.name),
    })
  })
  app.get("/api/v1/public/:slug/report/file", async (c) => {
    const f = await Public.publicFile(c.get("db"), c.req.param("slug"))
    return c.body(new Uint8Array(f.content) as Uint8Array<ArrayBuffer>, 200, {
      "content-type": f.content_type,
      "content-disposition": attachment(f.name),
      "cache-control": "public, max-age=300",
    })
  })
  // the cases queue as XLSX: /export.xlsx, or the CSV route with format=xlsx
  const casesXlsx = async (c: Context<AppEnv>) => {
    const auth = authorize(c, "cases:read")
    const { format: _f, ...raw } = c.req.query()
    const q = caseQueryOf(raw)
    const db = c.get("db")
    return streamXlsx(c, `cases-${new Date().toISOString().slice(0, 10)}.xlsx`, "cases", async (add) => {
      add(Cases.CSV_COLUMNS)
      let cursor: string | undefined
      for (let pages = 0; pages < 2000; pages++) {
        const page = await Cases.listCases(db, auth.orgId, { ...q, cursor, limit: 500 })
        for (const x of page.items) {
          const row = { ...x, customer: x.customerName ?? "" } as Record<string, unknown>
          add(Cases.CSV_COLUMNS.map((k) => cellOf(row[k])))
        }
        if (!page.nextCursor) return
        cursor = page.nextCursor
      }
    })
  }
  app.get("/api/v1/process/cases/export.xlsx", casesXlsx)
  app.get("/api/v1/process/cases/export.csv", async (c, next) =>
    c.req.query("format") === "xlsx" ? casesXlsx(c) : next(),
  )
  const complianceXlsx = async (c: Context<AppEnv>) => {
    const auth = authorize(c, "standards:read")
    const e = await Standards.getEvaluation(c.get("db"), auth.orgId, c.req.param("id")!)
    return streamXlsx(c, `compliance-${e.id}.xlsx`, "compliance", async (add) => {
      add([
        "clause",
        "requirement",
        "title",
        "target",
        "metric",
        "filter",
        "operator",
        "target_value",
        "value",
        "numerator",
        "denominator",
        "n",
        "ci_lower",
        "ci_upper",
        "status",
        "breach_id",
      ])
      for (const r of e.results) {
        const title = r.requirementTitle as Record<string, string> | undefined
        add([
          r.clause,
          r.requirementId,
          title?.["zh-CN"] ?? title?.en ?? null,
          r.targetId,
          r.metric,
          cellOf(r.filter),
          r.operator,
          r.target,
          r.value,
          r.numerator ?? null,
          r.denominator ?? null,
          r.n,
          r.interval?.lower ?? null,
          r.interval?.upper ?? null,
          r.status,
          r.breachId ?? null,
        ])
      }
    })
  }
  app.get("/api/v1/standards/evaluations/:id/report.xlsx", complianceXlsx)
  app.get("/api/v1/standards/evaluations/:id/report.csv", async (c, next) =>
    c.req.query("format") === "xlsx" ? complianceXlsx(c) : next(),
  )
}
