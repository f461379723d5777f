/**
 * API keys: `tnt_<prefix>_<secret>`, stored as an HMAC digest, acting for their creator (never
 * with more than the creator's current role), verified keys cached for a few seconds.
 */
import { hash, randomBytes, timingSafeEqual } from "node:crypto"
import { Errors, Id, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { forgetSessions } from "./authCache"
import { change, type Database, tables } from "./db"
import { assertMayGrant, lowerRole } from "./grants"
import type { ApiKeyRow } from "./schema"
import { digest, instanceSecret, token } from "./secrets"

type OrgContext = Tenancy.OrgContext
type Role = Tenancy.Role

const { ValidationError, NotFoundError, ForbiddenError } = Errors

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
const toKey = (r: ApiKeyRow): ApiKey => ({
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
  const key = await change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .insertInto("iam.api_key")
      .values({
        org_id: ctx.orgId,
        id,
        name: input.name.trim(),
        role: input.role,
        prefix,
        secret_hash: digest(hmacKey, secret),
        created_by: ctx.actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const k = toKey(r)
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
    await tables(db)
      .selectFrom("iam.api_key")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("created_at", "desc")
      .execute()
  ).map(toKey)

export const revokeApiKey = async (db: Database, ctx: OrgContext, id: string) => {
  await change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .updateTable("iam.api_key")
      .set({ revoked_at: sql<Date>`now()` })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .where("revoked_at", "is", null)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) === 0) throw new NotFoundError({ entity: "api_key", id })
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
  // and every session this process resolved (see authCache.ts)
  forgetSessions(db)
}

/** How deep a chain of keys minted by keys is followed (a longer one is refused). */
const MAX_KEY_CHAIN = 8

/** One link of a key's chain of creators, as the recursive query returns it. */
interface ChainLink {
  org_id: string
  id: string
  role: Role
  created_by: string
  revoked: boolean
  secret_hash: string | null
  creator_role: Role | null
}

/**
 * The role a key acts with: its own role, bounded by the current role of whoever created it.
 * A key created by a person works only while that person is a member of the organisation, and
 * never with more than their current role; a key created by a key is bounded the same way by
 * its creator key (and stops when that one is revoked or stops); keys made by the system (the
 * `tenet` command, seeds) keep their role. Returns undefined when the key must not work.
 */
const effectiveRole = (chain: ReadonlyArray<ChainLink>): Role | undefined => {
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
  const r = await sql<ChainLink>`with recursive chain as (
      select org_id, id, role, created_by, revoked_at, secret_hash, 0 as depth from iam.api_key where prefix = ${m[1]}
      union all
      select k.org_id, k.id, k.role, k.created_by, k.revoked_at, null, c.depth + 1 from iam.api_key k
        join chain c on k.org_id = c.org_id and k.id = c.created_by where c.depth < ${MAX_KEY_CHAIN})
    select c.org_id, c.id, c.role, c.created_by, c.revoked_at is not null as revoked, c.secret_hash,
      m.role as creator_role
    from chain c left join iam.membership m on m.org_id = c.org_id and m.user_id = c.created_by
    order by c.depth`.execute(tables(db))
  const row = r.rows[0]
  if (!row || row.revoked || row.secret_hash === null) return undefined
  const expected = Buffer.from(row.secret_hash, "hex")
  const actual = Buffer.from(presented, "hex")
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined
  const role = effectiveRole(r.rows)
  if (!role) return undefined
  const key: VerifiedKey = { orgId: row.org_id, id: row.id, role }
  if (cache.size > 10_000) cache.clear()
  cache.set(cacheKey, { key, until: now + API_KEY_CACHE_MS })
  // last use is kept to the minute: written at most once a minute per key and process
  if ((lastUsedWritten.get(key.id) ?? 0) < now - 60_000) {
    lastUsedWritten.set(key.id, now)
    await sql`update iam.api_key set last_used_at = now() where org_id = ${row.org_id} and id = ${row.id}
      and (last_used_at is null or last_used_at < now() - interval '1 minute')`.execute(tables(db))
  }
  return key
}
