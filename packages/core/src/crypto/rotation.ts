// Encrypted tables declared by the modules, and the job that brings every row under the active key:
// it converts rows stored in clear (after a key is first configured) and re-encrypts rows sealed
// under an older data key (after a rotation), in small batches, one transaction each, while the
// product keeps running (reads open any version still in `core.org_key`).
import { type RawBuilder, sql } from "kysely"
import type { Database } from "../Db"
import { cipherFor, type FieldCipher, forgetKeys, refreshCipher } from "./cipher"
import * as Config from "./config"
import { EncryptionKeyError } from "./kek"
import { insertKey } from "./keyring"

/** A table with personal fields, declared by the module that owns it. */
export interface EncryptedTable {
  /** Schema-qualified, e.g. `process.customer`. Every table keys rows by `org_id` first. */
  readonly table: string
  /** The rest of the primary key after `org_id`, e.g. `["id"]`. */
  readonly key: ReadonlyArray<string>
  /** The columns `reseal` reads and may write. */
  readonly columns: ReadonlyArray<string>
  /**
   * The rows that may need work under the active version `v` (sealed under another version or in
   * clear), or whose blind indexes do not start with `indexPrefix` (the active index key's, after an
   * index key rotation), as a SQL condition: a pass reads only those. A superset is fine; `reseal` decides.
   */
  readonly pending?: (v: number, indexPrefix: string) => RawBuilder<unknown>
  /** The row's new column values under `cipher` (sealed, indexes recomputed), or null when current. */
  readonly reseal: (
    row: Readonly<Record<string, unknown>>,
    cipher: FieldCipher,
  ) => Record<string, unknown> | null
}

/** Open a stored text and seal it again when it is not under the active key (null when current). */
export const resealText = (
  cipher: FieldCipher,
  field: string,
  stored: unknown,
): string | null | undefined => {
  if (typeof stored !== "string" || cipher.isCurrent(stored)) return undefined
  return cipher.seal(field, cipher.open(field, stored))
}

/** What a pass over the tables did. */
export interface ReencryptReport {
  readonly scanned: number
  readonly updated: number
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(name)) throw new Error(`bad identifier ${name}`)
  return sql.raw(name)
}

/**
 * One pass over one organisation's rows of one table, `batch` rows per transaction (at most
 * `maxBatches` of them: a pass may be spread out).
 */
export const reencryptTable = async (
  db: Database,
  orgId: string,
  t: EncryptedTable,
  batch = 200,
  maxBatches = Number.POSITIVE_INFINITY,
): Promise<ReencryptReport> => {
  let batches = 0
  let cursor: unknown[] | null = null
  let scanned = 0
  let updated = 0
  const keyList = sql.join(t.key.map(ident))
  const cols = sql.join([...t.key, ...t.columns].map(ident))
  for (;;) {
    const done: boolean = await db.kysely.transaction().execute(async (tx) => {
      // keys read now (not the write cache): the pass must seal under the version active now
      const cipher = await refreshCipher(tx, orgId)
      if (!cipher.enabled) return true
      const rows = (
        await sql<Record<string, unknown>>`select ${cols} from ${ident(t.table)} where org_id = ${orgId}
          ${t.pending ? sql`and ${t.pending(cipher.activeVersion, cipher.indexPrefix)}` : sql``}
          ${cursor ? sql`and (${keyList}) > (${sql.join(cursor)})` : sql``}
          order by ${keyList} limit ${batch} for update`.execute(tx)
      ).rows
      if (rows.length === 0) return true
      for (const row of rows) {
        const next = t.reseal(row, cipher)
        if (!next || Object.keys(next).length === 0) continue
        const sets = sql.join(Object.entries(next).map(([c, v]) => sql`${ident(c)} = ${v}`))
        const where = sql.join(
          t.key.map((k) => sql`${ident(k)} = ${row[k]}`),
          sql` and `,
        )
        await sql`update ${ident(t.table)} set ${sets} where org_id = ${orgId} and ${where}`.execute(tx)
        updated++
      }
      scanned += rows.length
      cursor = t.key.map((k) => rows.at(-1)![k])
      return rows.length < batch
    })
    if (done || ++batches >= maxBatches) return { scanned, updated }
  }
}

