/**
 * Quality monitoring in the database: versioned scorecards, evaluations of cases (pinned to the
 * scorecard version), calibration sessions and their statistics, and the QA metrics.
 *
 * @since 0.1.0
 */
import { type Db, Errors, Id, QualityEvents, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import type { ScorecardRow } from "./migrations/schema"
import {
  AnswerError,
  type Answers,
  calibrationStats,
  criterionResults,
  type Family,
  type SamplingPlan,
  type ScorecardDefinition,
  score,
  validateScorecard,
} from "./Quality"
import { change, type StandardsDb, tables } from "./standards/types"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

const toScorecard = (r: ScorecardRow) => ({
  id: r.id,
  version: r.version,
  name: r.name,
  definition: r.definition as ScorecardDefinition,
  createdAt: r.created_at,
})

/** Create a scorecard, or a new version of one (earlier evaluations keep theirs). @category constructors @since 0.1.0 */
export const saveScorecard = async (
  db: Database,
  ctx: Ctx,
  input: { id?: string | undefined; name: string; definition: ScorecardDefinition },
) => {
  const issues = [
    ...(input.name?.trim() ? [] : [{ path: ["name"], message: "must not be empty", code: "required" }]),
    ...validateScorecard(input.definition),
  ]
  if (issues.length) throw new Errors.ValidationError({ message: "invalid scorecard", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const id = input.id ?? Id.make("card")
    const n = await sql<{
      n: number
    }>`select coalesce(max(version), 0)::int + 1 as n from standards.scorecard where org_id = ${ctx.orgId} and id = ${id}`.execute(
      tx,
    )
    if (input.id && n.rows[0]!.n === 1) throw new Errors.NotFoundError({ entity: "scorecard", id: input.id })
    const r = await tx
      .insertInto("standards.scorecard")
      .values({
        org_id: ctx.orgId,
        id,
        version: n.rows[0]!.n,
        name: input.name.trim(),
        definition: JSON.stringify(input.definition),
        created_by: ctx.actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "scorecard.saved",
      entityType: "scorecard",
      entityId: id,
      after: { version: n.rows[0]!.n, name: input.name },
    })
    return toScorecard(r)
  })
}

/** The latest version of every scorecard. @category constructors @since 0.1.0 */
export const listScorecards = async (db: Database, orgId: string) =>
  (
    await sql<ScorecardRow>`select distinct on (id) * from standards.scorecard where org_id = ${orgId} order by id, version desc`.execute(
      tables(db),
    )
  ).rows.map(toScorecard)

const latestScorecard = async (ex: StandardsDb, orgId: string, id: string) => {
  const r = await ex
    .selectFrom("standards.scorecard")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "scorecard", id })
  return toScorecard(r)
}

/**
 * Record an evaluation of a case against the latest scorecard version. Every evaluation is
 * published (`quality.evaluated`, with its score and each criterion's result) and critical errors
 * too (`quality.critical_error`; an improvement cycle may start from them); calibration
 * evaluations are not.
 * @category constructors
 * @since 0.1.0
 */
