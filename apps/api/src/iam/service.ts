/**
 * Identity and access: users (global identities), memberships with a role per organisation,
 * invitations, cookie sessions and API keys. Passwords are hashed with argon2id; session and
 * API-key secrets are stored only as HMAC-SHA-256 digests keyed by the instance secret.
 */
import { createHmac, hash, randomBytes, timingSafeEqual } from "node:crypto"
import { hash as argonHash, verify as argonVerify } from "@node-rs/argon2"
import { Change, type Db, Errors, Id, type Tenancy } from "@tenet/core"
import { sql } from "kysely"

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
  return toUser(r.rows[0])
}

// ---------------------------------------------------------------------------
// sessions and sign-in
// ---------------------------------------------------------------------------

export const SESSION_DAYS = 7
const MAX_FAILURES_PER_EMAIL = 5
const MAX_FAILURES_PER_IP = 20
const WINDOW_MINUTES = 15

export const signIn = async (
  db: Database,
  input: { email: string; password: string; ip: string; userAgent?: string | undefined },
) => {
  const failures = await sql<{ by_email: number; by_ip: number }>`
    select count(*) filter (where lower(email) = lower(${input.email}))::int as by_email,
           count(*) filter (where ip = ${input.ip})::int as by_ip
    from iam.sign_in_attempt where not ok and at > now() - make_interval(mins => ${WINDOW_MINUTES})`.execute(
    db.kysely,
  )
  const f = failures.rows[0]!
  if (f.by_email >= MAX_FAILURES_PER_EMAIL || f.by_ip >= MAX_FAILURES_PER_IP)
    throw new RateLimitedError({
      message: `too many failed sign-ins; try again in ${WINDOW_MINUTES} minutes`,
      retryAfterSeconds: WINDOW_MINUTES * 60,
    })
  const row = (
    await sql<any>`select * from iam.user where lower(email) = lower(${input.email.trim()})`.execute(
      db.kysely,
    )
  ).rows[0]
  const ok = row ? await argonVerify(row.password_hash, input.password) : false
  await sql`insert into iam.sign_in_attempt (email, ip, ok) values (${input.email}, ${input.ip}, ${ok})`.execute(
    db.kysely,
  )
  if (!ok || !row) throw new UnauthorizedError({ message: "email or password is wrong" })
  const t = token()
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000)
  await sql`insert into iam.session (id, user_id, token_hash, expires_at, ip, user_agent)
    values (${Id.make("ses")}, ${row.id}, ${digest(await instanceSecret(db), t)}, ${expiresAt}, ${input.ip},
      ${input.userAgent?.slice(0, 300) ?? null})`.execute(db.kysely)
  return { token: t, user: toUser(row), expiresAt }
}

export const userFromSession = async (db: Database, sessionToken: string): Promise<User | undefined> => {
  const r = await sql<any>`select u.* from iam.session s join iam.user u on u.id = s.user_id
    where s.token_hash = ${digest(await instanceSecret(db), sessionToken)} and s.expires_at > now()`.execute(
    db.kysely,
  )
  return r.rows[0] ? toUser(r.rows[0]) : undefined
}

export const signOut = async (db: Database, sessionToken: string) => {
  await sql`delete from iam.session where token_hash = ${digest(await instanceSecret(db), sessionToken)}`.execute(
    db.kysely,
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
  return Change.change(db, ctx, async ({ tx, audit }) => {
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
}

export const changeRole = async (db: Database, ctx: OrgContext, userId: string, role: Role) =>
  Change.change(db, ctx, async ({ tx, audit }) => {
    const before =
      await sql<any>`select role from iam.membership where org_id = ${ctx.orgId} and user_id = ${userId} for update`.execute(
        tx,
      )
    if (!before.rows[0]) throw new NotFoundError({ entity: "member", id: userId })
    const old = before.rows[0].role as Role
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
  })

export const removeMember = async (db: Database, ctx: OrgContext, userId: string) =>
  Change.change(db, ctx, async ({ tx, audit }) => {
    const before =
      await sql<any>`select role from iam.membership where org_id = ${ctx.orgId} and user_id = ${userId} for update`.execute(
        tx,
      )
    if (!before.rows[0]) throw new NotFoundError({ entity: "member", id: userId })
    assertMayGrant(ctx, before.rows[0].role)
    if (before.rows[0].role === "owner" && (await countOwners(tx, ctx.orgId)) <= 1)
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
      before: { role: before.rows[0].role },
    })
  })

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
  await Change.change(db, ctx, async ({ tx, audit }) => {
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
  })
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
  for (const [k, v] of keyCache.get(db) ?? []) if (v.key.id === id) keyCache.get(db)!.delete(k)
}

/**
 * How long a verified API key is trusted without asking the database again. A key revoked in
 * this process stops at once; one revoked through another process stops within this time.
 */
export const API_KEY_CACHE_MS = 5_000

type VerifiedKey = { orgId: string; id: string; role: Role }
const keyCache = new WeakMap<Database, Map<string, { key: VerifiedKey; until: number }>>()
const lastUsedWritten = new Map<string, number>()

/** Resolve a bearer key to its organisation and role, or undefined. */
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
  const r = await sql<any>`select * from iam.api_key where prefix = ${m[1]} and revoked_at is null`.execute(
    db.kysely,
  )
  const row = r.rows[0]
  if (!row) return undefined
  const expected = Buffer.from(row.secret_hash, "hex")
  const actual = Buffer.from(presented, "hex")
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined
  const key: VerifiedKey = { orgId: row.org_id as string, id: row.id as string, role: row.role as Role }
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
