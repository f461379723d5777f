// The field cipher a module uses on its rows: seal and open personal fields (AES-256-GCM under the
// organisation's active data key, the key version written into the value) and compute blind
// indexes (HMAC-SHA-256 under the organisation's index key) for exact-match lookups.
import { createHash, createHmac } from "node:crypto"
import type { Executor } from "../Db"
import * as Config from "./config"
import { open as aeadOpen, seal as aeadSeal, EncryptionKeyError } from "./kek"
import { orgKeys } from "./keyring"

/** Every sealed value starts with this; anything else is a value stored in clear. */
export const PREFIX = "tnt1:"

/** What a blind index normalises before hashing. */
export type IndexKind = "phone" | "email" | "text" | "exact"

/**
 * Normalise a value for its blind index. Phone: digits only, a leading 86 / 0086 country code of a
 * mainland number dropped (`+86 138-0013-8000` = `13800138000`). E-mail and text: trimmed, lower case.
 * Exact (identifiers): as given.
 * Written so that SQL can repeat it (migrations fill the unkeyed index of existing rows).
 */
export const normalize = (kind: IndexKind, value: string): string => {
  if (kind === "phone") {
    const d = value.replace(/[^0-9]/g, "")
    if (d.length === 15 && d.startsWith("0086")) return d.slice(4)
    if (d.length === 13 && d.startsWith("86")) return d.slice(2)
    return d
  }
  if (kind === "exact") return value
  return value.trim().toLowerCase()
}

/** The unkeyed index (`p:`), used while no key is configured and for rows not yet converted. */
export const plainIndex = (field: string, kind: IndexKind, value: string): string =>
  `p:${createHash("sha256")
    .update(`${field}|${normalize(kind, value)}`, "utf8")
    .digest("hex")
    .slice(0, 40)}`

/** Seals and opens one organisation's personal fields. */
export interface FieldCipher {
  /** False when no key is configured: values are stored in clear. */
  readonly enabled: boolean
  readonly orgId: string
  /** The active data key version (0 when disabled). */
  readonly activeVersion: number
  /** Seal a value under the active key (the identity when disabled). */
  readonly seal: (field: string, plain: string) => string
  readonly sealNullable: (field: string, plain: string | null | undefined) => string | null
  /** Open a stored value; a value stored in clear is returned as it is. */
  readonly open: (field: string, stored: string) => string
  readonly openNullable: (field: string, stored: string | null | undefined) => string | null
  /** True when the stored value is sealed under the active key (or clear and no key is configured). */
  readonly isCurrent: (stored: string | null | undefined) => boolean
  /** The blind index a row stores for the value. */
  readonly index: (field: string, kind: IndexKind, value: string) => string
  /**
   * The indexes a stored row may carry for the value: the active key's first, then (during an index
   * key rotation) those of the retiring keys, then (during conversion) the unkeyed one.
   */
  readonly lookup: (field: string, kind: IndexKind, value: string) => string[]
  /** What every index under the active index key starts with (`k:` for version 1, `k2:`…, `p:` unkeyed). */
  readonly indexPrefix: string
}

/** The prefix of an index under index key `version` (version 1 keeps the original `k:`). */
export const indexPrefixOf = (version: number): string => (version <= 1 ? "k:" : `k${version}:`)

/** The key version a sealed value was sealed under, or null for a value in clear. */
export const versionOf = (stored: string): number | null => {
  if (!stored.startsWith(PREFIX)) return null
  const v = Number(stored.slice(PREFIX.length, stored.indexOf(":", PREFIX.length)))
  return Number.isInteger(v) ? v : null
}

const aad = (orgId: string, field: string) => `${orgId}|${field}`

/** The cipher while no key is configured: clear values, unkeyed indexes. */
export const disabledCipher = (orgId: string): FieldCipher => {
  const open = (_field: string, stored: string) => {
    if (stored.startsWith(PREFIX))
      throw new EncryptionKeyError(
        "this value is encrypted but no TENET_ENCRYPTION_KEY is configured: set the key the data was encrypted with",
      )
    return stored
  }
  return {
    enabled: false,
    orgId,
    activeVersion: 0,
    seal: (_f, p) => p,
    sealNullable: (_f, p) => p ?? null,
    open,
    openNullable: (f, s) => (s == null ? null : open(f, s)),
    isCurrent: (s) => s == null || !s.startsWith(PREFIX),
    index: plainIndex,
    lookup: (f, k, v) => [plainIndex(f, k, v)],
    indexPrefix: "p:",
  }
}

