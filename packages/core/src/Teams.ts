/**
 * Teams: the organisation's structure every module refers to by id. A team is the queue cases
 * are routed to (`process.case.team` holds its id); it has a name in both languages, a leader, the
 * channels and case types it serves, and members at a level (seed 002 §4.1: team leader, project
 * manager, service specialist). A team's id is its stable key (`technical`, `complaints`), chosen
 * when it is created; cases that name a team that does not exist yet create it (`ensure`), so
 * every team on a case is a record.
 *
 * @since 0.6.0
 */
import { sql } from "kysely"
import { change } from "./Change"
import type { Database, Executor } from "./Db"
import { ConflictError, type FieldIssue, NotFoundError, ValidationError } from "./Errors"
import type { TeamLevel } from "./migrations/schema"
import type { OrgContext } from "./Tenancy"

/** @category models @since 0.6.0 */
export const LEVELS: ReadonlyArray<TeamLevel> = ["team_leader", "project_manager", "service_specialist"]

/** A team. @category models @since 0.6.0 */
export interface Team {
  readonly id: string
  readonly name: { readonly "zh-CN": string; readonly en: string }
  readonly leaderId: string | null
  readonly channels: ReadonlyArray<string>
  readonly queues: ReadonlyArray<string>
  readonly active: boolean
}

/** A person in a team. @category models @since 0.6.0 */
export interface TeamMember {
  readonly teamId: string
  readonly userId: string
  readonly level: TeamLevel
  readonly joinedOn: string
  readonly leftOn: string | null
}

/** What creating or changing a team takes. @category models @since 0.6.0 */
export interface TeamInput {
  readonly id: string
  readonly name: { readonly "zh-CN": string; readonly en: string }
  readonly leaderId?: string | null | undefined
  readonly channels?: ReadonlyArray<string> | undefined
  readonly queues?: ReadonlyArray<string> | undefined
  readonly active?: boolean | undefined
}

const ID = /^[\p{L}\p{N}][\p{L}\p{N}_.:-]{0,199}$/u

const toTeam = (row: Row): Team => {
  return {
    id: row.id,
    name: { "zh-CN": row.name_zh, en: row.name_en },
    leaderId: row.leader_id,
    channels: row.channels,
    queues: row.queues,
    active: row.active,
  }
}
interface Row {
  id: string
  name_zh: string
  name_en: string
  leader_id: string | null
  channels: ReadonlyArray<string>
  queues: ReadonlyArray<string>
  active: boolean
}

const check = (input: TeamInput): FieldIssue[] => {
  const issues: FieldIssue[] = []
  if (!ID.test(input.id))
    issues.push({
      path: ["id"],
      message: "a team id is letters, digits, _ . : - (at most 200)",
      code: "invalidTeamId",
    })
  for (const lang of ["zh-CN", "en"] as const)
    if (!input.name[lang]?.trim())
      issues.push({ path: ["name", lang], message: "required", code: "required" })
  return issues
}

/** Every team of the organisation, by id. @category getters @since 0.6.0 */
export const list = async (db: Database, orgId: string): Promise<Team[]> =>
  (
    await db.kysely
      .selectFrom("core.team")
      .select(["id", "name_zh", "name_en", "leader_id", "channels", "queues", "active"])
      .where("org_id", "=", orgId)
      .orderBy("id")
      .execute()
  ).map(toTeam)

/** One team. @category getters @since 0.6.0 */
export const get = async (db: Database, orgId: string, id: string): Promise<Team> => {
  const row = await db.kysely
    .selectFrom("core.team")
    .select(["id", "name_zh", "name_en", "leader_id", "channels", "queues", "active"])
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!row) throw new NotFoundError({ entity: "team", id })
  return toTeam(row)
}

