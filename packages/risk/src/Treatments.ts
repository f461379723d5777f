/**
 * Treatments (the ISO 31000 options as action plans with an owner, a due date and a status) and the
 * acceptance of a residual risk as a workflow: draft → submitted → accepted / rejected. An acceptance
 * lasts until its expiry; an expired one is marked `expired` by the sweep and the risk goes back to
 * `open` for re-review.
 *
 * @since 0.1.0
 */
import { Errors, Id } from "@tenet/core"
import type { Selectable } from "kysely"
import type {
  AcceptanceStatus,
  AcceptanceTable,
  TreatmentOption,
  TreatmentStatus,
  TreatmentTable,
} from "./migrations/schema"
import * as Register from "./Register"
import { actorOf, type Ctx, change, type Database, tables } from "./store"

const toTreatment = (r: Selectable<TreatmentTable>, now: Date) => ({
  id: r.id,
  riskId: r.risk_id,
  option: r.option,
  title: r.title,
  ownerId: r.owner_id,
  dueAt: r.due_at.toISOString(),
  status: r.status,
  doneAt: r.done_at?.toISOString() ?? null,
  overdue: (r.status === "planned" || r.status === "in_progress") && r.due_at.getTime() < now.getTime(),
})
/** @category models @since 0.1.0 */
export type Treatment = ReturnType<typeof toTreatment>

/** Plan a treatment of a risk (the risk moves to `treating`). @category constructors @since 0.1.0 */
export const createTreatment = async (
  db: Database,
  ctx: Ctx,
  input: { riskId: string; option: TreatmentOption; title: string; ownerId: string; dueAt: Date },
  now = new Date(),
): Promise<Treatment> => {
  if (!input.title.trim())
    throw new Errors.ValidationError({
      message: "invalid treatment",
      issues: [{ path: ["title"], message: "must not be empty", code: "required" }],
    })
  return change(db, ctx, async ({ tx, audit }) => {
    const risk = await Register.lockRisk(tx, ctx.orgId, input.riskId)
    const row = await tx
      .insertInto("risk.treatment")
      .values({
        org_id: ctx.orgId,
        id: Id.make("trt"),
        risk_id: input.riskId,
        option: input.option,
        title: input.title.trim(),
        owner_id: input.ownerId,
        due_at: input.dueAt,
        created_by: actorOf(ctx),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    if (risk.status === "open")
      await tx
        .updateTable("risk.risk")
        .set({ status: "treating", updated_at: now })
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", risk.id)
        .execute()
    await audit({
      action: "risk.treatment.created",
      entityType: "risk_treatment",
      entityId: row.id,
      after: toTreatment(row, now),
    })
    return toTreatment(row, now)
  })
}

/** Move a treatment (planned → in progress → done, or cancelled). @category constructors @since 0.1.0 */
export const setTreatmentStatus = async (
  db: Database,
  ctx: Ctx,
  id: string,
  status: TreatmentStatus,
  now = new Date(),
) =>
  change(db, ctx, async ({ tx, audit }) => {
    const before = await tx
      .selectFrom("risk.treatment")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!before) throw new Errors.NotFoundError({ entity: "risk_treatment", id })
    if (before.status === "done" || before.status === "cancelled")
      throw new Errors.ConflictError({
        message: `treatment ${id} is ${before.status}`,
        field: "status",
        code: "treatmentClosed",
      })
    const row = await tx
      .updateTable("risk.treatment")
      .set({ status, done_at: status === "done" ? now : null, updated_at: now })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "risk.treatment.status",
      entityType: "risk_treatment",
      entityId: id,
      before: { status: before.status },
      after: { status },
    })
    return toTreatment(row, now)
  })

/** What can change on a treatment. @category models @since 0.2.0 */
export interface TreatmentPatch {
  readonly option?: TreatmentOption | undefined
  readonly title?: string | undefined
  readonly ownerId?: string | undefined
  readonly dueAt?: Date | undefined
  readonly status?: TreatmentStatus | undefined
}

/**
 * Edit a treatment: its option, title, owner, due date or status. A done or cancelled treatment is
 * closed and no longer edited (a conflict on `status`).
 * @category constructors
 * @since 0.2.0
 */
