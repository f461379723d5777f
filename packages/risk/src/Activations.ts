/**
 * Activations of contingency plans: people act first and record afterwards, so each timeline entry says
 * when it happened and when and by whom it was recorded. The step checklist follows from the entries;
 * closing takes a post-incident review that can ask for an improvement cycle. A KRI turning red activates
 * the plans bound to it (`activateForKri`).
 *
 * @since 0.2.0
 */
import { type Change, type CoreTables, Errors, Id } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import type { ActivationReview, ActivationTable, RiskTables } from "./migrations/schema"
import { planRow, toPlan } from "./Plans"
import { actorOf, type Ctx, change, type Database, tables } from "./store"

const toActivation = (r: Selectable<ActivationTable>) => ({
  id: r.id,
  planId: r.plan_id,
  tier: r.tier,
  reason: r.reason,
  status: r.status,
  startedAt: r.started_at.toISOString(),
  startedBy: r.started_by,
  kriId: r.kri_id,
  closedAt: r.closed_at?.toISOString() ?? null,
  closedBy: r.closed_by,
  review: r.review,
  cycleId: r.cycle_id,
})

/**
 * Activate a plan at a tier. `startedAt` may be earlier than now: people act first and record afterwards.
 * @category constructors
 * @since 0.1.0
 */
export const activate = async (
  db: Database,
  ctx: Ctx,
  planId: string,
  input: { tier: string; reason: string; startedAt?: Date | undefined; kriId?: string | undefined },
  now = new Date(),
) => {
  const plan = await planRow(db, ctx.orgId, planId)
  const startedAt = input.startedAt ?? now
  const issues = [
    ...(plan.tiers.some((t) => t.id === input.tier)
      ? []
      : [{ path: ["tier"], message: `plan has no tier ${input.tier}`, code: "unknownTier" }]),
    ...(input.reason.trim() ? [] : [{ path: ["reason"], message: "must not be empty", code: "required" }]),
    ...(startedAt.getTime() <= now.getTime()
      ? []
      : [{ path: ["startedAt"], message: "must not be in the future", code: "future" }]),
  ]
  if (issues.length) throw new Errors.ValidationError({ message: "invalid activation", issues })
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const row = await tx
      .insertInto("risk.activation")
      .values({
        org_id: ctx.orgId,
        id: Id.make("act"),
        plan_id: planId,
        tier: input.tier,
        reason: input.reason.trim(),
        started_at: startedAt,
        started_by: actorOf(ctx),
        kri_id: input.kriId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "risk.plan.activated",
      entityType: "risk_activation",
      entityId: row.id,
      after: toActivation(row),
    })
    await emit({
      type: "risk.plan.activated",
      aggregateType: "risk_plan",
      aggregateId: planId,
      payload: { activationId: row.id, tier: input.tier },
    })
    return toActivation(row)
  })
}

/** What a KRI turning red did to a plan bound to it. @category models @since 0.2.0 */
export interface KriActivation {
  readonly planId: string
  readonly planTitle: string
  /** `activated`: a new activation; `noted`: the plan was already active, its timeline got an entry. */
  readonly outcome: "activated" | "noted"
  readonly activationId: string
  readonly tier: string
}

/**
 * Inside the change that judged a KRI red: activate every plan with a trigger naming that KRI (at the
 * trigger's tier, else the plan's first), started now by the KRI. A plan already active is not activated
 * twice: its activation's timeline records the KRI turning red again. The caller runs this once per
 * crossing into red, under the KRI's lock, so each crossing activates a plan at most once.
 * @category constructors
 * @since 0.2.0
 */