/** Create a team, or change one (same id). @category constructors @since 0.6.0 */
export const save = async (db: Database, ctx: OrgContext, input: TeamInput): Promise<Team> => {
  const issues = check(input)
  if (issues.length) throw new ValidationError({ message: "invalid team", issues })
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const before = await tx
      .selectFrom("core.team")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", input.id)
      .forUpdate()
      .executeTakeFirst()
    const row = {
      name_zh: input.name["zh-CN"].trim(),
      name_en: input.name.en.trim(),
      leader_id: input.leaderId ?? null,
      channels: JSON.stringify(input.channels ?? []),
      queues: JSON.stringify(input.queues ?? []),
      active: input.active ?? true,
    }
    const saved = await tx
      .insertInto("core.team")
      .values({ org_id: ctx.orgId, id: input.id, ...row })
      .onConflict((oc) => oc.columns(["org_id", "id"]).doUpdateSet({ ...row, updated_at: new Date() }))
      .returning(["id", "name_zh", "name_en", "leader_id", "channels", "queues", "active"])
      .executeTakeFirstOrThrow()
    const team = toTeam(saved)
    await audit({
      action: before ? "team.updated" : "team.created",
      entityType: "team",
      entityId: input.id,
      before: before ? toTeam(before) : null,
      after: team,
    })
    await emit({
      type: before ? "core.team.updated" : "core.team.created",
      aggregateType: "team",
      aggregateId: input.id,
      payload: team,
    })
    return team
  })
}

/**
 * Make sure the teams named exist (a case routed to a team nobody created yet: the team is created
 * with its id as its name). Runs inside the caller's transaction. @category constructors @since 0.6.0
 */
export const ensure = async (tx: Executor, orgId: string, ids: ReadonlyArray<string | null | undefined>) => {
  // a value past 200 characters (stored before intake refused them) is no team's key
  const distinct = [
    ...new Set(ids.filter((id): id is string => typeof id === "string" && id.length > 0 && id.length <= 200)),
  ]
  if (!distinct.length) return
  await sql`insert into core.team (org_id, id, name_zh, name_en)
    select ${orgId}, t, t, t from jsonb_array_elements_text(${JSON.stringify(distinct)}::jsonb) t
    on conflict (org_id, id) do nothing`.execute(tx)
}

/** The members of a team (current and past). @category getters @since 0.6.0 */
export const members = async (db: Database, orgId: string, teamId?: string): Promise<TeamMember[]> => {
  let q = db.kysely.selectFrom("core.team_member").selectAll().where("org_id", "=", orgId)
  if (teamId) q = q.where("team_id", "=", teamId)
  return (await q.orderBy("team_id").orderBy("user_id").execute()).map((r) => ({
    teamId: r.team_id,
    userId: r.user_id,
    level: r.level,
    joinedOn: r.joined_on,
    leftOn: r.left_on,
  }))
}

/** Put a person in a team at a level (or change the level, or record that they left). @category constructors @since 0.6.0 */
export const setMember = async (
  db: Database,
  ctx: OrgContext,
  input: {
    readonly teamId: string
    readonly userId: string
    readonly level: TeamLevel
    readonly joinedOn?: string
    readonly leftOn?: string | null
  },
): Promise<TeamMember> => {
  if (!LEVELS.includes(input.level))
    throw new ValidationError({
      message: "invalid member",
      issues: [{ path: ["level"], message: `must be one of ${LEVELS.join(", ")}`, code: "invalidEnum" }],
    })
  return change(db, ctx, async ({ tx, audit }) => {
    const team = await tx
      .selectFrom("core.team")
      .select("id")
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", input.teamId)
      .executeTakeFirst()
    if (!team) throw new NotFoundError({ entity: "team", id: input.teamId })
    if (input.leftOn && input.joinedOn && input.leftOn < input.joinedOn)
      throw new ConflictError({ message: "left before joining", field: "leftOn", code: "leftBeforeJoined" })
    const values = {
      level: input.level,
      left_on: input.leftOn ?? null,
      ...(input.joinedOn ? { joined_on: input.joinedOn } : {}),
    }
    const r = await tx
      .insertInto("core.team_member")
      .values({ org_id: ctx.orgId, team_id: input.teamId, user_id: input.userId, ...values })
      .onConflict((oc) => oc.columns(["org_id", "team_id", "user_id"]).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow()
    const member = {
      teamId: r.team_id,
      userId: r.user_id,
      level: r.level,
      joinedOn: r.joined_on,
      leftOn: r.left_on,
    }
    await audit({
      action: "team.member_set",
      entityType: "team",
      entityId: input.teamId,
      before: null,
      after: member,
    })
    return member
  })
}
