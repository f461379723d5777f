import { type Db, Encryption, Errors, Id, type Tenancy } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import { SEGMENTS } from "../Case"
import type { CustomerTable } from "../migrations/schema"
import { FIELDS, maskCustomer, openCustomer, sealCustomer } from "../privacy/fields"
import { change, type Ex, processDb } from "../Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

// ---------------------------------------------------------------------------
// customers
// ---------------------------------------------------------------------------

export interface CustomerInput {
  readonly name: string
  readonly externalId?: string | undefined
  readonly segment?: string | undefined
  readonly valueTier?: string | undefined
  readonly contactFrequency?: string | undefined
  readonly needPriority?: string | undefined
  readonly contacts?: ReadonlyArray<{ channel: string; value: string }> | undefined
  readonly dedicatedTeam?: string | undefined
}

type CustomerRow = Selectable<CustomerTable>

export const toCustomer = (r: CustomerRow) => ({
  id: r.id,
  externalId: r.external_id,
  name: r.name,
  segment: r.segment,
  valueTier: r.value_tier,
  contactFrequency: r.contact_frequency,
  needPriority: r.need_priority,
  // the public shape has always been a mutable array (callers build on it)
  contacts: r.contacts as Array<{ channel: string; value: string }>,
  dedicatedTeam: r.dedicated_team,
  createdAt: r.created_at,
})

/** The longest text a keyed field (indexed column or rollup key) takes, in characters. @since 0.2.0 */
export const MAX_KEY_LENGTH = 200

/** An over-long keyed field (code `maxLength`). */
export const tooLong = (path: ReadonlyArray<string | number>, max = MAX_KEY_LENGTH): Errors.FieldIssue => ({
  path,
  message: `must be at most ${max} characters`,
  code: "maxLength",
  params: { max },
})

export const checkCustomer = (c: CustomerInput, prefix: string[] = []) => {
  const issues: Errors.FieldIssue[] = []
  for (const f of [
    "name",
    "externalId",
    "segment",
    "valueTier",
    "contactFrequency",
    "dedicatedTeam",
  ] as const) {
    const v = c[f]
    if (typeof v === "string" && v.length > MAX_KEY_LENGTH) issues.push(tooLong([...prefix, f]))
  }
  if (!c.name?.trim())
    issues.push({ path: [...prefix, "name"], message: "must not be empty", code: "required" })
  if (c.segment !== undefined && !(SEGMENTS as readonly string[]).includes(c.segment))
    issues.push({
      path: [...prefix, "segment"],
      message: `must be one of ${SEGMENTS.join(", ")}`,
      code: "oneOf",
      params: { values: SEGMENTS.join(", ") },
    })
  return issues
}

// organisations (with their active index key) known to have no external-id index left that is not
// under that key: the conversion pass, or the pass after an index key rotation, is done
const converted = new Set<string>()

/**
 * Customers the conversion pass has not reached yet still carry the unkeyed index of their external
 * id, and after an index key rotation the retiring key's: move the ones this batch names over to the
 * active key's index first, so the upsert finds them (and repeat detection, which works on the
 * customer's id, stays whole).
 */
const moveUnkeyedIndexes = async (
  tx: Ex,
  orgId: string,
  cipher: Encryption.FieldCipher,
  rows: ReadonlyArray<Record<string, unknown>>,
) => {
  const done = `${orgId}|${cipher.indexPrefix}`
  if (converted.has(done)) return
  const left = await sql<{ any: boolean }>`select exists (select 1 from process.customer
    where org_id = ${orgId} and external_id_bidx not like ${`${cipher.indexPrefix}%`}) as any`.execute(tx)
  if (!left.rows[0]?.any) {
    converted.add(done)
    return
  }
  const moves = rows.flatMap((row) => {
    if (typeof row.external_id !== "string") return []
    const [k, ...older] = cipher.lookup(FIELDS.externalId, "exact", row.external_id)
    return older.map((p) => ({ p, k: k! }))
  })
  if (moves.length)
    await sql`update process.customer c set external_id_bidx = x.k
      from json_to_recordset(${JSON.stringify(moves)}::json) as x(p text, k text)
      where c.org_id = ${orgId} and c.external_id_bidx = x.p`.execute(tx)
}

