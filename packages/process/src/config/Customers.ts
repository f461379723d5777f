import { type Db, Errors, Id, type Tenancy } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import { SEGMENTS } from "../Case"
import type { CustomerTable } from "../migrations/schema"
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

/** Insert a customer, or update the one with the same external id. */
export const upsertCustomerIn = async (tx: Ex, orgId: string, c: CustomerInput) =>
  (await upsertCustomersIn(tx, orgId, [c]))[0]!

/**
 * Create or update many customers in one statement (matched on external id). Inputs with the
 * same external id are folded in order first (later values win; empty ones keep the earlier),
 * as if they had been upserted one after the other. The result is aligned with the inputs.
 */
export const upsertCustomersIn = async (tx: Ex, orgId: string, inputs: ReadonlyArray<CustomerInput>) => {
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
  const r = await sql<
    CustomerRow & { inserted: boolean }
  >`insert into process.customer (org_id, id, external_id, name, segment, value_tier, contact_frequency,
      need_priority, contacts, dedicated_team)
    select ${orgId}, x.id, x.external_id, x.name, x.segment, x.value_tier, x.contact_frequency, x.need_priority, x.contacts, x.dedicated_team
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(id text, external_id text, name text, segment text, value_tier text,
      contact_frequency text, need_priority text, contacts jsonb, dedicated_team text)
    order by x.external_id -- rows are locked in one order, so two batches cannot deadlock
    on conflict (org_id, external_id) where external_id is not null do update set
      name = excluded.name, segment = excluded.segment,
      value_tier = coalesce(excluded.value_tier, process.customer.value_tier),
      contact_frequency = coalesce(excluded.contact_frequency, process.customer.contact_frequency),
      need_priority = coalesce(excluded.need_priority, process.customer.need_priority),
      contacts = case when excluded.contacts = '[]'::jsonb then process.customer.contacts else excluded.contacts end,
      dedicated_team = coalesce(excluded.dedicated_team, process.customer.dedicated_team), updated_at = now()
    returning *, (xmax = 0) as inserted`.execute(tx)
  const byKey = new Map(r.rows.map((x) => [x.external_id ?? `id:${x.id}`, x]))
  const stored = rows.map((row) => byKey.get((row.external_id as string | null) ?? `id:${row.id}`))
  return inputs.map((_, i) => {
    const x = stored[slot[i]!]!
    return { customer: toCustomer(x), inserted: Boolean(x.inserted) }
  })
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
      after: customer,
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
  return toCustomer(row)
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
  const r = await sql<
    CustomerRow & { cases: number }
  >`select c.*, (select count(*)::int from process.case k where k.org_id = c.org_id and k.customer_id = c.id) as cases
    from process.customer c where c.org_id = ${orgId}
    ${query.q ? sql`and (c.name ilike ${`%${query.q}%`} or c.external_id ilike ${`%${query.q}%`})` : sql``}
    ${query.segment ? sql`and c.segment = ${query.segment}` : sql``}
    ${query.cursor ? sql`and c.id > ${query.cursor}` : sql``}
    order by c.id limit ${limit + 1}`.execute(db.kysely)
  const items = r.rows.slice(0, limit).map((x) => ({ ...toCustomer(x), cases: x.cases }))
  return { items, nextCursor: r.rows.length > limit ? items.at(-1)!.id : null }
}