export const activateForKri = async (
  scope: Pick<Change.ChangeScope<CoreTables & RiskTables>, "tx" | "audit" | "emit">,
  orgId: string,
  kri: { readonly id: string; readonly name: string; readonly value: number },
  now: Date,
): Promise<ReadonlyArray<KriActivation>> => {
  const { tx, audit, emit } = scope
  // only the plans whose triggers name this KRI, locked: two KRIs bound to one plan activate it once
  const plans = await tx
    .selectFrom("risk.plan")
    .selectAll()
    .where("org_id", "=", orgId)
    .where(sql<boolean>`triggers @> ${JSON.stringify([{ kind: "kri", kriId: kri.id }])}::jsonb`)
    .orderBy("id")
    .forUpdate()
    .execute()
  const bound = plans.flatMap((p) => {
    const t = p.triggers.find((x) => x.kind === "kri" && x.kriId === kri.id)
    return t ? [{ plan: p, tier: t.tier ?? p.tiers[0]?.id }] : []
  })
  const out: KriActivation[] = []
  const reason = `关键风险指标「${kri.name}」转为红色（${kri.value}） · KRI “${kri.name}” turned red (${kri.value})`
  for (const { plan, tier } of bound) {
    if (!tier) continue
    const active = await tx
      .selectFrom("risk.activation")
      .select(["id", "tier"])
      .where("org_id", "=", orgId)
      .where("plan_id", "=", plan.id)
      .where("status", "=", "active")
      .orderBy("started_at", "desc")
      .executeTakeFirst()
    if (active) {
      await tx
        .insertInto("risk.activation_entry")
        .values({
          org_id: orgId,
          id: Id.make("ent"),
          activation_id: active.id,
          happened_at: now,
          recorded_at: now,
          recorded_by: "kri",
          step_id: null,
          note: reason,
        })
        .execute()
      await audit({
        action: "risk.activation.recorded",
        entityType: "risk_activation",
        entityId: active.id,
        after: { kriId: kri.id, note: reason },
      })
      out.push({
        planId: plan.id,
        planTitle: plan.title,
        outcome: "noted",
        activationId: active.id,
        tier: active.tier,
      })
      continue
    }
    const row = await tx
      .insertInto("risk.activation")
      .values({
        org_id: orgId,
        id: Id.make("act"),
        plan_id: plan.id,
        tier,
        reason,
        started_at: now,
        started_by: "kri",
        kri_id: kri.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "risk.plan.activated",
      entityType: "risk_activation",
      entityId: row.id,
      after: toActivation(row),
    })
    await emit({
      type: "risk.plan.activated",
      aggregateType: "risk_plan",
      aggregateId: plan.id,
      payload: { activationId: row.id, tier, kriId: kri.id },
    })
    out.push({ planId: plan.id, planTitle: plan.title, outcome: "activated", activationId: row.id, tier })
  }
  return out
}

const activationRow = async (db: Database, orgId: string, id: string) => {
  const a = await tables(db)
    .selectFrom("risk.activation")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!a) throw new Errors.NotFoundError({ entity: "risk_activation", id })
  return a
}

/**
 * Record what happened (optionally completing a step): `happenedAt` is when it happened, the entry's
 * `recordedAt` and `recordedBy` are now and the caller.
 * @category constructors
 * @since 0.1.0
 */
export const record = async (
  db: Database,
  ctx: Ctx,
  activationId: string,
  input: { note: string; happenedAt?: Date | undefined; stepId?: string | undefined },
  now = new Date(),
) => {
  const a = await activationRow(db, ctx.orgId, activationId)
  const plan = await planRow(db, ctx.orgId, a.plan_id)
  const happenedAt = input.happenedAt ?? now
  const issues = [
    ...(input.note.trim() ? [] : [{ path: ["note"], message: "must not be empty", code: "required" }]),
    ...(happenedAt.getTime() <= now.getTime()
      ? []
      : [{ path: ["happenedAt"], message: "must not be in the future", code: "future" }]),
    ...(!input.stepId || plan.steps.some((s) => s.id === input.stepId)
      ? []
      : [{ path: ["stepId"], message: `plan has no step ${input.stepId}`, code: "unknownStep" }]),
  ]
  if (issues.length) throw new Errors.ValidationError({ message: "invalid entry", issues })
  if (a.status !== "active")
    throw new Errors.ConflictError({
      message: `activation ${activationId} is closed`,
      field: "activationId",
      code: "activationClosed",
    })
  return change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .insertInto("risk.activation_entry")
      .values({
        org_id: ctx.orgId,
        id: Id.make("ent"),
        activation_id: activationId,
        happened_at: happenedAt,
        recorded_at: now,
        recorded_by: actorOf(ctx),
        step_id: input.stepId ?? null,
        note: input.note.trim(),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "risk.activation.recorded",
      entityType: "risk_activation",
      entityId: activationId,
      after: { entry: row.id, stepId: row.step_id },
    })
    return {
      id: row.id,
      happenedAt: row.happened_at.toISOString(),
      recordedAt: row.recorded_at.toISOString(),
      recordedBy: row.recorded_by,
      stepId: row.step_id,
      note: row.note,
    }
  })
}

