/**
 * `Idempotency-Key` on creates and imports (the IETF httpapi draft "The Idempotency-Key HTTP Header
 * Field"): the first successful answer to a POST that carries a key is kept for 24 hours, per
 * organisation and caller (a user or an API key), and a retry with the same key gets that answer
 * again — with `Idempotent-Replayed: true` — instead of creating a second case, survey or risk.
 *
 * - the same key with another request (method, path, query or body) → 422 `idempotencyKeyReused`;
 * - the same key while the first request still runs → 409 `idempotencyKeyInFlight` (Retry-After: 1);
 * - a first request that fails (any problem answer) keeps nothing: a retry runs again.
 *
 * Answers kept are those of the creating request itself; requests without a key behave as before.
 * A key is the caller's own (another user's or key's requests never see it). Rows expire after
 * `IDEMPOTENCY_HOURS`; the hourly `iam.purge` job deletes them.
 */
import { createHash } from "node:crypto"
import { sql } from "kysely"
import { tables } from "../iam/db"
import type { Auth } from "./env"

/** How long a first answer is kept for retries. */
export const IDEMPOTENCY_HOURS = 24
/** A first request still unfinished after this long is taken as abandoned (its process died). */
const ABANDONED_MS = 10 * 60_000

/** A refusal of the key: 409 while the first request runs, 422 when the key names another request. */
export class IdempotencyRefused extends Error {
  constructor(
    readonly status: 409 | 422,
    readonly code: "idempotencyKeyInFlight" | "idempotencyKeyReused",
    message: string,
  ) {
    super(message)
  }
}

/** The caller a key belongs to: "user:<id>" or "api_key:<id>". */
export const principalOf = (auth: Auth) =>
  auth.kind === "api_key" ? `api_key:${auth.apiKeyId}` : `user:${auth.user?.id}`

/** The fingerprint of a request: a key reused for a different one is refused. */
export const fingerprint = (method: string, url: string, body: unknown) => {
  const u = new URL(url)
  return createHash("sha256")
    .update(
      `${method.toUpperCase()} ${u.pathname}${u.search}\n${body === undefined ? "" : JSON.stringify(body)}`,
    )
    .digest("base64url")
}

export interface Kept {
  readonly status: number
  readonly body: unknown
}

/**
 * Run `create` once per (organisation, caller, key): a retry gets the kept answer. `create` answers
 * the status and JSON body to send; a thrown error releases the key.
 */
export const once = async (
  db: Parameters<typeof tables>[0],
  o: { orgId: string; principal: string; key: string; fingerprint: string },
  create: () => Promise<Kept & { readonly keep?: boolean }>,
): Promise<Kept & { replayed: boolean }> => {
  const t = tables(db)
  const where = { org_id: o.orgId, principal: o.principal, key: o.key }
  for (let attempt = 0; attempt < 2; attempt++) {
    const claimed = await t
      .insertInto("iam.idempotency")
      .values({
        ...where,
        request_hash: o.fingerprint,
        expires_at: sql<Date>`now() + make_interval(hours => ${IDEMPOTENCY_HOURS})`,
      })
      .onConflict((oc) => oc.columns(["org_id", "principal", "key"]).doNothing())
      .returning("key")
      .executeTakeFirst()
    if (claimed) {
      let kept: Kept & { readonly keep?: boolean }
      try {
        kept = await create()
      } catch (e) {
        await release(db, where)
        throw e
      }
      if (kept.keep !== false && kept.status >= 200 && kept.status < 300)
        await t
          .updateTable("iam.idempotency")
          .set({ status: kept.status, body: kept.body === undefined ? null : JSON.stringify(kept.body) })
          .where("org_id", "=", o.orgId)
          .where("principal", "=", o.principal)
          .where("key", "=", o.key)
          .execute()
      else await release(db, where)
      return { status: kept.status, body: kept.body, replayed: false }
    }
    const row = await t
      .selectFrom("iam.idempotency")
      .select(["request_hash", "status", "body", "created_at", "expires_at"])
      .where("org_id", "=", o.orgId)
      .where("principal", "=", o.principal)
      .where("key", "=", o.key)
      .executeTakeFirst()
    if (!row) continue // released meanwhile: claim it again
    const expired = new Date(row.expires_at).getTime() <= Date.now()
    const abandoned = row.status === null && Date.now() - new Date(row.created_at).getTime() > ABANDONED_MS
    if (expired || abandoned) {
      await release(db, where)
      continue
    }
    if (row.request_hash !== o.fingerprint)
      throw new IdempotencyRefused(
        422,
        "idempotencyKeyReused",
        "this Idempotency-Key was used for a different request; send a new key for a new request",
      )
    if (row.status === null)
      throw new IdempotencyRefused(
        409,
        "idempotencyKeyInFlight",
        "the first request with this Idempotency-Key is still running; retry in a moment",
      )
    return { status: row.status, body: row.body ?? undefined, replayed: true }
  }
  throw new IdempotencyRefused(
    409,
    "idempotencyKeyInFlight",
    "the first request with this Idempotency-Key is still running; retry in a moment",
  )
}

const release = async (
  db: Parameters<typeof tables>[0],
  w: { org_id: string; principal: string; key: string },
) => {
  await tables(db)
    .deleteFrom("iam.idempotency")
    .where("org_id", "=", w.org_id)
    .where("principal", "=", w.principal)
    .where("key", "=", w.key)
    .execute()
}

/** Delete the kept answers whose time is over (the `iam.purge` job). */
export const purgeExpired = async (db: Parameters<typeof tables>[0]) => {
  await tables(db).deleteFrom("iam.idempotency").where("expires_at", "<", sql<Date>`now()`).execute()
}
