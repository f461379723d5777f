/** Courses, sessions, attendance, assignments and assessments, QA → training rules, effectiveness. */
import { Errors } from "@tenet/core"
import { CriterionSkills, Effectiveness, QaTraining, Training } from "@tenet/culture"
import { Results } from "@tenet/feedback"
import { Cases } from "@tenet/process"
import { Quality, QualityService } from "@tenet/standards"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"
import { requireMember } from "../../iam/members"
import { DateTime, NonEmptyShort, ShortText } from "../schemas"
import { Day, Ids, Int, Key, oneOf, Score, Text2 } from "./schemas"

const CourseBody = Schema.Struct({
  title: Text2,
  format: oneOf(Training.FORMATS),
  skillIds: Schema.optionalKey(Ids),
  assessment: oneOf(["none", "quiz", "practical"] as const),
  passMark: Schema.optionalKey(Score),
  durationMinutes: Schema.optionalKey(Int(1, 100_000)),
}).annotate({ identifier: "CourseInput" })

/**
 * The metrics a course's page shows next to QA, each read from the module that owns it: the
 * person's CSAT responses (1 when satisfied, from feedback's Results), their resolved cases' FCR
 * (1 when a first contact had no repeat) and handling time in seconds (process).
 */
const linkedSources = (
  db: Parameters<typeof Results.results>[0],
  qa: Effectiveness.Samples,
): ReadonlyArray<Effectiveness.MetricSource> => {
  const outcomes = (orgId: string, ownerId: string, from: Date, to: Date) =>
    Cases.resolvedOutcomesOf(db, orgId, { ownerId, from, to })
  return [
    { id: "qa_score", kind: "mean", samples: qa },
    {
      id: "csat",
      kind: "proportion",
      samples: async (orgId, agentId, from, to) => {
        const r = await Results.results(db, orgId, { kind: "csat", from, to, agentId })
        const satisfied = r.score.numerator ?? 0
        return Array.from({ length: r.score.n }, (_, i) => (i < satisfied ? 1 : 0))
      },
    },
    {
      id: "fcr",
      kind: "proportion",
      samples: async (orgId, userId, from, to) =>
        (await outcomes(orgId, userId, from, to)).flatMap((o) =>
          o.firstContactResolved === null ? [] : [o.firstContactResolved ? 1 : 0],
        ),
    },
    {
      id: "handle_seconds",
      kind: "mean",
      samples: async (orgId, userId, from, to) =>
        (await outcomes(orgId, userId, from, to)).flatMap((o) =>
          o.handleSeconds === null ? [] : [o.handleSeconds],
        ),
    },
  ]
}

