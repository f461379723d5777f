/**
 * Identity and access: users (global identities), memberships with a role per organisation,
 * invitations, cookie sessions and API keys. Passwords are hashed with argon2id; session and
 * API-key secrets are stored only as HMAC-SHA-256 digests keyed by the instance secret.
 */
import { createHmac, hash, randomBytes, timingSafeEqual } from "node:crypto"
import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2"
import { Change, type Db, Errors, Id, Tenancy } from "@tenet/core"
import { type Kysely, sql } from "kysely"
import { forgetSessions } from "./authCache"

type Database = Db.Database
type OrgContext = Tenancy.OrgContext
type Role = Tenancy.Role

const { ValidationError, ConflictError, NotFoundError, ForbiddenError, UnauthorizedError, RateLimitedError } =
  Errors

export interface User {
  readonly id: string
  readonly email: string
  readonly name: string
  readonly locale: string | null
  readonly createdAt: Date
}
const toUser = (r: any): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  locale: r.locale,
  createdAt: r.created_at,
})

// ---------------------------------------------------------------------------
// secrets
// ---------------------------------------------------------------------------

const secrets = new WeakMap<Database, string>()

/** The instance secret: TENET_SESSION_SECRET, or one generated once and kept in the database. */
export const instanceSecret = async (db: Database): Promise<string> => {
  const cached = secrets.get(db)
  if (cached) return cached
  let value = process.env.TENET_SESSION_SECRET
  if (!value) {
    await sql`insert into iam.instance_secret (name, value) values ('session', ${randomBytes(32).toString("hex")})
      on conflict do nothing`.execute(db.kysely)
    const r = await sql<{
      value: string
    }>`select value from iam.instance_secret where name = 'session'`.execute(db.kysely)
    value = r.rows[0]!.value
  }
  secrets.set(db, value)
  return value
}

const digest = (secret: string, token: string) => createHmac("sha256", secret).update(token).digest("hex")
const token = (bytes = 32) => randomBytes(bytes).toString("base64url")

// ---------------------------------------------------------------------------
// users
// ---------------------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const checkPassword = (password: string, path: string) =>
  password.length < 8
    ? [{ path: [path], message: "must be at least 8 characters", code: "minLength", params: { min: 8 } }]
    : []

export const createUser = async (
  db: Database,
  input: { email: string; name: string; password: string },
): Promise<User> => {
  const issues = [
    ...(EMAIL.test(input.email)
      ? []
      : [{ path: ["email"], message: "must be an email address", code: "email" }]),
    ...(input.name.trim() ? [] : [{ path: ["name"], message: "must not be empty", code: "required" }]),
    ...checkPassword(input.password, "password"),
  ]
  if (issues.length) throw new ValidationError({ message: "invalid user", issues })
  if (await findUserByEmail(db, input.email))
    throw new ConflictError({
      message: `a user with email ${input.email} exists`,
      field: "email",
      code: "emailTaken",
      params: { value: input.email },
    })
  const passwordHash = await argonHash(input.password)
  const r = await sql<any>`insert into iam.user (id, email, name, password_hash)
    values (${Id.make("usr")}, ${input.email.trim()}, ${input.name.trim()}, ${passwordHash}) returning *`.execute(
    db.kysely,
  )
  return toUser(r.rows[0])
}

export const findUserByEmail = async (db: Database, email: string): Promise<User | undefined> => {
  const r = await sql<any>`select * from iam.user where lower(email) = lower(${email.trim()})`.execute(
    db.kysely,
  )
  return r.rows[0] ? toUser(r.rows[0]) : undefined
}

export const getUser = async (db: Database, id: string): Promise<User> => {
  const r = await sql<any>`select * from iam.user where id = ${id}`.execute(db.kysely)
  if (!r.rows[0]) throw new NotFoundError({ entity: "user", id })
  return toUser(r.rows[0])
}

