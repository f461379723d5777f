/** The competency framework, the skills matrix, the gap heat map and plans from it. */
import { Errors } from "@tenet/core"
import { Framework, FrameworkModel, Training } from "@tenet/culture"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"
import { requireMember } from "../../iam/members"
import { NonEmptyShort } from "../schemas"
import { Int, oneOf } from "./schemas"

const FrameworkBody = Schema.Struct({
  /** The framework as YAML or JSON text (a file's content)… */
  text: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(200_000))),
  /** …or as a value. */
  document: Schema.optionalKey(Schema.Unknown),
}).annotate({ identifier: "FrameworkInput" })
const RatingBody = Schema.Struct({
  userId: NonEmptyShort,
  skillId: NonEmptyShort,
  source: oneOf(["self", "supervisor"] as const),
  level: Int(0, 10),
  note: Schema.optionalKey(Schema.String.check(Schema.isMaxLength(2000))),
}).annotate({ identifier: "RatingInput" })

export const competencyEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/culture/framework",
    operationId: "getFramework",
    summary: "The competency framework in use (levels, areas, requirements)",
    tag: "Culture",
    access: "culture:read",
    handler: async (c, { ctx }) => ({
      framework: (await Framework.currentFramework(c.get("db"), ctx.orgId)) ?? null,
    }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/culture/framework",
    operationId: "saveFramework",
    summary: "Import a competency framework (YAML or JSON text, or a value); errors name the path",
    tag: "Culture",
    access: "culture:manage",
    body: FrameworkBody,
    handler: async (c, { ctx, body }) => {
      if (body.text === undefined && body.document === undefined)
        throw new Errors.ValidationError({
          message: "no framework",
          issues: [{ path: ["text"], message: "send text or document", code: "required" }],
        })
      const doc =
        body.text !== undefined
          ? FrameworkModel.parseFramework(body.text)
          : FrameworkModel.checkFramework(body.document)
      return Framework.saveFramework(c.get("db"), ctx, doc)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/culture/ratings",
    operationId: "rateSkill",
    summary: "Rate a person's proficiency: a self-assessment (by the person) or a supervisor's rating",
    tag: "Culture",
    access: "culture:read",
    body: RatingBody,
    status: 201,
    handler: async (c, { ctx, body }) => {
      // a supervisor's rating needs culture:write; anyone may assess themselves
      if (
        body.source === "supervisor" &&
        !(ctx.actor.role && ["owner", "admin", "supervisor"].includes(ctx.actor.role))
      )
        throw new Errors.ForbiddenError({
          message: "a supervisor's rating needs culture:write",
          permission: "culture:write",
        })
      await requireMember(c.get("db"), ctx.orgId, body.userId, ["userId"])
      return Framework.rate(c.get("db"), ctx, body)
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/skills-matrix",
    exportable: true,
    operationId: "skillsMatrix",
    summary: "Each person's latest self and supervisor rating per area",
    tag: "Culture",
    access: "culture:read",
    handler: async (c, { ctx }) => ({ items: await Framework.skillsMatrix(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/ratings",
    operationId: "ratingHistory",
    summary: "A person's rating history",
    tag: "Culture",
    access: "culture:read",
    query: Schema.Struct({ userId: NonEmptyShort }),
    handler: async (c, { ctx, query }) => ({
      items: await Framework.ratingHistory(c.get("db"), ctx.orgId, query.userId),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/gaps",
    exportable: true,
    operationId: "gapHeatMap",
    summary: "Gap analysis: mean shortfall per team and area, with n",
    tag: "Culture",
    access: "culture:read",
    handler: async (c, { ctx }) => ({ items: await Framework.gapAnalysis(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/culture/plans",
    operationId: "planTraining",
    summary: "Assign the courses that train a person's gaps (a training plan from the gap analysis)",
    tag: "Culture",
    access: "culture:write",
    body: Schema.Struct({ userId: NonEmptyShort, dueDays: Schema.optionalKey(Int(1, 365)) }).annotate({
      identifier: "TrainingPlanInput",
    }),
    handler: async (c, { ctx, body }) => {
      await requireMember(c.get("db"), ctx.orgId, body.userId, ["userId"])
      return Training.planFromGaps(
        c.get("db"),
        ctx,
        body.userId,
        body.dueDays ? { dueDays: body.dueDays } : {},
      )
    },
  }),
]
