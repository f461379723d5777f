/**
 * Improvement cycles → lessons and awards: when a cycle closes (`process.cycle.closed`), culture
 * proposes a lessons-learned entry linked to it (a success when the check verified the effect, a
 * failure when it did not), and when the effect was verified, an improvement award (kudos with
 * points) to the cycle's owner. Once per cycle.
 *
 * @since 0.1.0
 */
import { Id, type Outbox, Tenancy } from "@tenet/core"
import { change, type Database } from "./db"
import { grams } from "./knowledge/grams"

interface ClosedPayload {
  readonly title?: string
  readonly ownerId?: string | null
  readonly verdict?: string | null
  readonly lessons?: string
}

/** The points of an improvement award. @category models @since 0.1.0 */
export const AWARD_POINTS = 5

/** Handle one closed cycle; returns what was proposed. @category constructors @since 0.1.0 */
export const onCycleClosed = async (db: Database, event: Outbox.DomainEvent) => {
  const p = event.payload as ClosedPayload
  const verified = p.verdict === "worked"
  if (!p.lessons?.trim() && !p.verdict) return { lesson: null, award: false }
  const ctx = Tenancy.system(event.orgId, "culture")
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const existing = await tx
      .selectFrom("culture.article")
      .select("id")
      .where("org_id", "=", event.orgId)
      .where("cycle_id", "=", event.aggregateId)
      .executeTakeFirst()
    if (existing) return { lesson: existing.id, award: false }
    const id = Id.make("art")
    const title = `${p.title ?? event.aggregateId}`
    const body =
      p.lessons?.trim() ||
      (verified
        ? "改进经验证有效。 The improvement's effect was verified."
        : "改进效果未得到验证。 The effect was not shown.")
    const outcome = verified || p.verdict === "improved_not_at_target" ? "success" : "failure"
    await tx
      .insertInto("culture.article")
      .values({
        org_id: event.orgId,
        id,
        kind: "lesson",
        title,
        body,
        owner_id: p.ownerId ?? "system",
        outcome,
        cycle_id: event.aggregateId,
        grams: grams(`${title}\n${body}`),
      })
      .execute()
    await tx
      .insertInto("culture.article_version")
      .values({ org_id: event.orgId, article_id: id, version: 1, title, body, edited_by: "culture" })
      .execute()
    await audit({
      action: "culture.lesson_proposed",
      entityType: "article",
      entityId: id,
      after: { cycleId: event.aggregateId, outcome },
    })
    let award = false
    if (verified && p.ownerId) {
      await tx
        .insertInto("culture.kudos")
        .values({
          org_id: event.orgId,
          id: Id.make("kud"),
          from_user: "system",
          to_user: p.ownerId,
          message: `改进奖 · Improvement award: ${title}`,
          case_id: null,
          points: AWARD_POINTS,
        })
        .execute()
      await audit({
        action: "culture.improvement_award",
        entityType: "person",
        entityId: p.ownerId,
        after: { cycleId: event.aggregateId, points: AWARD_POINTS },
      })
      await emit({
        type: "culture.award.given",
        aggregateType: "person",
        aggregateId: p.ownerId,
        payload: { cycleId: event.aggregateId },
      })
      award = true
    }
    return { lesson: id, award }
  })
}

/** The outbox handler. @category constructors @since 0.1.0 */
export const cycleClosedHandler: Outbox.EventHandler = {
  name: "culture.cycle-lessons",
  types: ["process.cycle.closed"],
  handle: async (event, db) => {
    await onCycleClosed(db, event)
  },
}