export const updateTreatment = async (
  db: Database,
  ctx: Ctx,
  id: string,
  patch: TreatmentPatch,
  now = new Date(),
): Promise<Treatment> => {
  if (patch.title !== undefined && !patch.title.trim())
    throw new Errors.ValidationError({
      message: "invalid treatment",
      issues: [{ path: ["title"], message: "must not be empty", code: "required" }],
    })
  return change(db, ctx, async ({ tx, audit }) => {
    const before = await tx
      .selectFrom("risk.treatment")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!before) throw new Errors.NotFoundError({ entity: "risk_treatment", id })
    if (before.status === "done" || before.status === "cancelled")
      throw new Errors.ConflictError({
        message: `treatment ${id} is ${before.status}`,
        field: "status",
        code: "treatmentClosed",
      })
    const status = patch.status ?? before.status
    const row = await tx
      .updateTable("risk.treatment")
      .set({
        ...(patch.option ? { option: patch.option } : {}),
        ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
        ...(patch.ownerId ? { owner_id: patch.ownerId } : {}),
        ...(patch.dueAt ? { due_at: patch.dueAt } : {}),
        status,
        done_at: status === "done" ? now : null,
        updated_at: now,
      })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "risk.treatment.updated",
      entityType: "risk_treatment",
      entityId: id,
      before: toTreatment(before, now),
      after: toTreatment(row, now),
    })
    return toTreatment(row, now)
  })
}

/** Treatments of a risk, or all of the organisation. @category constructors @since 0.1.0 */
export const listTreatments = async (db: Database, orgId: string, riskId?: string, now = new Date()) => {
  let q = tables(db).selectFrom("risk.treatment").selectAll().where("org_id", "=", orgId)
  if (riskId) q = q.where("risk_id", "=", riskId)
  return (await q.orderBy("due_at").limit(1000).execute()).map((r) => toTreatment(r, now))
}

const toAcceptance = (r: Selectable<AcceptanceTable>) => ({
  id: r.id,
  riskId: r.risk_id,
  status: r.status,
  rationale: r.rationale,
  residualScore: r.residual_score,
  expiresAt: r.expires_at.toISOString(),
  submittedBy: r.submitted_by,
  submittedAt: r.submitted_at?.toISOString() ?? null,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at?.toISOString() ?? null,
  decisionNote: r.decision_note,
  createdBy: r.created_by,
})
/** @category models @since 0.1.0 */
export type Acceptance = ReturnType<typeof toAcceptance>

/** Draft the acceptance of a risk's residual rating, valid until `expiresAt`. @category constructors @since 0.1.0 */
export const draftAcceptance = async (
  db: Database,
  ctx: Ctx,
  input: { riskId: string; rationale: string; expiresAt: Date },
  now = new Date(),
) => {
  const issues = [
    ...(input.rationale.trim()
      ? []
      : [{ path: ["rationale"], message: "must not be empty", code: "required" }]),
    ...(input.expiresAt.getTime() > now.getTime()
      ? []
      : [{ path: ["expiresAt"], message: "must be in the future", code: "past" }]),
  ]
  if (issues.length) throw new Errors.ValidationError({ message: "invalid acceptance", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const risk = await Register.lockRisk(tx, ctx.orgId, input.riskId)
    const row = await tx
      .insertInto("risk.acceptance")
      .values({
        org_id: ctx.orgId,
        id: Id.make("acc"),
        risk_id: risk.id,
        rationale: input.rationale.trim(),
        residual_score: risk.residual_likelihood * risk.residual_impact,
        expires_at: input.expiresAt,
        created_by: actorOf(ctx),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "risk.acceptance.drafted",
      entityType: "risk_acceptance",
      entityId: row.id,
      after: toAcceptance(row),
    })
    return toAcceptance(row)
  })
}

const NEXT: Record<"submit" | "accept" | "reject", { from: AcceptanceStatus; to: AcceptanceStatus }> = {
  submit: { from: "draft", to: "submitted" },
  accept: { from: "submitted", to: "accepted" },
  reject: { from: "submitted", to: "rejected" },
}

