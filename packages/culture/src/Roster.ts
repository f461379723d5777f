/**
 * The roster: each agent's start and leave dates, languages and ranking privacy (teams and levels
 * are core's `Teams`). Attrition is read from it.
 *
 * @since 0.1.0
 */
import { Errors } from "@tenet/core"
import { type Ctx, change, type Database, tables } from "./db"

/** @category models @since 0.1.0 */
export interface PersonInput {
  readonly userId: string
  readonly displayName: string
  readonly startedOn: string
  readonly leftOn?: string | null | undefined
  readonly languages?: ReadonlyArray<string> | undefined
  readonly rankingsVisible?: boolean | undefined
}

/** Add or change a person on the roster. @category constructors @since 0.1.0 */
export const savePerson = async (db: Database, ctx: Ctx, input: PersonInput) => {
  if (input.leftOn && input.leftOn < input.startedOn)
    throw new Errors.ValidationError({
      message: "invalid person",
      issues: [{ path: ["leftOn"], message: "not before the start", code: "leftBeforeStarted" }],
    })
  return change(db, ctx, async ({ tx, audit }) => {
    const row = {
      display_name: input.displayName,
      started_on: input.startedOn,
      left_on: input.leftOn ?? null,
      languages: JSON.stringify(input.languages ?? []),
      rankings_visible: input.rankingsVisible ?? true,
    }
    await tx
      .insertInto("culture.person")
      .values({ org_id: ctx.orgId, user_id: input.userId, ...row })
      .onConflict((oc) => oc.columns(["org_id", "user_id"]).doUpdateSet(row))
      .execute()
    await audit({
      action: "culture.person_saved",
      entityType: "person",
      entityId: input.userId,
      after: input,
    })
    return input
  })
}

/** The roster with each person's teams. @category getters @since 0.1.0 */
export const roster = async (db: Database, orgId: string) => {
  const people = await tables(db)
    .selectFrom("culture.person")
    .selectAll()
    .where("org_id", "=", orgId)
    .orderBy("display_name")
    .execute()
  const members = await tables(db)
    .selectFrom("core.team_member")
    .selectAll()
    .where("org_id", "=", orgId)
    .execute()
  return people.map((p) => ({
    userId: p.user_id,
    displayName: p.display_name,
    startedOn: p.started_on,
    leftOn: p.left_on,
    languages: p.languages,
    rankingsVisible: p.rankings_visible,
    teams: members
      .filter((m) => m.user_id === p.user_id)
      .map((m) => ({ teamId: m.team_id, level: m.level, leftOn: m.left_on })),
  }))
}
