/**
 * Incentive points from configurable rules on QA scores (seeds 000 §7.4, 002 §3.3): when a QA
 * evaluation (core's `quality.evaluated`, emitted by standards) scores an agent at or above a rule's
 * minimum — the whole evaluation's score ÷ 100, or one criterion's result, a 0–1 fraction — the rule
 * awards its points, at most once per evaluation (a redelivered event changes nothing). The points
 * join kudos in the recognition ranking, which respects each person's privacy.
 *
 * @since 0.7.0
 */
import { Errors, Id, type Outbox, QualityEvents, Tenancy } from "@tenet/core"
import type { Selectable } from "kysely"
import { type Ctx, change, type Database, tables } from "./db"
import { measured } from "./LowScore"
import type { IncentiveRuleTable } from "./migrations/schema"

/** @category models @since 0.7.0 */
export interface RuleInput {
  readonly id: string
  readonly name: { readonly "zh-CN": string; readonly en: string }
  /** Only evaluations on this scorecard; absent: any scorecard. */
  readonly scorecardId?: string | null | undefined
  /** Compare this criterion's result; absent: the evaluation's score. */
  readonly criterionId?: string | null | undefined
  /** At or above this 0–1 fraction the rule awards its points (0 < minimum ≤ 1). */
  readonly minResult: number
  /** Whole points, 1–1000. */
  readonly points: number
  readonly enabled?: boolean | undefined
}

/** @category models @since 0.7.0 */
export interface Rule {
  readonly id: string
  readonly name: { readonly "zh-CN": string; readonly en: string }
  readonly scorecardId: string | null
  readonly criterionId: string | null
  readonly minResult: number
  readonly points: number
  readonly enabled: boolean
  readonly updatedAt: Date
}

const toRule = (r: Selectable<IncentiveRuleTable>): Rule => ({
  id: r.id,
  name: { "zh-CN": r.name_zh, en: r.name_en },
  scorecardId: r.scorecard_id,
  criterionId: r.criterion_id,
  minResult: Number(r.min_result),
  points: r.points,
  enabled: r.enabled,
  updatedAt: r.updated_at,
})

const KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/

/**
 * Create or change a rule; a minimum outside (0, 1], points outside 1–1000 and an empty name are
 * refused, each naming its field.
 * @category constructors
 * @since 0.7.0
 */
export const saveRule = async (db: Database, ctx: Ctx, input: RuleInput): Promise<Rule> => {
  const issues: Errors.FieldIssue[] = []
  if (!KEY.test(input.id))
    issues.push({ path: ["id"], message: "lowercase letters, digits, _ and -", code: "invalidId" })
  for (const lang of ["zh-CN", "en"] as const)
    if (!input.name[lang]?.trim())
      issues.push({ path: ["name", lang], message: "required", code: "required" })
  if (!(Number.isFinite(input.minResult) && input.minResult > 0 && input.minResult <= 1))
    issues.push({
      path: ["minResult"],
      message: "a fraction above 0 and at most 1",
      code: "between",
      params: { min: 0, max: 1 },
    })
  if (!(Number.isInteger(input.points) && input.points >= 1 && input.points <= 1000))
    issues.push({
      path: ["points"],
      message: "whole points from 1 to 1000",
      code: "between",
      params: { min: 1, max: 1000 },
    })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid incentive rule", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const values = {
      name_zh: input.name["zh-CN"].trim(),
      name_en: input.name.en.trim(),
      scorecard_id: input.scorecardId || null,
      criterion_id: input.criterionId || null,
      min_result: input.minResult,
      points: input.points,
      enabled: input.enabled ?? true,
      updated_at: new Date(),
    }
    const before = await tx
      .selectFrom("culture.incentive_rule")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", input.id)
      .executeTakeFirst()
    const row = await tx
      .insertInto("culture.incentive_rule")
      .values({ org_id: ctx.orgId, id: input.id, ...values })
      .onConflict((oc) => oc.columns(["org_id", "id"]).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow()
    const rule = toRule(row)
    await audit({
      action: "culture.incentive_rule_saved",
      entityType: "incentive_rule",
      entityId: input.id,
      before: before ? toRule(before) : null,
      after: rule,
    })
    return rule
  })
}

