/**
 * What admins configure: settings (priority matrix, reopen and repeat windows), business
 * calendars, SLA policies (ordered, versioned), and customers.
 *
 * @since 0.1.0
 */
import { explainAddBusinessTime } from "@tenet/calendar"
import { chinaMainland } from "@tenet/calendar/presets/cn"
import { type Db, Errors, Id, type Tenancy } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import {
  DEFAULT_PRIORITY_MATRIX,
  LEVELS,
  MAX_SLA_SECONDS,
  type MatchFacts,
  matchPolicy,
  type PolicyDefinition,
  PRIORITIES,
  type PriorityMatrix,
  SEGMENTS,
  validatePolicy,
} from "./Case"
import type { CalendarTable, CustomerTable, SlaPolicyTable } from "./migrations/schema"
import {
  change,
  compileSpec,
  type Ex,
  loadCalendar,
  loadPolicies,
  loadSettings,
  onCalendar,
  processDb,
  toCalendarRecord,
  toPolicy,
} from "./Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

const H = 3600

// ---------------------------------------------------------------------------
// defaults (seed targets)
// ---------------------------------------------------------------------------

/** The seed targets (domain.md §A3): inquiry 15 min response and 30 min record; problems 24 h; complex 48 h; surveys 24 h after resolution. */
export const defaultPolicies = (
  calendarId: string,
): Array<{ name: string; definition: PolicyDefinition }> => {
  const escalations = [
    { afterSeconds: 0, action: "notify" as const },
    { afterSeconds: 4 * H, action: "raise_tier" as const },
  ]
  return [
    {
      name: "咨询 · Inquiry",
      definition: {
        conditions: { type: ["inquiry"] },
        calendarId,
        targets: { first_response: 15 * 60, initial_record: 30 * 60, resolution: 8 * H, follow_up: 24 * H },
        pauseStatuses: ["pending_customer", "pending_third_party"],
        warnAt: 0.8,
        escalations,
      },
    },
    {
      name: "复杂问题 · Complex problem (L2/L3)",
      definition: {
        conditions: { type: ["problem"], tier: ["L2", "L3"] },
        calendarId,
        targets: { first_response: 48 * H, initial_record: 30 * 60, resolution: 80 * H, follow_up: 24 * H },
        pauseStatuses: ["pending_customer", "pending_third_party"],
        warnAt: 0.8,
        escalations,
      },
    },
    {
      name: "问题 · Problem",
      definition: {
        conditions: { type: ["problem", "request"] },
        calendarId,
        targets: {
          first_response: 24 * H,
          initial_record: 30 * 60,
          next_reply: 8 * H,
          resolution: 40 * H,
          follow_up: 24 * H,
        },
        pauseStatuses: ["pending_customer", "pending_third_party"],
        warnAt: 0.8,
        escalations,
      },
    },
    {
      name: "投诉 · Complaint",
      definition: {
        conditions: { type: ["complaint"] },
        calendarId,
        targets: { first_response: 24 * H, initial_record: 30 * 60, resolution: 40 * H, follow_up: 24 * H },
        pauseStatuses: ["pending_third_party"],
        warnAt: 0.75,
        escalations: [...escalations, { afterSeconds: 8 * H, action: "reassign", team: "complaints" }],
      },
    },
  ]
}

/** Give an organisation its settings, calendars and seed policies once. Idempotent. */
const withDefaults = new WeakMap<Database, Set<string>>()