/** Insert a customer, or update the one with the same external id. */
export const upsertCustomerIn = async (tx: Ex, orgId: string, c: CustomerInput) =>
  (await upsertCustomersIn(tx, orgId, [c]))[0]!

/**
 * Create or update many customers in one statement (matched on external id). Inputs with the
 * same external id are folded in order first (later values win; empty ones keep the earlier),
 * as if they had been upserted one after the other. The result is aligned with the inputs.
 */
export const upsertCustomersIn = async (tx: Ex, orgId: string, inputs: ReadonlyArray<CustomerInput>) => {
  if (inputs.length === 0) return []
  const cipher = await Encryption.cipherFor(tx, orgId)
  const groups = new Map<string, number>()
  const rows: Array<Record<string, unknown>> = []
  const slot: number[] = []
  for (const c of inputs) {
    const fields = {
      name: c.name.trim(),
      segment: c.segment ?? "new",
      value_tier: c.valueTier ?? null,
      contact_frequency: c.contactFrequency ?? null,
      need_priority: c.needPriority ?? null,
      contacts: c.contacts ?? [],
      dedicated_team: c.dedicatedTeam ?? null,
    }
    const g = c.externalId ? groups.get(c.externalId) : undefined
    if (g !== undefined) {
      const r = rows[g]!
      r.name = fields.name
      r.segment = fields.segment
      for (const k of ["value_tier", "contact_frequency", "need_priority", "dedicated_team"] as const)
        if (fields[k] !== null) r[k] = fields[k]
      if (fields.contacts.length) r.contacts = fields.contacts
      slot.push(g)
      continue
    }
    const row = { id: Id.make("cus"), external_id: c.externalId ?? null, ...fields }
    if (c.externalId) groups.set(c.externalId, rows.length)
    slot.push(rows.length)
    rows.push(row)
  }
  if (rows.length === 0) return []
  // personal fields sealed, with their blind indexes (the external id's is the conflict target)
  const sealed = rows.map((row) => ({
    id: row.id as string,
    ...row,
    ...sealCustomer(cipher, {
      name: row.name as string,
      externalId: row.external_id as string | null,
      contacts: row.contacts as Array<{ channel: string; value: string }>,
    }),
  }))
  if (cipher.enabled) await moveUnkeyedIndexes(tx, orgId, cipher, rows)
  const r = await sql<
    CustomerRow & { inserted: boolean }
  >`insert into process.customer (org_id, id, external_id, name, segment, value_tier, contact_frequency,
      need_priority, contacts, dedicated_team, external_id_bidx, name_bidx, contact_bidx)
    select ${orgId}, x.id, x.external_id, x.name, x.segment, x.value_tier, x.contact_frequency, x.need_priority, x.contacts, x.dedicated_team,
      x.external_id_bidx, x.name_bidx, coalesce(x.contact_bidx, '{}')
    from json_to_recordset(${JSON.stringify(sealed)}::json) as x(id text, external_id text, name text, segment text, value_tier text,
      contact_frequency text, need_priority text, contacts jsonb, dedicated_team text, external_id_bidx text, name_bidx text,
      contact_bidx text[])
    order by x.external_id_bidx -- rows are locked in one order, so two batches cannot deadlock
    on conflict (org_id, external_id_bidx) where external_id_bidx is not null do update set
      name = excluded.name, name_bidx = excluded.name_bidx, segment = excluded.segment,
      value_tier = coalesce(excluded.value_tier, process.customer.value_tier),
      contact_frequency = coalesce(excluded.contact_frequency, process.customer.contact_frequency),
      need_priority = coalesce(excluded.need_priority, process.customer.need_priority),
      contacts = case when excluded.contacts = '[]'::jsonb then process.customer.contacts else excluded.contacts end,
      contact_bidx = case when excluded.contacts = '[]'::jsonb then process.customer.contact_bidx else excluded.contact_bidx end,
      dedicated_team = coalesce(excluded.dedicated_team, process.customer.dedicated_team), updated_at = now()
    returning *, (xmax = 0) as inserted`.execute(tx)
  const byKey = new Map(r.rows.map((x) => [x.external_id_bidx ?? `id:${x.id}`, x]))
  const stored = sealed.map((row) => byKey.get(row.external_id_bidx ?? `id:${row.id}`))
  const open = (c: Encryption.FieldCipher) =>
    inputs.map((_, i) => {
      const x = stored[slot[i]!]!
      return { customer: openCustomer(c, toCustomer(x)), inserted: Boolean(x.inserted) }
    })
  try {
    return open(cipher)
  } catch (e) {
    // a stored value sealed under a key version made after the keys were cached: read them again
    if (!(e instanceof Encryption.EncryptionKeyError)) throw e
    return open(await Encryption.refreshCipher(tx, orgId))
  }
}

