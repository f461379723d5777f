/**
 * Corrections (PIPL Art 46, PR-06): a data-subject request to correct personal information is
 * applied by the module that holds it. Each module that stores correctable fields of a customer
 * registers a **corrector** here (a contract in core, so that risk's request queue applies a
 * correction without knowing the module); the API wires them in where the modules are wired.
 * A corrector writes inside the caller's transaction and records what it changed in the audit
 * chain (masked: the chain keeps no personal data in clear).
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
  /**
   * Apply the values (only fields of this corrector are passed) to the customer's data; returns
   * the fields that changed. Throws `UnknownCustomer` when the module holds no such customer.
   */
  readonly apply: (
    scope: CorrectionScope,
    customerId: string,
    values: Readonly<Record<string, string>>,
  ) => Promise<ReadonlyArray<string>>
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

/** Register (or replace, by class id) a corrector. @category constructors @since 0.8.0 */
export const register = (c: Corrector): void => {
  for (const [id, other] of correctors)
    if (id !== c.classId)
      for (const f of Object.keys(c.fields))
        if (f in other.fields) throw new Error(`correction field ${f} is claimed by ${id} and ${c.classId}`)
  correctors.set(c.classId, c)
}

/** Every registered corrector. @category getters @since 0.8.0 */
export const all = (): ReadonlyArray<Corrector> => [...correctors.values()]

/** Every correctable field with its label and class. @category getters @since 0.8.0 */
export const fields = (): ReadonlyArray<{ field: string; classId: string; label: Localized }> =>
  all().flatMap((c) =>
    Object.entries(c.fields).map(([field, label]) => ({ field, classId: c.classId, label })),
  )

/** The fields of `values` that no corrector takes. @category getters @since 0.8.0 */
export const unknownFields = (values: Readonly<Record<string, string>>): ReadonlyArray<string> => {
  const known = new Set(fields().map((f) => f.field))
  return Object.keys(values).filter((f) => !known.has(f))
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
    const mine = Object.fromEntries(Object.entries(values).filter(([f]) => f in c.fields))
    if (Object.keys(mine).length === 0) continue
    const changed = await c.apply(scope, customerId, mine)
    out.push({ classId: c.classId, fields: changed })
  }
  return out
}
