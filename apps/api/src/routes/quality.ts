import { Errors } from "@tenet/core"
import { Cases } from "@tenet/process"
import { Quality, QualityService } from "@tenet/standards"
import { Schema } from "effect"
import { endpoint } from "../http/endpoint"

import { DateTime, NonEmptyShort, ShortText } from "./schemas"

const ScorecardBody = Schema.Struct({
  id: Schema.optionalKey(ShortText),
  name: NonEmptyShort,
  definition: Schema.Unknown,
}).annotate({ identifier: "ScorecardInput" })
const EvaluationBody = Schema.Struct({
  scorecardId: NonEmptyShort,
  caseId: NonEmptyShort,
  agentId: NonEmptyShort,
  answers: Schema.Record(Schema.String, Schema.NullOr(Schema.Finite)),
  calibrationId: Schema.optionalKey(ShortText),
}).annotate({ identifier: "QaEvaluationInput" })
const SamplingBody = Schema.Struct({
  from: DateTime,
  to: DateTime,
  marginOfError: Schema.Finite,
  minPerAgent: Schema.Finite.check(Schema.isInt()),
  confidence: Schema.optionalKey(Schema.Finite),
  seed: Schema.optionalKey(Schema.Finite),
}).annotate({ identifier: "SamplingPlanInput" })
const SavedSamplingBody = Schema.Struct({
  name: NonEmptyShort,
  from: DateTime,
  to: DateTime,
  marginOfError: Schema.Finite,
  minPerAgent: Schema.Finite.check(Schema.isInt()),
  confidence: Schema.optionalKey(Schema.Finite),
  seed: Schema.optionalKey(Schema.Finite),
}).annotate({ identifier: "SavedSamplingPlanInput" })

/** The plan for a period: resolved cases per agent, the sample size and each agent's quota, and the draw. */
const planFor = async (
  db: Parameters<typeof Cases.resolvedWithOwner>[0],
  orgId: string,
  body: {
    from: string
    to: string
    marginOfError: number
    minPerAgent: number
    confidence?: number
    seed?: number
  },
) => {
  const population = await Cases.resolvedWithOwner(db, orgId, new Date(body.from), new Date(body.to))
  const volumes: Record<string, number> = {}
  for (const p of population) volumes[p.agent] = (volumes[p.agent] ?? 0) + 1
  let plan: Quality.SamplingPlan
  try {
    plan = Quality.samplingPlan({
      volumes,
      marginOfError: body.marginOfError,
      minPerAgent: body.minPerAgent,
      ...(body.confidence ? { confidence: body.confidence } : {}),
    })
  } catch (e) {
    throw new Errors.ValidationError({
      message: "invalid sampling plan",
      issues: [
        {
          path: ["marginOfError"],
          message: (e as Error).message,
          code: "invalidValue",
          params: { detail: (e as Error).message },
        },
      ],
    })
  }
  return {
    population: population.length,
    volumes,
    plan,
    sample: Quality.drawSample(population, plan, body.seed ?? 1),
  }
}

const CalibrationBody = Schema.Struct({
  scorecardId: NonEmptyShort,
  name: NonEmptyShort,
  caseIds: Schema.Array(ShortText),
  evaluators: Schema.Array(ShortText),
  master: Schema.optionalKey(ShortText),
  tolerance: Schema.optionalKey(Schema.Finite),
  minWithin: Schema.optionalKey(Schema.Finite),
}).annotate({ identifier: "CalibrationInput" })

