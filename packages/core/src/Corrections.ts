/**
 * Corrections (PIPL Art 46, PR-06): a data-subject request to correct personal information is
 * applied by the module that holds it. Each module that stores correctable fields of a customer
 * registers a **corrector** here (a contract in core, so that risk's request queue applies a
 * correction without knowing the module); the API wires them in where the modules are wired.
 * A corrector writes inside the caller's transaction and records what it changed in the audit
 * chain (masked: the chain keeps no personal data in clear).
 *
 * Two kinds of field: a customer's own fields (`name`, `phone`: one value per customer), and
 * **record fields** — a text the customer gave in one record, such as what they wrote in a
 * complaint or a survey comment — named `field@recordId` in a request's corrections. A corrector
 * with record fields lists the customer's records it can correct (`records`), so that the privacy
 * officer picks the record and writes the corrected text.
 *
 * @since 0.8.0
 */

import type { Kysely } from "kysely"
import type { AuditInput } from "./Audit"
import type { Localized } from "./Contracts"
import type { CoreTables } from "./migrations/schema"
import type { OrgContext } from "./Tenancy"

/** What a corrector gets: the transaction and the change's audit writer. @category models @since 0.8.0 */
export interface CorrectionScope {
  /** The caller's transaction (a module sees its own tables through it). */
  readonly tx: Kysely<CoreTables>
  readonly ctx: OrgContext
  readonly audit: (input: AuditInput) => Promise<void>
}

/** One module's corrector. @category models @since 0.8.0 */
export interface Corrector {
  /** The owning module, e.g. `process`. */
  readonly module: string
  /** The data class whose rows it corrects, e.g. `process.customers`. */
  readonly classId: string
  /** The fields it corrects (the keys of a request's `corrections`), with their labels. */
  readonly fields: Readonly<Record<string, Localized>>
  /** Fields of one record, corrected under the key `field@recordId` (see `records`). @since 0.9.0 */
  readonly recordFields?: Readonly<Record<string, Localized>> | undefined
  /** The customer's records this corrector can correct, with the text held now. @since 0.9.0 */
  readonly records?:
    | ((
        scope: Omit<CorrectionScope, "audit">,
        customerId: string,
      ) => Promise<ReadonlyArray<CorrectableRecord>>)
    | undefined
  /**
   * Apply the values (only keys of this corrector are passed: its fields, and `field@recordId` for
   * its record fields) to the customer's data; returns the keys that changed. Throws
   * `CorrectionRefused` naming the key for a value it refuses or a record that is not the customer's.
   */
  readonly apply: (
    scope: CorrectionScope,
    customerId: string,
    values: Readonly<Record<string, string>>,
  ) => Promise<ReadonlyArray<string>>
}

/** One record of a customer whose text can be corrected. @category models @since 0.9.0 */
export interface CorrectableRecord {
  /** The record field, one of the corrector's `recordFields`. */
  readonly field: string
  readonly recordId: string
  /** When the record was made (ISO), to tell the records apart. */
  readonly at: string | null
  /** The text held now (opened: only for those who may see the customer's data). */
  readonly current: string
}

/** The correction key of a record field. @category constructors @since 0.9.0 */
export const recordKey = (field: string, recordId: string): string => `${field}@${recordId}`

/** A correction key split into its field and, for a record field, the record. @category getters @since 0.9.0 */
export const parseKey = (key: string): { readonly field: string; readonly recordId?: string } => {
  const at = key.indexOf("@")
  return at < 0 ? { field: key } : { field: key.slice(0, at), recordId: key.slice(at + 1) }
}

/** A value a corrector refuses (e.g. an empty name), naming the field. @category models @since 0.8.0 */
export class CorrectionRefused extends Error {
  readonly _tag = "CorrectionRefused"
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
  }
}

const correctors = new Map<string, Corrector>()

const names = (c: Corrector) => [...Object.keys(c.fields), ...Object.keys(c.recordFields ?? {})]

/** Register (or replace, by class id) a corrector. @category constructors @since 0.8.0 */
export const register = (c: Corrector): void => {
  for (const f of names(c))
    if (f.includes("@")) throw new Error(`correction field ${f} of ${c.classId} contains "@"`)
  for (const [id, other] of correctors)
    if (id !== c.classId)
      for (const f of names(c))
        if (names(other).includes(f))
          throw new Error(`correction field ${f} is claimed by ${id} and ${c.classId}`)
  correctors.set(c.classId, c)
}

/** Does this corrector take this key (one of its fields, or one of its record fields with a record)? */
const takes = (c: Corrector, key: string) => {
  const { field, recordId } = parseKey(key)
  return recordId === undefined
    ? Object.hasOwn(c.fields, field)
    : !!recordId && Object.hasOwn(c.recordFields ?? {}, field)
}

/** Every registered corrector. @category getters @since 0.8.0 */
export const all = (): ReadonlyArray<Corrector> => [...correctors.values()]

/**
 * Every correctable field with its label and class; `perRecord` for a record field (corrected as
 * `field@recordId`, see `records`).
 * @category getters
 * @since 0.8.0
 */
export const fields = (): ReadonlyArray<{
  field: string
  classId: string
  label: Localized
  perRecord: boolean
}> =>
  all().flatMap((c) => [
    ...Object.entries(c.fields).map(([field, label]) => ({
      field,
      classId: c.classId,
      label,
      perRecord: false,
    })),
    ...Object.entries(c.recordFields ?? {}).map(([field, label]) => ({
      field,
      classId: c.classId,
      label,
      perRecord: true,
    })),
  ])

/** The keys of `values` that no corrector takes. @category getters @since 0.8.0 */
export const unknownFields = (values: Readonly<Record<string, string>>): ReadonlyArray<string> =>
  Object.keys(values).filter((k) => !all().some((c) => takes(c, k)))

/**
 * The customer's records whose text can be corrected, from every corrector that lists some, each with
 * its correction key and the label of its field.
 * @category getters
 * @since 0.9.0
 */
export const records = async (
  scope: Omit<CorrectionScope, "audit">,
  customerId: string,
): Promise<ReadonlyArray<CorrectableRecord & { key: string; classId: string; label: Localized }>> => {
  const out: Array<CorrectableRecord & { key: string; classId: string; label: Localized }> = []
  for (const c of all()) {
    if (!c.records) continue
    for (const r of await c.records(scope, customerId))
      out.push({
        ...r,
        key: recordKey(r.field, r.recordId),
        classId: c.classId,
        label: c.recordFields?.[r.field] ?? { "zh-CN": r.field, en: r.field },
      })
  }
  return out
}

/** What a correction changed, per class. @category models @since 0.8.0 */
export interface Applied {
  readonly classId: string
  readonly fields: ReadonlyArray<string>
}

/**
 * Apply a request's corrections through the correctors that take its fields, in the caller's
 * transaction. Fields no corrector takes are refused (`CorrectionRefused`) before anything is written.
 * @category constructors
 * @since 0.8.0
 */
export const apply = async (
  scope: CorrectionScope,
  customerId: string,
  values: Readonly<Record<string, string>>,
): Promise<ReadonlyArray<Applied>> => {
  const unknown = unknownFields(values)
  if (unknown.length) throw new CorrectionRefused(unknown[0]!, `no module corrects the field ${unknown[0]}`)
  const out: Applied[] = []
  for (const c of all()) {
    const mine = Object.fromEntries(Object.entries(values).filter(([k]) => takes(c, k)))
    if (Object.keys(mine).length === 0) continue
    const changed = await c.apply(scope, customerId, mine)
    out.push({ classId: c.classId, fields: changed })
  }
  return out
}
