/**
 * Management reviews (ISO 9001 §9.3, COPC's periodic performance review): the period, a
 * snapshot of each standard's compliance in it (its latest evaluation inside the period), the
 * improvement cycles open at the time, risks, decisions and attendees. A review is a record: it
 * is written once and never changes, so it keeps what was known when it was held.
 *
 * @since 0.2.0
 */
import { Change, type Db, Errors, Id, type Tenancy } from "@tenet/core"
import { type Kysely, sql } from "kysely"
import type {
  ManagementReviewTable,
  ReviewCompliance,
  ReviewCycle,
  ReviewDecision,
  StandardsReviewTables,
} from "./migrations/schema-reviews"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

/** @category models @since 0.2.0 */
export interface ReviewInput {
  readonly title: string
  readonly from: Date
  readonly to: Date
  readonly heldAt?: Date | undefined
  /** The cycles open now (the API reads them from the process module). */
  readonly openCycles: ReadonlyArray<ReviewCycle>
  /** Risk ids or free text (the risk register is a later module). */
  readonly risks: ReadonlyArray<string>
  readonly decisions: ReadonlyArray<ReviewDecision>
  readonly attendees: ReadonlyArray<string>
  readonly notes?: string | undefined
}

const toReview = (
  r: {
    [K in keyof ManagementReviewTable]: K extends "compliance"
      ? ReviewCompliance[]
      : K extends "open_cycles"
        ? ReviewCycle[]
        : K extends "decisions"
          ? ReviewDecision[]
          : K extends "risks" | "attendees"
            ? string[]
            : K extends "period_from" | "period_to" | "held_at" | "created_at"
              ? Date
              : ManagementReviewTable[K]
  },
) => ({
  id: r.id,
  title: r.title,
  from: r.period_from,
  to: r.period_to,
  heldAt: r.held_at,
  compliance: r.compliance,
  openCycles: r.open_cycles,
  risks: r.risks,
  decisions: r.decisions,
  attendees: r.attendees,
  notes: r.notes,
  createdBy: r.created_by,
  createdAt: r.created_at,
})
/** @category models @since 0.2.0 */
export type Review = ReturnType<typeof toReview>

/**
 * Each standard's latest evaluation whose period lies inside [from, to] (null when none).
 * @category constructors
 * @since 0.2.0
 */
export const complianceSnapshot = async (
  db: Database | { kysely: Db.Database["kysely"] },
  orgId: string,
  from: Date,
  to: Date,
): Promise<ReviewCompliance[]> => {
  const r = await sql<{
    id: string
    title: unknown
    evaluation_id: string | null
    version: number | null
    period_from: Date | null
    period_to: Date | null
    summary: ReviewCompliance["summary"]
  }>`select s.id, s.title, e.id as evaluation_id, e.version, e.period_from, e.period_to, e.summary
    from standards.standard s
    left join lateral (select * from standards.evaluation e where e.org_id = s.org_id and e.standard_id = s.id
      and e.period_from >= ${from} and e.period_to <= ${to} order by e.period_to desc, e.created_at desc limit 1) e on true
    where s.org_id = ${orgId} order by s.created_at, s.id`.execute(db.kysely)
  return r.rows.map((x) => ({
    standardId: x.id,
    title: x.title,
    evaluationId: x.evaluation_id,
    version: x.version,
    from: x.period_from ? new Date(x.period_from).toISOString() : null,
    to: x.period_to ? new Date(x.period_to).toISOString() : null,
    summary: x.summary,
  }))
}

/** Record a management review. @category constructors @since 0.2.0 */
export const createReview = async (db: Database, ctx: Ctx, input: ReviewInput): Promise<Review> => {
  if (!(input.from < input.to))
    throw new Errors.ValidationError({
      message: "invalid period",
      issues: [{ path: ["to"], message: "must be after from", code: "after", params: { other: "from" } }],
    })
  return Change.change(db, ctx, async ({ tx, audit, emit }) => {
    const compliance = await complianceSnapshot({ kysely: tx }, ctx.orgId, input.from, input.to)
    const id = Id.make("mrev")
    const row = await (tx as unknown as Kysely<StandardsReviewTables>)
      .insertInto("standards.management_review")
      .values({
        org_id: ctx.orgId,
        id,
        title: input.title,
        period_from: input.from,
        period_to: input.to,
        held_at: input.heldAt ?? new Date(),
        compliance: JSON.stringify(compliance),
        open_cycles: JSON.stringify(input.openCycles),
        risks: JSON.stringify(input.risks),
        decisions: JSON.stringify(input.decisions),
        attendees: JSON.stringify(input.attendees),
        notes: input.notes ?? null,
        created_by: ctx.actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "management_review.recorded",
      entityType: "management_review",
      entityId: id,
      after: { title: input.title, from: input.from.toISOString(), to: input.to.toISOString() },
    })
    await emit({
      type: "standards.management_review.recorded",
      aggregateType: "management_review",
      aggregateId: id,
      payload: { title: input.title, from: input.from.toISOString(), to: input.to.toISOString() },
    })
    return toReview(row as never)
  })
}

/** Reviews, newest first. @category constructors @since 0.2.0 */
export const listReviews = async (db: Database, orgId: string): Promise<Review[]> =>
  (
    await db
      .as<StandardsReviewTables>()
      .selectFrom("standards.management_review")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("held_at", "desc")
      .limit(200)
      .execute()
  ).map((r) => toReview(r as never))

/** @category constructors @since 0.2.0 */
export const getReview = async (db: Database, orgId: string, id: string): Promise<Review> => {
  const r = await db
    .as<StandardsReviewTables>()
    .selectFrom("standards.management_review")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "management_review", id })
  return toReview(r as never)
}
