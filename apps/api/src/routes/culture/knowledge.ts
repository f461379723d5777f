/** Knowledge base and lessons learned (with Chinese search), kudos and the recognition wall. */
import { Knowledge, Recognition } from "@tenet/culture"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"
import { requireMember } from "../../iam/members"
import { DateTime, NonEmptyShort, ShortText } from "../schemas"
import { Day, Int, LongText, oneOf } from "./schemas"

const Kind = oneOf(["article", "phrasing", "lesson"] as const)
const ArticleBody = Schema.Struct({
  kind: Kind,
  title: NonEmptyShort,
  body: LongText,
  ownerId: Schema.optionalKey(ShortText),
  reviewOn: Schema.optionalKey(Day),
  outcome: Schema.optionalKey(oneOf(["success", "failure"] as const)),
  cycleId: Schema.optionalKey(ShortText),
}).annotate({ identifier: "ArticleInput" })

export const knowledgeEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/culture/articles",
    exportable: true,
    operationId: "listArticles",
    summary: "Knowledge base articles, standard phrasing and lessons learned; q searches (Chinese included)",
    tag: "Culture",
    access: "culture:read",
    query: Schema.Struct({ q: Schema.optionalKey(ShortText), kind: Schema.optionalKey(Kind) }),
    handler: async (c, { ctx, query }) => ({
      items: query.q
        ? await Knowledge.search(c.get("db"), ctx.orgId, query.q, { kind: query.kind })
        : await Knowledge.listArticles(c.get("db"), ctx.orgId, query.kind),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/culture/articles",
    operationId: "createArticle",
    summary: "Write an article, a standard phrasing or a lesson learned",
    tag: "Culture",
    access: "culture:write",
    body: ArticleBody,
    status: 201,
    handler: async (c, { ctx, body }) => {
      await requireMember(c.get("db"), ctx.orgId, body.ownerId, ["ownerId"])
      return Knowledge.saveArticle(c.get("db"), ctx, body)
    },
  }),
  endpoint({
    method: "put",
    path: "/api/v1/culture/articles/{id}",
    operationId: "reviseArticle",
    summary: "Write the next version of an article",
    tag: "Culture",
    access: "culture:write",
    body: ArticleBody,
    handler: async (c, { ctx, params, body }) => {
      await requireMember(c.get("db"), ctx.orgId, body.ownerId, ["ownerId"])
      return Knowledge.saveArticle(c.get("db"), ctx, { ...body, id: params.id! })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/articles/{id}/versions",
    operationId: "articleVersions",
    summary: "An article's versions",
    tag: "Culture",
    access: "culture:read",
    handler: async (c, { ctx, params }) => ({
      items: await Knowledge.versions(c.get("db"), ctx.orgId, params.id!),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/kudos",
    exportable: true,
    operationId: "recognitionWall",
    summary: "The recognition wall, and the points ranking (names of people who hid theirs are withheld)",
    tag: "Culture",
    access: "culture:read",
    query: Schema.Struct({ since: Schema.optionalKey(DateTime) }),
    handler: async (c, { ctx, query }) => ({
      items: await Recognition.wall(c.get("db"), ctx.orgId),
      ranking: await Recognition.ranking(
        c.get("db"),
        ctx.orgId,
        ctx.actor.id,
        query.since ? new Date(query.since) : new Date(Date.now() - 90 * 86_400_000),
      ),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/culture/kudos",
    operationId: "giveKudos",
    summary: "Thank a colleague (optionally for a case)",
    tag: "Culture",
    access: "culture:read",
    body: Schema.Struct({
      toUser: NonEmptyShort,
      message: NonEmptyShort.check(Schema.isMaxLength(200)),
      caseId: Schema.optionalKey(ShortText),
      points: Schema.optionalKey(Int(1, 10)),
    }).annotate({ identifier: "KudosInput" }),
    status: 201,
    handler: async (c, { ctx, body }) => {
      await requireMember(c.get("db"), ctx.orgId, body.toUser, ["toUser"])
      return Recognition.giveKudos(c.get("db"), ctx, body)
    },
  }),
]
