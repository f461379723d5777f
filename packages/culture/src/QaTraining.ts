/**
 * QA → training: a QA evaluation with a critical error (`quality.critical_error`, emitted by
 * standards) assigns the course mapped to the error's family to the agent, once per evaluation,
 * due in the rule's days. An outbox handler (the API runs it with the built-in handlers).
 *
 * @since 0.1.0
 */
import { type Outbox, Tenancy } from "@tenet/core"
import { addDays, type Ctx, change, type Database, isoDate, tables } from "./db"
import type { CriticalFamily } from "./migrations/schema"
import { assignIn } from "./training/Training"

/** Map a critical-error family to a course. @category constructors @since 0.1.0 */
export const setQaRule = async (
  db: Database,
  ctx: Ctx,
  input: { family: CriticalFamily; courseId: string; dueDays?: number },
) =>
  change(db, ctx, async ({ tx, audit }) => {
    const values = { course_id: input.courseId, due_days: input.dueDays ?? 14 }
    await tx
      .insertInto("culture.qa_course_rule")
      .values({ org_id: ctx.orgId, family: input.family, ...values })
      .onConflict((oc) => oc.columns(["org_id", "family"]).doUpdateSet(values))
      .execute()
    await audit({
      action: "culture.qa_rule_set",
      entityType: "qa_course_rule",
      entityId: input.family,
      after: input,
    })
    return input
  })

/** The rules. @category getters @since 0.1.0 */
export const qaRules = async (db: Database, orgId: string) =>
  tables(db)
    .selectFrom("culture.qa_course_rule")
    .selectAll()
    .where("org_id", "=", orgId)
    .orderBy("family")
    .execute()

interface CriticalPayload {
  readonly caseId?: string
  readonly agentId?: string
  readonly families?: ReadonlyArray<string>
}

/**
 * Handle one critical error: assign each mapped course (the evaluation id is the assignment's
 * source, so a redelivered event assigns nothing more) unless the agent already has that course
 * open. Returns the courses assigned.
 * @category constructors
 * @since 0.1.0
 */
export const onCriticalError = async (db: Database, event: Outbox.DomainEvent): Promise<string[]> => {
  const p = event.payload as CriticalPayload
  if (!p.agentId || !p.families?.length) return []
  const ctx = Tenancy.system(event.orgId, "culture")
  const rules = (await qaRules(db, event.orgId)).filter((r) => p.families!.includes(r.family))
  if (!rules.length) return []
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const assigned: string[] = []
    for (const r of rules) {
      // a course the agent already has open (assigned by hand or by an earlier error) is not given twice
      const open = await tx
        .selectFrom("culture.assignment")
        .select("id")
        .where("org_id", "=", event.orgId)
        .where("user_id", "=", p.agentId!)
        .where("course_id", "=", r.course_id)
        .where("status", "=", "assigned")
        .where((w) => w.or([w("source", "!=", "qa"), w("source_ref", "!=", event.aggregateId)]))
        .executeTakeFirst()
      if (open) continue
      const a = await assignIn(tx, event.orgId, {
        userId: p.agentId!,
        courseId: r.course_id,
        source: "qa",
        sourceRef: event.aggregateId,
        dueOn: isoDate(addDays(new Date(event.occurredAt), r.due_days)),
      })
      if (!a.created) continue
      assigned.push(r.course_id)
      await audit({
        action: "culture.course_assigned",
        entityType: "person",
        entityId: p.agentId!,
        after: { courseId: r.course_id, evaluationId: event.aggregateId, family: r.family },
      })
      await emit({
        type: "culture.training.assigned",
        aggregateType: "person",
        aggregateId: p.agentId!,
        payload: { courseId: r.course_id, evaluationId: event.aggregateId },
      })
    }
    return assigned
  })
}

/** The outbox handler. @category constructors @since 0.1.0 */
export const qaTrainingHandler: Outbox.EventHandler = {
  name: "culture.qa-training",
  types: ["quality.critical_error"],
  handle: async (event, db) => {
    await onCriticalError(db, event)
  },
}
