/**
 * Contingency plans (seed 000 §6.2, ISO 22301 terms): triggers (by hand or a KRI), severity tiers, steps
 * with roles and time limits, backup channels and contacts; created and edited as a whole. Activations
 * are in `Activations`, exercises (drills) in `Exercises`.
 *
 * @since 0.1.0
 */
import { Errors, Id } from "@tenet/core"
import type { Selectable } from "kysely"
import type {
  BackupChannel,
  PlanContact,
  PlanStep,
  PlanTable,
  PlanTier,
  PlanTrigger,
  Scenario,
} from "./migrations/schema"
import { actorOf, type Ctx, change, type Database, tables } from "./store"

/** What a plan holds. @category models @since 0.1.0 */
export interface PlanInput {
  readonly title: string
  readonly scenario: Scenario
  readonly triggers: ReadonlyArray<PlanTrigger>
  readonly tiers: ReadonlyArray<PlanTier>
  readonly steps: ReadonlyArray<PlanStep>
  readonly channels: ReadonlyArray<BackupChannel>
  readonly contacts: ReadonlyArray<PlanContact>
}

/** A plan as the API shows it. @category models @since 0.1.0 */
export const toPlan = (r: Selectable<PlanTable>) => ({
  id: r.id,
  title: r.title,
  scenario: r.scenario,
  triggers: r.triggers,
  tiers: r.tiers,
  steps: r.steps,
  channels: r.channels,
  contacts: r.contacts,
  updatedAt: r.updated_at.toISOString(),
})
/** @category models @since 0.1.0 */
export type Plan = ReturnType<typeof toPlan>

/** Problems with a plan, each with its path. @category guards @since 0.1.0 */
export const planIssues = (p: PlanInput) => {
  const issues: Array<{ path: Array<string | number>; message: string; code: string }> = []
  if (!p.title.trim()) issues.push({ path: ["title"], message: "must not be empty", code: "required" })
  if (p.tiers.length === 0)
    issues.push({ path: ["tiers"], message: "needs at least one severity tier", code: "required" })
  if (p.steps.length === 0)
    issues.push({ path: ["steps"], message: "needs at least one step", code: "required" })
  const tiers = new Set(p.tiers.map((t) => t.id))
  const ids = new Set<string>()
  p.steps.forEach((s, i) => {
    if (ids.has(s.id))
      issues.push({ path: ["steps", i, "id"], message: `duplicate step ${s.id}`, code: "duplicate" })
    ids.add(s.id)
    if (!(Number.isInteger(s.limitMinutes) && s.limitMinutes > 0))
      issues.push({
        path: ["steps", i, "limitMinutes"],
        message: "must be a whole number of minutes above 0",
        code: "range",
      })
    s.tiers?.forEach((t, j) => {
      if (!tiers.has(t))
        issues.push({ path: ["steps", i, "tiers", j], message: `no tier ${t}`, code: "unknownTier" })
    })
  })
  p.triggers.forEach((t, i) => {
    if (t.kind === "kri" && !t.kriId)
      issues.push({
        path: ["triggers", i, "kriId"],
        message: "a KRI trigger names its KRI",
        code: "required",
      })
    if (t.tier !== undefined && !tiers.has(t.tier))
      issues.push({ path: ["triggers", i, "tier"], message: `no tier ${t.tier}`, code: "unknownTier" })
  })
  return issues
}

/** KRI triggers naming a KRI the organisation does not have, each with its path. */
const unknownKris = async (db: Database, orgId: string, p: PlanInput) => {
  const named = p.triggers.flatMap((t, i) => (t.kind === "kri" && t.kriId ? [[t.kriId, i] as const] : []))
  if (!named.length) return []
  const known = new Set(
    (
      await tables(db)
        .selectFrom("risk.kri")
        .select("id")
        .where("org_id", "=", orgId)
        .where(
          "id",
          "in",
          named.map(([k]) => k),
        )
        .execute()
    ).map((r) => r.id),
  )
  return named
    .filter(([k]) => !known.has(k))
    .map(([k, i]) => ({ path: ["triggers", i, "kriId"], message: `no KRI ${k}`, code: "unknownKri" }))
}

