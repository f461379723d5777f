import { makeCalendar, nextOpening } from "@tenet/calendar"
import { Errors, Organizations } from "@tenet/core"
import { Standard, Standards } from "@tenet/standards"
import { laneyPChart, pChart, westernElectricSignals, xmrChart } from "@tenet/stats"
import { Schema } from "effect"
import type { Hono } from "hono"
import { coalescer } from "../http/coalesce"
import { authorize, endpoint } from "../http/endpoint"
import type { AppEnv } from "../http/env"
import { registry } from "../registry"

import { DateTime, NonEmpty, NonEmptyShort, ShortText, TimeZone } from "./schemas"

const Int = Schema.NumberFromString.check(Schema.isInt())

const ImportBody = Schema.Struct({
  format: Schema.Literals(["json", "yaml"]).annotate({ message: "must be json or yaml" }),
  text: NonEmpty,
}).annotate({ identifier: "StandardImport" })
const StepBody = Schema.Struct({
  to: Schema.Literals(Standard.STATUSES).annotate({
    message: `must be one of: ${Standard.STATUSES.join(", ")}`,
  }),
  note: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "StandardStep" })
const DraftBody = Schema.Struct({
  fromVersion: Schema.Finite.check(Schema.isInt()),
  document: Schema.optionalKey(Schema.Unknown),
  cycleId: Schema.optionalKey(ShortText),
  label: Schema.optionalKey(ShortText),
}).annotate({ identifier: "StandardDraft" })
const DocumentBody = Schema.Struct({ document: Schema.Unknown }).annotate({
  identifier: "StandardDocumentBody",
})
const EvaluateBody = Schema.Struct({
  from: DateTime,
  to: DateTime,
  timeZone: Schema.optionalKey(TimeZone),
  version: Schema.optionalKey(Schema.Finite.check(Schema.isInt())),
}).annotate({ identifier: "EvaluateStandard" })
const MappingBody = Schema.Struct({
  fromStandard: NonEmptyShort,
  fromRequirement: NonEmptyShort,
  toStandard: NonEmptyShort,
  toRequirement: NonEmptyShort,
  relation: NonEmptyShort,
  strength: Schema.Finite,
  rationale: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "RequirementMapping" })
const Period = Schema.Struct({ from: DateTime, to: DateTime, timeZone: Schema.optionalKey(TimeZone) })
const ChartQuery = Schema.Struct({
  from: DateTime,
  to: DateTime,
  timeZone: Schema.optionalKey(TimeZone),
  filter: Schema.optionalKey(ShortText),
  chart: Schema.optionalKey(Schema.Literals(["p", "laney", "xmr"])),
})

