/** Memberships: a role per (organisation, user); members listed, added, re-roled and removed. */
import { Errors, type Tenancy } from "@tenet/core"
import { forgetVerifiedKeys } from "./apikeys"
import { change, type Database, type IamDb, tables } from "./db"
import { assertMayGrant } from "./grants"

type OrgContext = Tenancy.OrgContext
type Role = Tenancy.Role

const { ValidationError, ConflictError, NotFoundError } = Errors

export interface Membership {
  readonly orgId: string
  readonly slug: string
  readonly name: string
  readonly role: Role
  readonly timeZone: string
  readonly locale: string
}

/** The organisations a user belongs to, each with its role (core's organisation row read by the API). */
export const membershipsOf = async (db: Database, userId: string): Promise<Membership[]> => {
  const r = await tables(db)
    .selectFrom("iam.membership as m")
    .innerJoin("core.organization as o", "o.id", "m.org_id")
    .select(["o.id", "o.slug", "o.name", "o.time_zone", "o.locale", "m.role"])
    .where("m.user_id", "=", userId)
    .orderBy("o.name")
    .execute()
  return r.map((x) => ({
    orgId: x.id,
    slug: x.slug,
    name: x.name,
    role: x.role,
    timeZone: x.time_zone,
    locale: x.locale,
  }))
}

/** Whether a user is a member of an organisation (an owner or assignee must be). */
export const isMember = async (db: Database, orgId: string, userId: string): Promise<boolean> =>
  (await roleOf(db, orgId, userId)) !== undefined

/**
 * Refuse an owner who is not a member of the organisation (another organisation's user id, or
 * none at all): a 400 naming the field. Process does not know the people of an organisation;
 * the API, which does, checks before it asks process to assign.
 */
export const requireMember = async (
  db: Database,
  orgId: string,
  userId: string | null | undefined,
  path: ReadonlyArray<string>,
) => {
  if (userId === null || userId === undefined) return
  if (!(await isMember(db, orgId, userId)))
    throw new ValidationError({
      message: "not a member of this organisation",
      issues: [{ path, message: "is not a member of this organisation", code: "notAMember" }],
    })
}

export interface Member {
  readonly userId: string
  readonly email: string
  readonly name: string
  readonly role: Role
  readonly joinedAt: Date
}

export const listMembers = async (db: Database, orgId: string): Promise<Member[]> => {
  const r = await tables(db)
    .selectFrom("iam.membership as m")
    .innerJoin("iam.user as u", "u.id", "m.user_id")
    .select(["u.id", "u.email", "u.name", "m.role", "m.created_at"])
    .where("m.org_id", "=", orgId)
    .orderBy("u.name")
    .orderBy("u.email")
    .execute()
  return r.map((x) => ({
    userId: x.id,
    email: x.email,
    name: x.name,
    role: x.role,
    joinedAt: x.created_at,
  }))
}

/** A user's role in an organisation, or undefined when not a member. */
export const roleOf = async (db: Database, orgId: string, userId: string): Promise<Role | undefined> =>
  (
    await tables(db)
      .selectFrom("iam.membership")
      .select("role")
      .where("org_id", "=", orgId)
      .where("user_id", "=", userId)
      .executeTakeFirst()
  )?.role

const countOwners = async (tx: IamDb, orgId: string) =>
  Number(
    (
      await tx
        .selectFrom("iam.membership")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("org_id", "=", orgId)
        .where("role", "=", "owner")
        .executeTakeFirstOrThrow()
    ).n,
  )

export const addMember = async (db: Database, ctx: OrgContext, input: { userId: string; role: Role }) => {
  assertMayGrant(ctx, input.role)
  return afterCommit(db, addMembership(db, ctx, input))
}

const addMembership = (db: Database, ctx: OrgContext, input: { userId: string; role: Role }) =>
  change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .insertInto("iam.membership")
      .values({ org_id: ctx.orgId, user_id: input.userId, role: input.role })
      .onConflict((oc) => oc.doNothing())
      .returning("user_id")
      .execute()
    if (r.length === 0)
      throw new ConflictError({
        message: "already a member of this organisation",
        field: "email",
        code: "alreadyMember",
      })
    await audit({
      action: "member.added",
      entityType: "membership",
      entityId: input.userId,
      after: { role: input.role },
    })
  })

/** A member's role, the membership row locked for the change; 404 when not a member. */
const lockedRole = async (tx: IamDb, orgId: string, userId: string): Promise<Role> => {
  const row = await tx
    .selectFrom("iam.membership")
    .select("role")
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .forUpdate()
    .executeTakeFirst()
  if (!row) throw new NotFoundError({ entity: "member", id: userId })
  return row.role
}

/** Change a member's role; the keys they created are bounded by the new role at once. */
export const changeRole = async (db: Database, ctx: OrgContext, userId: string, role: Role) =>
  afterCommit(
    db,
    change(db, ctx, async ({ tx, audit }) => {
      const old = await lockedRole(tx, ctx.orgId, userId)
      if (old === role) return
      assertMayGrant(ctx, role)
      assertMayGrant(ctx, old)
      if (old === "owner" && (await countOwners(tx, ctx.orgId)) <= 1)
        throw new ConflictError({
          message: "the organisation must keep at least one owner",
          field: "role",
          code: "lastOwner",
        })
      await tx
        .updateTable("iam.membership")
        .set({ role })
        .where("org_id", "=", ctx.orgId)
        .where("user_id", "=", userId)
        .execute()
      await audit({
        action: "member.role_changed",
        entityType: "membership",
        entityId: userId,
        before: { role: old },
        after: { role },
      })
    }),
  )

/** Remove a member; the API keys they created stop at once. */
export const removeMember = async (db: Database, ctx: OrgContext, userId: string) =>
  afterCommit(
    db,
    change(db, ctx, async ({ tx, audit }) => {
      const role = await lockedRole(tx, ctx.orgId, userId)
      assertMayGrant(ctx, role)
      if (role === "owner" && (await countOwners(tx, ctx.orgId)) <= 1)
        throw new ConflictError({
          message: "the organisation must keep at least one owner",
          field: "userId",
          code: "lastOwner",
        })
      await tx
        .deleteFrom("iam.membership")
        .where("org_id", "=", ctx.orgId)
        .where("user_id", "=", userId)
        .execute()
      await audit({
        action: "member.removed",
        entityType: "membership",
        entityId: userId,
        before: { role },
      })
    }),
  )

/** Once a membership change is committed, no key verified before it is trusted from the cache. */
const afterCommit = async <A>(db: Database, change: Promise<A>): Promise<A> => {
  try {
    return await change
  } finally {
    forgetVerifiedKeys(db)
  }
}
