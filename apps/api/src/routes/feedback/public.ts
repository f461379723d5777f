// The public survey routes (no sign-in): the page of a link, its script, its content as JSON,
// answering once, and opting out. Nothing here reveals the organisation, the case or the customer.
import { Responses } from "@tenet/feedback"
import { noticePage, PAGE_SCRIPT, surveyPage } from "../../feedback/page"
import { endpoint } from "../../http/endpoint"
import { PageQuery, RespondBody } from "./schemas"

const TAG = "Public"
const PRIVATE = { "cache-control": "no-store", "x-robots-tag": "noindex" }

export const publicSurveyEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/public/survey-page.js",
    operationId: "publicSurveyScript",
    summary: "The script of the public survey page",
    tag: TAG,
    access: "public",
    handler: async () =>
      new Response(PAGE_SCRIPT, {
        headers: {
          "content-type": "text/javascript; charset=utf-8",
          "cache-control": "public, max-age=3600",
        },
      }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/public/surveys/{token}/page",
    operationId: "publicSurveyPage",
    summary: "The survey page of a link (HTML, in the customer's language or ?lang=)",
    tag: TAG,
    access: "public",
    query: PageQuery,
    handler: async (c, { params, query }) => {
      const view = await Responses.openLink(c.get("db"), params.token ?? "")
      const html =
        view.state === "open"
          ? surveyPage(params.token!, query.lang ?? view.locale, view)
          : noticePage(query.lang ?? "zh-CN", view.state)
      return new Response(html, {
        status: view.state === "open" ? 200 : view.state === "unknown" ? 404 : 410,
        headers: { "content-type": "text/html; charset=utf-8", ...PRIVATE },
      })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/public/surveys/{token}",
    operationId: "publicSurvey",
    summary: "A link's state and, while it is open, the survey's questions in both languages",
    tag: TAG,
    access: "public",
    handler: async (c, { params }) => {
      c.header("cache-control", "no-store")
      return Responses.openLink(c.get("db"), params.token ?? "")
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/public/surveys/{token}/responses",
    operationId: "answerPublicSurvey",
    summary: "Answer a survey through its link (once, before it expires)",
    tag: TAG,
    access: "public",
    body: RespondBody,
    status: 201,
    handler: async (c, { params, body }) => Responses.respond(c.get("db"), params.token ?? "", body),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/public/surveys/{token}/opt-out",
    operationId: "optOutPublicSurvey",
    summary: "The customer of a link asks never to be surveyed again",
    tag: TAG,
    access: "public",
    status: 204,
    handler: async (c, { params }) => Responses.optOutByLink(c.get("db"), params.token ?? ""),
  }),
]