export const updateUser = async (
  db: Database,
  id: string,
  patch: { name?: string | undefined; locale?: string | undefined },
) => {
  if (patch.locale !== undefined && !["zh-CN", "en"].includes(patch.locale))
    throw new ValidationError({
      message: "invalid user",
      issues: [
        {
          path: ["locale"],
          message: 'must be "zh-CN" or "en"',
          code: "oneOf",
          params: { values: "zh-CN, en" },
        },
      ],
    })
  if (patch.name !== undefined && !patch.name.trim())
    throw new ValidationError({
      message: "invalid user",
      issues: [{ path: ["name"], message: "must not be empty", code: "required" }],
    })
  const r = await sql<any>`update iam.user set name = coalesce(${patch.name ?? null}, name),
      locale = coalesce(${patch.locale ?? null}, locale), updated_at = now() where id = ${id} returning *`.execute(
    db.kysely,
  )
  forgetSessions(db)
  return toUser(r.rows[0])
}

// ---------------------------------------------------------------------------
// sessions and sign-in
// ---------------------------------------------------------------------------

export const SESSION_DAYS = 7

/**
 * Sign-in throttling. Nobody is ever locked out of their account: failures are counted per
 * (account, client) and per client, and only the failing client waits. From the
 * `ACCOUNT_FREE_FAILURES`th failure on one account from one client, that client waits
 * `BASE_DELAY_SECONDS × 2^(n − free)` (capped at `MAX_DELAY_SECONDS`) after its last failure
 * before it may try that account again; from the `CLIENT_FREE_FAILURES`th failure of a client
 * over any accounts, the same backoff applies to everything it tries. Failures older than
 * `WINDOW_MINUTES` are forgotten. A correct password from another client (the real user's)
 * signs in whatever an attacker does elsewhere; a success clears that client's count for the
 * account. See README.md "Sign-in, sessions and API keys".
 */
export const THROTTLE = {
  ACCOUNT_FREE_FAILURES: 5,
  CLIENT_FREE_FAILURES: 20,
  BASE_DELAY_SECONDS: 30,
  MAX_DELAY_SECONDS: 15 * 60,
  WINDOW_MINUTES: 60,
} as const

const backoff = (failures: number, free: number) =>
  failures < free
    ? 0
    : Math.min(THROTTLE.MAX_DELAY_SECONDS, THROTTLE.BASE_DELAY_SECONDS * 2 ** (failures - free))

const newSession = async (
  db: Database,
  userId: string,
  client: { ip: string; userAgent?: string | undefined },
  executor: Kysely<any> = db.kysely,
) => {
  const t = token()
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000)
  await sql`insert into iam.session (id, user_id, token_hash, expires_at, ip, user_agent)
    values (${Id.make("ses")}, ${userId}, ${digest(await instanceSecret(db), t)}, ${expiresAt}, ${client.ip},
      ${client.userAgent?.slice(0, 300) ?? null})`.execute(executor)
  return { token: t, expiresAt }
}

/** Refuse (429) while this client waits after failures on this account or on any account. */
const assertNotThrottled = async (db: Database, email: string, ip: string) => {
  const failures = await sql<{
    by_account: number
    by_client: number
    last_account: Date | null
    last_client: Date | null
  }>`
    select count(*) filter (where lower(email) = ${email})::int as by_account,
           max(at) filter (where lower(email) = ${email}) as last_account,
           count(*)::int as by_client, max(at) as last_client
    from iam.sign_in_attempt where ip = ${ip} and not ok
      and at > now() - make_interval(mins => ${THROTTLE.WINDOW_MINUTES})`.execute(db.kysely)
  const f = failures.rows[0]!
  const now = Date.now()
  const waitAccount = f.last_account
    ? new Date(f.last_account).getTime() + backoff(f.by_account, THROTTLE.ACCOUNT_FREE_FAILURES) * 1000 - now
    : 0
  const waitClient = f.last_client
    ? new Date(f.last_client).getTime() + backoff(f.by_client, THROTTLE.CLIENT_FREE_FAILURES) * 1000 - now
    : 0
  const wait = Math.max(waitAccount, waitClient)
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000)
    throw new RateLimitedError({
      message: `too many failed sign-ins from this client; try again in ${seconds} s`,
      retryAfterSeconds: seconds,
      code: "signInThrottled",
      params: { seconds },
    })
  }
}

