// Routes that stream (hand-written, so documented apart): report files, the cases and compliance XLSX exports.
import { Cases } from "@tenet/process"
import { Standards } from "@tenet/standards"
import type { Context, Hono } from "hono"
import { authorize, type StreamDoc } from "../../http/endpoint"
import type { AppEnv } from "../../http/env"
import { attachment, streamTable } from "../../http/export"
import * as Public from "../../reports/public"
import * as Reports from "../../reports/service"
import { CaseQuery, caseQueryOf } from "../process"

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
    path: "/api/v1/public/{slug}/report/file",
    operationId: "downloadPublicReportFile",
    summary:
      "The published periodic report's latest file (no sign-in; 404 when the organisation publishes none)",
    tag: "Reports",
    access: "public",
    response: { status: 200, contentType: "application/octet-stream", description: "The file" },
  },
  {
    method: "get",
    path: "/api/v1/standards/evaluations/{id}/report.csv",
    operationId: "complianceReportCsv",
    summary: "The compliance report of an evaluation as CSV (format=xlsx: as XLSX)",
    tag: "Compliance",
    access: "standards:read",
    response: {
      status: 200,
      contentType: "text/csv",
      description: "One row per target, UTF-8 with a header row",
    },
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
    const name = `cases-${new Date().toISOString().slice(0, 10)}`
    return streamTable(c, { name, format: "xlsx", sheet: "cases" }, async (add) => {
      await add(Cases.CSV_COLUMNS)
      let cursor: string | undefined
      for (let pages = 0; pages < 2000; pages++) {
        const page = await Cases.listCases(db, auth.orgId, { ...q, cursor, limit: 500 })
        for (const x of page.items) {
          const row = { ...x, customer: x.customerName ?? "" } as Record<string, unknown>
          await add(Cases.CSV_COLUMNS.map((k) => row[k]))
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
  // the compliance report: one table, as CSV (report.csv) or XLSX (report.xlsx, or report.csv?format=xlsx)
  const compliance = (format: "csv" | "xlsx") => async (c: Context<AppEnv>) => {
    const auth = authorize(c, "standards:read")
    const e = await Standards.getEvaluation(c.get("db"), auth.orgId, c.req.param("id")!)
    return streamTable(c, { name: `compliance-${e.id}`, format, sheet: "compliance" }, async (add) => {
      await add(COMPLIANCE_COLUMNS)
      for (const r of e.results) {
        const title = r.requirementTitle as Record<string, string> | undefined
        await add([
          r.clause,
          r.requirementId,
          title?.["zh-CN"] ?? title?.en ?? null,
          r.targetId,
          r.metric,
          r.filter,
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
  app.get("/api/v1/standards/evaluations/:id/report.xlsx", compliance("xlsx"))
  app.get("/api/v1/standards/evaluations/:id/report.csv", (c) =>
    compliance(c.req.query("format") === "xlsx" ? "xlsx" : "csv")(c),
  )
}

const COMPLIANCE_COLUMNS = [
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
]