/** Local midnight (in `tz`) of the day containing `at`: the opening of a calendar open only that day (DST-aware). */
export const startOfLocalDay = (at: Date, tz: string) => {
  const day = new Intl.DateTimeFormat("en-CA", {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at)
  const onlyThatDay = makeCalendar({
    timeZone: tz,
    hours: {},
    workdays: [{ date: day, hours: [["00:00", "24:00"]] }],
  })
  return nextOpening(onlyThatDay, new Date(Date.parse(`${day}T00:00:00Z`) - 14 * 3_600_000))
}

const version = (p: Record<string, string>) => {
  const v = Number(p.version)
  if (!/^\d{1,10}$/.test(p.version ?? "") || !Number.isInteger(v) || v < 1 || v > 2_147_483_647)
    throw new Errors.ValidationError({
      message: "invalid version",
      issues: [
        {
          path: ["version"],
          message: "must be a whole number from 1 to 2147483647",
          code: "wholeRange",
          params: { min: 1, max: 2_147_483_647 },
        },
      ],
    })
  return v
}
const filterOf = (s?: string) =>
  Object.fromEntries((s ? s.split(",") : []).filter(Boolean).map((p) => p.split(":") as [string, string]))

/** Today's values and daily series of every target of the published standards (read-only). */
export const kpis = async (db: any, orgId: string, from: Date, to: Date, timeZone: string) => {
  const out = []
  // every metric of this dashboard reads the rollups as of this request's start: one refresh of
  // the dirty days serves them all (and the other requests that started before it)
  const freshAsOf = Date.now()
  for (const s of await Standards.listStandards(db, orgId)) {
    const pub = await Standards.publishedVersion(db, orgId, s.id)
    if (!pub) continue
    for (const { requirement } of Standard.requirements(pub.document)) {
      for (const t of requirement.targets ?? []) {
        const def = registry.get(t.metric)
        if (!def) continue
        const q = { orgId, from, to, timeZone, filter: t.filter ?? {}, params: { freshAsOf } }
        const [total] = await def.compute({ ...q, bucket: "none" }, db)
        const series = def.kind === "count" ? [] : await def.compute({ ...q, bucket: "day" }, db)
        out.push({
          standardId: s.id,
          standardTitle: s.title,
          version: pub.version,
          requirementId: requirement.id,
          requirementTitle: requirement.title,
          targetId: t.id,
          metric: {
            id: def.id,
            code: def.code,
            name: def.name,
            unit: def.unit,
            direction: def.direction,
            kind: def.kind,
          },
          operator: t.operator,
          target: t.value,
          warningBand: t.warningBand ?? 0,
          filter: t.filter ?? {},
          value: total?.value ?? null,
          numerator: total?.numerator,
          denominator: total?.denominator,
          n: total?.n ?? 0,
          interval: total?.interval,
          status: Standard.judge(t, total?.value ?? null, total?.n ?? 0),
          series: series.map((p) => ({ day: p.bucket, value: p.value, n: p.n })),
        })
      }
    }
  }
  return out
}

/** Concurrent requests for the same organisation and period share one computation. */
const dashboards = coalescer<Awaited<ReturnType<typeof kpis>>>()

export const standardsEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/standards",
    operationId: "listStandards",
    summary: "Standards and their versions",
    tag: "Standards",
    access: "standards:read",
    handler: async (c, { ctx }) => ({ items: await Standards.listStandards(c.get("db"), ctx.orgId) }),
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
    operationId: "listDueReviews",
    summary: "Published versions whose review is due within 30 days",
    tag: "Standards",
    access: "standards:read",
    handler: async (c, { ctx }) => ({ items: await Standards.dueReviews(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/standards/breaches",
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
    path: "/api/v1/standards/evaluations",
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
    operationId: "getEvaluation",
    summary: "A compliance evaluation with its evidence",
    tag: "Compliance",
    access: "standards:read",
    handler: async (c, { ctx, params }) => Standards.getEvaluation(c.get("db"), ctx.orgId, params.id!),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/standards/mappings",
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
        timeZone: body.timeZone ?? "Asia/Shanghai",
        version: body.version,
      }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/dashboard/kpis",
    operationId: "dashboardKpis",
    summary:
      "Every target of the published standards: value, n, interval, status and a daily trend for the period",
    tag: "Dashboard",
    access: "standards:read",
    query: Period,
    handler: async (c, { ctx, query }) => {
      // Whole local days in the organisation's zone, so the daily rollups can serve the dashboard.
      const org = await Organizations.get(c.get("db"), ctx.orgId)
      const tz = query.timeZone ?? org.timeZone
      const from = startOfLocalDay(new Date(query.from), tz)
      const to = startOfLocalDay(new Date(new Date(query.to).getTime() + 86_399_999), tz)
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        timeZone: tz,
        items: await dashboards(`${ctx.orgId}|${from.toISOString()}|${to.toISOString()}|${tz}`, () =>
          kpis(c.get("db"), ctx.orgId, from, to, tz),
        ),
      }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/metrics/{id}/control-chart",
    operationId: "metricControlChart",
    summary:
      "Daily control chart of a metric (p-chart or Laney p′ for rates, XmR otherwise) with Western Electric signals",
    tag: "Metrics",
    access: "standards:read",
    query: ChartQuery,
    handler: async (c, { ctx, params, query }) => {
      const def = registry.get(params.id!)
      if (!def) throw new Errors.NotFoundError({ entity: "metric", id: params.id! })
      const values = (
        await def.compute(
          {
            orgId: ctx.orgId,
            from: new Date(query.from),
            to: new Date(query.to),
            timeZone: query.timeZone ?? "Asia/Shanghai",
            bucket: "day",
            filter: filterOf(query.filter),
          },
          c.get("db"),
        )
      ).filter((v) => v.value !== null && v.n > 0)
      if (values.length < 2)
        return { metric: def.id, chart: null, points: [], signals: [], note: "fewer than two days with data" }
      if (def.kind === "proportion" && query.chart !== "xmr") {
        const groups = values.map((v) => ({ count: v.numerator ?? 0, n: v.denominator ?? v.n }))
        const chart = query.chart === "laney" ? laneyPChart(groups) : pChart(groups)
        const sigma = Math.sqrt(
          (chart.center * (1 - chart.center)) / (groups.reduce((s, g) => s + g.n, 0) / groups.length),
        )
        const signals =
          sigma > 0
            ? westernElectricSignals(
                chart.points.map((p) => p.p),
                { center: chart.center, sigma },
              )
            : []
        return {
          metric: def.id,
          chart: query.chart === "laney" ? "laney" : "p",
          center: chart.center,
          points: chart.points.map((p, i) => ({
            day: values[i]!.bucket,
            value: p.p,
            n: groups[i]!.n,
            lcl: p.lcl,
            ucl: p.ucl,
          })),
          signals: signals.map((s) => ({ ...s, day: values[s.index]!.bucket })),
        }
      }
      const xs = values.map((v) => v.value as number)
      const chart = xmrChart(xs)
      const sigma = chart.movingRangeCenter / 1.128
      const signals = sigma > 0 ? westernElectricSignals(xs, { center: chart.center, sigma }) : []
      return {
        metric: def.id,
        chart: "xmr",
        center: chart.center,
        points: values.map((v) => ({
          day: v.bucket,
          value: v.value,
          n: v.n,
          lcl: chart.lcl,
          ucl: chart.ucl,
        })),
        signals: signals.map((s) => ({ ...s, day: values[s.index]!.bucket })),
      }
    },
  }),
]

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
        (r.requirementTitle as any)?.["zh-CN"] ?? (r.requirementTitle as any)?.en,
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
