/**
 * The competency framework in use, the skills matrix (self and supervisor ratings, with history)
 * and the gap analysis (team × area heat map) that training plans start from.
 *
 * @since 0.1.0
 */
import { Errors, Id } from "@tenet/core"
import { type Ctx, change, type Database, tables } from "../db"
import type { RatingSource } from "../migrations/schema"
import { checkFramework, type FrameworkDocument } from "./model"

/** Store a framework (a new version when it exists). @category constructors @since 0.1.0 */
export const saveFramework = async (
  db: Database,
  ctx: Ctx,
  input: unknown,
): Promise<{ id: string; version: number }> => {
  const doc = checkFramework(input)
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const before = await tx
      .selectFrom("culture.framework")
      .select("version")
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", doc.id)
      .forUpdate()
      .executeTakeFirst()
    const version = (before?.version ?? 0) + 1
    await tx
      .insertInto("culture.framework")
      .values({ org_id: ctx.orgId, id: doc.id, version, document: JSON.stringify(doc) })
      .onConflict((oc) =>
        oc.columns(["org_id", "id"]).doUpdateSet({ version, document: JSON.stringify(doc) }),
      )
      .execute()
    await audit({
      action: "culture.framework_saved",
      entityType: "framework",
      entityId: doc.id,
      after: { version },
    })
    await emit({
      type: "culture.framework.saved",
      aggregateType: "framework",
      aggregateId: doc.id,
      payload: { version },
    })
    return { id: doc.id, version }
  })
}

/** The organisation's framework (the most recently saved). @category getters @since 0.1.0 */
export const currentFramework = async (db: Database, orgId: string): Promise<FrameworkDocument | undefined> =>
  (
    await tables(db)
      .selectFrom("culture.framework")
      .select("document")
      .where("org_id", "=", orgId)
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst()
  )?.document

/** Rate a person's proficiency in an area (self or supervisor). @category constructors @since 0.1.0 */
export const rate = async (
  db: Database,
  ctx: Ctx,
  input: { userId: string; skillId: string; source: RatingSource; level: number; note?: string | undefined },
) => {
  const framework = await currentFramework(db, ctx.orgId)
  const issues: Errors.FieldIssue[] = []
  if (!framework?.areas.some((a) => a.id === input.skillId))
    issues.push({ path: ["skillId"], message: "not an area of the framework", code: "unknownArea" })
  if (!Number.isInteger(input.level) || input.level < 0 || input.level > (framework?.levels.length ?? 0))
    issues.push({ path: ["level"], message: "not a level of the framework", code: "invalidValue" })
  if (input.source === "self" && ctx.actor.id !== input.userId)
    issues.push({ path: ["source"], message: "a self-assessment is made by the person", code: "notSelf" })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid rating", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const id = Id.make("rat")
    await tx
      .insertInto("culture.rating")
      .values({
        org_id: ctx.orgId,
        id,
        user_id: input.userId,
        skill_id: input.skillId,
        source: input.source,
        level: input.level,
        rated_by: ctx.actor.id,
        note: input.note ?? null,
      })
      .execute()
    await audit({
      action: "culture.rated",
      entityType: "person",
      entityId: input.userId,
      after: { ...input },
    })
    return { id }
  })
}

/** A person's ratings, newest first (the history). @category getters @since 0.1.0 */
export const ratingHistory = async (db: Database, orgId: string, userId: string) =>
  tables(db)
    .selectFrom("culture.rating")
    .select(["id", "skill_id", "source", "level", "rated_by", "note", "rated_at"])
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .orderBy("rated_at", "desc")
    .execute()

/** One cell of the skills matrix. @category models @since 0.1.0 */
export interface MatrixCell {
  readonly userId: string
  readonly skillId: string
  readonly self: number | null
  readonly supervisor: number | null
  /** The level that counts: the supervisor's rating, else the self-assessment. */
  readonly level: number | null
}

