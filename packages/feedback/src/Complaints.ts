/**
 * Complaints handled as ISO 10002 describes: received (what happened, the remedy sought) →
 * acknowledged → assessed (severity, urgency, complexity: the response deadline follows) →
 * investigating → response proposed (decision, remedy offered) → decision communicated → closed
 * accepted, or closed escalated (internal review or external dispute resolution); an appeal after
 * the decision goes back to investigating. Each step is a ledger entry; the acknowledgement clock
 * stops at `acknowledged`, the response clock at `decision_communicated`. After closure the
 * complainant's satisfaction with the handling is recorded (CX-08).
 *
 * @since 0.1.0
 */
import type { Calendar } from "@tenet/calendar"
import { ContactPermissions, type Db, Errors, type Tenancy } from "@tenet/core"
import { type Complexity, respondDue } from "./Clocks"
import { getItem, type Item, ledger } from "./Items"
import type { Stage, Urgency } from "./migrations/schema"
import { change } from "./store"

/** The stages, in order. @category models @since 0.1.0 */
export const STAGES: ReadonlyArray<Stage> = [
  "received",
  "acknowledged",
  "assessed",
  "investigating",
  "response_proposed",
  "decision_communicated",
  "closed_accepted",
  "closed_escalated",
]

/** Where each stage may go. @category models @since 0.1.0 */
export const TRANSITIONS: Readonly<Record<Stage, ReadonlyArray<Stage>>> = {
  received: ["acknowledged"],
  acknowledged: ["assessed"],
  assessed: ["investigating"],
  investigating: ["response_proposed"],
  response_proposed: ["decision_communicated", "investigating"],
  decision_communicated: ["closed_accepted", "closed_escalated", "investigating"],
  closed_accepted: [],
  closed_escalated: [],
}

/** What a step brings. @category models @since 0.1.0 */
export interface StepInput {
  readonly to: Stage
  readonly note?: string | undefined
  /** `assessed`: all three. */
  readonly severity?: "low" | "medium" | "high" | undefined
  readonly urgency?: Urgency | undefined
  readonly complexity?: Complexity | undefined
  /** `response_proposed`: both. */
  readonly decision?: string | undefined
  readonly remedyOffered?: string | undefined
}

const missing = (fields: ReadonlyArray<string>) =>
  new Errors.ValidationError({
    message: "this step needs more",
    issues: fields.map((f) => ({ path: [f], message: "is required for this step", code: "required" })),
  })

/**
 * Move a complaint to its next stage (refused with a ConflictError naming the allowed ones).
 * @category constructors
 * @since 0.1.0
 */
export const step = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  id: string,
  input: StepInput,
  options: { readonly now?: Date; readonly calendar?: Calendar | undefined } = {},
): Promise<Item> => {
  const now = options.now ?? new Date()
  await change(db, ctx, async ({ tx, audit, emit }) => {
    const r = await tx
      .selectFrom("feedback.item")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!r) throw new Errors.NotFoundError({ entity: "complaint", id })
    if (r.kind !== "complaint" || !r.stage)
      throw new Errors.ConflictError({ message: "only complaints have stages", code: "notAComplaint" })
    const allowed = TRANSITIONS[r.stage]
    if (!allowed.includes(input.to))
      throw new Errors.ConflictError({
        message: `a complaint ${r.stage} can go to ${allowed.join(", ") || "no other stage"}`,
        field: "to",
        code: "complaintStage",
        params: { from: r.stage, allowed: allowed.join(", ") },
      })
    // communicating the decision reaches the complainant: their contact preferences decide (PR-02)
    if (input.to === "decision_communicated" && r.customer_key)
      await ContactPermissions.assertAllowed(tx, ctx.orgId, r.customer_key, "service", "to")
    const set: Record<string, unknown> = { stage: input.to, updated_at: now }
    let basis = r.clock_basis
    if (input.to === "acknowledged") set.acknowledged_at = now
    if (input.to === "assessed") {
      const lacking = (["severity", "urgency", "complexity"] as const).filter((f) => !input[f])
      if (lacking.length) throw missing(lacking)
      const due = respondDue(input.urgency!, input.complexity!, r.received_at, options.calendar)
      Object.assign(set, {
        severity: input.severity,
        urgency: input.urgency,
        complexity: input.complexity,
        response_due_at: due.dueAt,
      })
      basis = { ...basis, respond: due.basis }
      set.clock_basis = JSON.stringify(basis)
    }
    if (input.to === "response_proposed") {
      const lacking = (["decision", "remedyOffered"] as const).filter((f) => !input[f]?.trim())
      if (lacking.length) throw missing(lacking)
      Object.assign(set, { decision: input.decision, remedy_offered: input.remedyOffered })
    }
    if (input.to === "decision_communicated")
      Object.assign(set, { responded_at: now, status: "replied", replied_at: r.replied_at ?? now })
    if (input.to === "investigating" && r.stage === "decision_communicated")
      Object.assign(set, { accepted: false })
    if (input.to === "closed_accepted")
      Object.assign(set, { accepted: true, closed_at: now, status: "closed" })
    if (input.to === "closed_escalated")
      Object.assign(set, { accepted: false, closed_at: now, status: "closed" })
    await tx
      .updateTable("feedback.item")
      .set(set)
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .execute()
    await ledger(tx, ctx.orgId, id, {
      at: now,
      kind: "stage",
      from: r.stage,
      to: input.to,
      actorId: ctx.actor.id,
      note: input.note ?? null,
    })
    await audit({
      action: "complaint.stage_changed",
      entityType: "feedback_item",
      entityId: id,
      before: { stage: r.stage },
      after: { stage: input.to },
    })
    await emit({
      type: "feedback.complaint.stage_changed",
      aggregateType: "feedback_item",
      aggregateId: id,
      payload: { from: r.stage, to: input.to, causeCode: r.cause_code },
    })
  })
  return getItem(db, ctx.orgId, id, now)
}

/** The complainant's satisfaction with the handling (1–5), after closure. @category constructors @since 0.1.0 */
export const rateHandling = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  id: string,
  score: number,
): Promise<Item> => {
  if (!Number.isInteger(score) || score < 1 || score > 5)
    throw new Errors.ValidationError({
      message: "invalid score",
      issues: [{ path: ["score"], message: "must be a whole number from 1 to 5", code: "outOfRange" }],
    })
  await change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .selectFrom("feedback.item")
      .select(["stage"])
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!r) throw new Errors.NotFoundError({ entity: "complaint", id })
    if (r.stage !== "closed_accepted" && r.stage !== "closed_escalated")
      throw new Errors.ConflictError({
        message: "rate the handling after the complaint is closed",
        code: "complaintNotClosed",
      })
    await tx
      .updateTable("feedback.item")
      .set({ handling_satisfaction: score })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .execute()
    await audit({
      action: "complaint.handling_rated",
      entityType: "feedback_item",
      entityId: id,
      after: { score },
    })
  })
  return getItem(db, ctx.orgId, id)
}