/** The organisations (every one, or the one given). */
const orgsOf = async (db: Database, orgId?: string): Promise<string[]> =>
  orgId
    ? [orgId]
    : (await sql<{ id: string }>`select id from core.organization order by id`.execute(db.kysely)).rows.map(
        (r) => r.id,
      )

/**
 * Bring every row of the tables under each organisation's active key (converting rows in clear,
 * re-encrypting older versions), then mark the keys a rotation left `retiring` as `retired` once a
 * pass finds nothing left to do. Safe to run at any time and from several processes.
 */
export const reencrypt = async (
  db: Database,
  tables: ReadonlyArray<EncryptedTable>,
  options: { orgId?: string; batch?: number; onProgress?: (line: string) => void } = {},
): Promise<ReencryptReport> => {
  if (!Config.current())
    throw new EncryptionKeyError("no encryption key is configured (TENET_ENCRYPTION_KEY)")
  let scanned = 0
  let updated = 0
  for (const org of await orgsOf(db, options.orgId)) {
    // until a pass changes nothing: a writer holding the old key while the first pass ran is caught
    for (let pass = 0; pass < 5; pass++) {
      let changed = 0
      for (const t of tables) {
        const r = await reencryptTable(db, org, t, options.batch)
        scanned += r.scanned
        changed += r.updated
        options.onProgress?.(`${org} ${t.table}: ${r.scanned} rows read, ${r.updated} re-encrypted`)
      }
      updated += changed
      if (changed === 0) {
        await sql`update core.org_key set state = 'retired', retired_at = now()
          where org_id = ${org} and state = 'retiring'`.execute(db.kysely)
        break
      }
    }
  }
  return { scanned, updated }
}

/**
 * Start a rotation: a new data key version becomes active (new writes use it at once), the old
 * one `retiring` (still opens what it sealed). Then `reencrypt` moves the rows. Returns the new
 * version per organisation.
 */
export const rotateDataKeys = async (db: Database, orgId?: string): Promise<Record<string, number>> =>
  rotateKeys(db, "data", orgId)

/**
 * Start a rotation of the blind-index key: a new index key version becomes active (new writes index
 * under it), the old one `retiring`: lookups try both, so intake, repeat detection and lookups by
 * phone keep finding rows the pass has not reached. Then `reencrypt` recomputes every index (the
 * tables' `reseal` compares each index with the active key's) and retires the old key. Returns the
 * new version per organisation.
 */
export const rotateIndexKeys = async (db: Database, orgId?: string): Promise<Record<string, number>> =>
  rotateKeys(db, "index", orgId)

/** A new active key version of one purpose per organisation; the active one becomes `retiring`. */
const rotateKeys = async (
  db: Database,
  purpose: "data" | "index",
  orgId?: string,
): Promise<Record<string, number>> => {
  const c = Config.current()
  if (!c) throw new EncryptionKeyError("no encryption key is configured (TENET_ENCRYPTION_KEY)")
  const out: Record<string, number> = {}
  for (const org of await orgsOf(db, orgId)) {
    out[org] = await db.kysely.transaction().execute(async (tx) => {
      await cipherFor(tx, org) // version 1 exists
      const keys = await sql<{
        version: number
      }>`select version from core.org_key where org_id = ${org} and purpose = ${purpose} order by version for update`.execute(
        tx,
      )
      const next = Math.max(...keys.rows.map((k) => k.version)) + 1
      await sql`update core.org_key set state = 'retiring' where org_id = ${org} and purpose = ${purpose} and state = 'active'`.execute(
        tx,
      )
      await insertKey(tx, org, purpose, next)
      return next
    })
    forgetKeys(org)
  }
  return out
}

/** How many rows of each table are not yet under the active key (what `reencrypt` would touch). */
export const pending = async (
  db: Database,
  tables: ReadonlyArray<EncryptedTable>,
  orgId: string,
): Promise<Record<string, number>> => {
  const out: Record<string, number> = {}
  for (const t of tables) {
    const cols = sql.join([...t.key, ...t.columns].map(ident))
    const rows = (
      await sql<
        Record<string, unknown>
      >`select ${cols} from ${ident(t.table)} where org_id = ${orgId}`.execute(db.kysely)
    ).rows
    const cipher = await cipherFor(db.kysely, orgId)
    out[t.table] = cipher.enabled ? rows.filter((r) => t.reseal(r, cipher) !== null).length : 0
  }
  return out
}
