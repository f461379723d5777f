// Each organisation's keys in `core.org_key`: data keys by version (one active) and the blind-index
// key, unwrapped with the KEK and cached in memory.
import { randomBytes } from "node:crypto"
import { sql } from "kysely"
import type { Executor } from "../Db"
import * as Config from "./config"
import { EncryptionKeyError, type Kek, unwrapKey, wrapKey } from "./kek"

/** One organisation key as stored. */
export interface StoredKey {
  readonly purpose: "data" | "index"
  readonly version: number
  readonly state: "active" | "retiring" | "retired"
  readonly wrapped: string
  readonly kek_id: string
}

/** An organisation's keys, unwrapped. */
export interface OrgKeys {
  readonly orgId: string
  readonly active: number
  readonly data: ReadonlyMap<number, Buffer>
  /** The active blind-index key and its version. */
  readonly index: Buffer
  readonly indexVersion: number
  /** Index keys a rotation left `retiring` (lookups still try them until the pass is done). */
  readonly retiringIndexes: ReadonlyMap<number, Buffer>
}

const aad = (orgId: string, purpose: string, version: number) => `tenet|${orgId}|${purpose}|${version}`

const unwrapped = new Map<string, Buffer>()
Config.onConfigure(() => unwrapped.clear())

const keks = (): Kek[] => {
  const c = Config.current()
  return c ? [c.current, ...c.previous] : []
}

const unwrap = (orgId: string, k: StoredKey): Buffer => {
  const id = `${orgId}|${k.purpose}|${k.version}|${k.wrapped}`
  let raw = unwrapped.get(id)
  if (!raw) {
    raw = unwrapKey(keks(), k.wrapped, aad(orgId, k.purpose, k.version))
    if (unwrapped.size > 10_000) unwrapped.clear()
    unwrapped.set(id, raw)
  }
  return raw
}

/** The stored keys of an organisation. */
export const readKeys = async (ex: Executor, orgId: string): Promise<StoredKey[]> =>
  (
    await sql<StoredKey>`select purpose, version, state, wrapped, kek_id from core.org_key
      where org_id = ${orgId} order by purpose, version`.execute(ex)
  ).rows

/** Insert a new key (wrapped under the current KEK); false when another process made it first. */
export const insertKey = async (
  ex: Executor,
  orgId: string,
  purpose: "data" | "index",
  version: number,
): Promise<boolean> => {
  const c = Config.current()
  if (!c) throw new EncryptionKeyError("no encryption key is configured (TENET_ENCRYPTION_KEY)")
  const r = await sql`insert into core.org_key (org_id, purpose, version, state, wrapped, kek_id)
    values (${orgId}, ${purpose}, ${version}, 'active', ${wrapKey(c.current, randomBytes(32), aad(orgId, purpose, version))}, ${c.current.id})
    on conflict do nothing`.execute(ex)
  return Number(r.numAffectedRows ?? 0) > 0
}

/**
 * The organisation's keys, created on first use (version 1 of each). Read after the rows they
 * decrypt, so a rotation that started in between is seen.
 */
export const orgKeys = async (ex: Executor, orgId: string): Promise<OrgKeys> => {
  let rows = await readKeys(ex, orgId)
  const has = (p: "data" | "index") => rows.some((r) => r.purpose === p && r.state === "active")
  if (!has("data") || !has("index")) {
    if (!rows.some((r) => r.purpose === "data")) await insertKey(ex, orgId, "data", 1)
    if (!rows.some((r) => r.purpose === "index")) await insertKey(ex, orgId, "index", 1)
    rows = await readKeys(ex, orgId)
  }
  const data = new Map<number, Buffer>()
  let active = 0
  let index: Buffer | undefined
  let indexVersion = 0
  const retiringIndexes = new Map<number, Buffer>()
  for (const r of rows) {
    if (r.purpose === "index") {
      if (r.state === "active") {
        index = unwrap(orgId, r)
        indexVersion = r.version
      } else if (r.state === "retiring") retiringIndexes.set(r.version, unwrap(orgId, r))
      continue
    }
    data.set(r.version, unwrap(orgId, r))
    if (r.state === "active") active = r.version
  }
  if (!active || !index) throw new EncryptionKeyError(`organisation ${orgId} has no active key`)
  return { orgId, active, data, index, indexVersion, retiringIndexes }
}

/**
 * Rewrap every key that an older KEK wrapped under the current one (after the operator moved the
 * old key to `TENET_ENCRYPTION_KEY_PREVIOUS`). Returns how many were rewrapped.
 */
export const rewrapAll = async (ex: Executor): Promise<number> => {
  const c = Config.current()
  if (!c) throw new EncryptionKeyError("no encryption key is configured (TENET_ENCRYPTION_KEY)")
  const old = await sql<
    StoredKey & { org_id: string }
  >`select org_id, purpose, version, state, wrapped, kek_id
    from core.org_key where kek_id <> ${c.current.id}`.execute(ex)
  for (const k of old.rows) {
    const raw = unwrap(k.org_id, k)
    await sql`update core.org_key set wrapped = ${wrapKey(c.current, raw, aad(k.org_id, k.purpose, k.version))},
      kek_id = ${c.current.id} where org_id = ${k.org_id} and purpose = ${k.purpose} and version = ${k.version}`.execute(
      ex,
    )
  }
  return old.rows.length
}

/** Whether any organisation key exists (then a missing KEK is an error, not plaintext mode). */
export const anyKeys = async (ex: Executor): Promise<boolean> =>
  (await sql<{ n: number }>`select count(*)::int as n from core.org_key`.execute(ex)).rows[0]!.n > 0