const recordFailure = async (db: Database, email: string, ip: string) => {
  await sql`insert into iam.sign_in_attempt (email, ip, ok) values (${email}, ${ip}, false)`.execute(
    db.kysely,
  )
  // the table holds only what the window needs
  if (Math.random() < 0.01)
    await sql`delete from iam.sign_in_attempt where at < now() - make_interval(mins => ${THROTTLE.WINDOW_MINUTES})`.execute(
      db.kysely,
    )
}

/** A hash to verify against when the account does not exist (the answer takes as long either way). */
let dummyHash: Promise<string> | undefined
const DUMMY = () => (dummyHash ??= argonHash(randomBytes(16).toString("hex")))

export const signIn = async (
  db: Database,
  input: {
    email: string
    password: string
    ip: string
    userAgent?: string | undefined
    /** The session cookie sent with the sign-in, if any: it is ended (the session is rotated). */
    previousSession?: string | undefined
  },
) => {
  const email = input.email.trim().toLowerCase()
  await assertNotThrottled(db, email, input.ip)
  const row = (await sql<any>`select * from iam.user where lower(email) = ${email}`.execute(db.kysely))
    .rows[0]
  const ok = row
    ? await argonVerify(row.password_hash, input.password)
    : await argonVerify(await DUMMY(), input.password).then(() => false)
  if (ok) {
    // a success forgets this client's failures for the account
    await sql`delete from iam.sign_in_attempt where ip = ${input.ip} and lower(email) = ${email} and not ok`.execute(
      db.kysely,
    )
  } else await recordFailure(db, email, input.ip)
  if (!ok || !row) throw new UnauthorizedError({ message: "email or password is wrong" })
  if (input.previousSession) await signOut(db, input.previousSession)
  const session = await newSession(db, row.id, input)
  return { ...session, user: toUser(row) }
}

/** The session a token names (id and user), or undefined. */
export const sessionOf = async (
  db: Database,
  sessionToken: string,
): Promise<{ id: string; user: User } | undefined> => {
  const r =
    await sql<any>`select s.id as session_id, u.* from iam.session s join iam.user u on u.id = s.user_id
    where s.token_hash = ${digest(await instanceSecret(db), sessionToken)} and s.expires_at > now()`.execute(
      db.kysely,
    )
  return r.rows[0] ? { id: r.rows[0].session_id, user: toUser(r.rows[0]) } : undefined
}

export const userFromSession = async (db: Database, sessionToken: string): Promise<User | undefined> =>
  (await sessionOf(db, sessionToken))?.user

export const signOut = async (db: Database, sessionToken: string) => {
  await sql`delete from iam.session where token_hash = ${digest(await instanceSecret(db), sessionToken)}`.execute(
    db.kysely,
  )
  forgetSessions(db)
}

/** End every session of a user except the one `keepToken` names; returns how many ended. */
export const signOutOthers = async (db: Database, userId: string, keepToken: string | undefined) => {
  const keep = keepToken ? digest(await instanceSecret(db), keepToken) : ""
  const r = await sql`delete from iam.session where user_id = ${userId} and token_hash <> ${keep}`.execute(
    db.kysely,
  )
  forgetSessions(db)
  return Number(r.numAffectedRows ?? 0)
}

/**
 * Change a user's password (the current one must be given): every session of the user ends,
 * and a new one is returned for the client that made the change.
 */