export const ensureDefaults = async (db: Database, ctx: Ctx): Promise<void> => {
  const known = withDefaults.get(db) ?? new Set<string>()
  withDefaults.set(db, known)
  if (known.has(ctx.orgId)) return
  const existing = await sql`select 1 from process.settings where org_id = ${ctx.orgId}`.execute(db.kysely)
  if (existing.rows.length > 0) {
    known.add(ctx.orgId)
    return
  }
  await change(db, ctx, async ({ tx, audit }) => {
    const inserted = await sql`insert into process.settings (org_id, priority_matrix) values (${ctx.orgId},
      ${JSON.stringify(DEFAULT_PRIORITY_MATRIX)}::jsonb) on conflict do nothing`.execute(tx)
    if (Number(inserted.numAffectedRows ?? 0) === 0) return
    const office = Id.make("cal")
    const always = Id.make("cal")
    const all = [["00:00", "24:00"]] as const
    await sql`insert into process.calendar (org_id, id, name, spec) values
      (${ctx.orgId}, ${office}, ${"中国大陆工作日 · China office hours"}, ${JSON.stringify(chinaMainland())}::jsonb),
      (${ctx.orgId}, ${always}, ${"7×24"}, ${JSON.stringify({
        timeZone: "Asia/Shanghai",
        hours: { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all },
      })}::jsonb)`.execute(tx)
    let position = 1
    for (const p of defaultPolicies(office)) {
      const id = Id.make("sla")
      await sql`insert into process.sla_policy (org_id, id, name, position, definition)
        values (${ctx.orgId}, ${id}, ${p.name}, ${position}, ${JSON.stringify(p.definition)}::jsonb)`.execute(
        tx,
      )
      await sql`insert into process.sla_policy_version (org_id, policy_id, version, name, definition)
        values (${ctx.orgId}, ${id}, 1, ${p.name}, ${JSON.stringify(p.definition)}::jsonb)`.execute(tx)
      position++
    }
    await audit({
      action: "process.defaults_created",
      entityType: "process_settings",
      entityId: ctx.orgId,
      after: { calendars: 2, policies: 4 },
    })
  })
}

// ---------------------------------------------------------------------------
// settings
// ---------------------------------------------------------------------------

export const getSettings = (db: Database, orgId: string) => loadSettings(processDb(db), orgId)

export const updateSettings = async (
  db: Database,
  ctx: Ctx,
  patch: {
    priorityMatrix?: PriorityMatrix | undefined
    reopenWindowDays?: number | undefined
    repeatWindowDays?: number | undefined
  },
) => {
  const issues: Errors.FieldIssue[] = []
  if (patch.priorityMatrix)
    for (const u of LEVELS)
      for (const i of LEVELS)
        if (!(PRIORITIES as readonly string[]).includes(patch.priorityMatrix[u]?.[i] as string))
          issues.push({
            path: ["priorityMatrix", u, i],
            message: `must be one of ${PRIORITIES.join(", ")}`,
            code: "oneOf",
            params: { values: PRIORITIES.join(", ") },
          })
  for (const k of ["reopenWindowDays", "repeatWindowDays"] as const)
    if (patch[k] !== undefined && !(Number.isInteger(patch[k]) && patch[k]! >= 0 && patch[k]! <= 365))
      issues.push({
        path: [k],
        message: "must be a whole number of days between 0 and 365",
        code: "dayRange",
        params: { min: 0, max: 365 },
      })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid settings", issues })
  await ensureDefaults(db, ctx)
  return change(db, ctx, async ({ tx, audit }) => {
    const before = await loadSettings(tx, ctx.orgId)
    const after = {
      priorityMatrix: patch.priorityMatrix ?? before.priorityMatrix,
      reopenWindowDays: patch.reopenWindowDays ?? before.reopenWindowDays,
      repeatWindowDays: patch.repeatWindowDays ?? before.repeatWindowDays,
    }
    await sql`update process.settings set priority_matrix = ${JSON.stringify(after.priorityMatrix)}::jsonb,
      reopen_window_days = ${after.reopenWindowDays}, repeat_window_days = ${after.repeatWindowDays}, updated_at = now()
      where org_id = ${ctx.orgId}`.execute(tx)
    await audit({
      action: "process.settings_updated",
      entityType: "process_settings",
      entityId: ctx.orgId,
      before,
      after,
    })
    return after
  })
}

// ---------------------------------------------------------------------------
// calendars
// ---------------------------------------------------------------------------

export const listCalendars = async (db: Database, orgId: string) =>
  (
    await processDb(db)
      .selectFrom("process.calendar")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("name")
      .execute()
  ).map(toCalendarRecord)

export const getCalendar = async (db: Database, orgId: string, id: string) =>
  (await loadCalendar(processDb(db), orgId, id)).record