/** Create a plan. @category constructors @since 0.1.0 */
export const createPlan = async (db: Database, ctx: Ctx, input: PlanInput): Promise<Plan> => {
  const issues = [...planIssues(input), ...(await unknownKris(db, ctx.orgId, input))]
  if (issues.length) throw new Errors.ValidationError({ message: "invalid plan", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .insertInto("risk.plan")
      .values({
        org_id: ctx.orgId,
        id: Id.make("pln"),
        title: input.title.trim(),
        scenario: input.scenario,
        triggers: JSON.stringify(input.triggers),
        tiers: JSON.stringify(input.tiers),
        steps: JSON.stringify(input.steps),
        channels: JSON.stringify(input.channels),
        contacts: JSON.stringify(input.contacts),
        created_by: actorOf(ctx),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "risk.plan.created",
      entityType: "risk_plan",
      entityId: row.id,
      after: { title: row.title },
    })
    return toPlan(row)
  })
}

/**
 * Edit a plan: any of its parts, each replaced as a whole (the admin sends the rows it shows). The result
 * is checked like a new plan; a tier an active activation runs at cannot be removed.
 * @category constructors
 * @since 0.2.0
 */
export const updatePlan = async (
  db: Database,
  ctx: Ctx,
  id: string,
  patch: Partial<PlanInput>,
  now = new Date(),
): Promise<Plan> => {
  const before = await planRow(db, ctx.orgId, id)
  const next: PlanInput = {
    title: patch.title ?? before.title,
    scenario: patch.scenario ?? before.scenario,
    triggers: patch.triggers ?? before.triggers,
    tiers: patch.tiers ?? before.tiers,
    steps: patch.steps ?? before.steps,
    channels: patch.channels ?? before.channels,
    contacts: patch.contacts ?? before.contacts,
  }
  const active = await tables(db)
    .selectFrom("risk.activation")
    .select("tier")
    .distinct()
    .where("org_id", "=", ctx.orgId)
    .where("plan_id", "=", id)
    .where("status", "=", "active")
    .execute()
  const issues = [
    ...planIssues(next),
    ...(await unknownKris(db, ctx.orgId, next)),
    ...active
      .filter((a) => !next.tiers.some((t) => t.id === a.tier))
      .map((a) => ({
        path: ["tiers"],
        message: `tier ${a.tier} has an active activation`,
        code: "tierInUse",
        params: { tier: a.tier },
      })),
  ]
  if (issues.length) throw new Errors.ValidationError({ message: "invalid plan", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .updateTable("risk.plan")
      .set({
        title: next.title.trim(),
        scenario: next.scenario,
        triggers: JSON.stringify(next.triggers),
        tiers: JSON.stringify(next.tiers),
        steps: JSON.stringify(next.steps),
        channels: JSON.stringify(next.channels),
        contacts: JSON.stringify(next.contacts),
        updated_at: now,
      })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst()
    if (!row) throw new Errors.NotFoundError({ entity: "risk_plan", id })
    await audit({
      action: "risk.plan.updated",
      entityType: "risk_plan",
      entityId: id,
      before: toPlan(before),
      after: toPlan(row),
    })
    return toPlan(row)
  })
}

/** Plans with when each was last exercised and activated. @category constructors @since 0.1.0 */
export const listPlans = async (db: Database, orgId: string) => {
  const t = tables(db)
  const plans = await t
    .selectFrom("risk.plan")
    .selectAll()
    .where("org_id", "=", orgId)
    .orderBy("title")
    .execute()
  const ex = await t
    .selectFrom("risk.exercise")
    .select(["plan_id"])
    .select((e) => e.fn.max("held_at").as("last"))
    .where("org_id", "=", orgId)
    .groupBy("plan_id")
    .execute()
  const act = await t
    .selectFrom("risk.activation")
    .select(["plan_id"])
    .select((e) => e.fn.max("started_at").as("last"))
    .where("org_id", "=", orgId)
    .groupBy("plan_id")
    .execute()
  const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null)
  return plans.map((p) => ({
    ...toPlan(p),
    lastExercisedAt: iso(ex.find((e) => e.plan_id === p.id)?.last),
    lastActivatedAt: iso(act.find((e) => e.plan_id === p.id)?.last),
  }))
}

/** A plan's row (not found otherwise). @category constructors @since 0.2.0 */
export const planRow = async (db: Database, orgId: string, id: string) => {
  const p = await tables(db)
    .selectFrom("risk.plan")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!p) throw new Errors.NotFoundError({ entity: "risk_plan", id })
  return p
}