export const qualityEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/quality/scorecards",
    exportable: true,
    operationId: "listScorecards",
    summary: "QA scorecards (latest versions)",
    tag: "Quality",
    access: "quality:read",
    handler: async (c, { ctx }) => ({
      items: await QualityService.listScorecards(c.get("db"), ctx.orgId),
      template: Quality.defaultScorecard(),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/quality/scorecards",
    operationId: "saveScorecard",
    summary: "Create a scorecard, or a new version of one (send its id)",
    tag: "Quality",
    access: "quality:write",
    body: ScorecardBody,
    status: 201,
    handler: async (c, { ctx, body }) => QualityService.saveScorecard(c.get("db"), ctx, body as never),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/quality/evaluations",
    exportable: true,
    operationId: "listQaEvaluations",
    summary: "QA evaluations (calibration scores excluded)",
    tag: "Quality",
    access: "quality:read",
    query: Schema.Struct({
      agentId: Schema.optionalKey(ShortText),
      caseId: Schema.optionalKey(ShortText),
    }),
    handler: async (c, { ctx, query }) => ({
      items: await QualityService.listEvaluations(c.get("db"), ctx.orgId, query),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/quality/evaluations",
    operationId: "evaluateCaseQuality",
    summary: "Score a case against a scorecard: weighted score, N/A, critical errors by family, auto-fail",
    tag: "Quality",
    access: "quality:write",
    body: EvaluationBody,
    status: 201,
    handler: async (c, { ctx, body }) => {
      // standards does not know cases: the API, which has both, checks the case exists here
      if (!(await Cases.caseExists(c.get("db"), ctx.orgId, body.caseId)))
        throw new Errors.ValidationError({
          message: "no such case",
          issues: [{ path: ["caseId"], message: "no such case in this organisation", code: "unknownCase" }],
        })
      return QualityService.evaluateCase(c.get("db"), ctx, body)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/quality/sampling-plan",
    operationId: "qaSamplingPlan",
    summary:
      "The sample needed for ±marginOfError per programme with a minimum per agent, and a random stratified draw of resolved cases",
    tag: "Quality",
    access: "quality:read",
    body: SamplingBody,
    handler: async (c, { ctx, body }) => planFor(c.get("db"), ctx.orgId, body),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/quality/sampling-plans",
    operationId: "saveQaSamplingPlan",
    summary:
      "Keep a sampling plan for a period (quotas per agent and the cases drawn) to track coverage against it",
    tag: "Quality",
    access: "quality:write",
    body: SavedSamplingBody,
    status: 201,
    handler: async (c, { ctx, body }) => {
      if (!(new Date(body.from) < new Date(body.to)))
        throw new Errors.ValidationError({
          message: "invalid period",
          issues: [{ path: ["to"], message: "must be after from", code: "after", params: { other: "from" } }],
        })
      const p = await planFor(c.get("db"), ctx.orgId, body)
      return QualityService.saveSamplingPlan(c.get("db"), ctx, {
        name: body.name,
        from: new Date(body.from),
        to: new Date(body.to),
        minPerAgent: body.minPerAgent,
        plan: p.plan,
        sample: p.sample,
      })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/quality/sampling-plans",
    // exported one row per plan and agent: the quota, the evaluations done and the coverage
    exportable: {
      rows: (a) =>
        (
          a as {
            items: ReadonlyArray<{ name: string; from: Date; to: Date; agents: ReadonlyArray<object> }>
          }
        ).items.flatMap((p) => p.agents.map((x) => ({ plan: p.name, from: p.from, to: p.to, ...x }))),
    },
    operationId: "listQaSamplingPlans",
    summary:
      "Kept sampling plans with their coverage per agent (evaluations done against each quota in the period)",
    tag: "Quality",
    access: "quality:read",
    handler: async (c, { ctx }) => ({
      items: await QualityService.listSamplingPlans(c.get("db"), ctx.orgId),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/quality/calibrations",
    exportable: true,
    operationId: "listCalibrations",
    summary: "Calibration sessions",
    tag: "Quality",
    access: "quality:read",
    handler: async (c, { ctx }) => ({ items: await QualityService.listCalibrations(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/quality/calibrations",
    operationId: "createCalibration",
    summary: "Start a calibration session: several evaluators score the same cases",
    tag: "Quality",
    access: "quality:write",
    body: CalibrationBody,
    status: 201,
    handler: async (c, { ctx, body }) => QualityService.createCalibration(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/quality/calibrations/{id}",
    // the agreement of each evaluator
    exportable: {
      rows: (a) => (a as { stats: { evaluators: ReadonlyArray<unknown> } | null }).stats?.evaluators ?? [],
    },
    operationId: "getCalibration",
    summary:
      "A calibration session: scores, Krippendorff's alpha, pass/fail kappa, each evaluator's bias and agreement",
    tag: "Quality",
    access: "quality:read",
    handler: async (c, { ctx, params }) => QualityService.getCalibration(c.get("db"), ctx.orgId, params.id!),
  }),
]
