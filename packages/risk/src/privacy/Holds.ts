/**
 * Legal holds: a customer, a case or a whole data class whose rows no purge removes (retention
 * schedule and erasure requests alike) until the hold is released.
 *
 * @since 0.7.0
 */
import { DataClasses, Id } from "@tenet/core"
import type { HoldScope } from "../migrations/privacySchema"
import { type Ctx, change, type Database, type Q } from "../store"

/** @category models @since 0.7.0 */
export interface Hold {
  readonly id: string
  readonly scope: HoldScope
  readonly target: string
  readonly reason: string
  readonly placedBy: string
  readonly placedAt: Date
  readonly releasedBy: string | null
  readonly releasedAt: Date | null
}

/** A hold on a class that is not declared. @category models @since 0.7.0 */
export class UnknownClass extends Error {
  readonly _tag = "UnknownClass"
}

const toHold = (r: {
  id: string
  scope: HoldScope
  target: string
  reason: string
  placed_by: string
  placed_at: Date
  released_by: string | null
  released_at: Date | null
}): Hold => ({
  id: r.id,
  scope: r.scope,
  target: r.target,
  reason: r.reason,
  placedBy: r.placed_by,
  placedAt: r.placed_at,
  releasedBy: r.released_by,
  releasedAt: r.released_at,
})

/** Place a hold. @category constructors @since 0.7.0 */
export const place = async (
  db: Database,
  ctx: Ctx,
  input: { readonly scope: HoldScope; readonly target: string; readonly reason: string },
): Promise<Hold> => {
  // async: an unknown class is a rejected promise the caller's `.catch` turns into a 400, not a throw
  if (input.scope === "class" && !DataClasses.get(input.target)) throw new UnknownClass(input.target)
  return change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .insertInto("risk.privacy_hold")
      .values({
        org_id: ctx.orgId,
        id: Id.make("hold"),
        scope: input.scope,
        target: input.target,
        reason: input.reason,
        placed_by: ctx.actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "privacy.hold.placed",
      entityType: "privacy_hold",
      entityId: row.id,
      after: toHold(row),
    })
    return toHold(row)
  })
}

/** Release a hold (null when there is no active hold with that id). @category constructors @since 0.7.0 */
export const release = (db: Database, ctx: Ctx, holdId: string): Promise<Hold | null> =>
  change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .updateTable("risk.privacy_hold")
      .set({ released_at: new Date(), released_by: ctx.actor.id })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", holdId)
      .where("released_at", "is", null)
      .returningAll()
      .executeTakeFirst()
    if (!row) return null
    await audit({
      action: "privacy.hold.released",
      entityType: "privacy_hold",
      entityId: row.id,
      after: toHold(row),
    })
    return toHold(row)
  })

/** Holds of an organisation (active first, newest first). @category getters @since 0.7.0 */
export const list = async (q: Q, orgId: string, options: { readonly active?: boolean } = {}) => {
  let query = q.selectFrom("risk.privacy_hold").selectAll().where("org_id", "=", orgId)
  if (options.active) query = query.where("released_at", "is", null)
  return (await query.orderBy("placed_at", "desc").orderBy("id", "desc").limit(1000).execute()).map(toHold)
}
