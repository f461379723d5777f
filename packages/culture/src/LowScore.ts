/**
 * Low QA scores → training or coaching. Each organisation configures rules: when a QA evaluation
 * (core's `quality.evaluated`, emitted by standards) scores an agent below the rule's threshold —
 * the whole evaluation, or one criterion — the rule assigns a course (due in the rule's days) or
 * raises a coaching task for the agent's team leader. Thresholds are 0–1 fractions (the QA score
 * of 0–100 is divided by 100; a criterion's result is already a fraction of its scale).
 *
 * Each rule acts at most once per evaluation (a redelivered event changes nothing), a course is
 * not assigned again while the agent has it open, and a rule keeps at most one open coaching task
 * per agent.
 *
 * @since 0.7.0
 */
import { Errors, Id, type Outbox, QualityEvents, Tenancy } from "@tenet/core"
import type { Selectable } from "kysely"
import { addDays, type Ctx, type CultureDb, change, type Database, isoDate, tables } from "./db"
import type {
  CoachingStatus,
  CoachingTaskTable,
  LowScoreAction,
  LowScoreRuleTable,
} from "./migrations/schema"
import { assignIn } from "./training/Training"

/** @category models @since 0.7.0 */
export interface RuleInput {
  readonly id: string
  /** Only evaluations on this scorecard; absent: any scorecard. */
  readonly scorecardId?: string | null | undefined
  /** Compare this criterion's result; absent: the evaluation's score. */
  readonly criterionId?: string | null | undefined
  /** Below this 0–1 fraction the rule acts (0 < threshold ≤ 1). */
  readonly threshold: number
  readonly action: LowScoreAction
  /** The course to assign (action `course`). */
  readonly courseId?: string | null | undefined
  readonly dueDays?: number | undefined
  readonly enabled?: boolean | undefined
}

/** @category models @since 0.7.0 */
export interface Rule {
  readonly id: string
  readonly scorecardId: string | null
  readonly criterionId: string | null
  readonly threshold: number
  readonly action: LowScoreAction
  readonly courseId: string | null
  readonly dueDays: number
  readonly enabled: boolean
  readonly updatedAt: Date
}

const toRule = (r: Selectable<LowScoreRuleTable>): Rule => ({
  id: r.id,
  scorecardId: r.scorecard_id,
  criterionId: r.criterion_id,
  threshold: Number(r.threshold),
  action: r.action,
  courseId: r.course_id,
  dueDays: r.due_days,
  enabled: r.enabled,
  updatedAt: r.updated_at,
})

const KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/

/**
 * Create or change a rule. A threshold outside (0, 1], a course rule without a course (or with an
 * unknown one) and due days outside 1–365 are refused, each naming its field.
 * @category constructors
 * @since 0.7.0
 */
export const saveRule = async (db: Database, ctx: Ctx, input: RuleInput): Promise<Rule> => {
  const issues: Errors.FieldIssue[] = []
  if (!KEY.test(input.id))
    issues.push({ path: ["id"], message: "lowercase letters, digits, _ and -", code: "invalidId" })
  if (!(Number.isFinite(input.threshold) && input.threshold > 0 && input.threshold <= 1))
    issues.push({
      path: ["threshold"],
      message: "a fraction above 0 and at most 1",
      code: "between",
      params: { min: 0, max: 1 },
    })
  if (input.action !== "course" && input.action !== "coaching")
    issues.push({ path: ["action"], message: "course or coaching", code: "invalidEnum" })
  if (input.action === "course" && !input.courseId)
    issues.push({ path: ["courseId"], message: "a course rule needs a course", code: "required" })
  const dueDays = input.dueDays ?? 14
  if (!(Number.isInteger(dueDays) && dueDays >= 1 && dueDays <= 365))
    issues.push({ path: ["dueDays"], message: "from 1 to 365 days", code: "invalidValue" })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid low-score rule", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const courseId = input.action === "course" ? input.courseId! : null
    if (courseId) {
      const found = await tx
        .selectFrom("culture.course")
        .select("id")
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", courseId)
        .executeTakeFirst()
      if (!found)
        throw new Errors.ValidationError({
          message: "invalid low-score rule",
          issues: [{ path: ["courseId"], message: "no such course", code: "unknownCourse" }],
        })
    }
    const values = {
      scorecard_id: input.scorecardId || null,
      criterion_id: input.criterionId || null,
      threshold: input.threshold,
      action: input.action,
      course_id: courseId,
      due_days: dueDays,
      enabled: input.enabled ?? true,
      updated_at: new Date(),
    }
    const before = await tx
      .selectFrom("culture.low_score_rule")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", input.id)
      .executeTakeFirst()
    const row = await tx
      .insertInto("culture.low_score_rule")
      .values({ org_id: ctx.orgId, id: input.id, ...values })
      .onConflict((oc) => oc.columns(["org_id", "id"]).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow()
    const rule = toRule(row)
    await audit({
      action: "culture.low_score_rule_saved",
      entityType: "low_score_rule",
      entityId: input.id,
      before: before ? toRule(before) : null,
      after: rule,
    })
    return rule
  })
}