/** Delete a rule (audited); the points it awarded stay. @category constructors @since 0.7.0 */
export const deleteRule = async (db: Database, ctx: Ctx, id: string): Promise<{ readonly deleted: string }> =>
  change(db, ctx, async ({ tx, audit }) => {
    const before = await tx
      .deleteFrom("culture.incentive_rule")
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst()
    if (!before) throw new Errors.NotFoundError({ entity: "incentive_rule", id })
    await audit({
      action: "culture.incentive_rule_deleted",
      entityType: "incentive_rule",
      entityId: id,
      before: toRule(before),
      after: null,
    })
    return { deleted: id }
  })

/** The organisation's rules. @category getters @since 0.7.0 */
export const listRules = async (db: Database, orgId: string): Promise<Rule[]> =>
  (
    await tables(db)
      .selectFrom("culture.incentive_rule")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("id")
      .execute()
  ).map(toRule)

/**
 * Apply the organisation's enabled rules to one `quality.evaluated` event: each rule whose measure
 * reaches its minimum awards its points once.
 * @category constructors
 * @since 0.7.0
 */
export const onEvaluated = async (
  db: Database,
  event: Outbox.DomainEvent,
): Promise<ReadonlyArray<{ readonly ruleId: string; readonly points: number }>> => {
  const e = QualityEvents.evaluated(event)
  if (!e) return []
  const hits = (await listRules(db, event.orgId))
    .filter((r) => r.enabled)
    .map((r) => ({ rule: r, value: measured(r, e) }))
    .filter((h): h is { rule: Rule; value: number } => h.value !== null && h.value >= h.rule.minResult)
  if (!hits.length) return []
  return change(db, Tenancy.system(event.orgId, "culture"), async ({ tx, audit, emit }) => {
    const awarded: Array<{ ruleId: string; points: number }> = []
    for (const { rule, value } of hits) {
      const id = Id.make("inc")
      const inserted = await tx
        .insertInto("culture.incentive_award")
        .values({
          org_id: event.orgId,
          id,
          rule_id: rule.id,
          user_id: e.agentId,
          evaluation_id: event.aggregateId,
          case_id: e.caseId,
          result: value,
          points: rule.points,
          awarded_at: new Date(event.occurredAt),
        })
        .onConflict((oc) => oc.columns(["org_id", "rule_id", "evaluation_id"]).doNothing())
        .returning("id")
        .executeTakeFirst()
      if (!inserted) continue
      awarded.push({ ruleId: rule.id, points: rule.points })
      const why = {
        id,
        ruleId: rule.id,
        evaluationId: event.aggregateId,
        caseId: e.caseId,
        result: value,
        points: rule.points,
      }
      await audit({
        action: "culture.incentive_awarded",
        entityType: "person",
        entityId: e.agentId,
        after: why,
      })
      await emit({
        type: "culture.incentive.awarded",
        aggregateType: "person",
        aggregateId: e.agentId,
        payload: why,
      })
    }
    return awarded
  })
}

/** The outbox handler (the API runs it with the built-in handlers). @category constructors @since 0.7.0 */
export const incentiveHandler: Outbox.EventHandler = {
  name: "culture.incentives",
  types: [QualityEvents.EVALUATED],
  handle: async (event, db) => {
    await onEvaluated(db, event)
  },
}

/** Points awarded by rules, newest first (for one person when given). @category getters @since 0.7.0 */
export const awards = async (
  db: Database,
  orgId: string,
  options: { userId?: string; limit?: number } = {},
) =>
  (
    await tables(db)
      .selectFrom("culture.incentive_award")
      .selectAll()
      .where("org_id", "=", orgId)
      .$if(Boolean(options.userId), (q) => q.where("user_id", "=", options.userId!))
      .orderBy("awarded_at", "desc")
      .orderBy("id")
      .limit(options.limit ?? 200)
      .execute()
  ).map((r) => ({
    id: r.id,
    ruleId: r.rule_id,
    userId: r.user_id,
    evaluationId: r.evaluation_id,
    caseId: r.case_id,
    result: Number(r.result),
    points: r.points,
    awardedAt: r.awarded_at,
  }))
