/**
 * Who a session cookie is, kept for a few seconds per process so a busy client does not cost two
 * database round trips (session, memberships) on every request. The entry is keyed by a hash of
 * the token (no raw token kept in memory) and is dropped at once when this process changes who a
 * person is or may be: sign-out, password change, profile change, membership changes, invitations,
 * organisation changes (see `forgetSessions` and the app's unsafe-request rule).
 *
 * Only on the embedded database: PGlite belongs to one process, so every change goes through this
 * one. On PostgreSQL several API processes share the sessions and a sign-out must end a session in
 * all of them at once, so each request asks the database (an indexed lookup, cheap there).
 */
import { hash } from "node:crypto"
import type { Db } from "@tenet/core"

/** How long a resolved session is trusted without asking the database again. */
export const SESSION_CACHE_MS = 5_000
const MAX_ENTRIES = 10_000

interface Entry<A> {
  readonly value: A
  readonly until: number
}
const caches = new WeakMap<Db.Database, Map<string, Entry<unknown>>>()

const cacheOf = (db: Db.Database) => {
  let cache = caches.get(db)
  if (!cache) {
    cache = new Map()
    caches.set(db, cache)
  }
  return cache
}

/** The value resolved for this token within SESSION_CACHE_MS, else `resolve`'s (kept when defined). */
export const cachedSession = async <A>(
  db: Db.Database,
  token: string,
  resolve: () => Promise<A | undefined>,
): Promise<A | undefined> => {
  if (db.kind !== "pglite") return resolve()
  const cache = cacheOf(db)
  const key = hash("sha256", token, "base64")
  const now = Date.now()
  const hit = cache.get(key)
  if (hit && hit.until > now) return hit.value as A
  // a change that lands while this lookup runs must not be overwritten by the older answer
  const generation = generations.get(db) ?? 0
  const value = await resolve()
  if (value !== undefined && (generations.get(db) ?? 0) === generation) {
    if (cache.size >= MAX_ENTRIES) cache.clear()
    cache.set(key, { value, until: now + SESSION_CACHE_MS })
  } else cache.delete(key)
  return value
}

const generations = new WeakMap<Db.Database, number>()

/** Forget every cached session of this database (after any change to people, roles or organisations). */
export const forgetSessions = (db: Db.Database) => {
  caches.get(db)?.clear()
  generations.set(db, (generations.get(db) ?? 0) + 1)
}