export const createCalendar = async (db: Database, ctx: Ctx, input: { name: string; spec: unknown }) => {
  if (!input.name.trim())
    throw new Errors.ValidationError({
      message: "invalid calendar",
      issues: [{ path: ["name"], message: "must not be empty", code: "required" }],
    })
  compileSpec(input.spec)
  const id = Id.make("cal")
  return change(db, ctx, async ({ tx, audit }) => {
    const r =
      await sql<CalendarRow>`insert into process.calendar (org_id, id, name, spec) values (${ctx.orgId}, ${id}, ${input.name.trim()},
      ${JSON.stringify(input.spec)}::jsonb) returning *`.execute(tx)
    const rec = toCalendarRecord(r.rows[0]!)
    await audit({
      action: "calendar.created",
      entityType: "calendar",
      entityId: id,
      after: { name: rec.name, spec: rec.spec },
    })
    return rec
  })
}

export const updateCalendar = async (
  db: Database,
  ctx: Ctx,
  id: string,
  input: { name?: string | undefined; spec?: unknown },
) => {
  if (input.name !== undefined && !input.name.trim())
    throw new Errors.ValidationError({
      message: "invalid calendar",
      issues: [{ path: ["name"], message: "must not be empty", code: "required" }],
    })
  if (input.spec !== undefined) compileSpec(input.spec)
  return change(db, ctx, async ({ tx, audit }) => {
    const before = await tx
      .selectFrom("process.calendar")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!before) throw new Errors.NotFoundError({ entity: "calendar", id })
    const r =
      await sql<CalendarRow>`update process.calendar set name = coalesce(${input.name?.trim() ?? null}, name),
      spec = coalesce(${input.spec === undefined ? null : JSON.stringify(input.spec)}::jsonb, spec),
      version = version + 1, updated_at = now() where org_id = ${ctx.orgId} and id = ${id} returning *`.execute(
        tx,
      )
    const rec = toCalendarRecord(r.rows[0]!)
    await audit({
      action: "calendar.updated",
      entityType: "calendar",
      entityId: id,
      before: toCalendarRecord(before),
      after: rec,
    })
    return rec
  })
}

/** "A case received at `from` would be due at …, because …". */
export const previewDue = async (
  db: Database,
  orgId: string,
  input: { calendarId?: string | undefined; spec?: unknown; from: Date; seconds: number },
) => {
  const calendar =
    input.spec !== undefined
      ? compileSpec(input.spec)
      : (await loadCalendar(processDb(db), orgId, input.calendarId ?? "")).calendar
  if (!(Number.isInteger(input.seconds) && input.seconds >= 0 && input.seconds <= MAX_SLA_SECONDS))
    throw new Errors.ValidationError({
      message: "invalid preview",
      issues: [
        {
          path: ["seconds"],
          message: `must be a whole number from 0 to ${MAX_SLA_SECONDS}`,
          code: "wholeRange",
          params: { min: 0, max: MAX_SLA_SECONDS },
        },
      ],
    })
  const e = onCalendar(["from"], () => explainAddBusinessTime(calendar, input.from, input.seconds))
  return {
    from: e.from.toISOString(),
    seconds: e.seconds,
    due: e.due.toISOString(),
    timeZone: e.timeZone,
    periods: e.periods.map((p) => ({
      start: p.start.toISOString(),
      end: p.end.toISOString(),
      seconds: p.seconds,
    })),
    days: e.days,
  }
}

// ---------------------------------------------------------------------------
// policies
// ---------------------------------------------------------------------------

export const listPolicies = (db: Database, orgId: string) => loadPolicies(processDb(db), orgId)

const checkPolicy = async (
  ex: Ex,
  orgId: string,
  name: string | undefined,
  d: PolicyDefinition | undefined,
) => {
  const issues: Errors.FieldIssue[] = []
  if (name !== undefined && !name.trim())
    issues.push({ path: ["name"], message: "must not be empty", code: "required" })
  if (d) {
    issues.push(...validatePolicy(d))
    const cal =
      await sql`select 1 from process.calendar where org_id = ${orgId} and id = ${d.calendarId ?? ""}`.execute(
        ex,
      )
    if (cal.rows.length === 0)
      issues.push({
        path: ["definition", "calendarId"],
        message: "no such calendar in this organisation",
        code: "unknownCalendar",
      })
  }
  if (issues.length) throw new Errors.ValidationError({ message: "invalid SLA policy", issues })
}

