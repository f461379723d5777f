/**
 * Key risk indicators: a registry metric (any module's or a plugin's) over a rolling window, judged
 * green / amber / red against thresholds. Evaluated on the durable scheduler; each crossing into a worse
 * state (green → amber, amber → red, green → red) raises the risk's residual likelihood by one level —
 * at once (`automatic`) or as a suggestion someone applies (`suggest`) — exactly once per crossing (the
 * KRI's row is locked while it is judged), tells the risk's owner, and, when the KRI names a workflow,
 * asks for an improvement cycle (`risk.kri.crossed`, which the API answers with a cycle triggered by `risk`).
 * Definitions, history and suggestions are here; the evaluation and its sweep are in `KriEvaluation`.
 *
 * @since 0.1.0
 */
import { Errors, Id } from "@tenet/core"
import type { Selectable } from "kysely"
import type { KriState, KriTable } from "./migrations/schema"
import * as Register from "./Register"
import { actorOf, type Ctx, change, type Database, type Registry, tables } from "./store"

/** Thresholds: `above` — higher is worse (value ≥ red is red); `below` — lower is worse. @category models @since 0.1.0 */
export interface Thresholds {
  readonly direction: "above" | "below"
  readonly amber: number
  readonly red: number
}

/** The state of a value against thresholds (`no_data` without a value). @category constructors @since 0.1.0 */
export const judge = (t: Thresholds, value: number | null): KriState => {
  if (value === null || !Number.isFinite(value)) return "no_data"
  if (t.direction === "above") return value >= t.red ? "red" : value >= t.amber ? "amber" : "green"
  return value <= t.red ? "red" : value <= t.amber ? "amber" : "green"
}

const RANK: Record<KriState, number> = { no_data: 0, green: 0, amber: 1, red: 2 }
/** Whether going from one state to the next is a crossing (into a worse state). @category guards @since 0.1.0 */
export const isCrossing = (from: KriState, to: KriState): boolean => RANK[to] > RANK[from]

/** Thresholds in the right order (`above`: amber < red; `below`: amber > red). @category guards @since 0.1.0 */
export const thresholdIssues = (t: Thresholds) =>
  (t.direction === "above" ? t.amber < t.red : t.amber > t.red)
    ? []
    : [
        {
          path: ["red"],
          message: t.direction === "above" ? "must be above amber" : "must be below amber",
          code: "thresholdOrder",
        },
      ]

/** A KRI as the API shows it. @category models @since 0.1.0 */
export const toKri = (r: Selectable<KriTable>) => ({
  id: r.id,
  riskId: r.risk_id,
  name: r.name,
  metricId: r.metric_id,
  filter: r.filter,
  windowDays: r.window_days,
  direction: r.direction,
  amber: r.amber,
  red: r.red,
  mode: r.mode,
  cycleWorkflowId: r.cycle_workflow_id,
  state: r.state,
  lastValue: r.last_value,
  lastEvaluatedAt: r.last_evaluated_at?.toISOString() ?? null,
})
/** @category models @since 0.1.0 */
export type Kri = ReturnType<typeof toKri>

/** What a new KRI needs. @category models @since 0.1.0 */
export interface KriInput extends Thresholds {
  readonly riskId: string
  readonly name: string
  readonly metricId: string
  readonly filter?: Readonly<Record<string, string>> | undefined
  readonly windowDays?: number | undefined
  readonly mode?: "suggest" | "automatic" | undefined
  readonly cycleWorkflowId?: string | undefined
}

/** Bind a KRI to a registry metric. @category constructors @since 0.1.0 */
export const createKri = async (
  db: Database,
  ctx: Ctx,
  registry: Registry,
  input: KriInput,
): Promise<Kri> => {
  const issues = [
    ...(registry.get(input.metricId)
      ? []
      : [
          {
            path: ["metricId"],
            message: `no metric ${input.metricId} in the registry`,
            code: "unknownMetric",
          },
        ]),
    ...(input.name?.trim() ? [] : [{ path: ["name"], message: "must not be empty", code: "required" }]),
    ...thresholdIssues(input),
  ]
  if (issues.length) throw new Errors.ValidationError({ message: "invalid KRI", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    await Register.lockRisk(tx, ctx.orgId, input.riskId)
    const row = await tx
      .insertInto("risk.kri")
      .values({
        org_id: ctx.orgId,
        id: Id.make("kri"),
        risk_id: input.riskId,
        name: input.name.trim(),
        metric_id: input.metricId,
        filter: JSON.stringify(input.filter ?? {}),
        window_days: input.windowDays ?? 7,
        direction: input.direction,
        amber: input.amber,
        red: input.red,
        mode: input.mode ?? "suggest",
        cycle_workflow_id: input.cycleWorkflowId ?? null,
        created_by: actorOf(ctx),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({ action: "risk.kri.created", entityType: "kri", entityId: row.id, after: toKri(row) })
    return toKri(row)
  })
}

/** What can change on a KRI: its name, thresholds, window, mode and workflow. @category models @since 0.2.0 */
export interface KriPatch {
  readonly name?: string | undefined
  readonly direction?: "above" | "below" | undefined
  readonly amber?: number | undefined
  readonly red?: number | undefined
  readonly windowDays?: number | undefined
  readonly mode?: "suggest" | "automatic" | undefined
  readonly cycleWorkflowId?: string | null | undefined
}

/**
 * Change a KRI's thresholds (and name, window, mode, workflow). The stored state stays until the next
 * evaluation judges the metric against the new thresholds; if that is worse, it is a crossing like any other.
 * @category constructors
 * @since 0.2.0
 */
export const updateKri = async (db: Database, ctx: Ctx, id: string, patch: KriPatch): Promise<Kri> =>
  change(db, ctx, async ({ tx, audit }) => {
    const before = await tx
      .selectFrom("risk.kri")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!before) throw new Errors.NotFoundError({ entity: "kri", id })
    const t: Thresholds = {
      direction: patch.direction ?? before.direction,
      amber: patch.amber ?? before.amber,
      red: patch.red ?? before.red,
    }
    const issues = [
      ...(patch.name !== undefined && !patch.name.trim()
        ? [{ path: ["name"], message: "must not be empty", code: "required" }]
        : []),
      ...thresholdIssues(t),
    ]
    if (issues.length) throw new Errors.ValidationError({ message: "invalid KRI", issues })
    const row = await tx
      .updateTable("risk.kri")
      .set({
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        direction: t.direction,
        amber: t.amber,
        red: t.red,
        ...(patch.windowDays !== undefined ? { window_days: patch.windowDays } : {}),
        ...(patch.mode ? { mode: patch.mode } : {}),
        ...(patch.cycleWorkflowId !== undefined ? { cycle_workflow_id: patch.cycleWorkflowId } : {}),
      })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "risk.kri.updated",
      entityType: "kri",
      entityId: id,
      before: toKri(before),
      after: toKri(row),
    })
    return toKri(row)
  })

