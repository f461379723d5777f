/**
 * The risk register (ISO 31000): cause, event and consequence, a category, an owner, the inherent and
 * residual rating on the organisation's matrix, existing controls, status and a review cadence. Every
 * rating is kept in the history with who rated it and why; overdue reviews are listed. The heat map is in
 * `HeatMap`, the organisation's matrices and categories in `Catalogue`.
 *
 * @since 0.1.0
 */
import { Errors, Id } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import { ensureCatalogue, type InstalledCategory, listMatrices, matrixOf } from "./Catalogue"
import * as Matrix from "./Matrix"
import type { Control, RatingTable, RiskStatus, RiskTable } from "./migrations/schema"
import { actorOf, type Ctx, change, type Database, tables } from "./store"

const DAY = 86_400_000

/** A risk with its ratings placed on its matrix. @category models @since 0.1.0 */
export interface Risk {
  readonly id: string
  readonly number: number
  readonly title: string
  readonly categoryId: string
  readonly cause: string
  readonly event: string
  readonly consequence: string
  readonly ownerId: string
  readonly matrixId: string
  readonly inherent: Matrix.Rating
  readonly residual: Matrix.Rating
  readonly controls: ReadonlyArray<Control>
  readonly status: RiskStatus
  readonly reviewCadenceDays: number
  readonly nextReviewAt: string
  readonly lastReviewedAt: string | null
  readonly reviewOverdue: boolean
  readonly createdAt: string
  readonly updatedAt: string
}
/** A category as listed. @category models @since 0.1.0 */
export type Category = InstalledCategory
/** A rating as the history shows it. @category models @since 0.1.0 */
export interface RatingEntry {
  readonly id: string
  readonly kind: "inherent" | "residual"
  readonly likelihood: number
  readonly impact: number
  readonly score: number
  readonly band: string
  readonly rationale: string
  readonly source: RatingTable["source"]
  readonly roundId: string | null
  readonly kriId: string | null
  readonly ratedBy: string
  readonly ratedAt: string
}

const toRisk = (m: Matrix.MatrixDefinition, r: Selectable<RiskTable>, now: Date): Risk => ({
  id: r.id,
  number: r.number,
  title: r.title,
  categoryId: r.category_id,
  cause: r.cause,
  event: r.event,
  consequence: r.consequence,
  ownerId: r.owner_id,
  matrixId: r.matrix_id,
  inherent: Matrix.rate(m, r.inherent_likelihood, r.inherent_impact),
  residual: Matrix.rate(m, r.residual_likelihood, r.residual_impact),
  controls: r.controls,
  status: r.status,
  reviewCadenceDays: r.review_cadence_days,
  nextReviewAt: r.next_review_at.toISOString(),
  lastReviewedAt: r.last_reviewed_at?.toISOString() ?? null,
  reviewOverdue: r.status !== "closed" && r.next_review_at.getTime() < now.getTime(),
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
})

const offMatrix = (m: Matrix.MatrixDefinition, field: string, l: number, i: number) => {
  if (Matrix.onMatrix(m, l, i)) return []
  return [
    {
      path: [field],
      message: `${l}×${i} is off the ${m.likelihood.length}×${m.impact.length} matrix`,
      code: "offMatrix",
      params: { likelihood: m.likelihood.length, impact: m.impact.length },
    },
  ]
}

/** What a new risk needs. @category models @since 0.1.0 */
export interface RiskInput {
  readonly title: string
  readonly categoryId: string
  readonly cause: string
  readonly event: string
  readonly consequence: string
  readonly ownerId: string
  readonly matrixId?: string | undefined
  readonly inherent: { readonly likelihood: number; readonly impact: number }
  readonly residual?: { readonly likelihood: number; readonly impact: number } | undefined
  readonly controls?: ReadonlyArray<Control> | undefined
  readonly reviewCadenceDays?: number | undefined
  readonly rationale?: string | undefined
}

/**
 * Add a risk to the register: both ratings go into the history (residual = inherent until controls are rated).
 * @category constructors
 * @since 0.1.0
 */