// Writes run in transactions: there the keys are read once per transaction and reused across
// transactions of this process for KEY_CACHE_MS (reading them cost intake a fifth of its throughput).
// Reads outside a transaction read them every time, so a rotation made elsewhere is seen at once.
// A value sealed under a version the cached keys lack fails with EncryptionKeyError and drops the
// cache; `refreshCipher` then reads the keys again (intake does so for the rows it opens).
const KEY_CACHE_MS = 2000
const recent = new Map<string, { at: number; c: Promise<FieldCipher> }>()
Config.onConfigure(() => recent.clear())
const perTransaction = new WeakMap<object, Map<string, Promise<FieldCipher>>>()

/** Forget the organisation's cached keys (after a rotation in this process). */
export const forgetKeys = (orgId: string): void => {
  recent.delete(orgId)
}

/** The cipher with keys read now, bypassing every cache (and refreshing them). */
export const refreshCipher = (ex: Executor, orgId: string): Promise<FieldCipher> => {
  if (!Config.current()) return Promise.resolve(disabledCipher(orgId))
  const c = makeCipher(ex, orgId)
  recent.set(orgId, { at: Date.now(), c })
  perTransaction.get(ex)?.set(orgId, c)
  return c
}

/**
 * The cipher of an organisation: its keys are read (and created on first use) through `ex`. Call
 * it after reading the rows to open, so a key version made by a rotation in between is known.
 */
export const cipherFor = (ex: Executor, orgId: string): Promise<FieldCipher> => {
  if (!Config.current()) return Promise.resolve(disabledCipher(orgId))
  if (!(ex as { isTransaction?: boolean }).isTransaction) return makeCipher(ex, orgId)
  let byOrg = perTransaction.get(ex)
  if (!byOrg) {
    byOrg = new Map()
    perTransaction.set(ex, byOrg)
  }
  let c = byOrg.get(orgId)
  if (!c) {
    const hit = recent.get(orgId)
    if (hit && hit.at > Date.now() - KEY_CACHE_MS) c = hit.c
    else {
      c = makeCipher(ex, orgId)
      recent.set(orgId, { at: Date.now(), c })
    }
    byOrg.set(orgId, c)
    c.catch(() => {
      byOrg!.delete(orgId)
      recent.delete(orgId)
    })
  }
  return c
}

const makeCipher = async (ex: Executor, orgId: string): Promise<FieldCipher> => {
  const keys = await orgKeys(ex, orgId)
  const activeKey = keys.data.get(keys.active)!
  const seal = (field: string, plain: string) =>
    `${PREFIX}${keys.active}:${aeadSeal(activeKey, Buffer.from(plain, "utf8"), aad(orgId, field)).toString("base64")}`
  const open = (field: string, stored: string) => {
    if (!stored.startsWith(PREFIX)) return stored
    const version = versionOf(stored)
    const key = version === null ? undefined : keys.data.get(version)
    if (!key) {
      recent.delete(orgId) // the next call reads the keys again
      throw new EncryptionKeyError(`no data key version ${version} for organisation ${orgId}`)
    }
    const body = stored.slice(stored.indexOf(":", PREFIX.length) + 1)
    return aeadOpen(key, Buffer.from(body, "base64"), aad(orgId, field)).toString("utf8")
  }
  const hmac = (key: Buffer, version: number, field: string, kind: IndexKind, value: string) =>
    `${indexPrefixOf(version)}${createHmac("sha256", key)
      .update(`${field}|${normalize(kind, value)}`, "utf8")
      .digest("hex")
      .slice(0, 40)}`
  const index = (field: string, kind: IndexKind, value: string) =>
    hmac(keys.index, keys.indexVersion, field, kind, value)
  const older = [...keys.retiringIndexes].sort((a, b) => b[0] - a[0])
  return {
    enabled: true,
    orgId,
    activeVersion: keys.active,
    seal,
    sealNullable: (f, p) => (p == null ? null : seal(f, p)),
    open,
    openNullable: (f, s) => (s == null ? null : open(f, s)),
    isCurrent: (s) => s == null || versionOf(s) === keys.active,
    index,
    lookup: (f, k, v) => [
      index(f, k, v),
      ...older.map(([version, key]) => hmac(key, version, f, k, v)),
      plainIndex(f, k, v),
    ],
    indexPrefix: indexPrefixOf(keys.indexVersion),
  }
}