export const createCustomer = async (db: Database, ctx: Ctx, input: CustomerInput) => {
  const issues = checkCustomer(input)
  if (issues.length) throw new Errors.ValidationError({ message: "invalid customer", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const { customer, inserted } = await upsertCustomerIn(tx, ctx.orgId, input)
    await audit({
      action: inserted ? "customer.created" : "customer.updated",
      entityType: "customer",
      entityId: customer.id,
      // the audit chain keeps no personal data in clear
      after: maskCustomer(customer),
    })
    return customer
  })
}

/**
 * Edit a customer by id: the fields given replace the stored ones (contacts as a whole list); the
 * external id cannot be taken from another customer.
 * @since 0.7.0
 */
export const updateCustomer = async (db: Database, ctx: Ctx, id: string, patch: Partial<CustomerInput>) => {
  // the name is checked when it is given (an edit may leave it as it is)
  const issues = checkCustomer({ ...patch, name: patch.name ?? "-" })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid customer", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .selectFrom("process.customer")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!row) throw new Errors.NotFoundError({ entity: "customer", id })
    const cipher = await Encryption.cipherFor(tx, ctx.orgId)
    const before = openCustomer(cipher, toCustomer(row))
    const after = {
      name: patch.name?.trim() ?? before.name,
      externalId: patch.externalId === undefined ? before.externalId : patch.externalId || null,
      contacts: patch.contacts ? [...patch.contacts] : before.contacts,
    }
    const sealed = sealCustomer(cipher, after)
    if (after.externalId !== before.externalId && sealed.external_id_bidx) {
      const taken = await sql`select 1 from process.customer where org_id = ${ctx.orgId} and id <> ${id}
        and external_id_bidx = ${sealed.external_id_bidx}`.execute(tx)
      if (taken.rows.length)
        throw new Errors.ConflictError({
          message: "another customer has this external id",
          field: "externalId",
          code: "externalIdTaken",
        })
    }
    const r =
      await sql<CustomerRow>`update process.customer set name = ${sealed.name}, name_bidx = ${sealed.name_bidx},
      external_id = ${sealed.external_id}, external_id_bidx = ${sealed.external_id_bidx},
      contacts = ${JSON.stringify(sealed.contacts)}::jsonb, contact_bidx = array(select jsonb_array_elements_text(${JSON.stringify(sealed.contact_bidx)}::jsonb)),
      segment = ${patch.segment ?? before.segment}, value_tier = ${patch.valueTier === undefined ? before.valueTier : patch.valueTier || null},
      contact_frequency = ${patch.contactFrequency === undefined ? before.contactFrequency : patch.contactFrequency || null},
      need_priority = ${patch.needPriority === undefined ? before.needPriority : patch.needPriority || null},
      dedicated_team = ${patch.dedicatedTeam === undefined ? before.dedicatedTeam : patch.dedicatedTeam || null},
      updated_at = now()
      where org_id = ${ctx.orgId} and id = ${id} returning *`.execute(tx)
    const customer = openCustomer(cipher, toCustomer(r.rows[0]!))
    await audit({
      action: "customer.updated",
      entityType: "customer",
      entityId: id,
      before: maskCustomer(before),
      after: maskCustomer(customer),
    })
    return customer
  })
}