/**
 * Submit, accept or reject an acceptance. The person who submitted it cannot decide it; accepting
 * marks the risk `accepted`.
 * @category constructors
 * @since 0.1.0
 */
export const stepAcceptance = async (
  db: Database,
  ctx: Ctx,
  id: string,
  action: "submit" | "accept" | "reject",
  note?: string,
  now = new Date(),
) =>
  change(db, ctx, async ({ tx, audit, emit }) => {
    const a = await tx
      .selectFrom("risk.acceptance")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!a) throw new Errors.NotFoundError({ entity: "risk_acceptance", id })
    const step = NEXT[action]
    if (a.status !== step.from)
      throw new Errors.ConflictError({
        message: `acceptance ${id} is ${a.status}, not ${step.from}`,
        field: "status",
        code: "acceptanceState",
        params: { status: a.status },
      })
    if (action !== "submit" && a.submitted_by === actorOf(ctx))
      throw new Errors.ConflictError({
        message: "the submitter cannot decide",
        field: "status",
        code: "ownDecision",
      })
    if (action !== "submit" && a.expires_at.getTime() <= now.getTime())
      throw new Errors.ConflictError({
        message: `acceptance ${id} has expired`,
        field: "expiresAt",
        code: "acceptanceExpired",
      })
    const row = await tx
      .updateTable("risk.acceptance")
      .set(
        action === "submit"
          ? { status: step.to, submitted_by: actorOf(ctx), submitted_at: now }
          : { status: step.to, decided_by: actorOf(ctx), decided_at: now, decision_note: note ?? null },
      )
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
    if (action === "accept")
      await tx
        .updateTable("risk.risk")
        .set({ status: "accepted", updated_at: now })
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", a.risk_id)
        .execute()
    await audit({
      action: `risk.acceptance.${step.to}`,
      entityType: "risk_acceptance",
      entityId: id,
      before: { status: a.status },
      after: { status: step.to, note },
    })
    await emit({
      type: `risk.acceptance.${step.to}`,
      aggregateType: "risk",
      aggregateId: a.risk_id,
      payload: { acceptanceId: id },
    })
    return toAcceptance(row)
  })

/** @category constructors @since 0.1.0 */
export const listAcceptances = async (db: Database, orgId: string, riskId?: string) => {
  let q = tables(db).selectFrom("risk.acceptance").selectAll().where("org_id", "=", orgId)
  if (riskId) q = q.where("risk_id", "=", riskId)
  return (await q.orderBy("created_at", "desc").limit(1000).execute()).map(toAcceptance)
}

/**
 * Expire accepted acceptances past their date: each becomes `expired`, its risk goes back to `open`
 * with its review due now, and `risk.acceptance.expired` tells the owner. Returns how many expired.
 * @category constructors
 * @since 0.1.0
 */
export const expireAcceptances = async (db: Database, now = new Date()): Promise<number> => {
  const due = await tables(db)
    .selectFrom("risk.acceptance")
    .select(["org_id", "id", "risk_id"])
    .where("status", "=", "accepted")
    .where("expires_at", "<=", now)
    .limit(1000)
    .execute()
  let n = 0
  for (const a of due) {
    const done = await change(
      db,
      { orgId: a.org_id, actor: { type: "system", id: "risk-acceptance" } },
      async ({ tx, audit, emit }) => {
        const r = await tx
          .updateTable("risk.acceptance")
          .set({ status: "expired" })
          .where("org_id", "=", a.org_id)
          .where("id", "=", a.id)
          .where("status", "=", "accepted")
          .returning("id")
          .executeTakeFirst()
        if (!r) return false
        await tx
          .updateTable("risk.risk")
          .set({ status: "open", next_review_at: now, updated_at: now })
          .where("org_id", "=", a.org_id)
          .where("id", "=", a.risk_id)
          .where("status", "=", "accepted")
          .execute()
        await audit({ action: "risk.acceptance.expired", entityType: "risk_acceptance", entityId: a.id })
        await emit({
          type: "risk.acceptance.expired",
          aggregateType: "risk",
          aggregateId: a.risk_id,
          payload: { acceptanceId: a.id },
        })
        return true
      },
    )
    if (done) n++
  }
  return n
}