/** The skills matrix: each person's latest self and supervisor rating per area. @category getters @since 0.1.0 */
export const skillsMatrix = async (db: Database, orgId: string): Promise<MatrixCell[]> => {
  const rows = await tables(db)
    .selectFrom("culture.rating")
    .select(["user_id", "skill_id", "source", "level", "rated_at"])
    .where("org_id", "=", orgId)
    .orderBy("rated_at", "asc")
    .execute()
  const cells = new Map<
    string,
    { userId: string; skillId: string; self: number | null; supervisor: number | null }
  >()
  for (const r of rows) {
    const key = `${r.user_id}\u0000${r.skill_id}`
    const c = cells.get(key) ?? { userId: r.user_id, skillId: r.skill_id, self: null, supervisor: null }
    c[r.source] = r.level
    cells.set(key, c)
  }
  return [...cells.values()].map((c) => ({ ...c, level: c.supervisor ?? c.self }))
}

/** The level a member of a team at a level needs in an area (the highest requirement that applies). */
export const requiredLevel = (framework: FrameworkDocument, area: string, team: string, role: string) =>
  Math.max(
    0,
    ...framework.requirements
      .filter(
        (r) =>
          r.area === area &&
          (r.queue === undefined || r.queue === team) &&
          (r.role === undefined || r.role === role),
      )
      .map((r) => r.level),
  )

/** One cell of the heat map. @category models @since 0.1.0 */
export interface GapCell {
  readonly teamId: string
  readonly skillId: string
  /** Mean shortfall (required − current, at least 0) over the team's current members; unrated counts as 0. */
  readonly meanGap: number
  /** Members below the required level. */
  readonly below: number
  readonly n: number
}

/**
 * Gap analysis: for each team and area, how far the current members are below what is required.
 * @category getters
 * @since 0.1.0
 */
export const gapAnalysis = async (db: Database, orgId: string, at: Date = new Date()): Promise<GapCell[]> => {
  const framework = await currentFramework(db, orgId)
  if (!framework) return []
  const today = at.toISOString().slice(0, 10)
  const members = await tables(db)
    .selectFrom("core.team_member")
    .select(["team_id", "user_id", "level"])
    .where("org_id", "=", orgId)
    .where((eb) => eb.or([eb("left_on", "is", null), eb("left_on", ">", today)]))
    .execute()
  const levels = new Map(
    (await skillsMatrix(db, orgId)).map((c) => [`${c.userId}\u0000${c.skillId}`, c.level ?? 0]),
  )
  const cells: GapCell[] = []
  for (const teamId of [...new Set(members.map((m) => m.team_id))].sort())
    for (const area of framework.areas) {
      const gaps = members
        .filter((m) => m.team_id === teamId)
        .map((m) =>
          Math.max(
            0,
            requiredLevel(framework, area.id, teamId, m.level) -
              (levels.get(`${m.user_id}\u0000${area.id}`) ?? 0),
          ),
        )
      cells.push({
        teamId,
        skillId: area.id,
        meanGap: gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : 0,
        below: gaps.filter((g) => g > 0).length,
        n: gaps.length,
      })
    }
  return cells
}

/** A person's gaps: the areas where they are below what their teams require. @category getters @since 0.1.0 */
export const personGaps = async (db: Database, orgId: string, userId: string, at: Date = new Date()) => {
  const framework = await currentFramework(db, orgId)
  if (!framework) return []
  const today = at.toISOString().slice(0, 10)
  const memberships = await tables(db)
    .selectFrom("core.team_member")
    .select(["team_id", "level"])
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .where((eb) => eb.or([eb("left_on", "is", null), eb("left_on", ">", today)]))
    .execute()
  const levels = new Map(
    (await skillsMatrix(db, orgId)).filter((c) => c.userId === userId).map((c) => [c.skillId, c.level ?? 0]),
  )
  return framework.areas
    .map((a) => {
      const required = Math.max(
        0,
        ...memberships.map((m) => requiredLevel(framework, a.id, m.team_id, m.level)),
      )
      return {
        skillId: a.id,
        required,
        current: levels.get(a.id) ?? 0,
        gap: Math.max(0, required - (levels.get(a.id) ?? 0)),
      }
    })
    .filter((g) => g.gap > 0)
}