export const createPolicy = async (
  db: Database,
  ctx: Ctx,
  input: { name: string; definition: PolicyDefinition; position?: number | undefined },
) => {
  await checkPolicy(processDb(db), ctx.orgId, input.name, input.definition)
  const id = Id.make("sla")
  return change(db, ctx, async ({ tx, audit }) => {
    const pos = await sql<{
      n: number
    }>`select coalesce(max(position), 0)::int + 1 as n from process.sla_policy where org_id = ${ctx.orgId}`.execute(
      tx,
    )
    const position = input.position ?? pos.rows[0]!.n
    const r = await sql<PolicyRow>`insert into process.sla_policy (org_id, id, name, position, definition)
      values (${ctx.orgId}, ${id}, ${input.name.trim()}, ${position}, ${JSON.stringify(input.definition)}::jsonb) returning *`.execute(
      tx,
    )
    await sql`insert into process.sla_policy_version (org_id, policy_id, version, name, definition)
      values (${ctx.orgId}, ${id}, 1, ${input.name.trim()}, ${JSON.stringify(input.definition)}::jsonb)`.execute(
      tx,
    )
    const p = toPolicy(r.rows[0]!)
    await audit({ action: "sla_policy.created", entityType: "sla_policy", entityId: id, after: p })
    return p
  })
}

/** A new version: cases already received keep the version pinned to them. */
export const updatePolicy = async (
  db: Database,
  ctx: Ctx,
  id: string,
  input: {
    name?: string | undefined
    definition?: PolicyDefinition | undefined
    active?: boolean | undefined
    position?: number | undefined
    expectedVersion?: number | undefined
  },
) => {
  await checkPolicy(processDb(db), ctx.orgId, input.name, input.definition)
  return change(db, ctx, async ({ tx, audit }) => {
    const row0 = await tx
      .selectFrom("process.sla_policy")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!row0) throw new Errors.NotFoundError({ entity: "sla_policy", id })
    const before = toPolicy(row0)
    if (input.expectedVersion !== undefined && input.expectedVersion !== before.version)
      throw new Errors.ConflictError({
        message: `the policy changed meanwhile (now version ${before.version}); reload and try again`,
        field: "version",
        code: "changedMeanwhile",
        params: { version: before.version },
      })
    const newVersion = input.definition || input.name ? before.version + 1 : before.version
    const r = await sql<PolicyRow>`update process.sla_policy set name = ${input.name?.trim() ?? before.name},
      definition = ${JSON.stringify(input.definition ?? before.definition)}::jsonb, active = ${input.active ?? before.active},
      position = ${input.position ?? before.position}, version = ${newVersion}, updated_at = now()
      where org_id = ${ctx.orgId} and id = ${id} returning *`.execute(tx)
    const after = toPolicy(r.rows[0]!)
    if (newVersion !== before.version)
      await sql`insert into process.sla_policy_version (org_id, policy_id, version, name, definition)
        values (${ctx.orgId}, ${id}, ${newVersion}, ${after.name}, ${JSON.stringify(after.definition)}::jsonb)`.execute(
        tx,
      )
    await audit({ action: "sla_policy.updated", entityType: "sla_policy", entityId: id, before, after })
    return after
  })
}

/** Which policy a case with these facts would get, and its due times from `receivedAt`. */
export const previewPolicy = async (db: Database, orgId: string, facts: MatchFacts, receivedAt: Date) => {
  const policy = matchPolicy(await loadPolicies(processDb(db), orgId), facts)
  if (!policy) return { policy: null, targets: [] }
  const { calendar, record } = await loadCalendar(processDb(db), orgId, policy.definition.calendarId)
  const targets = Object.entries(policy.definition.targets).map(([target, seconds]) => {
    const e = onCalendar(["receivedAt"], () =>
      explainAddBusinessTime(calendar, receivedAt, seconds as number),
    )
    return { target, seconds, due: e.due.toISOString(), days: e.days }
  })
  return {
    policy: { id: policy.id, name: policy.name, version: policy.version },
    calendar: { id: record.id, name: record.name },
    targets,
  }
}

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

type CalendarRow = Selectable<CalendarTable>
type PolicyRow = Selectable<SlaPolicyTable>
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
