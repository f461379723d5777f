/**
 * Compliance: a published standard (or a given version) evaluated for a period against the
 * metric registry, stored with its evidence; each breached target a breach an improvement cycle
 * can answer.
 *
 * @since 0.5.0
 */
import { Errors, Id, Organizations } from "@tenet/core"
import { judge, requirements } from "../Standard"
import { type Ctx, change, type Database, type Registry, type TargetResult, tables } from "./types"
import { getVersion, publishedVersion } from "./versions"

export type { TargetResult } from "./types"

const checkPeriod = (input: { from: Date; to: Date; timeZone: string }) => {
  if (!(input.from < input.to))
    throw new Errors.ValidationError({
      message: "invalid period",
      issues: [{ path: ["to"], message: "must be after from", code: "after", params: { other: "from" } }],
    })
  // the evaluation is stored with its time zone: only an IANA zone (not "Mars/Olympus")
  if (typeof input.timeZone !== "string" || !Organizations.isValidTimeZone(input.timeZone))
    throw new Errors.ValidationError({
      message: "invalid time zone",
      issues: [
        {
          path: ["timeZone"],
          message: `unknown time zone "${String(input.timeZone).slice(0, 100)}"`,
          code: "timeZone",
          params: { value: String(input.timeZone).slice(0, 100) },
        },
      ],
    })
}

/**
 * Evaluate a published standard (or a given version) for a period: every target's metric is
 * computed with its filter and judged met / at risk / breached / no data. The evaluation is
 * stored, and each breach gets an identity an improvement cycle can answer.
 * @category constructors
 * @since 0.1.0
 */
export const evaluate = async (
  db: Database,
  ctx: Ctx,
  registry: Registry,
  standardId: string,
  input: { from: Date; to: Date; timeZone: string; version?: number | undefined },
) => {
  checkPeriod(input)
  const v = input.version
    ? await getVersion(db, ctx.orgId, standardId, input.version)
    : await publishedVersion(db, ctx.orgId, standardId)
  if (!v)
    throw new Errors.ConflictError({
      message: "the standard has no published version to evaluate",
      field: "version",
      code: "noPublishedVersion",
    })
  const results: TargetResult[] = []
  // the cases behind each breached target, computed with its value (before the change is written)
  const evidence = new Map<TargetResult, { caseIds: ReadonlyArray<string>; total: number }>()
  for (const { clause, requirement } of requirements(v.document)) {
    for (const t of requirement.targets ?? []) {
      const def = registry.get(t.metric)
      const values = def
        ? await def.compute(
            {
              orgId: ctx.orgId,
              from: input.from,
              to: input.to,
              timeZone: input.timeZone,
              bucket: "none",
              filter: t.filter ?? {},
            },
            db,
          )
        : []
      const m = values[0]
      const value = m?.value ?? null
      results.push({
        clause,
        requirementId: requirement.id,
        requirementTitle: requirement.title,
        targetId: t.id,
        metric: t.metric,
        operator: t.operator,
        target: t.value,
        warningBand: t.warningBand ?? 0,
        filter: t.filter ?? {},
        value,
        numerator: m?.numerator,
        denominator: m?.denominator,
        n: m?.n ?? 0,
        interval: m?.interval,
        status: judge(t, value, m?.n ?? 0),
      })
      const r = results.at(-1)!
      if (r.status === "breached" && def?.evidence)
        evidence.set(
          r,
          await def.evidence(
            {
              orgId: ctx.orgId,
              from: input.from,
              to: input.to,
              timeZone: input.timeZone,
              bucket: "none",
              filter: t.filter ?? {},
            },
            db,
          ),
        )
    }
  }
  const summary = {
    met: results.filter((r) => r.status === "met").length,
    atRisk: results.filter((r) => r.status === "at_risk").length,
    breached: results.filter((r) => r.status === "breached").length,
    noData: results.filter((r) => r.status === "no_data").length,
  }
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const id = Id.make("eval")
    const stored: TargetResult[] = []
    for (const r of results) {
      if (r.status !== "breached") {
        stored.push(r)
        continue
      }
      const breachId = Id.make("brch")
      await tx
        .insertInto("standards.breach")
        .values({
          org_id: ctx.orgId,
          id: breachId,
          evaluation_id: id,
          standard_id: standardId,
          version: v.version,
          requirement_id: r.requirementId,
          target_id: r.targetId,
          metric_id: r.metric,
          filter: JSON.stringify(r.filter),
          value: r.value,
          target: r.target,
          operator: r.operator,
          n: r.n,
          period_from: input.from,
          period_to: input.to,
          evidence: evidence.has(r)
            ? JSON.stringify({ caseIds: evidence.get(r)!.caseIds, total: evidence.get(r)!.total })
            : null,
        })
        .execute()
      await emit({
        type: "standards.target.breached",
        aggregateType: "breach",
        aggregateId: breachId,
        payload: {
          standardId,
          version: v.version,
          requirementId: r.requirementId,
          targetId: r.targetId,
          metric: r.metric,
          value: r.value,
          target: r.target,
        },
      })
      const ev = evidence.get(r)
      stored.push({ ...r, breachId, ...(ev ? { cases: ev.total } : {}) })
    }
    await tx
      .insertInto("standards.evaluation")
      .values({
        org_id: ctx.orgId,
        id,
        standard_id: standardId,
        version: v.version,
        period_from: input.from,
        period_to: input.to,
        time_zone: input.timeZone,
        results: JSON.stringify(stored),
        summary: JSON.stringify(summary),
        created_by: ctx.actor.id,
      })
      .execute()
    await audit({
      action: "standard.evaluated",
      entityType: "evaluation",
      entityId: id,
      after: { standardId, version: v.version, ...summary },
    })
    return {
      id,
      standardId,
      version: v.version,
      label: v.label,
      from: input.from,
      to: input.to,
      timeZone: input.timeZone,
      results: stored,
      summary,
    }
  })
}