export const trainingEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/culture/courses",
    exportable: true,
    operationId: "listCourses",
    summary: "Courses",
    tag: "Culture",
    access: "culture:read",
    handler: async (c, { ctx }) => ({ items: await Training.listCourses(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/culture/courses/{id}",
    operationId: "saveCourse",
    summary: "Create or change a course",
    tag: "Culture",
    access: "culture:write",
    body: CourseBody,
    handler: async (c, { ctx, params, body }) => {
      if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(params.id!))
        throw new Errors.ValidationError({
          message: "invalid course",
          issues: [{ path: ["id"], message: "lowercase letters, digits, _ and -", code: "invalidId" }],
        })
      return Training.saveCourse(c.get("db"), ctx, { id: params.id!, ...body })
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/culture/courses/{id}/sessions",
    operationId: "addTrainingSession",
    summary: "Schedule a session of a course",
    tag: "Culture",
    access: "culture:write",
    body: Schema.Struct({
      startsAt: DateTime,
      endsAt: DateTime,
      location: Schema.optionalKey(ShortText),
    }).annotate({ identifier: "SessionInput" }),
    status: 201,
    handler: async (c, { ctx, params, body }) =>
      Training.addSession(c.get("db"), ctx, {
        courseId: params.id!,
        startsAt: new Date(body.startsAt),
        endsAt: new Date(body.endsAt),
        location: body.location,
      }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/culture/sessions/{id}/attendance",
    operationId: "recordAttendance",
    summary: "Record who registered for, attended or missed a session",
    tag: "Culture",
    access: "culture:write",
    body: Schema.Struct({
      entries: Schema.Array(
        Schema.Struct({
          userId: NonEmptyShort,
          status: oneOf(["registered", "attended", "absent"] as const),
        }),
      ).check(Schema.isMaxLength(1000)),
    }).annotate({ identifier: "AttendanceInput" }),
    handler: async (c, { ctx, params, body }) =>
      Training.recordAttendance(c.get("db"), ctx, params.id!, body.entries),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/assignments",
    exportable: true,
    operationId: "listTrainingAssignments",
    summary: "Training assigned (due and done), for one person or everyone",
    tag: "Culture",
    access: "culture:read",
    query: Schema.Struct({ userId: Schema.optionalKey(ShortText) }),
    handler: async (c, { ctx, query }) => ({
      items: await Training.assignmentsOf(c.get("db"), ctx.orgId, query.userId),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/culture/assignments",
    operationId: "assignCourse",
    summary: "Assign a course to a person with a due date",
    tag: "Culture",
    access: "culture:write",
    body: Schema.Struct({ userId: NonEmptyShort, courseId: Key, dueOn: Day }).annotate({
      identifier: "CourseAssignmentInput",
    }),
    status: 201,
    handler: async (c, { ctx, body }) => {
      await requireMember(c.get("db"), ctx.orgId, body.userId, ["userId"])
      return Training.assignCourse(c.get("db"), ctx, body)
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/culture/assignments/{id}/result",
    operationId: "recordTrainingResult",
    summary:
      "Record an assessment's score (quiz by the person, practical by a supervisor); may grant certifications",
    tag: "Culture",
    access: "culture:read",
    body: Schema.Struct({ score: Schema.optionalKey(Score) }).annotate({ identifier: "TrainingResultInput" }),
    handler: async (c, { ctx, params, body }) => Training.complete(c.get("db"), ctx, params.id!, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/qa-rules",
    operationId: "listQaTrainingRules",
    summary: "The course each QA critical-error family assigns",
    tag: "Culture",
    access: "culture:read",
    handler: async (c, { ctx }) => ({ items: await QaTraining.qaRules(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/culture/qa-rules/{family}",
    operationId: "setQaTrainingRule",
    summary: "Map a QA critical-error family to a course and a due time",
    tag: "Culture",
    access: "culture:manage",
    body: Schema.Struct({ courseId: Key, dueDays: Schema.optionalKey(Int(1, 365)) }).annotate({
      identifier: "QaTrainingRuleInput",
    }),
    handler: async (c, { ctx, params, body }) => {
      const family = params.family
      if (family !== "customer" && family !== "business" && family !== "compliance")
        throw new Errors.ValidationError({
          message: "invalid family",
          issues: [{ path: ["family"], message: "customer, business or compliance", code: "oneOf" }],
        })
      return QaTraining.setQaRule(c.get("db"), ctx, {
        family,
        courseId: body.courseId,
        ...(body.dueDays ? { dueDays: body.dueDays } : {}),
      })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/courses/{id}/effectiveness",
    operationId: "courseEffectiveness",
    summary:
      "QA scores in the N days before and after completing the course, next to CSAT, FCR and handling time (linked), and the results of the QA criteria mapped to the skills it teaches, with the test of each metric's kind and n",
    tag: "Culture",
    access: "culture:read",
    query: Schema.Struct({
      days: Schema.optionalKey(
        Schema.NumberFromString.check(Schema.isInt(), Schema.isBetween({ minimum: 1, maximum: 365 })),
      ),
    }),
    handler: async (c, { ctx, params, query }) => {
      const db = c.get("db")
      const samples: Effectiveness.Samples = async (orgId, userId, from, to) =>
        (await QualityService.listEvaluations(db, orgId, { agentId: userId }))
          .filter((e) => e.evaluatedAt >= from && e.evaluatedAt < to)
          .map((e) => Number(e.score))
      const criterionSamples: CriterionSkills.CriterionSamples = (orgId, agentId, criterionId, from, to) =>
        QualityService.criterionResultsOf(db, orgId, { agentId, criterionId, from, to })
      const days = query.days ?? 30
      return {
        metric: "qa_score",
        days,
        ...(await Effectiveness.courseEffectiveness(db, ctx.orgId, params.id!, samples, days)),
        // QA next to CSAT, FCR and handling time: the API reads feedback and process, culture does not
        linked: await Effectiveness.linkedMetrics(
          db,
          ctx.orgId,
          params.id!,
          linkedSources(db, samples),
          days,
        ),
        // the QA criteria mapped to the skills the course teaches: results as 0–1 fractions
        criteria: await CriterionSkills.courseCriteriaEffectiveness(
          db,
          ctx.orgId,
          params.id!,
          criterionSamples,
          days,
        ),
      }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/culture/criterion-skills",
    operationId: "listCriterionSkills",
    summary: "QA scorecard criteria mapped to skills of the competency framework",
    tag: "Culture",
    access: "culture:read",
    exportable: true,
    handler: async (c, { ctx }) => ({ items: await CriterionSkills.mappings(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/culture/criterion-skills/{criterionId}",
    operationId: "setCriterionSkill",
    summary: "Map a QA criterion (on any scorecard) to a skill, or remove its mapping (skillId null)",
    tag: "Culture",
    access: "culture:manage",
    body: Schema.Struct({ skillId: Schema.NullOr(ShortText) }).annotate({
      identifier: "CriterionSkillInput",
    }),
    handler: async (c, { ctx, params, body }) => {
      const db = c.get("db")
      // the criterion is standards': checked here, culture does not read scorecards
      if (
        body.skillId !== null &&
        !(await QualityService.listScorecards(db, ctx.orgId)).some((s) =>
          Quality.criteria(s.definition).some((k) => k.id === params.criterionId),
        )
      )
        throw new Errors.ValidationError({
          message: "invalid mapping",
          issues: [{ path: ["criterionId"], message: "no such criterion", code: "unknownCriterion" }],
        })
      return {
        mapping: await CriterionSkills.setMapping(db, ctx, {
          criterionId: params.criterionId!,
          skillId: body.skillId,
        }),
      }
    },
  }),
]
