/** Incentive points from rules on QA scores, and the points they awarded. */
import { Errors } from "@tenet/core"
import { Incentives } from "@tenet/culture"
import { Quality, QualityService } from "@tenet/standards"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"
import { ShortText } from "../schemas"
import { Int, Text2 } from "./schemas"

const Fraction = Schema.Finite.check(Schema.isGreaterThan(0), Schema.isLessThanOrEqualTo(1)).annotate({
  message: "must be a fraction above 0 and at most 1 (0.9 is 90%)",
})

export const incentiveEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/culture/incentive-rules",
    operationId: "listIncentiveRules",
    summary: "Rules that award incentive points when a QA evaluation scores at or above a minimum",
    tag: "Culture",
    access: "culture:read",
    exportable: true,
    handler: async (c, { ctx }) => ({ items: await Incentives.listRules(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/culture/incentive-rules/{id}",
    operationId: "saveIncentiveRule",
    summary:
      "Create or change an incentive rule: at or above the minimum (a 0–1 fraction of the score, or of one criterion's result) award points",
    tag: "Culture",
    access: "culture:manage",
    body: Schema.Struct({
      name: Text2,
      scorecardId: Schema.optionalKey(Schema.NullOr(ShortText)),
      criterionId: Schema.optionalKey(Schema.NullOr(ShortText)),
      minResult: Fraction,
      points: Int(1, 1000),
      enabled: Schema.optionalKey(Schema.Boolean),
    }).annotate({ identifier: "IncentiveRuleInput" }),
    handler: async (c, { ctx, params, body }) => {
      const db = c.get("db")
      // the scorecard and criterion are standards': checked here, culture does not read them
      if (body.scorecardId || body.criterionId) {
        const cards = await QualityService.listScorecards(db, ctx.orgId)
        const card = body.scorecardId ? cards.find((s) => s.id === body.scorecardId) : undefined
        if (body.scorecardId && !card)
          throw new Errors.ValidationError({
            message: "invalid incentive rule",
            issues: [{ path: ["scorecardId"], message: "no such scorecard", code: "unknownScorecard" }],
          })
        if (
          body.criterionId &&
          !(card ? [card] : cards).some((s) =>
            Quality.criteria(s.definition).some((k) => k.id === body.criterionId),
          )
        )
          throw new Errors.ValidationError({
            message: "invalid incentive rule",
            issues: [{ path: ["criterionId"], message: "no such criterion", code: "unknownCriterion" }],
          })
      }
      return Incentives.saveRule(db, ctx, { id: params.id!, ...body })
    },
  }),
  endpoint({
    method: "delete",
    path: "/api/v1/culture/incentive-rules/{id}",
    operationId: "deleteIncentiveRule",
    summary: "Delete an incentive rule (audited); the points it awarded stay",
    tag: "Culture",
    access: "culture:manage",
    handler: async (c, { ctx, params }) => Incentives.deleteRule(c.get("db"), ctx, params.id!),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/incentive-awards",
    operationId: "listIncentiveAwards",
    summary: "Incentive points awarded by rules, newest first (for one person when given)",
    tag: "Culture",
    access: "culture:read",
    query: Schema.Struct({ userId: Schema.optionalKey(ShortText) }),
    handler: async (c, { ctx, query }) => ({
      items: await Incentives.awards(c.get("db"), ctx.orgId, query.userId ? { userId: query.userId } : {}),
    }),
  }),
]
