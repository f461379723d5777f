// The feedback routes for staff: surveys and their versions, dispatch rules, chat links, opt-outs,
// responses (with CSV export) and results.
import { Dispatch, Responses, Results, Surveys, Tokens } from "@tenet/feedback"
import { endpoint } from "../../http/endpoint"
import { mailSettingsFromEnv } from "../../notify/mail"
import {
  LinkBody,
  OptOutBody,
  ResponsesQuery,
  ResultsQuery,
  RuleBody,
  SurveyBody,
  SurveyUpdateBody,
} from "./schemas"

const TAG = "Feedback"

const ruleInput = (b: typeof RuleBody.Type): Dispatch.RuleInput => ({
  name: b.name,
  surveyId: b.surveyId,
  enabled: b.enabled ?? true,
  position: b.position ?? 0,
  delayMinutes: b.delayMinutes ?? Dispatch.DEFAULTS.delayMinutes,
  withinHours: b.withinHours ?? Dispatch.DEFAULTS.withinHours,
  expiryDays: b.expiryDays ?? Dispatch.DEFAULTS.expiryDays,
  caseTypes: b.caseTypes ?? [],
  channels: b.channels ?? [],
  segments: b.segments ?? [],
  teams: b.teams ?? [],
  sampleRate: b.sampleRate ?? Dispatch.DEFAULTS.sampleRate,
  capDays: b.capDays ?? Dispatch.DEFAULTS.capDays,
  quietHours: b.quietHours ?? Dispatch.DEFAULTS.quietHours,
})

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v)
  // a leading = + - @ would be read as a formula by spreadsheets
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export const surveyEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/feedback/surveys",
    exportable: true,
    operationId: "listSurveys",
    summary: "Every survey with its latest and published version",
    tag: TAG,
    access: "feedback:read",
    handler: async (c, { ctx }) => ({ items: await Surveys.listSurveys(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/feedback/surveys",
    operationId: "createSurvey",
    summary: "Create a survey (CSAT, NPS, CES or custom) with its first draft version",
    tag: TAG,
    access: "feedback:manage",
    body: SurveyBody,
    status: 201,
    handler: async (c, { ctx, body }) => Surveys.createSurvey(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/feedback/surveys/{id}",
    operationId: "getSurvey",
    etag: true,
    summary: "A survey and all its versions, newest first",
    tag: TAG,
    access: "feedback:read",
    handler: async (c, { ctx, params }) => {
      const db = c.get("db")
      const survey = await Surveys.getSurvey(db, ctx.orgId, params.id!)
      return { ...survey, versions: await Surveys.listVersions(db, ctx.orgId, survey.id) }
    },
  }),
  endpoint({
    method: "put",
    path: "/api/v1/feedback/surveys/{id}",
    operationId: "updateSurvey",
    ifMatch: "getSurvey",
    summary: "Change a survey: a draft changes in place, a published survey gets a new draft version",
    tag: TAG,
    access: "feedback:manage",
    body: SurveyUpdateBody,
    handler: async (c, { ctx, params, body }) => Surveys.updateSurvey(c.get("db"), ctx, params.id!, body),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/feedback/surveys/{id}/publish",
    operationId: "publishSurvey",
    ifMatch: "getSurvey",
    summary: "Publish the latest version; the one published before is superseded",
    tag: TAG,
    access: "feedback:manage",
    handler: async (c, { ctx, params }) => Surveys.publishSurvey(c.get("db"), ctx, params.id!),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/feedback/rules",
    exportable: true,
    operationId: "listSurveyRules",
    summary: "The dispatch rules, in the order they are tried",
    tag: TAG,
    access: "feedback:read",
    handler: async (c, { ctx }) => ({ items: await Dispatch.listRules(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/feedback/rules",
    operationId: "createSurveyRule",
    summary: "Add a dispatch rule (defaults: 60 min after resolution, within 24 h, quiet hours on)",
    tag: TAG,
    access: "feedback:manage",
    body: RuleBody,
    status: 201,
    handler: async (c, { ctx, body }) => Dispatch.saveRule(c.get("db"), ctx, ruleInput(body)),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/feedback/rules/{id}",
    operationId: "updateSurveyRule",
    summary: "Replace a dispatch rule",
    tag: TAG,
    access: "feedback:manage",
    body: RuleBody,
    handler: async (c, { ctx, params, body }) =>
      Dispatch.saveRule(c.get("db"), ctx, ruleInput(body), params.id!, { replace: true }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/feedback/links",
    operationId: "createSurveyLink",
    summary: "A single-use survey link to paste into a chat (the link is shown once)",
    tag: TAG,
    access: "feedback:write",
    body: LinkBody,
    status: 201,
    handler: async (c, { ctx, body }) => {
      const out = await Responses.createLink(c.get("db"), ctx, body)
      const url = Tokens.linkOf(mailSettingsFromEnv(new URL(c.req.url).origin).publicUrl, out.token)
      return { invitationId: out.invitationId, url, expiresAt: out.expiresAt }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/feedback/opt-outs",
    operationId: "optOutOfSurveys",
    summary: "Never survey this customer again (their customer id, or email:<address>)",
    tag: TAG,
    access: "feedback:write",
    body: OptOutBody,
    status: 204,
    handler: async (c, { ctx, body }) => Responses.optOut(c.get("db"), ctx, body.customerKey),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/feedback/responses",
    exportable: true,
    operationId: "listSurveyResponses",
    summary: "Survey responses, newest first (keyset paging: afterAt + afterId)",
    tag: TAG,
    access: "feedback:read",
    query: ResponsesQuery,
    handler: async (c, { ctx, query }) => {
      const items = await Responses.listResponses(c.get("db"), ctx.orgId, {
        ...query,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        after:
          query.afterAt && query.afterId ? { at: new Date(query.afterAt), id: query.afterId } : undefined,
      })
      return { items }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/feedback/responses/export",
    operationId: "exportSurveyResponses",
    summary: "Survey responses as CSV (the filters of the list; at most 100,000 rows)",
    tag: TAG,
    access: "feedback:read",
    query: ResponsesQuery,
    handler: async (c, { ctx, query }) => {
      const cols = [
        "id",
        "submittedAt",
        "surveyId",
        "surveyVersion",
        "caseId",
        "scoreKind",
        "score",
        "sentiment",
        "comment",
        "channel",
        "segment",
        "team",
        "agentId",
        "followUpId",
        "locale",
      ] as const
      const lines = [cols.join(",")]
      let after: { at: Date; id: string } | undefined
      for (let page = 0; page < 100; page++) {
        const rows = await Responses.listResponses(c.get("db"), ctx.orgId, {
          ...query,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
          after,
          limit: 1000,
        })
        for (const r of rows) lines.push(cols.map((k) => csvCell(r[k])).join(","))
        if (rows.length < 1000) break
        after = { at: rows.at(-1)!.submittedAt, id: rows.at(-1)!.id }
      }
      return new Response(`\uFEFF${lines.join("\r\n")}\r\n`, {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": 'attachment; filename="survey-responses.csv"',
        },
      })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/feedback/results",
    // the response rate by segment (the weighting's strata)
    exportable: {
      rows: (a) => (a as { weighted?: { strata: ReadonlyArray<unknown> } | null }).weighted?.strata ?? [],
    },
    operationId: "surveyResults",
    summary:
      "CSAT, NPS or CES of a period with n and interval, response rate, dimensions, the change from the period before, weighting by segment and drivers",
    tag: TAG,
    access: "feedback:read",
    query: ResultsQuery,
    handler: async (c, { ctx, query }) =>
      Results.results(c.get("db"), ctx.orgId, {
        ...query,
        from: new Date(query.from),
        to: new Date(query.to),
      }),
  }),
]