export const evaluateCase = async (
  db: Database,
  ctx: Ctx,
  input: {
    scorecardId: string
    caseId: string
    agentId: string
    answers: Answers
    calibrationId?: string | undefined
  },
) => {
  const card = await latestScorecard(tables(db), ctx.orgId, input.scorecardId)
  let s: ReturnType<typeof score>
  try {
    s = score(card.definition, input.answers)
  } catch (e) {
    if (!(e instanceof AnswerError)) throw e
    throw new Errors.ValidationError({
      message: "invalid answers",
      issues: [
        {
          path: ["answers", e.criterion],
          message: (e as Error).message,
          code: "invalidValue",
          params: { detail: (e as Error).message },
        },
      ],
    })
  }
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const id = Id.make("qae")
    await tx
      .insertInto("standards.qa_evaluation")
      .values({
        org_id: ctx.orgId,
        id,
        scorecard_id: card.id,
        scorecard_version: card.version,
        case_id: input.caseId,
        agent_id: input.agentId,
        evaluator_id: ctx.actor.id,
        answers: JSON.stringify(input.answers),
        score: s.score,
        raw: s.raw,
        auto_failed: s.autoFailed,
        passed: s.passed,
        critical: JSON.stringify(s.criticalErrors),
        non_critical_errors: s.nonCriticalErrors,
        opportunities: s.opportunities,
        calibration_id: input.calibrationId ?? null,
      })
      .execute()
    await audit({
      action: "qa.evaluated",
      entityType: "qa_evaluation",
      entityId: id,
      after: { caseId: input.caseId, score: s.score, autoFailed: s.autoFailed },
    })
    const families = (Object.entries(s.criticalErrors) as Array<[Family, boolean]>)
      .filter(([, v]) => v)
      .map(([k]) => k)
    if (!input.calibrationId) {
      const evaluated: QualityEvents.Evaluated = {
        caseId: input.caseId,
        agentId: input.agentId,
        scorecardId: card.id,
        scorecardVersion: card.version,
        score: s.score,
        passed: s.passed,
        autoFailed: s.autoFailed,
        criteria: criterionResults(card.definition, input.answers),
        families,
      }
      await emit({
        type: QualityEvents.EVALUATED,
        aggregateType: "qa_evaluation",
        aggregateId: id,
        payload: evaluated,
      })
    }
    if (families.length && !input.calibrationId) {
      const critical: QualityEvents.CriticalError = { caseId: input.caseId, agentId: input.agentId, families }
      await emit({
        type: QualityEvents.CRITICAL_ERROR,
        aggregateType: "qa_evaluation",
        aggregateId: id,
        payload: critical,
      })
    }
    return { id, scorecardId: card.id, scorecardVersion: card.version, ...s }
  })
}

/** Evaluations, newest first. @category constructors @since 0.1.0 */
export const listEvaluations = async (
  db: Database,
  orgId: string,
  filter: { agentId?: string | undefined; caseId?: string | undefined } = {},
) =>
  (
    await tables(db)
      .selectFrom("standards.qa_evaluation")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("calibration_id", "is", null)
      .$if(Boolean(filter.agentId), (q) => q.where("agent_id", "=", filter.agentId!))
      .$if(Boolean(filter.caseId), (q) => q.where("case_id", "=", filter.caseId!))
      .orderBy("evaluated_at", "desc")
      .limit(200)
      .execute()
  ).map((r) => ({
    id: r.id,
    scorecardId: r.scorecard_id,
    scorecardVersion: r.scorecard_version,
    caseId: r.case_id,
    agentId: r.agent_id,
    evaluatorId: r.evaluator_id,
    score: r.score,
    autoFailed: r.auto_failed,
    passed: r.passed,
    critical: r.critical,
    evaluatedAt: r.evaluated_at,
  }))

/**
 * One criterion's results for an agent in a window (`from` inclusive, `to` exclusive), oldest
 * first: each evaluation's answer as a 0–1 fraction of the criterion's scale on the scorecard
 * version it was made with; evaluations without the criterion, or with it N/A, are left out
 * (calibration scores too).
 * @category getters
 * @since 0.7.0
 */
export const criterionResultsOf = async (
  db: Database,
  orgId: string,
  q: { agentId: string; criterionId: string; from: Date; to: Date },
): Promise<number[]> => {
  const rows = await tables(db)
    .selectFrom("standards.qa_evaluation as e")
    .innerJoin("standards.scorecard as s", (j) =>
      j
        .onRef("s.org_id", "=", "e.org_id")
        .onRef("s.id", "=", "e.scorecard_id")
        .onRef("s.version", "=", "e.scorecard_version"),
    )
    .select(["e.answers", "s.definition"])
    .where("e.org_id", "=", orgId)
    .where("e.agent_id", "=", q.agentId)
    .where("e.calibration_id", "is", null)
    .where("e.evaluated_at", ">=", q.from)
    .where("e.evaluated_at", "<", q.to)
    .orderBy("e.evaluated_at")
    .execute()
  const out: number[] = []
  for (const r of rows) {
    const v = criterionResults(r.definition as ScorecardDefinition, r.answers as Answers)[q.criterionId]
    if (typeof v === "number") out.push(v)
  }
  return out
}

// ---------------------------------------------------------------------------
// calibration
// ---------------------------------------------------------------------------

