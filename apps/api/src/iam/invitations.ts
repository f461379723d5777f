/** Invitations: a single-use token (kept as a digest) that makes its holder a member with a role. */
import { Errors, Id, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { forgetSessions } from "./authCache"
import { change, type Database, tables } from "./db"
import { assertMayGrant } from "./grants"
import { roleOf } from "./members"
import type { InvitationRow } from "./schema"
import { digest, instanceSecret, token } from "./secrets"
import { createUser, EMAIL, findUserByEmail } from "./users"

type OrgContext = Tenancy.OrgContext
type Role = Tenancy.Role

const { ValidationError, ConflictError, NotFoundError } = Errors

export interface Invitation {
  readonly id: string
  readonly email: string
  readonly role: Role
  readonly expiresAt: Date
  readonly acceptedAt: Date | null
  readonly createdAt: Date
}
const toInvitation = (r: InvitationRow): Invitation => ({
  id: r.id,
  email: r.email,
  role: r.role,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
  createdAt: r.created_at,
})

const now = sql<Date>`now()`

export const invite = async (db: Database, ctx: OrgContext, input: { email: string; role: Role }) => {
  if (!EMAIL.test(input.email))
    throw new ValidationError({
      message: "invalid invitation",
      issues: [{ path: ["email"], message: "must be an email address", code: "email" }],
    })
  assertMayGrant(ctx, input.role)
  const existing = await findUserByEmail(db, input.email)
  if (existing && (await roleOf(db, ctx.orgId, existing.id)))
    throw new ConflictError({
      message: `${input.email} is already a member`,
      field: "email",
      code: "alreadyMember",
    })
  const t = token()
  const id = Id.make("inv")
  const secret = await instanceSecret(db)
  const invitation = await change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .insertInto("iam.invitation")
      .values({
        org_id: ctx.orgId,
        id,
        email: input.email.trim(),
        role: input.role,
        token_hash: digest(secret, t),
        invited_by: ctx.actor.id,
        expires_at: sql<Date>`now() + interval '7 days'`,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const inv = toInvitation(r)
    await audit({
      action: "invitation.created",
      entityType: "invitation",
      entityId: id,
      after: { email: inv.email, role: inv.role },
    })
    return inv
  })
  return { invitation, token: t }
}

export const listInvitations = async (db: Database, orgId: string) =>
  (
    await tables(db)
      .selectFrom("iam.invitation")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", now)
      .orderBy("created_at", "desc")
      .execute()
  ).map(toInvitation)

export const revokeInvitation = async (db: Database, ctx: OrgContext, id: string) =>
  change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .updateTable("iam.invitation")
      .set({ revoked_at: now })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .where("accepted_at", "is", null)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) === 0) throw new NotFoundError({ entity: "invitation", id })
    await audit({ action: "invitation.revoked", entityType: "invitation", entityId: id })
  })

export const acceptInvitation = async (
  db: Database,
  input: { token: string; name?: string | undefined; password?: string | undefined },
) => {
  const inv = await tables(db)
    .selectFrom("iam.invitation")
    .selectAll()
    .where("token_hash", "=", digest(await instanceSecret(db), input.token))
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst()
  if (!inv)
    throw new ValidationError({
      message: "invalid invitation",
      issues: [
        {
          path: ["token"],
          message: "the invitation is unknown, expired or already used",
          code: "invitationInvalid",
        },
      ],
    })
  let user = await findUserByEmail(db, inv.email)
  if (!user) {
    user = await createUser(db, { email: inv.email, name: input.name ?? "", password: input.password ?? "" })
  }
  const ctx: OrgContext = { orgId: inv.org_id, actor: { type: "user", id: user.id } }
  await change(db, ctx, async ({ tx, audit }) => {
    await tx
      .insertInto("iam.membership")
      .values({ org_id: inv.org_id, user_id: user.id, role: inv.role })
      .onConflict((oc) => oc.doNothing())
      .execute()
    await tx
      .updateTable("iam.invitation")
      .set({ accepted_at: now })
      .where("org_id", "=", inv.org_id)
      .where("id", "=", inv.id)
      .execute()
    await audit({
      action: "invitation.accepted",
      entityType: "invitation",
      entityId: inv.id,
      after: { userId: user.id, role: inv.role },
    })
  })
  // the new member's sessions in this process resolve again (the new organisation at once)
  forgetSessions(db)
  return user
}