/** Apply or dismiss a pending suggestion. @category constructors @since 0.1.0 */
export const decideSuggestion = async (
  db: Database,
  ctx: Ctx,
  id: string,
  decision: "applied" | "dismissed",
  now = new Date(),
) => {
  const s = await tables(db)
    .selectFrom("risk.suggestion")
    .selectAll()
    .where("org_id", "=", ctx.orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!s) throw new Errors.NotFoundError({ entity: "risk_suggestion", id })
  if (s.status !== "pending")
    throw new Errors.ConflictError({
      message: `suggestion ${id} is already ${s.status}`,
      field: "id",
      code: "suggestionDecided",
    })
  if (decision === "applied") {
    const r = await Register.getRisk(db, ctx.orgId, s.risk_id, now)
    await Register.rateRisk(
      db,
      ctx,
      s.risk_id,
      {
        kind: "residual",
        likelihood: s.to_likelihood,
        impact: r.residual.impact,
        rationale: `KRI suggestion applied (${s.from_likelihood} → ${s.to_likelihood})`,
        source: "kri",
        kriId: s.kri_id,
      },
      now,
    )
  }
  return change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .updateTable("risk.suggestion")
      .set({ status: decision, decided_by: actorOf(ctx), decided_at: now })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .where("status", "=", "pending")
      .returningAll()
      .executeTakeFirst()
    if (!row)
      throw new Errors.ConflictError({
        message: `suggestion ${id} is already decided`,
        field: "id",
        code: "suggestionDecided",
      })
    await audit({ action: `risk.suggestion.${decision}`, entityType: "risk_suggestion", entityId: id })
    return { id, status: decision }
  })
}

/** A risk's KRIs with their history (oldest reading first) and its pending suggestions. @category constructors @since 0.1.0 */
export const kris = async (db: Database, orgId: string, riskId?: string) => {
  const t = tables(db)
  let q = t.selectFrom("risk.kri").selectAll().where("org_id", "=", orgId)
  if (riskId) q = q.where("risk_id", "=", riskId)
  const rows = await q.orderBy("created_at").execute()
  return rows.map(toKri)
}
/** @category constructors @since 0.1.0 */
export const history = async (db: Database, orgId: string, kriId: string, limit = 200) => {
  // an unknown indicator (or another organisation's) is not found, not an empty history
  const known = await tables(db)
    .selectFrom("risk.kri")
    .select("id")
    .where("org_id", "=", orgId)
    .where("id", "=", kriId)
    .executeTakeFirst()
  if (!known) throw new Errors.NotFoundError({ entity: "kri", id: kriId })
  return (
    await tables(db)
      .selectFrom("risk.kri_reading")
      .select(["at", "value", "n", "state", "crossed"])
      .where("org_id", "=", orgId)
      .where("kri_id", "=", kriId)
      .orderBy("at", "desc")
      .limit(limit)
      .execute()
  )
    .reverse()
    .map((r) => ({ at: r.at.toISOString(), value: r.value, n: r.n, state: r.state, crossed: r.crossed }))
}
/** @category constructors @since 0.1.0 */
export const suggestions = async (
  db: Database,
  orgId: string,
  status: "pending" | "applied" | "dismissed" = "pending",
) =>
  (
    await tables(db)
      .selectFrom("risk.suggestion")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("status", "=", status)
      .orderBy("created_at")
      .execute()
  ).map((s) => ({
    id: s.id,
    riskId: s.risk_id,
    kriId: s.kri_id,
    fromLikelihood: s.from_likelihood,
    toLikelihood: s.to_likelihood,
    status: s.status,
    createdAt: s.created_at.toISOString(),
  }))