/** Start a calibration session: the evaluators each score the same cases. @category constructors @since 0.1.0 */
export const createCalibration = async (
  db: Database,
  ctx: Ctx,
  input: {
    scorecardId: string
    name: string
    caseIds: ReadonlyArray<string>
    evaluators: ReadonlyArray<string>
    master?: string | undefined
    tolerance?: number | undefined
    minWithin?: number | undefined
  },
) => {
  const issues: Errors.FieldIssue[] = []
  if (!input.name?.trim()) issues.push({ path: ["name"], message: "must not be empty", code: "required" })
  if (input.caseIds.length < 2)
    issues.push({
      path: ["caseIds"],
      message: "choose at least 2 cases",
      code: "atLeastCases",
      params: { min: 2 },
    })
  if (input.evaluators.length < 2)
    issues.push({
      path: ["evaluators"],
      message: "choose at least 2 evaluators",
      code: "atLeastEvaluators",
      params: { min: 2 },
    })
  if (input.master && !input.evaluators.includes(input.master))
    issues.push({
      path: ["master"],
      message: "the master must be one of the evaluators",
      code: "masterEvaluator",
    })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid calibration", issues })
  const card = await latestScorecard(tables(db), ctx.orgId, input.scorecardId)
  const id = Id.make("cal")
  await change(db, ctx, async ({ tx, audit }) => {
    await tx
      .insertInto("standards.calibration")
      .values({
        org_id: ctx.orgId,
        id,
        scorecard_id: card.id,
        scorecard_version: card.version,
        name: input.name.trim(),
        case_ids: JSON.stringify(input.caseIds),
        evaluators: JSON.stringify(input.evaluators),
        master: input.master ?? null,
        tolerance: input.tolerance ?? 5,
        min_within: input.minWithin ?? 0.8,
      })
      .execute()
    await audit({
      action: "calibration.created",
      entityType: "calibration",
      entityId: id,
      after: { name: input.name, cases: input.caseIds.length, evaluators: input.evaluators.length },
    })
  })
  return { id }
}

/** A calibration session with its scores and agreement statistics. @category constructors @since 0.1.0 */
export const getCalibration = async (db: Database, orgId: string, id: string) => {
  const t = tables(db)
  const c = await t
    .selectFrom("standards.calibration")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!c) throw new Errors.NotFoundError({ entity: "calibration", id })
  const card = await t
    .selectFrom("standards.scorecard")
    .select("definition")
    .where("org_id", "=", orgId)
    .where("id", "=", c.scorecard_id)
    .where("version", "=", c.scorecard_version)
    .executeTakeFirstOrThrow()
  const evals = await t
    .selectFrom("standards.qa_evaluation")
    .select(["evaluator_id", "case_id", "score", "critical"])
    .where("org_id", "=", orgId)
    .where("calibration_id", "=", id)
    .execute()
  const caseIds = [...c.case_ids]
  const evaluators = [...c.evaluators]
  const scores: Record<string, Array<number | null>> = Object.fromEntries(
    evaluators.map((e) => [
      e,
      caseIds.map((cid) => evals.find((x) => x.evaluator_id === e && x.case_id === cid)?.score ?? null),
    ]),
  )
  // whether each evaluator called a critical error (of any family) on each case
  const critical: Record<string, Array<boolean | null>> = Object.fromEntries(
    evaluators.map((e) => [
      e,
      caseIds.map((cid) => {
        const x = evals.find((v) => v.evaluator_id === e && v.case_id === cid)
        return x ? Object.values(x.critical ?? {}).some(Boolean) : null
      }),
    ]),
  )
  const done = evals.length
  const stats =
    done >= 2
      ? calibrationStats({
          scores,
          passMark: card.definition.passMark,
          master: c.master ?? undefined,
          tolerance: c.tolerance,
          minWithin: c.min_within,
          critical,
        })
      : null
  return {
    id: c.id,
    name: c.name,
    scorecardId: c.scorecard_id,
    scorecardVersion: c.scorecard_version,
    caseIds,
    evaluators,
    master: c.master,
    tolerance: c.tolerance,
    minWithin: c.min_within,
    scores,
    critical,
    completed: done,
    expected: caseIds.length * evaluators.length,
    stats,
  }
}

