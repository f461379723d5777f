/**
 * Recognition: kudos between people (linked to a case), the recognition wall, and points with a
 * ranking that respects each person's privacy (`culture.person.rankings_visible`: hidden people
 * count but appear without their name).
 *
 * @since 0.1.0
 */
import { Errors, Id } from "@tenet/core"
import { sql } from "kysely"
import { type Ctx, change, type Database, tables } from "./db"

/** Give kudos. @category constructors @since 0.1.0 */
export const giveKudos = async (
  db: Database,
  ctx: Ctx,
  input: { toUser: string; message: string; caseId?: string | undefined; points?: number | undefined },
) => {
  const issues: Errors.FieldIssue[] = []
  if (input.toUser === ctx.actor.id)
    issues.push({ path: ["toUser"], message: "kudos go to someone else", code: "selfKudos" })
  if (!input.message.trim()) issues.push({ path: ["message"], message: "required", code: "required" })
  const points = input.points ?? 1
  if (!Number.isInteger(points) || points < 1 || points > 10)
    issues.push({ path: ["points"], message: "from 1 to 10", code: "invalidValue" })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid kudos", issues })
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const id = Id.make("kud")
    await tx
      .insertInto("culture.kudos")
      .values({
        org_id: ctx.orgId,
        id,
        from_user: ctx.actor.id,
        to_user: input.toUser,
        message: input.message.trim(),
        case_id: input.caseId ?? null,
        points,
      })
      .execute()
    await audit({
      action: "culture.kudos_given",
      entityType: "person",
      entityId: input.toUser,
      after: { id, ...input },
    })
    await emit({
      type: "culture.kudos.given",
      aggregateType: "person",
      aggregateId: input.toUser,
      payload: { id, from: ctx.actor.id, caseId: input.caseId ?? null },
    })
    return { id }
  })
}

/** The wall: the latest kudos (for one person when given). @category getters @since 0.1.0 */
export const wall = async (db: Database, orgId: string, options: { toUser?: string; limit?: number } = {}) =>
  tables(db)
    .selectFrom("culture.kudos")
    .select(["id", "from_user", "to_user", "message", "case_id", "points", "created_at"])
    .where("org_id", "=", orgId)
    .$if(Boolean(options.toUser), (q) => q.where("to_user", "=", options.toUser!))
    .orderBy("created_at", "desc")
    .limit(options.limit ?? 100)
    .execute()

/**
 * Points per person since `from` — kudos points and incentive points from rules
 * (`Incentives`) — highest first; people who hid their ranking appear as
 * `{ userId: null, hidden: true }` unless the viewer is that person.
 * @category getters
 * @since 0.1.0
 */
export const ranking = async (db: Database, orgId: string, viewerId: string, from: Date) => {
  const rows = (
    await sql<{
      user_id: string
      rankings_visible: boolean | null
      kudos_points: string
      kudos: string
      incentive_points: string
    }>`with pts as (
        select to_user as user_id, points as kp, 1 as kn, 0 as ip from culture.kudos
          where org_id = ${orgId} and created_at >= ${from}
        union all
        select user_id, 0, 0, points from culture.incentive_award
          where org_id = ${orgId} and awarded_at >= ${from}
      )
      select pts.user_id, p.rankings_visible, sum(pts.kp) as kudos_points, sum(pts.kn) as kudos,
        sum(pts.ip) as incentive_points
      from pts left join culture.person p on p.org_id = ${orgId} and p.user_id = pts.user_id
      group by pts.user_id, p.rankings_visible
      order by sum(pts.kp) + sum(pts.ip) desc, pts.user_id`.execute(db.kysely)
  ).rows
  return rows.map((r, i) => {
    const visible = r.rankings_visible !== false || r.user_id === viewerId
    return {
      rank: i + 1,
      userId: visible ? r.user_id : null,
      hidden: !visible,
      points: Number(r.kudos_points) + Number(r.incentive_points),
      kudos: Number(r.kudos),
      incentivePoints: Number(r.incentive_points),
    }
  })
}