export const changePassword = async (
  db: Database,
  userId: string,
  input: { currentPassword: string; newPassword: string; ip: string; userAgent?: string | undefined },
) => {
  const row = (
    await sql<any>`select email, password_hash from iam.user where id = ${userId}`.execute(db.kysely)
  ).rows[0]
  // guessing the current password through a stolen session is throttled like sign-in
  const email = String(row?.email ?? "").toLowerCase()
  await assertNotThrottled(db, email, input.ip)
  if (!row || !(await argonVerify(row.password_hash, input.currentPassword))) {
    await recordFailure(db, email, input.ip)
    throw new ValidationError({
      message: "the current password is wrong",
      issues: [{ path: ["currentPassword"], message: "is wrong", code: "passwordWrong" }],
    })
  }
  const issues = checkPassword(input.newPassword, "newPassword")
  if (issues.length) throw new ValidationError({ message: "invalid password", issues })
  const passwordHash = await argonHash(input.newPassword)
  await instanceSecret(db)
  return afterCommit(
    db,
    db.kysely.transaction().execute(async (tx) => {
      await sql`update iam.user set password_hash = ${passwordHash}, updated_at = now() where id = ${userId}`.execute(
        tx,
      )
      await sql`delete from iam.session where user_id = ${userId}`.execute(tx)
      return newSession(db, userId, input, tx)
    }),
  )
}

// ---------------------------------------------------------------------------
// memberships
// ---------------------------------------------------------------------------

export interface Membership {
  readonly orgId: string
  readonly slug: string
  readonly name: string
  readonly role: Role
  readonly timeZone: string
  readonly locale: string
}