/** @category constructors @since 0.1.0 */
export const listCalibrations = async (db: Database, orgId: string) =>
  (
    await tables(db)
      .selectFrom("standards.calibration")
      .select(["id", "name", "created_at"])
      .where("org_id", "=", orgId)
      .orderBy("created_at", "desc")
      .execute()
  ).map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }))

export { qualityMetrics } from "./quality/metrics"

/**
 * Keep a sampling plan: its period and precision, each agent's quota and the cases drawn.
 * @category constructors
 * @since 0.6.0
 */
export const saveSamplingPlan = async (
  db: Database,
  ctx: Ctx,
  input: {
    name: string
    from: Date
    to: Date
    minPerAgent: number
    plan: SamplingPlan
    sample: ReadonlyArray<{ readonly id: string; readonly agent: string }>
  },
) => {
  if (!input.name.trim())
    throw new Errors.ValidationError({
      message: "invalid sampling plan",
      issues: [{ path: ["name"], message: "must not be empty", code: "required" }],
    })
  const id = Id.make("smp")
  await change(db, ctx, async ({ tx, audit }) => {
    await tx
      .insertInto("standards.sampling_plan")
      .values({
        org_id: ctx.orgId,
        id,
        name: input.name.trim(),
        period_from: input.from,
        period_to: input.to,
        margin_of_error: input.plan.marginOfError,
        confidence: input.plan.confidence,
        min_per_agent: input.minPerAgent,
        programme: input.plan.programme,
        per_agent: JSON.stringify(input.plan.perAgent),
        sample: JSON.stringify(input.sample.map((x) => ({ id: x.id, agent: x.agent }))),
        created_by: ctx.actor.id,
      })
      .execute()
    await audit({
      action: "sampling_plan.saved",
      entityType: "sampling_plan",
      entityId: id,
      after: {
        name: input.name.trim(),
        total: input.plan.total,
        agents: Object.keys(input.plan.perAgent).length,
      },
    })
  })
  return (await listSamplingPlans(db, ctx.orgId, id))[0]!
}

/**
 * Sampling plans, newest period first, each with its coverage: per agent, the quota and the
 * evaluations done (regular evaluations of the agent's cases in the plan's period, calibration
 * ones left out), and the drawn cases evaluated.
 * @category constructors
 * @since 0.6.0
 */
export const listSamplingPlans = async (db: Database, orgId: string, id?: string) => {
  let q = tables(db).selectFrom("standards.sampling_plan").selectAll().where("org_id", "=", orgId)
  if (id) q = q.where("id", "=", id)
  const plans = await q.orderBy("period_from", "desc").orderBy("created_at", "desc").limit(50).execute()
  const out = []
  for (const p of plans) {
    const done = await sql<{ agent_id: string; n: number; drawn: number }>`
      select agent_id, count(distinct case_id)::int as n,
        count(distinct case_id) filter (where case_id in (select x->>'id' from jsonb_array_elements(${JSON.stringify(p.sample)}::jsonb) x))::int as drawn
      from standards.qa_evaluation
      where org_id = ${orgId} and calibration_id is null
        and evaluated_at >= ${p.period_from} and evaluated_at < ${p.period_to}
      group by agent_id`.execute(tables(db))
    const byAgent = new Map(done.rows.map((r) => [r.agent_id, r]))
    const agents = Object.entries(p.per_agent).map(([agent, quota]) => {
      const d = byAgent.get(agent)
      const evaluated = d?.n ?? 0
      return {
        agent,
        quota,
        evaluated,
        drawnEvaluated: d?.drawn ?? 0,
        coverage: quota > 0 ? Math.min(1, evaluated / quota) : 1,
        met: evaluated >= quota,
      }
    })
    const quota = agents.reduce((a, x) => a + x.quota, 0)
    const evaluated = agents.reduce((a, x) => a + Math.min(x.evaluated, x.quota), 0)
    out.push({
      id: p.id,
      name: p.name,
      from: p.period_from,
      to: p.period_to,
      marginOfError: p.margin_of_error,
      confidence: p.confidence,
      minPerAgent: p.min_per_agent,
      programme: p.programme,
      total: quota,
      evaluated,
      coverage: quota > 0 ? evaluated / quota : 1,
      agents,
      sample: p.sample,
      createdAt: p.created_at,
    })
  }
  return out
}