export const getCustomer = async (db: Database, orgId: string, id: string) => {
  const row = await processDb(db)
    .selectFrom("process.customer")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!row) throw new Errors.NotFoundError({ entity: "customer", id })
  return openCustomer(await Encryption.cipherFor(db.kysely, orgId), toCustomer(row))
}

export const listCustomers = async (
  db: Database,
  orgId: string,
  query: {
    q?: string | undefined
    segment?: string | undefined
    limit?: number | undefined
    cursor?: string | undefined
  },
) => {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200)
  const cipher = await Encryption.cipherFor(db.kysely, orgId)
  const r = await sql<
    CustomerRow & { cases: number }
  >`select c.*, (select count(*)::int from process.case k where k.org_id = c.org_id and k.customer_id = c.id) as cases
    from process.customer c where c.org_id = ${orgId}
    ${query.q ? sql`and (${searchCondition(cipher, query.q)})` : sql``}
    ${query.segment ? sql`and c.segment = ${query.segment}` : sql``}
    ${query.cursor ? sql`and c.id > ${query.cursor}` : sql``}
    order by c.id limit ${limit + 1}`.execute(db.kysely)
  const open = await Encryption.cipherFor(db.kysely, orgId)
  const items = r.rows.slice(0, limit).map((x) => ({ ...openCustomer(open, toCustomer(x)), cases: x.cases }))
  return { items, nextCursor: r.rows.length > limit ? items.at(-1)!.id : null }
}

const anyOf = (xs: ReadonlyArray<string>) => sql`(${sql.join(xs)})`

/**
 * A customer search: exact name, external id, phone or e-mail through the blind indexes; in clear
 * (no key configured) also a substring of the name or external id. Encrypted values cannot be
 * searched by substring.
 */
const searchCondition = (cipher: Encryption.FieldCipher, q: string) => {
  const exact = sql`c.name_bidx in ${anyOf(cipher.lookup(FIELDS.name, "text", q))}
    or c.external_id_bidx in ${anyOf(cipher.lookup(FIELDS.externalId, "exact", q))}
    or c.contact_bidx && array[${sql.join([
      ...cipher.lookup(FIELDS.contact, "phone", q),
      ...cipher.lookup(FIELDS.contact, "email", q),
      ...cipher.lookup(FIELDS.contact, "text", q),
    ])}]::text[]`
  return cipher.enabled ? exact : sql`${exact} or c.name ilike ${`%${q}%`} or c.external_id ilike ${`%${q}%`}`
}

/**
 * The customers with exactly this phone number, e-mail address or external id (through the blind
 * indexes: works with encryption on; `+86 138-0013-8000` finds `13800138000`).
 * @since 0.6.0
 */
export const findCustomers = async (
  db: Database,
  orgId: string,
  by: { phone?: string | undefined; email?: string | undefined; externalId?: string | undefined },
) => {
  const cipher = await Encryption.cipherFor(db.kysely, orgId)
  const conds = [
    ...(by.phone
      ? [sql`c.contact_bidx && array[${sql.join(cipher.lookup(FIELDS.contact, "phone", by.phone))}]::text[]`]
      : []),
    ...(by.email
      ? [sql`c.contact_bidx && array[${sql.join(cipher.lookup(FIELDS.contact, "email", by.email))}]::text[]`]
      : []),
    ...(by.externalId
      ? [sql`c.external_id_bidx in ${anyOf(cipher.lookup(FIELDS.externalId, "exact", by.externalId))}`]
      : []),
  ]
  if (conds.length === 0) return []
  const r = await sql<CustomerRow>`select c.* from process.customer c where c.org_id = ${orgId}
    and (${sql.join(conds, sql` or `)}) order by c.id limit 50`.execute(db.kysely)
  const open = await Encryption.cipherFor(db.kysely, orgId)
  return r.rows.map((x) => openCustomer(open, toCustomer(x)))
}