export const membershipsOf = async (db: Database, userId: string): Promise<Membership[]> => {
  const r = await sql<any>`select o.id, o.slug, o.name, o.time_zone, o.locale, m.role from iam.membership m
    join core.organization o on o.id = m.org_id where m.user_id = ${userId} order by o.name`.execute(
    db.kysely,
  )
  return r.rows.map((x) => ({
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
  (await sql`select 1 from iam.membership where org_id = ${orgId} and user_id = ${userId}`.execute(db.kysely))
    .rows.length > 0

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
    throw new Errors.ValidationError({
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
  const r = await sql<any>`select u.id, u.email, u.name, m.role, m.created_at from iam.membership m
    join iam.user u on u.id = m.user_id where m.org_id = ${orgId} order by u.name, u.email`.execute(db.kysely)
  return r.rows.map((x) => ({
    userId: x.id,
    email: x.email,
    name: x.name,
    role: x.role,
    joinedAt: x.created_at,
  }))
}

const roleOf = async (
  db: Database | { kysely: any },
  orgId: string,
  userId: string,
): Promise<Role | undefined> => {
  const r =
    await sql<any>`select role from iam.membership where org_id = ${orgId} and user_id = ${userId}`.execute(
      (db as Database).kysely,
    )
  return r.rows[0]?.role
}

export { roleOf }

/** Only an owner grants or takes away the owner role. */
const assertMayGrant = (ctx: OrgContext, role: Role) => {
  if (role === "owner" && ctx.actor.role !== "owner" && ctx.actor.type !== "system")
    throw new ForbiddenError({ message: "only an owner can make someone an owner", permission: "org:manage" })
}

const countOwners = async (tx: any, orgId: string) =>
  (
    await sql<{
      n: number
    }>`select count(*)::int as n from iam.membership where org_id = ${orgId} and role = 'owner'`.execute(tx)
  ).rows[0]!.n

export const addMember = async (db: Database, ctx: OrgContext, input: { userId: string; role: Role }) => {
  assertMayGrant(ctx, input.role)
  return afterCommit(db, addMembership(db, ctx, input))
}

const addMembership = (db: Database, ctx: OrgContext, input: { userId: string; role: Role }) =>
  Change.change(db, ctx, async ({ tx, audit }) => {
    const r =
      await sql<any>`insert into iam.membership (org_id, user_id, role) values (${ctx.orgId}, ${input.userId}, ${input.role})
      on conflict do nothing returning *`.execute(tx)
    if (r.rows.length === 0)
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
const lockedRole = async (tx: Kysely<any>, orgId: string, userId: string): Promise<Role> => {
  const row = await sql<{
    role: Role
  }>`select role from iam.membership where org_id = ${orgId} and user_id = ${userId} for update`.execute(tx)
  if (!row.rows[0]) throw new NotFoundError({ entity: "member", id: userId })
  return row.rows[0].role
}

/** Change a member's role; the keys they created are bounded by the new role at once. */
export const changeRole = async (db: Database, ctx: OrgContext, userId: string, role: Role) =>
  afterCommit(
    db,
    Change.change(db, ctx, async ({ tx, audit }) => {
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
      await sql`update iam.membership set role = ${role} where org_id = ${ctx.orgId} and user_id = ${userId}`.execute(
        tx,
      )
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
    Change.change(db, ctx, async ({ tx, audit }) => {
      const role = await lockedRole(tx, ctx.orgId, userId)
      assertMayGrant(ctx, role)
      if (role === "owner" && (await countOwners(tx, ctx.orgId)) <= 1)
        throw new ConflictError({
          message: "the organisation must keep at least one owner",
          field: "userId",
          code: "lastOwner",
        })
      await sql`delete from iam.membership where org_id = ${ctx.orgId} and user_id = ${userId}`.execute(tx)
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

// ---------------------------------------------------------------------------
// invitations
// ---------------------------------------------------------------------------

export interface Invitation {
  readonly id: string
  readonly email: string
  readonly role: Role
  readonly expiresAt: Date
  readonly acceptedAt: Date | null
  readonly createdAt: Date
}
const toInvitation = (r: any): Invitation => ({
  id: r.id,
  email: r.email,
  role: r.role,
  expiresAt: r.expires_at,
  acceptedAt: r.accepted_at,
  createdAt: r.created_at,
})

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
  const invitation = await Change.change(db, ctx, async ({ tx, audit }) => {
    const r =
      await sql<any>`insert into iam.invitation (org_id, id, email, role, token_hash, invited_by, expires_at)
      values (${ctx.orgId}, ${id}, ${input.email.trim()}, ${input.role}, ${digest(secret, t)}, ${ctx.actor.id},
        now() + interval '7 days') returning *`.execute(tx)
    const inv = toInvitation(r.rows[0])
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
    await sql<any>`select * from iam.invitation where org_id = ${orgId} and accepted_at is null and revoked_at is null
    and expires_at > now() order by created_at desc`.execute(db.kysely)
  ).rows.map(toInvitation)

export const revokeInvitation = async (db: Database, ctx: OrgContext, id: string) =>
  Change.change(db, ctx, async ({ tx, audit }) => {
    const r =
      await sql`update iam.invitation set revoked_at = now() where org_id = ${ctx.orgId} and id = ${id}
      and revoked_at is null and accepted_at is null`.execute(tx)
    if (Number(r.numAffectedRows ?? 0) === 0) throw new NotFoundError({ entity: "invitation", id })
    await audit({ action: "invitation.revoked", entityType: "invitation", entityId: id })
  })

export const acceptInvitation = async (
  db: Database,
  input: { token: string; name?: string | undefined; password?: string | undefined },
) => {
  const r =
    await sql<any>`select * from iam.invitation where token_hash = ${digest(await instanceSecret(db), input.token)}
    and accepted_at is null and revoked_at is null and expires_at > now()`.execute(db.kysely)
  const inv = r.rows[0]
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
  await afterCommit(
    db,
    Change.change(db, ctx, async ({ tx, audit }) => {
      await sql`insert into iam.membership (org_id, user_id, role) values (${inv.org_id}, ${user.id}, ${inv.role})
      on conflict do nothing`.execute(tx)
      await sql`update iam.invitation set accepted_at = now() where org_id = ${inv.org_id} and id = ${inv.id}`.execute(
        tx,
      )
      await audit({
        action: "invitation.accepted",
        entityType: "invitation",
        entityId: inv.id,
        after: { userId: user.id, role: inv.role },
      })
    }),
  )
  return user
}

// ---------------------------------------------------------------------------
// API keys
// ---------------------------------------------------------------------------

export interface ApiKey {
  readonly id: string
  readonly name: string
  readonly role: Role
  readonly prefix: string
  readonly createdBy: string
  readonly createdAt: Date
  readonly lastUsedAt: Date | null
  readonly revokedAt: Date | null
}
const toKey = (r: any): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  prefix: r.prefix,
  createdBy: r.created_by,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
})

export const createApiKey = async (db: Database, ctx: OrgContext, input: { name: string; role: Role }) => {
  if (!input.name.trim())
    throw new ValidationError({
      message: "invalid API key",
      issues: [{ path: ["name"], message: "must not be empty", code: "required" }],
    })
  assertMayGrant(ctx, input.role)
  // a key never carries more than whoever makes it
  if (ctx.actor.role && lowerRole(input.role, ctx.actor.role) !== input.role)
    throw new ForbiddenError({
      message: `your role (${ctx.actor.role}) cannot create a key with the role ${input.role}`,
      permission: "apikeys:manage",
    })
  const prefix = randomBytes(6).toString("hex")
  const secret = token(24)
  const id = Id.make("key")
  const hmacKey = await instanceSecret(db)
  const key = await Change.change(db, ctx, async ({ tx, audit }) => {
    const r = await sql<any>`insert into iam.api_key (org_id, id, name, role, prefix, secret_hash, created_by)
      values (${ctx.orgId}, ${id}, ${input.name.trim()}, ${input.role}, ${prefix}, ${digest(hmacKey, secret)},
        ${ctx.actor.id}) returning *`.execute(tx)
    const k = toKey(r.rows[0])
    await audit({
      action: "apikey.created",
      entityType: "api_key",
      entityId: id,
      after: { name: k.name, role: k.role, prefix },
    })
    return k
  })
  return { key, secret: `tnt_${prefix}_${secret}` }
}

export const listApiKeys = async (db: Database, orgId: string) =>
  (
    await sql<any>`select * from iam.api_key where org_id = ${orgId} order by created_at desc`.execute(
      db.kysely,
    )
  ).rows.map(toKey)

export const revokeApiKey = async (db: Database, ctx: OrgContext, id: string) => {
  await Change.change(db, ctx, async ({ tx, audit }) => {
    const r = await sql`update iam.api_key set revoked_at = now() where org_id = ${ctx.orgId} and id = ${id}
      and revoked_at is null`.execute(tx)
    if (Number(r.numAffectedRows ?? 0) === 0) throw new NotFoundError({ entity: "api_key", id })
    await audit({ action: "apikey.revoked", entityType: "api_key", entityId: id })
  })
  // keys minted by this key stop with it: forget them all
  forgetVerifiedKeys(db)
}

/**
 * How long a verified API key is trusted without asking the database again. A key revoked in
 * this process, or whose creator is removed or changes role in this process, stops at once
 * (the cache of the database is emptied); a change made through another process reaches this
 * one within this time.
 */
export const API_KEY_CACHE_MS = 5_000

type VerifiedKey = { orgId: string; id: string; role: Role }
const keyCache = new WeakMap<Database, Map<string, { key: VerifiedKey; until: number }>>()
const lastUsedWritten = new Map<string, number>()

/** Forget every verified key of this database (after a revocation, a removal or a role change). */
export const forgetVerifiedKeys = (db: Database) => {
  keyCache.get(db)?.clear()
  forgetSessions(db)
}

/** How deep a chain of keys minted by keys is followed (a longer one is refused). */
const MAX_KEY_CHAIN = 8

/**
 * The role a key acts with: its own role, bounded by the current role of whoever created it.
 * A key created by a person works only while that person is a member of the organisation, and
 * never with more than their current role; a key created by a key is bounded the same way by
 * its creator key (and stops when that one is revoked or stops); keys made by the system (the
 * `tenet` command, seeds) keep their role. Returns undefined when the key must not work.
 */
const effectiveRole = (
  chain: ReadonlyArray<{ role: Role; created_by: string; revoked: boolean; creator_role: Role | null }>,
): Role | undefined => {
  let role: Role | undefined = chain[0]?.role
  for (let i = 0; i < chain.length && role; i++) {
    const link = chain[i]!
    if (link.revoked) return undefined
    role = lowerRole(role, link.role)
    if (link.created_by.startsWith("key_")) {
      // the next link is the creator key; a missing one (deleted, or too deep) stops the key
      if (i + 1 >= chain.length) return undefined
      continue
    }
    if (link.created_by.startsWith("usr_")) {
      if (!link.creator_role) return undefined
      role = lowerRole(role, link.creator_role)
    }
    return role
  }
  return undefined
}

/**
 * The lower of two roles: the one whose permissions are a subset of the other's. Roles that
 * do not compare (an agent's key made by someone now only an auditor) give undefined: the key
 * stops rather than guess.
 */
const lowerRole = (a: Role | undefined, b: Role): Role | undefined => {
  if (!a) return undefined
  const pa = Tenancy.PERMISSIONS[a]
  const pb = Tenancy.PERMISSIONS[b]
  if ([...pa].every((p) => pb.has(p))) return a
  if ([...pb].every((p) => pa.has(p))) return b
  return undefined
}

/** Resolve a bearer key to its organisation and effective role, or undefined. */
export const authenticateApiKey = async (db: Database, bearer: string): Promise<VerifiedKey | undefined> => {
  const m = /^tnt_([0-9a-f]{12})_([A-Za-z0-9_-]{20,})$/.exec(bearer)
  if (!m) return undefined
  // the cache is keyed by a one-shot hash of the whole key (no raw keys kept in memory); the
  // keyed digest and the comparison with the stored one run on a miss
  const cacheKey = hash("sha256", bearer, "base64")
  let cache = keyCache.get(db)
  if (!cache) {
    cache = new Map()
    keyCache.set(db, cache)
  }
  const hit = cache.get(cacheKey)
  const now = Date.now()
  if (hit && hit.until > now) return hit.key
  const presented = digest(await instanceSecret(db), m[2]!)
  // the key and the chain of its creators (keys minted by keys), each with its creator's current role
  const r = await sql<any>`with recursive chain as (
      select org_id, id, role, created_by, revoked_at, secret_hash, 0 as depth from iam.api_key where prefix = ${m[1]}
      union all
      select k.org_id, k.id, k.role, k.created_by, k.revoked_at, null, c.depth + 1 from iam.api_key k
        join chain c on k.org_id = c.org_id and k.id = c.created_by where c.depth < ${MAX_KEY_CHAIN})
    select c.org_id, c.id, c.role, c.created_by, c.revoked_at is not null as revoked, c.secret_hash,
      m.role as creator_role
    from chain c left join iam.membership m on m.org_id = c.org_id and m.user_id = c.created_by
    order by c.depth`.execute(db.kysely)
  const row = r.rows[0]
  if (!row || row.revoked) return undefined
  const expected = Buffer.from(row.secret_hash, "hex")
  const actual = Buffer.from(presented, "hex")
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined
  const role = effectiveRole(r.rows)
  if (!role) return undefined
  const key: VerifiedKey = { orgId: row.org_id as string, id: row.id as string, role }
  if (cache.size > 10_000) cache.clear()
  cache.set(cacheKey, { key, until: now + API_KEY_CACHE_MS })
  // last use is kept to the minute: written at most once a minute per key and process
  if ((lastUsedWritten.get(key.id) ?? 0) < now - 60_000) {
    lastUsedWritten.set(key.id, now)
    await sql`update iam.api_key set last_used_at = now() where org_id = ${row.org_id} and id = ${row.id}
      and (last_used_at is null or last_used_at < now() - interval '1 minute')`.execute(db.kysely)
  }
  return key
}

export { checkPassword }
