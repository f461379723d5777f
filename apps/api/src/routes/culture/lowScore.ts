/** Low QA score rules (course or coaching) and the coaching tasks they raise. */
import { Errors } from "@tenet/core"
import { LowScore } from "@tenet/culture"
import { Quality, QualityService } from "@tenet/standards"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"
import { ShortText } from "../schemas"
import { Int, Key, LongText, oneOf } from "./schemas"

const Fraction = Schema.Finite.check(Schema.isGreaterThan(0), Schema.isLessThanOrEqualTo(1)).annotate({
  message: "must be a fraction above 0 and at most 1 (0.7 is 70%)",
})

const RuleBody = Schema.Struct({
  scorecardId: Schema.optionalKey(Schema.NullOr(ShortText)),
  criterionId: Schema.optionalKey(Schema.NullOr(ShortText)),
  threshold: Fraction,
  action: oneOf(["course", "coaching"] as const),
  courseId: Schema.optionalKey(Schema.NullOr(Key)),
  dueDays: Schema.optionalKey(Int(1, 365)),
  enabled: Schema.optionalKey(Schema.Boolean),
}).annotate({ identifier: "LowScoreRuleInput" })

export const lowScoreEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/culture/low-score-rules",
    operationId: "listLowScoreRules",
    summary: "Rules that assign a course or raise coaching when a QA evaluation scores below a threshold",
    tag: "Culture",
    access: "culture:read",
    exportable: true,
    handler: async (c, { ctx }) => ({ items: await LowScore.listRules(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/culture/low-score-rules/{id}",
    operationId: "saveLowScoreRule",
    summary:
      "Create or change a low-score rule: below the threshold (a 0–1 fraction of the score, or of one criterion's result) assign a course or raise coaching",
    tag: "Culture",
    access: "culture:manage",
    body: RuleBody,
    handler: async (c, { ctx, params, body }) => {
      const db = c.get("db")
      // the scorecard and criterion are standards': checked here, culture does not read them
      if (body.scorecardId || body.criterionId) {
        const cards = await QualityService.listScorecards(db, ctx.orgId)
        const card = body.scorecardId ? cards.find((s) => s.id === body.scorecardId) : undefined
        if (body.scorecardId && !card)
          throw new Errors.ValidationError({
            message: "invalid low-score rule",
            issues: [{ path: ["scorecardId"], message: "no such scorecard", code: "unknownScorecard" }],
          })
        const within = card ? [card] : cards
        if (
          body.criterionId &&
          !within.some((s) => Quality.criteria(s.definition).some((k) => k.id === body.criterionId))
        )
          throw new Errors.ValidationError({
            message: "invalid low-score rule",
            issues: [{ path: ["criterionId"], message: "no such criterion", code: "unknownCriterion" }],
          })
      }
      return LowScore.saveRule(db, ctx, { id: params.id!, ...body })
    },
  }),
  endpoint({
    method: "delete",
    path: "/api/v1/culture/low-score-rules/{id}",
    operationId: "deleteLowScoreRule",
    summary:
      "Delete a low-score rule (audited); the coaching tasks it raised and the courses it assigned stay",
    tag: "Culture",
    access: "culture:manage",
    handler: async (c, { ctx, params }) => LowScore.deleteRule(c.get("db"), ctx, params.id!),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/coaching",
    exportable: true,
    operationId: "listCoachingTasks",
    summary: "Coaching tasks raised by low QA scores (open first), for one person or everyone",
    tag: "Culture",
    access: "culture:read",
    query: Schema.Struct({
      userId: Schema.optionalKey(ShortText),
      status: Schema.optionalKey(oneOf(["open", "done"] as const)),
    }),
    handler: async (c, { ctx, query }) => ({
      items: await LowScore.coachingTasks(c.get("db"), ctx.orgId, query),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/culture/coaching/{id}/done",
    operationId: "completeCoachingTask",
    summary: "Close a coaching task with what was done (audited)",
    tag: "Culture",
    access: "culture:write",
    body: Schema.Struct({ note: Schema.optionalKey(LongText.check(Schema.isMaxLength(2000))) }).annotate({
      identifier: "CoachingDoneInput",
    }),
    handler: async (c, { ctx, params, body }) =>
      LowScore.completeCoaching(c.get("db"), ctx, params.id!, body.note),
  }),
]
