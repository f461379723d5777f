/**
 * Key risk indicators: a registry metric (any module's or a plugin's) over a rolling window, judged
 * green / amber / red against thresholds. Evaluated on the durable scheduler; each crossing into a worse
 * state (green → amber, amber → red, green → red) raises the risk's residual likelihood by one level —
 * at once (`automatic`) or as a suggestion someone applies (`suggest`) — exactly once per crossing (the
 * KRI's row is locked while it is judged), tells the risk's owner, and, when the KRI names a workflow,
 * asks for an improvement cycle (`risk.kri.crossed`, which the API answers with a cycle triggered by `risk`).
 *
 * @since 0.1.0
 */
import { Errors, Id, type Jobs, Notifications } from "@tenet/core"
import type { Selectable } from "kysely"
import * as Matrix from "./Matrix"
import type { KriState, KriTable } from "./migrations/schema"
import * as Plans from "./Plans"
import * as Register from "./Register"
import { actorOf, type Ctx, change, type Database, type Registry, tables } from "./store"

const DAY = 86_400_000

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

/** The payload of `risk.kri.crossed`. @category models @since 0.1.0 */
export interface KriCrossed {
  readonly kriId: string
  readonly riskId: string
  readonly riskNumber: number
  readonly ownerId: string
  readonly metricId: string
  readonly from: KriState
  readonly to: KriState
  readonly value: number
  readonly mode: "suggest" | "automatic"
  readonly likelihood: { readonly from: number; readonly to: number }
  readonly cycleWorkflowId: string | null
  readonly suggestionId: string | null
  /** The contingency plans this crossing into red activated (or, already active, noted on their timeline). */
  readonly activations?: ReadonlyArray<{
    readonly planId: string
    readonly activationId: string
    readonly outcome: "activated" | "noted"
  }>
}

/**
 * Evaluate one KRI now: compute its metric over the window, store the reading, and act on a crossing.
 * @category constructors
 * @since 0.1.0
 */
