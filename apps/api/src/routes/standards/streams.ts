import { type Standard, Standards } from "@tenet/standards"
import type { Hono } from "hono"
import { authorize } from "../../http/endpoint"
import type { AppEnv } from "../../http/env"
import { version } from "./schemas"

/** The compliance report as CSV. */
export const registerStandardsStreams = (app: Hono<AppEnv>) => {
  app.get("/api/v1/standards/evaluations/:id/report.csv", async (c) => {
    const auth = authorize(c, "standards:read")
    const e = await Standards.getEvaluation(c.get("db"), auth.orgId, c.req.param("id"))
    const cell = (v: unknown) => {
      const s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v)
      return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
    }
    const rows = [
      [
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
      ],
      ...e.results.map((r) => [
        r.clause,
        r.requirementId,
        (r.requirementTitle as Standard.Localized | undefined)?.["zh-CN"] ??
          (r.requirementTitle as Standard.Localized | undefined)?.en,
        r.targetId,
        r.metric,
        r.filter,
        r.operator,
        r.target,
        r.value,
        r.numerator,
        r.denominator,
        r.n,
        r.interval?.lower,
        r.interval?.upper,
        r.status,
        r.breachId,
      ]),
    ]
    c.header("content-type", "text/csv; charset=utf-8")
    c.header("content-disposition", `attachment; filename="compliance-${e.id}.csv"`)
    return c.body(`\uFEFF${rows.map((r) => r.map(cell).join(",")).join("\n")}\n`)
  })
  app.get("/api/v1/standards/:id/versions/:version/export", async (c) => {
    const auth = authorize(c, "standards:read")
    const format = c.req.query("format") === "json" ? "json" : "yaml"
    const text = await Standards.exportVersion(
      c.get("db"),
      auth.orgId,
      c.req.param("id"),
      version(c.req.param()),
      format,
    )
    c.header(
      "content-type",
      format === "json" ? "application/json; charset=utf-8" : "application/yaml; charset=utf-8",
    )
    return c.body(text)
  })
}