/** Stored evaluations of a standard, newest first. @category constructors @since 0.1.0 */
export const listEvaluations = async (db: Database, orgId: string, standardId?: string) => {
  let q = tables(db)
    .selectFrom("standards.evaluation")
    .select([
      "id",
      "standard_id",
      "version",
      "period_from",
      "period_to",
      "time_zone",
      "summary",
      "created_at",
    ])
    .where("org_id", "=", orgId)
  if (standardId) q = q.where("standard_id", "=", standardId)
  return (await q.orderBy("created_at", "desc").limit(100).execute()).map((r) => ({
    id: r.id,
    standardId: r.standard_id,
    version: r.version,
    from: r.period_from,
    to: r.period_to,
    timeZone: r.time_zone,
    summary: r.summary,
    createdAt: r.created_at,
  }))
}

/** @category constructors @since 0.1.0 */
export const getEvaluation = async (db: Database, orgId: string, id: string) => {
  const e = await tables(db)
    .selectFrom("standards.evaluation")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!e) throw new Errors.NotFoundError({ entity: "evaluation", id })
  return {
    id: e.id,
    standardId: e.standard_id,
    version: e.version,
    from: e.period_from,
    to: e.period_to,
    timeZone: e.time_zone,
    results: e.results as TargetResult[],
    summary: e.summary,
    createdAt: e.created_at,
  }
}

/**
 * The cases a breach was computed from, as stored with its evaluation: the first ones by intake
 * (case ids) and how many in all; null when its metric lists no cases.
 * @category constructors
 * @since 0.6.0
 */
export const breachEvidence = async (db: Database, orgId: string, breachId: string) => {
  const b = await tables(db)
    .selectFrom("standards.breach")
    .select(["id", "evaluation_id", "metric_id", "period_from", "period_to", "evidence"])
    .where("org_id", "=", orgId)
    .where("id", "=", breachId)
    .executeTakeFirst()
  if (!b) throw new Errors.NotFoundError({ entity: "breach", id: breachId })
  return {
    breachId: b.id,
    evaluationId: b.evaluation_id,
    metric: b.metric_id,
    from: b.period_from,
    to: b.period_to,
    caseIds: b.evidence?.caseIds ?? [],
    total: b.evidence?.total ?? 0,
    stored: b.evidence !== null,
  }
}

/** Breaches, optionally only open ones. @category constructors @since 0.1.0 */
export const listBreaches = async (db: Database, orgId: string, status?: "open" | "answered") => {
  let q = tables(db).selectFrom("standards.breach").selectAll().where("org_id", "=", orgId)
  if (status) q = q.where("status", "=", status)
  return (await q.orderBy("created_at", "desc").limit(200).execute()).map((r) => ({
    id: r.id,
    evaluationId: r.evaluation_id,
    standardId: r.standard_id,
    version: r.version,
    requirementId: r.requirement_id,
    targetId: r.target_id,
    metric: r.metric_id,
    filter: r.filter,
    value: r.value,
    target: r.target,
    operator: r.operator,
    n: r.n,
    from: r.period_from,
    to: r.period_to,
    status: r.status,
    cycleId: r.cycle_id,
    createdAt: r.created_at,
  }))
}

/** Link a breach to the improvement cycle answering it. @category constructors @since 0.1.0 */
export const answerBreach = async (db: Database, ctx: Ctx, breachId: string, cycleId: string) =>
  change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .updateTable("standards.breach")
      .set({ status: "answered", cycle_id: cycleId })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", breachId)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows ?? 0) === 0)
      throw new Errors.NotFoundError({ entity: "breach", id: breachId })
    await audit({ action: "breach.answered", entityType: "breach", entityId: breachId, after: { cycleId } })
  })