export const evaluate = async (
  db: Database,
  registry: Registry,
  orgId: string,
  kriId: string,
  now = new Date(),
) => {
  const t = tables(db)
  const k = await t
    .selectFrom("risk.kri")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", kriId)
    .executeTakeFirst()
  if (!k) throw new Errors.NotFoundError({ entity: "kri", id: kriId })
  const def = registry.get(k.metric_id)
  const org = await t
    .selectFrom("core.organization")
    .select("time_zone")
    .where("id", "=", orgId)
    .executeTakeFirst()
  const values = def
    ? await def.compute(
        {
          orgId,
          from: new Date(now.getTime() - k.window_days * DAY),
          to: now,
          timeZone: org?.time_zone ?? "UTC",
          bucket: "none",
          filter: k.filter,
        },
        db,
      )
    : []
  const v = values[0]
  const value = v?.value ?? null
  const ctx: Ctx = { orgId, actor: { type: "system", id: "kri" } }
  return change(db, ctx, async ({ tx, audit, emit }) => {
    // the lock makes the comparison with the stored state, and so the crossing, happen once
    const cur = await tx
      .selectFrom("risk.kri")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("id", "=", kriId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    const state = judge(cur, value)
    const crossed = value !== null && isCrossing(cur.state, state)
    await tx
      .insertInto("risk.kri_reading")
      .values({
        org_id: orgId,
        id: Id.make("krr"),
        kri_id: kriId,
        at: now,
        value,
        n: v?.n ?? 0,
        state,
        crossed,
      })
      .execute()
    await tx
      .updateTable("risk.kri")
      .set({ state, last_value: value, last_evaluated_at: now })
      .where("org_id", "=", orgId)
      .where("id", "=", kriId)
      .execute()
    if (!crossed || value === null) return { state, value, crossed: false as const }
    const risk = await Register.lockRisk(tx, orgId, cur.risk_id)
    const m = await Register.matrixOf(tx, orgId, risk.matrix_id)
    const to = Matrix.raise(m, risk.residual_likelihood)
    let suggestionId: string | null = null
    if (cur.mode === "automatic" && to !== risk.residual_likelihood) {
      await Register.insertRating(tx, ctx, risk.id, m, {
        kind: "residual",
        likelihood: to,
        impact: risk.residual_impact,
        rationale: `KRI ${cur.name}: ${cur.state} → ${state} (${value})`,
        source: "kri",
        kriId,
      })
      await tx
        .updateTable("risk.risk")
        .set({ residual_likelihood: to, updated_at: now })
        .where("org_id", "=", orgId)
        .where("id", "=", risk.id)
        .execute()
    } else if (cur.mode === "suggest" && to !== risk.residual_likelihood) {
      suggestionId = Id.make("sug")
      await tx
        .insertInto("risk.suggestion")
        .values({
          org_id: orgId,
          id: suggestionId,
          risk_id: risk.id,
          kri_id: kriId,
          from_likelihood: risk.residual_likelihood,
          to_likelihood: to,
        })
        .execute()
    }
    // a KRI turning red activates the contingency plans whose triggers name it (once per crossing: under the lock)
    const activations =
      state === "red"
        ? await Plans.activateForKri({ tx, audit, emit }, orgId, { id: kriId, name: cur.name, value }, now)
        : []
    const payload: KriCrossed = {
      kriId,
      riskId: risk.id,
      riskNumber: risk.number,
      ownerId: risk.owner_id,
      metricId: cur.metric_id,
      from: cur.state,
      to: state,
      value,
      mode: cur.mode,
      likelihood: {
        from: risk.residual_likelihood,
        to: cur.mode === "automatic" ? to : risk.residual_likelihood,
      },
      cycleWorkflowId: cur.cycle_workflow_id,
      suggestionId,
      activations: activations.map((a) => ({
        planId: a.planId,
        activationId: a.activationId,
        outcome: a.outcome,
      })),
    }
    await audit({
      action: "risk.kri.crossed",
      entityType: "kri",
      entityId: kriId,
      before: { state: cur.state },
      after: payload,
    })
    await emit({ type: "risk.kri.crossed", aggregateType: "risk", aggregateId: risk.id, payload })
    await emit(
      Notifications.requestEvent({
        kind: "risk.kri_crossed",
        recipients: [{ type: "user", id: risk.owner_id }],
        subject: { type: "risk", id: risk.id },
        params: { number: risk.number, kri: cur.name, state, value },
        title: {
          "zh-CN": `风险 R-${risk.number} 的关键风险指标「${cur.name}」转为${state === "red" ? "红色" : "黄色"}`,
          en: `Risk R-${risk.number}: key risk indicator “${cur.name}” turned ${state}`,
        },
      }),
    )
    for (const a of activations.filter((x) => x.outcome === "activated"))
      await emit(
        Notifications.requestEvent({
          kind: "risk.plan_activated",
          recipients: [{ type: "user", id: risk.owner_id }],
          subject: { type: "risk_activation", id: a.activationId },
          params: { number: risk.number, kri: cur.name, plan: a.planTitle },
          title: {
            "zh-CN": `关键风险指标「${cur.name}」转为红色，已启动应急预案「${a.planTitle}」`,
            en: `Key risk indicator “${cur.name}” turned red: contingency plan “${a.planTitle}” activated`,
          },
        }),
      )
    return { state, value, crossed: true as const, suggestionId, activations }
  })
}

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

/** The job kind of the KRI sweep. @category models @since 0.1.0 */
export const KRI_JOB = "risk.kri-evaluate"
/** Evaluate every KRI of every organisation (one failure does not stop the rest). @category constructors @since 0.1.0 */
export const evaluateAll = async (db: Database, registry: Registry, now = new Date()) => {
  const all = await tables(db)
    .selectFrom("risk.kri")
    .select(["org_id", "id"])
    .orderBy("org_id")
    .limit(10_000)
    .execute()
  let crossings = 0
  for (const k of all) {
    const r = await evaluate(db, registry, k.org_id, k.id, now)
    if (r.crossed) crossings++
  }
  return { evaluated: all.length, crossings }
}
/** The job handlers of the KRI sweep. @category constructors @since 0.1.0 */
export const jobHandlers = (registry: Registry): Jobs.JobHandlers => ({
  [KRI_JOB]: async (_job, db) => {
    await evaluateAll(db, registry)
  },
})
