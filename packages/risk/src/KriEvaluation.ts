/**
 * Evaluating key risk indicators: the metric over the KRI's window judged against its thresholds, the
 * reading stored, and a crossing into a worse state acted on exactly once (the KRI's row is locked): the
 * risk's residual likelihood raised (at once or as a suggestion), its owner told, the plans bound to the
 * KRI activated when it turns red, and `risk.kri.crossed` emitted. The sweep runs on the durable scheduler.
 *
 * @since 0.2.0
 */
import { Errors, Id, type Jobs, Notifications } from "@tenet/core"
import * as Activations from "./Activations"
import * as Catalogue from "./Catalogue"
import { isCrossing, judge } from "./Kri"
import * as Matrix from "./Matrix"
import type { KriState } from "./migrations/schema"
import * as Register from "./Register"
import { type Ctx, change, type Database, type Registry, tables } from "./store"

const DAY = 86_400_000

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
    const m = await Catalogue.matrixOf(tx, orgId, risk.matrix_id)
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
        ? await Activations.activateForKri(
            { tx, audit, emit },
            orgId,
            { id: kriId, name: cur.name, value },
            now,
          )
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