/**
 * Delete a rule (audited). The coaching tasks it raised stay, with their result and threshold; the
 * courses it assigned stay assigned.
 * @category constructors
 * @since 0.7.0
 */
export const deleteRule = async (db: Database, ctx: Ctx, id: string): Promise<{ readonly deleted: string }> =>
  change(db, ctx, async ({ tx, audit }) => {
    const before = await tx
      .deleteFrom("culture.low_score_rule")
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst()
    if (!before) throw new Errors.NotFoundError({ entity: "low_score_rule", id })
    await audit({
      action: "culture.low_score_rule_deleted",
      entityType: "low_score_rule",
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
      .selectFrom("culture.low_score_rule")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("id")
      .execute()
  ).map(toRule)

/**
 * What a rule compares in an evaluation, as a 0–1 fraction; null when the rule does not apply to it
 * (another scorecard, or the criterion is not on it or was not applicable).
 * @category getters
 * @since 0.7.0
 */
export const measured = (
  rule: Pick<Rule, "scorecardId" | "criterionId">,
  e: QualityEvents.Evaluated,
): number | null => {
  if (rule.scorecardId && rule.scorecardId !== e.scorecardId) return null
  if (rule.criterionId) {
    const v = Object.hasOwn(e.criteria, rule.criterionId) ? e.criteria[rule.criterionId] : undefined
    return v === undefined || v === null ? null : v
  }
  return e.score / 100
}

/** The agent's team leader (the leader of the first team they are an active member of), if any. */
const coachOf = async (tx: CultureDb, orgId: string, userId: string) => {
  const r = await tx
    .selectFrom("core.team_member as m")
    .innerJoin("core.team as t", (j) => j.onRef("t.org_id", "=", "m.org_id").onRef("t.id", "=", "m.team_id"))
    .select("t.leader_id")
    .where("m.org_id", "=", orgId)
    .where("m.user_id", "=", userId)
    .where("m.left_on", "is", null)
    .where("t.leader_id", "is not", null)
    .where("t.leader_id", "!=", userId)
    .orderBy("m.team_id")
    .executeTakeFirst()
  return r?.leader_id ?? null
}

/** @category models @since 0.7.0 */
export interface Outcome {
  /** Courses assigned, by rule. */
  readonly assigned: ReadonlyArray<{ ruleId: string; courseId: string }>
  /** Coaching tasks raised, by rule. */
  readonly coaching: ReadonlyArray<{ ruleId: string; taskId: string }>
}

/**
 * Apply the organisation's enabled rules to one `quality.evaluated` event.
 * @category constructors
 * @since 0.7.0
 */
export const onEvaluated = async (db: Database, event: Outbox.DomainEvent): Promise<Outcome> => {
  const e = QualityEvents.evaluated(event)
  if (!e) return { assigned: [], coaching: [] }
  const hits = (await listRules(db, event.orgId))
    .filter((r) => r.enabled)
    .map((r) => ({ rule: r, value: measured(r, e) }))
    .filter((h): h is { rule: Rule; value: number } => h.value !== null && h.value < h.rule.threshold)
  if (!hits.length) return { assigned: [], coaching: [] }
  const ctx = Tenancy.system(event.orgId, "culture")
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const assigned: Array<{ ruleId: string; courseId: string }> = []
    const coaching: Array<{ ruleId: string; taskId: string }> = []
    const dueOn = (days: number) => isoDate(addDays(new Date(event.occurredAt), days))
    for (const { rule, value } of hits) {
      const why = {
        ruleId: rule.id,
        evaluationId: event.aggregateId,
        caseId: e.caseId,
        criterionId: rule.criterionId,
        result: value,
        threshold: rule.threshold,
      }
      if (rule.action === "course" && rule.courseId) {
        // the agent already has this course open (by hand, a critical error or an earlier low score)
        const open = await tx
          .selectFrom("culture.assignment")
          .select("id")
          .where("org_id", "=", event.orgId)
          .where("user_id", "=", e.agentId)
          .where("course_id", "=", rule.courseId)
          .where("status", "=", "assigned")
          .executeTakeFirst()
        if (open) continue
        const a = await assignIn(tx, event.orgId, {
          userId: e.agentId,
          courseId: rule.courseId,
          source: "low_score",
          sourceRef: event.aggregateId,
          dueOn: dueOn(rule.dueDays),
        })
        if (!a.created) continue
        assigned.push({ ruleId: rule.id, courseId: rule.courseId })
        await audit({
          action: "culture.course_assigned",
          entityType: "person",
          entityId: e.agentId,
          after: { courseId: rule.courseId, ...why },
        })
        await emit({
          type: "culture.training.assigned",
          aggregateType: "person",
          aggregateId: e.agentId,
          payload: { courseId: rule.courseId, evaluationId: event.aggregateId, ruleId: rule.id },
        })
      } else if (rule.action === "coaching") {
        const open = await tx
          .selectFrom("culture.coaching_task")
          .select("id")
          .where("org_id", "=", event.orgId)
          .where("user_id", "=", e.agentId)
          .where("rule_id", "=", rule.id)
          .where("status", "=", "open")
          .executeTakeFirst()
        if (open) continue
        const id = Id.make("coach")
        const inserted = await tx
          .insertInto("culture.coaching_task")
          .values({
            org_id: event.orgId,
            id,
            user_id: e.agentId,
            rule_id: rule.id,
            evaluation_id: event.aggregateId,
            case_id: e.caseId,
            criterion_id: rule.criterionId,
            result: value,
            threshold: rule.threshold,
            coach_id: await coachOf(tx, event.orgId, e.agentId),
            due_on: dueOn(rule.dueDays),
          })
          .onConflict((oc) => oc.columns(["org_id", "rule_id", "evaluation_id"]).doNothing())
          .returning("id")
          .executeTakeFirst()
        if (!inserted) continue
        coaching.push({ ruleId: rule.id, taskId: id })
        await audit({
          action: "culture.coaching_raised",
          entityType: "coaching_task",
          entityId: id,
          after: why,
        })
        await emit({
          type: "culture.coaching.raised",
          aggregateType: "person",
          aggregateId: e.agentId,
          payload: { taskId: id, ...why },
        })
      }
    }
    return { assigned, coaching }
  })
}

/** The outbox handler (the API runs it with the built-in handlers). @category constructors @since 0.7.0 */
export const lowScoreHandler: Outbox.EventHandler = {
  name: "culture.low-score",
  types: [QualityEvents.EVALUATED],
  handle: async (event, db) => {
    await onEvaluated(db, event)
  },
}

/** @category models @since 0.7.0 */
export interface CoachingTask {
  readonly id: string
  readonly userId: string
  readonly ruleId: string
  readonly evaluationId: string
  readonly caseId: string
  readonly criterionId: string | null
  /** What was compared, a 0–1 fraction, and the rule's threshold. */
  readonly result: number
  readonly threshold: number
  readonly coachId: string | null
  readonly dueOn: string
  readonly status: CoachingStatus
  readonly note: string | null
  readonly createdAt: Date
  readonly doneAt: Date | null
  readonly doneBy: string | null
}

const toTask = (r: Selectable<CoachingTaskTable>): CoachingTask => ({
  id: r.id,
  userId: r.user_id,
  ruleId: r.rule_id,
  evaluationId: r.evaluation_id,
  caseId: r.case_id,
  criterionId: r.criterion_id,
  result: Number(r.result),
  threshold: Number(r.threshold),
  coachId: r.coach_id,
  dueOn: r.due_on,
  status: r.status,
  note: r.note,
  createdAt: r.created_at,
  doneAt: r.done_at,
  doneBy: r.done_by,
})

/** Coaching tasks, open first then newest. @category getters @since 0.7.0 */
export const coachingTasks = async (
  db: Database,
  orgId: string,
  filter: { userId?: string | undefined; status?: CoachingStatus | undefined } = {},
): Promise<CoachingTask[]> =>
  (
    await tables(db)
      .selectFrom("culture.coaching_task")
      .selectAll()
      .where("org_id", "=", orgId)
      .$if(Boolean(filter.userId), (q) => q.where("user_id", "=", filter.userId!))
      .$if(Boolean(filter.status), (q) => q.where("status", "=", filter.status!))
      .orderBy("status", "desc")
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(500)
      .execute()
  ).map(toTask)

/**
 * Close a coaching task with what was done (audited). A task already done is a conflict.
 * @category constructors
 * @since 0.7.0
 */
export const completeCoaching = async (db: Database, ctx: Ctx, id: string, note?: string | undefined) =>
  change(db, ctx, async ({ tx, audit }) => {
    const t = await tx
      .selectFrom("culture.coaching_task")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!t) throw new Errors.NotFoundError({ entity: "coaching_task", id })
    if (t.status === "done") throw new Errors.ConflictError({ message: "already done", code: "alreadyDone" })
    const row = await tx
      .updateTable("culture.coaching_task")
      .set({ status: "done", note: note?.trim() || null, done_at: new Date(), done_by: ctx.actor.id })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "culture.coaching_done",
      entityType: "coaching_task",
      entityId: id,
      before: { status: "open" },
      after: { status: "done", note: row.note },
    })
    return toTask(row)
  })