/**
 * An activation with its timeline (by when things happened) and the checklist of its tier's steps:
 * each step's deadline (start + its time limit), when it was done, and whether it was late.
 * @category constructors
 * @since 0.1.0
 */
export const getActivation = async (db: Database, orgId: string, id: string, now = new Date()) => {
  const a = await activationRow(db, orgId, id)
  const plan = await planRow(db, orgId, a.plan_id)
  const entries = await tables(db)
    .selectFrom("risk.activation_entry")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("activation_id", "=", id)
    .orderBy("happened_at")
    .orderBy("recorded_at")
    .execute()
  const timeline = entries.map((e) => ({
    id: e.id,
    happenedAt: e.happened_at.toISOString(),
    recordedAt: e.recorded_at.toISOString(),
    recordedBy: e.recorded_by,
    recordedLate: e.recorded_at.getTime() - e.happened_at.getTime() > 60_000,
    stepId: e.step_id,
    note: e.note,
  }))
  const checklist = plan.steps
    .filter((s) => !s.tiers || s.tiers.includes(a.tier))
    .map((s) => {
      const due = new Date(a.started_at.getTime() + s.limitMinutes * 60_000)
      const done = entries.find((e) => e.step_id === s.id)
      const doneAt = done?.happened_at ?? null
      return {
        ...s,
        dueAt: due.toISOString(),
        doneAt: doneAt?.toISOString() ?? null,
        late: doneAt ? doneAt.getTime() > due.getTime() : now.getTime() > due.getTime(),
      }
    })
  return { ...toActivation(a), plan: toPlan(plan), timeline, checklist }
}

/** Activations, newest first. @category constructors @since 0.1.0 */
export const listActivations = async (db: Database, orgId: string, planId?: string) => {
  let q = tables(db).selectFrom("risk.activation").selectAll().where("org_id", "=", orgId)
  if (planId) q = q.where("plan_id", "=", planId)
  return (await q.orderBy("started_at", "desc").limit(500).execute()).map(toActivation)
}

/**
 * Close an activation with its post-incident review. With `cycleWorkflowId`, `risk.activation.closed`
 * asks the API to open an improvement cycle (trigger `risk`) and link it back (`linkCycle`).
 * @category constructors
 * @since 0.1.0
 */
export const close = async (
  db: Database,
  ctx: Ctx,
  id: string,
  input: { review: ActivationReview; cycleWorkflowId?: string | undefined; closedAt?: Date | undefined },
  now = new Date(),
) => {
  if (!input.review.summary.trim())
    throw new Errors.ValidationError({
      message: "invalid review",
      issues: [{ path: ["review", "summary"], message: "must not be empty", code: "required" }],
    })
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const row = await tx
      .updateTable("risk.activation")
      .set({
        status: "closed",
        closed_at: input.closedAt ?? now,
        closed_by: actorOf(ctx),
        review: JSON.stringify(input.review),
      })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .where("status", "=", "active")
      .returningAll()
      .executeTakeFirst()
    if (!row) {
      const exists = await tx
        .selectFrom("risk.activation")
        .select("id")
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", id)
        .executeTakeFirst()
      if (!exists) throw new Errors.NotFoundError({ entity: "risk_activation", id })
      throw new Errors.ConflictError({
        message: `activation ${id} is already closed`,
        field: "id",
        code: "activationClosed",
      })
    }
    await audit({
      action: "risk.activation.closed",
      entityType: "risk_activation",
      entityId: id,
      after: input.review,
    })
    await emit({
      type: "risk.activation.closed",
      aggregateType: "risk_activation",
      aggregateId: id,
      payload: {
        planId: row.plan_id,
        cycleWorkflowId: input.cycleWorkflowId ?? null,
        summary: input.review.summary,
      },
    })
    return toActivation(row)
  })
}

/** Link the cycle opened from a review or a KRI crossing. @category constructors @since 0.1.0 */
export const linkCycle = async (db: Database, ctx: Ctx, activationId: string, cycleId: string) =>
  change(db, ctx, async ({ tx, audit }) => {
    await tx
      .updateTable("risk.activation")
      .set({ cycle_id: cycleId })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", activationId)
      .execute()
    await audit({
      action: "risk.activation.cycle",
      entityType: "risk_activation",
      entityId: activationId,
      after: { cycleId },
    })
  })
