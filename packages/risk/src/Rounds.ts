/**
 * Periodic assessment: a round is opened, each risk is rated in it with a rationale (which counts as its
 * review), and the round is closed; the round shows which open risks it has not yet rated.
 *
 * @since 0.1.0
 */
import { Errors, Id } from "@tenet/core"
import * as Register from "./Register"
import { actorOf, type Ctx, change, type Database, tables } from "./store"

/** Open an assessment round. @category constructors @since 0.1.0 */
export const openRound = async (db: Database, ctx: Ctx, title: string) => {
  if (!title.trim())
    throw new Errors.ValidationError({
      message: "invalid round",
      issues: [{ path: ["title"], message: "must not be empty", code: "required" }],
    })
  return change(db, ctx, async ({ tx, audit }) => {
    const id = Id.make("rnd")
    await tx
      .insertInto("risk.round")
      .values({ org_id: ctx.orgId, id, title: title.trim(), opened_by: actorOf(ctx) })
      .execute()
    await audit({ action: "risk.round.opened", entityType: "risk_round", entityId: id, after: { title } })
    return { id, title: title.trim(), status: "open" as const }
  })
}

const openRoundRow = async (db: Database, orgId: string, id: string) => {
  const r = await tables(db)
    .selectFrom("risk.round")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "risk_round", id })
  return r
}

/** Rate a risk in a round (residual by default). @category constructors @since 0.1.0 */
export const rateInRound = async (
  db: Database,
  ctx: Ctx,
  roundId: string,
  riskId: string,
  input: { kind?: "inherent" | "residual"; likelihood: number; impact: number; rationale: string },
  now = new Date(),
) => {
  const round = await openRoundRow(db, ctx.orgId, roundId)
  if (round.status !== "open")
    throw new Errors.ConflictError({
      message: `round ${roundId} is closed`,
      field: "roundId",
      code: "roundClosed",
    })
  return Register.rateRisk(
    db,
    ctx,
    riskId,
    { ...input, kind: input.kind ?? "residual", source: "round", roundId },
    now,
  )
}

/** Close a round. @category constructors @since 0.1.0 */
export const closeRound = async (db: Database, ctx: Ctx, roundId: string, now = new Date()) =>
  change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .updateTable("risk.round")
      .set({ status: "closed", closed_at: now })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", roundId)
      .where("status", "=", "open")
      .returning("id")
      .executeTakeFirst()
    if (!r)
      throw new Errors.ConflictError({
        message: `round ${roundId} is not open`,
        field: "roundId",
        code: "roundClosed",
      })
    await audit({ action: "risk.round.closed", entityType: "risk_round", entityId: roundId })
    return { id: roundId, status: "closed" as const }
  })

/** Rounds, newest first, with how many open risks each has rated and which it has not. @category constructors @since 0.1.0 */
export const listRounds = async (db: Database, orgId: string) => {
  const t = tables(db)
  const rounds = await t
    .selectFrom("risk.round")
    .selectAll()
    .where("org_id", "=", orgId)
    .orderBy("opened_at", "desc")
    .execute()
  const open = await t
    .selectFrom("risk.risk")
    .select("id")
    .where("org_id", "=", orgId)
    .where("status", "<>", "closed")
    .execute()
  const rated = await t
    .selectFrom("risk.rating")
    .select(["round_id", "risk_id"])
    .distinct()
    .where("org_id", "=", orgId)
    .where("round_id", "is not", null)
    .execute()
  return rounds.map((r) => {
    const done = new Set(rated.filter((x) => x.round_id === r.id).map((x) => x.risk_id))
    return {
      id: r.id,
      title: r.title,
      status: r.status,
      openedBy: r.opened_by,
      openedAt: r.opened_at.toISOString(),
      closedAt: r.closed_at?.toISOString() ?? null,
      rated: done.size,
      notRated: open.filter((o) => !done.has(o.id)).map((o) => o.id),
    }
  })
}