export const createRisk = async (
  db: Database,
  ctx: Ctx,
  input: RiskInput,
  now = new Date(),
): Promise<Risk> => {
  if (!input.matrixId) await ensureCatalogue(db, ctx)
  const m = await matrixOf(db, ctx.orgId, input.matrixId)
  const residual = input.residual ?? input.inherent
  const category = await tables(db)
    .selectFrom("risk.category")
    .select("id")
    .where("org_id", "=", ctx.orgId)
    .where("id", "=", input.categoryId)
    .executeTakeFirst()
  const issues = [
    ...offMatrix(m, "inherent", input.inherent.likelihood, input.inherent.impact),
    ...offMatrix(m, "residual", residual.likelihood, residual.impact),
    ...(category ? [] : [{ path: ["categoryId"], message: "no such category", code: "unknownCategory" }]),
    ...(["title", "cause", "event", "consequence"] as const)
      .filter((k) => !input[k]?.trim())
      .map((k) => ({ path: [k], message: "must not be empty", code: "required" })),
  ]
  if (issues.length) throw new Errors.ValidationError({ message: "invalid risk", issues })
  const cadence = input.reviewCadenceDays ?? 90
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const id = Id.make("rsk")
    const n = await sql<{ n: number }>`select coalesce(max(number), 0)::int + 1 as n from risk.risk
      where org_id = ${ctx.orgId}`.execute(tx)
    const row = await tx
      .insertInto("risk.risk")
      .values({
        org_id: ctx.orgId,
        id,
        number: n.rows[0]!.n,
        title: input.title.trim(),
        category_id: input.categoryId,
        cause: input.cause.trim(),
        event: input.event.trim(),
        consequence: input.consequence.trim(),
        owner_id: input.ownerId,
        matrix_id: m.id,
        inherent_likelihood: input.inherent.likelihood,
        inherent_impact: input.inherent.impact,
        residual_likelihood: residual.likelihood,
        residual_impact: residual.impact,
        controls: JSON.stringify(input.controls ?? []),
        review_cadence_days: cadence,
        next_review_at: new Date(now.getTime() + cadence * DAY),
        created_by: actorOf(ctx),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    // no rationale given: the history shows "as first registered" in the reader's language
    const why = input.rationale?.trim() ?? ""
    for (const [kind, r] of [
      ["inherent", input.inherent],
      ["residual", residual],
    ] as const)
      await insertRating(tx, ctx, id, m, { kind, ...r, rationale: why, source: "register" })
    await audit({ action: "risk.created", entityType: "risk", entityId: id, after: { title: row.title } })
    await emit({
      type: "risk.risk.created",
      aggregateType: "risk",
      aggregateId: id,
      payload: { number: row.number },
    })
    return toRisk(m, row, now)
  })
}

type Tx = Parameters<Parameters<typeof change>[2]>[0]["tx"]

/** Write one rating into the history (inside the caller's change). */
export const insertRating = async (
  tx: Tx,
  ctx: Ctx,
  riskId: string,
  m: Matrix.MatrixDefinition,
  r: {
    kind: "inherent" | "residual"
    likelihood: number
    impact: number
    rationale: string
    source: RatingTable["source"]
    roundId?: string | undefined
    kriId?: string | undefined
  },
) => {
  const placed = Matrix.rate(m, r.likelihood, r.impact)
  await tx
    .insertInto("risk.rating")
    .values({
      org_id: ctx.orgId,
      id: Id.make("rtg"),
      risk_id: riskId,
      kind: r.kind,
      likelihood: r.likelihood,
      impact: r.impact,
      score: placed.score,
      band: placed.band,
      rationale: r.rationale,
      source: r.source,
      round_id: r.roundId ?? null,
      kri_id: r.kriId ?? null,
      rated_by: actorOf(ctx),
    })
    .execute()
  return placed
}

/** Lock a risk row in a change. @category constructors @since 0.1.0 */
export const lockRisk = async (tx: Tx, orgId: string, id: string) => {
  const r = await tx
    .selectFrom("risk.risk")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .forUpdate()
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "risk", id })
  return r
}

/**
 * Rate a risk again (inherent or residual) with a rationale; a rating from a review or a round also
 * counts as the risk's review and moves its next review date by its cadence.
 * @category constructors
 * @since 0.1.0
 */
export const rateRisk = async (
  db: Database,
  ctx: Ctx,
  id: string,
  input: {
    readonly kind: "inherent" | "residual"
    readonly likelihood: number
    readonly impact: number
    readonly rationale: string
    readonly source?: "review" | "round" | "kri" | undefined
    readonly roundId?: string | undefined
    readonly kriId?: string | undefined
  },
  now = new Date(),
): Promise<Risk> => {
  if (!input.rationale?.trim())
    throw new Errors.ValidationError({
      message: "invalid rating",
      issues: [{ path: ["rationale"], message: "say why the rating changes", code: "required" }],
    })
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const before = await lockRisk(tx, ctx.orgId, id)
    const m = await matrixOf(tx, ctx.orgId, before.matrix_id)
    const issues = offMatrix(m, input.kind, input.likelihood, input.impact)
    if (issues.length) throw new Errors.ValidationError({ message: "invalid rating", issues })
    const source = input.source ?? "review"
    const placed = await insertRating(tx, ctx, id, m, { ...input, rationale: input.rationale.trim(), source })
    const reviewed = source === "review" || source === "round"
    const row = await tx
      .updateTable("risk.risk")
      .set({
        ...(input.kind === "inherent"
          ? { inherent_likelihood: input.likelihood, inherent_impact: input.impact }
          : { residual_likelihood: input.likelihood, residual_impact: input.impact }),
        ...(reviewed
          ? {
              last_reviewed_at: now,
              next_review_at: new Date(now.getTime() + before.review_cadence_days * DAY),
            }
          : {}),
        updated_at: now,
      })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
    const from = Matrix.rate(
      m,
      input.kind === "inherent" ? before.inherent_likelihood : before.residual_likelihood,
      input.kind === "inherent" ? before.inherent_impact : before.residual_impact,
    )
    await audit({
      action: "risk.rated",
      entityType: "risk",
      entityId: id,
      before: from,
      after: { ...placed, source },
    })
    await emit({
      type: "risk.risk.rated",
      aggregateType: "risk",
      aggregateId: id,
      payload: { kind: input.kind, from: from.band, to: placed.band, score: placed.score, source },
    })
    return toRisk(m, row, now)
  })
}

/** Change a risk's status, owner, controls or cadence. @category constructors @since 0.1.0 */
export const updateRisk = async (
  db: Database,
  ctx: Ctx,
  id: string,
  patch: {
    readonly status?: RiskStatus | undefined
    readonly ownerId?: string | undefined
    readonly controls?: ReadonlyArray<Control> | undefined
    readonly reviewCadenceDays?: number | undefined
  },
  now = new Date(),
): Promise<Risk> =>
  change(db, ctx, async ({ tx, audit }) => {
    const before = await lockRisk(tx, ctx.orgId, id)
    const m = await matrixOf(tx, ctx.orgId, before.matrix_id)
    const row = await tx
      .updateTable("risk.risk")
      .set({
        ...(patch.status ? { status: patch.status } : {}),
        ...(patch.ownerId ? { owner_id: patch.ownerId } : {}),
        ...(patch.controls ? { controls: JSON.stringify(patch.controls) } : {}),
        ...(patch.reviewCadenceDays ? { review_cadence_days: patch.reviewCadenceDays } : {}),
        updated_at: now,
      })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "risk.updated",
      entityType: "risk",
      entityId: id,
      before: { status: before.status },
      after: patch,
    })
    return toRisk(m, row, now)
  })

/** The register, most severe residual rating first. @category constructors @since 0.1.0 */
export const listRisks = async (
  db: Database,
  orgId: string,
  filter: { readonly status?: RiskStatus | undefined; readonly categoryId?: string | undefined } = {},
  now = new Date(),
): Promise<Risk[]> => {
  let q = tables(db).selectFrom("risk.risk").selectAll().where("org_id", "=", orgId)
  if (filter.status) q = q.where("status", "=", filter.status)
  if (filter.categoryId) q = q.where("category_id", "=", filter.categoryId)
  const rows = await q
    .orderBy(sql`residual_likelihood * residual_impact`, "desc")
    .orderBy("number")
    .limit(1000)
    .execute()
  const matrices = new Map((await listMatrices(db, orgId)).map((m) => [m.id, m]))
  return rows.map((r) => toRisk(matrices.get(r.matrix_id)!, r, now))
}

/** One risk with its rating history (oldest first). @category constructors @since 0.1.0 */
export const getRisk = async (db: Database, orgId: string, id: string, now = new Date()) => {
  const r = await tables(db)
    .selectFrom("risk.risk")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "risk", id })
  const m = await matrixOf(db, orgId, r.matrix_id)
  const history = await tables(db)
    .selectFrom("risk.rating")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("risk_id", "=", id)
    .orderBy("rated_at")
    .orderBy("id")
    .execute()
  return {
    ...toRisk(m, r, now),
    matrix: m,
    history: history.map(
      (h): RatingEntry => ({
        id: h.id,
        kind: h.kind,
        likelihood: h.likelihood,
        impact: h.impact,
        score: h.score,
        band: h.band,
        rationale: h.rationale,
        source: h.source,
        roundId: h.round_id,
        kriId: h.kri_id,
        ratedBy: h.rated_by,
        ratedAt: h.rated_at.toISOString(),
      }),
    ),
  }
}

/** Open risks whose review date has passed, the oldest first. @category constructors @since 0.1.0 */
export const overdueReviews = async (db: Database, orgId: string, now = new Date()) =>
  (await listRisks(db, orgId, {}, now))
    .filter((r) => r.reviewOverdue)
    .sort((a, b) => a.nextReviewAt.localeCompare(b.nextReviewAt))
