/**
 * Service cases end to end: intake (with the customer, priority, policy and repeat detection),
 * transitions, replies and notes on a timeline, SLA clocks with their ledger, escalation from
 * the durable scheduler (exactly once), follow-ups, the queue and its CSV export.
 *
 * @since 0.1.0
 */
import type { Calendar } from "@tenet/calendar"
import { addBusinessTime } from "@tenet/calendar"
import { Change, type Db, Errors, Id, Jobs, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import {
  allowedTransitions,
  CASE_TYPES,
  CHANNELS,
  isReopen,
  LEVELS,
  type Level,
  matchPolicy,
  OPEN_STATUSES,
  type PolicyDefinition,
  priorityOf,
  raiseTier,
  refuseTransition,
  type Status,
  STATUSES,
  type Target,
  TIERS,
  type Tier,
} from "./Case"
import { checkCustomer, type CustomerInput, ensureDefaults, toCustomer, upsertCustomerIn } from "./Config"
import * as Sla from "./Sla"
import {
  addEvent,
  type CaseRecord,
  type ClockRow,
  type Ex,
  loadCalendar,
  loadClocks,
  loadPolicies,
  loadPolicyVersion,
  loadSettings,
  lockCase,
  nextCaseNumber,
  saveClock,
  summarize,
  toCase,
  toEvent,
} from "./Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

export const JOB_KIND = "process.sla"
export const FOLLOW_UP_JOB = "process.follow_up"

// ---------------------------------------------------------------------------
// intake
// ---------------------------------------------------------------------------

export interface CaseInput {
  readonly externalId?: string | undefined
  readonly customerId?: string | undefined
  /** Create or update the customer with the case (matched on externalId). */
  readonly customer?: CustomerInput | undefined
  readonly type: string
  readonly channel: string
  readonly subject: string
  readonly content?: string | undefined
  readonly urgency?: string | undefined
  readonly impact?: string | undefined
  readonly category?: string | undefined
  readonly tier?: string | undefined
  readonly team?: string | undefined
  readonly ownerId?: string | undefined
  readonly receivedAt?: Date | undefined
  /** When the intake record was completed; defaults to now. */
  readonly recordedAt?: Date | undefined
  readonly milestones?: ReadonlyArray<{ name: string; due?: string }> | undefined
  /** A case number taken beforehand (see `createCase`); otherwise one is taken in the transaction. */
  readonly number?: number | undefined
}

/** Field-level checks, each issue with its path. */
export const checkCaseInput = (input: CaseInput, prefix: string[] = []): Errors.FieldIssue[] => {
  const issues: Errors.FieldIssue[] = []
  const p = (f: string) => [...prefix, f]
  if (!input.type?.trim()) issues.push({ path: p("type"), message: `must not be empty (e.g. ${CASE_TYPES.join(", ")})` })
  if (!(CHANNELS as readonly string[]).includes(input.channel)) issues.push({ path: p("channel"), message: `must be one of ${CHANNELS.join(", ")}` })
  if (!input.subject?.trim()) issues.push({ path: p("subject"), message: "must not be empty" })
  for (const f of ["urgency", "impact"] as const)
    if (input[f] !== undefined && !(LEVELS as readonly string[]).includes(input[f]!)) issues.push({ path: p(f), message: `must be one of ${LEVELS.join(", ")}` })
  if (input.tier !== undefined && !(TIERS as readonly string[]).includes(input.tier)) issues.push({ path: p("tier"), message: `must be one of ${TIERS.join(", ")}` })
  for (const f of ["receivedAt", "recordedAt"] as const) {
    const d = input[f]
    if (d !== undefined && !(d instanceof Date && !Number.isNaN(d.getTime()))) issues.push({ path: p(f), message: "must be a date-time" })
  }
  if (input.receivedAt && input.recordedAt && input.recordedAt < input.receivedAt)
    issues.push({ path: p("recordedAt"), message: "cannot be before receivedAt" })
  if (input.customer) issues.push(...checkCustomer(input.customer, p("customer")))
  return issues
}

const ROUTES: Readonly<Record<string, string>> = { technical: "technical", billing: "billing", complaint: "complaints" }

/** Routing: technical problems to the technical team, complaints to the complaints team, VIPs to their dedicated team. */
export const routeTeam = (input: { type: string; category?: string | undefined; team?: string | undefined }, dedicatedTeam: string | null) =>
  input.team ?? dedicatedTeam ?? (input.type === "complaint" ? "complaints" : (ROUTES[input.category ?? ""] ?? "general"))

interface Scheduled {
  readonly clock: ClockRow
  readonly definition: PolicyDefinition
  readonly calendar: Calendar
}

/** Schedule the warning, breach and escalation jobs of a running clock (idempotent by key). */
const scheduleClock = async (tx: Ex, orgId: string, s: Scheduled) => {
  const c = s.clock
  if (c.stoppedAt || !c.dueAt) return
  const base = { caseId: c.caseId, target: c.target, seq: c.seq, dueAt: c.dueAt.toISOString() }
  const key = (event: string) => `${c.caseId}:${c.target}:${c.seq}:${event}:${c.dueAt!.getTime()}`
  if (c.warnAt && !c.warnedAt && c.status === "running")
    await Jobs.scheduleIn(tx, { orgId, kind: JOB_KIND, key: key("warn"), runAt: c.warnAt, payload: { ...base, event: "warn" } })
  if (c.status === "running")
    await Jobs.scheduleIn(tx, { orgId, kind: JOB_KIND, key: key("breach"), runAt: c.dueAt, payload: { ...base, event: "breach" } })
  if (c.target === "first_response" || c.target === "resolution")
    for (const [level, e] of s.definition.escalations.slice(0, 3).entries())
      if (level >= c.escalationsFired)
        await Jobs.scheduleIn(tx, {
          orgId,
          kind: JOB_KIND,
          key: key(`escalate${level + 1}`),
          runAt: e.afterSeconds === 0 ? c.dueAt : addBusinessTime(s.calendar, c.dueAt, e.afterSeconds),
          payload: { ...base, event: "escalate", level: level + 1 },
        })
}

const newClock = (caseId: string, target: Target, seq: number, calendarId: string, cal: Calendar, def: PolicyDefinition, at: Date): ClockRow | undefined => {
  const seconds = def.targets[target]
  if (!seconds) return undefined
  return { ...Sla.start(cal, seconds, at, def.warnAt), caseId, target, seq, calendarId, warnedAt: null, escalationsFired: 0 }
}

const refreshSummary = async (tx: Ex, orgId: string, caseId: string, now: Date) => {
  const { slaState, nextDueAt } = summarize(await loadClocks(tx, orgId, caseId), now)
  await sql`update process.case set sla_state = ${slaState}, next_due_at = ${nextDueAt} where org_id = ${orgId} and id = ${caseId}`.execute(tx)
}

/**
 * Receive a case: customer, priority from urgency × impact, routing, repeat detection, the
 * first matching SLA policy (its version pinned to the case), clocks and their jobs.
 * @category constructors
 * @since 0.1.0
 */
export const createCase = async (db: Database, ctx: Ctx, input: CaseInput, options: { now?: Date } = {}): Promise<CaseRecord> => {
  const issues = checkCaseInput(input)
  if (issues.length) throw new Errors.ValidationError({ message: "invalid case", issues })
  await ensureDefaults(db, ctx)
  // Take the number in its own short statement, so the per-organisation counter is not locked for
  // the whole intake (numbers may skip when an intake fails, as with any sequence).
  const number = db.kind === "postgres" ? await nextCaseNumber(db.kysely, ctx.orgId) : undefined
  return Change.change(db, ctx, async ({ tx, audit, emit }) => {
    const created = await createCaseIn(tx, ctx, { ...input, number }, options.now ?? new Date())
    await audit({ action: "case.created", entityType: "case", entityId: created.id, after: { number: created.number, type: created.type, priority: created.priority, policyId: created.policyId } })
    await emit({ type: "process.case.created", aggregateType: "case", aggregateId: created.id, payload: { number: created.number, type: created.type, channel: created.channel, priority: created.priority } })
    return created
  })
}

/** Settings, policies and calendars read once and reused for many intakes (imports, demo data). */
export interface IntakeCache {
  settings?: Awaited<ReturnType<typeof loadSettings>>
  policies?: Awaited<ReturnType<typeof loadPolicies>>
  calendars: Map<string, Calendar>
}
export const intakeCache = (): IntakeCache => ({ calendars: new Map() })

/** The intake inside a transaction (also used by the importer, with a cache). */
export const createCaseIn = async (tx: Ex, ctx: Ctx, input: CaseInput, now: Date, cache?: IntakeCache): Promise<CaseRecord> => {
  const orgId = ctx.orgId
  const settings = cache?.settings ?? (await loadSettings(tx, orgId))
  if (cache) cache.settings = settings
  let customer: ReturnType<typeof toCustomer> | undefined
  if (input.customer) customer = (await upsertCustomerIn(tx, orgId, input.customer)).customer
  else if (input.customerId) {
    const r = await sql<any>`select * from process.customer where org_id = ${orgId} and id = ${input.customerId}`.execute(tx)
    if (!r.rows[0]) throw new Errors.ValidationError({ message: "invalid case", issues: [{ path: ["customerId"], message: "no such customer in this organisation" }] })
    customer = toCustomer(r.rows[0])
  }
  const urgency = (input.urgency ?? "medium") as Level
  const impact = (input.impact ?? (customer?.segment === "vip" ? "high" : "medium")) as Level
  const priority = priorityOf(settings.priorityMatrix, urgency, impact)
  const tier = (input.tier ?? "L1") as Tier
  const team = routeTeam(input, customer?.segment === "vip" ? customer.dedicatedTeam : null)
  const receivedAt = input.receivedAt ?? now
  const recordedAt = input.recordedAt ?? (input.receivedAt && input.receivedAt < now ? input.receivedAt : now)
  const facts = { type: input.type, channel: input.channel, segment: customer?.segment ?? null, priority, category: input.category ?? null, team, tier }
  const policies = cache?.policies ?? (await loadPolicies(tx, orgId))
  if (cache) cache.policies = policies
  const policy = matchPolicy(policies, facts)
  const id = Id.make("case")
  const number = input.number ?? (await nextCaseNumber(tx, orgId))
  // repeat contact: same customer, same category, within the window
  let repeatOf: string | null = null
  if (customer) {
    const prev = await sql<any>`select id from process.case where org_id = ${orgId} and customer_id = ${customer.id}
      and coalesce(category, '') = ${input.category ?? ""} and received_at < ${receivedAt}
      and received_at >= ${new Date(receivedAt.getTime() - settings.repeatWindowDays * 86_400_000)}
      order by received_at desc limit 1`.execute(tx)
    repeatOf = prev.rows[0]?.id ?? null
  }
  const r = await sql<any>`insert into process.case (org_id, id, number, external_id, customer_id, segment, type, channel, subject, content,
      status, urgency, impact, priority, category, tier, team, owner_id, received_at, recorded_at, repeat_of, policy_id, policy_version, milestones)
    values (${orgId}, ${id}, ${number}, ${input.externalId ?? null}, ${customer?.id ?? null}, ${customer?.segment ?? null}, ${input.type},
      ${input.channel}, ${input.subject.trim()}, ${input.content ?? ""}, 'new', ${urgency}, ${impact}, ${priority}, ${input.category ?? null},
      ${tier}, ${team}, ${input.ownerId ?? null}, ${receivedAt}, ${recordedAt}, ${repeatOf}, ${policy?.id ?? null}, ${policy?.version ?? null},
      ${JSON.stringify(input.milestones ?? [])}::jsonb)
    returning *`.execute(tx)
  await addEvent(tx, orgId, id, {
    kind: "created",
    at: receivedAt,
    channel: input.channel,
    direction: "inbound",
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    participants: customer ? [customer.name] : [],
    content: input.content ?? input.subject,
    data: { type: input.type, priority, team, tier, policy: policy ? { id: policy.id, name: policy.name, version: policy.version } : null },
  })
  if (repeatOf) {
    await sql`update process.case set repeated_by = ${id} where org_id = ${orgId} and id = ${repeatOf} and repeated_by is null`.execute(tx)
    await addEvent(tx, orgId, id, { kind: "repeat_detected", at: receivedAt, actorType: "system", actorId: "process", data: { repeatOf, windowDays: settings.repeatWindowDays } })
    await Jobs.scheduleIn(tx, { orgId, kind: FOLLOW_UP_JOB, key: `recurring:${id}`, runAt: now, payload: { event: "recurring", caseId: id, repeatOf } })
  }
  const clocks: ClockRow[] = []
  if (policy) {
    let calendar = cache?.calendars.get(policy.definition.calendarId)
    if (!calendar) {
      calendar = (await loadCalendar(tx, orgId, policy.definition.calendarId)).calendar
      cache?.calendars.set(policy.definition.calendarId, calendar)
    }
    const def = policy.definition
    for (const target of ["first_response", "initial_record", "resolution"] as const) {
      let clock = newClock(id, target, 1, def.calendarId, calendar, def, receivedAt)
      if (!clock) continue
      if (target === "initial_record") clock = { ...clock, ...Sla.stop(calendar, clock, recordedAt) }
      clocks.push(clock)
      await saveClock(tx, orgId, clock)
      await scheduleClock(tx, orgId, { clock, definition: def, calendar })
    }
  }
  // the queue badge, from the clocks just made (no need to read them back)
  const { slaState, nextDueAt } = summarize(clocks, now)
  await sql`update process.case set sla_state = ${slaState}, next_due_at = ${nextDueAt} where org_id = ${orgId} and id = ${id}`.execute(tx)
  return toCase({ ...r.rows[0], sla_state: slaState, next_due_at: nextDueAt })
}

// ---------------------------------------------------------------------------
// changes
// ---------------------------------------------------------------------------

const withPolicy = async (tx: Ex, orgId: string, c: CaseRecord) => {
  if (!c.policyId || !c.policyVersion) return undefined
  const { definition } = await loadPolicyVersion(tx, orgId, c.policyId, c.policyVersion)
  const { calendar } = await loadCalendar(tx, orgId, definition.calendarId)
  return { definition, calendar }
}

const updateClocks = async (
  tx: Ex,
  orgId: string,
  c: CaseRecord,
  fn: (clock: ClockRow, p: { definition: PolicyDefinition; calendar: Calendar }) => ClockRow | undefined,
) => {
  const p = await withPolicy(tx, orgId, c)
  if (!p) return
  for (const clock of await loadClocks(tx, orgId, c.id)) {
    const next = fn(clock, p)
    if (next && next !== clock) {
      await saveClock(tx, orgId, next)
      await scheduleClock(tx, orgId, { clock: next, ...p })
    }
  }
}

/**
 * Move a case to another status. Refused transitions throw a ConflictError with the reason.
 * @category constructors
 * @since 0.1.0
 */
export const transition = async (
  db: Database,
  ctx: Ctx,
  caseId: string,
  input: { to: string; reason?: string | undefined; resolutionCode?: string | undefined },
  options: { now?: Date } = {},
): Promise<CaseRecord> => Change.change(db, ctx, (scope) => transitionIn(scope, caseId, input, options.now ?? new Date()))

/** `transition` inside the caller's change (same rules, same records). @category constructors @since 0.1.0 */
export const transitionIn = async (
  { tx, ctx, audit, emit }: Change.ChangeScope,
  caseId: string,
  input: { to: string; reason?: string | undefined; resolutionCode?: string | undefined },
  now: Date,
): Promise<CaseRecord> => {
  {
    const c = await lockCase(tx, ctx.orgId, caseId)
    const settings = await loadSettings(tx, ctx.orgId)
    const to = input.to as Status
    const refusal = refuseTransition(c, to, { now, reopenWindowDays: settings.reopenWindowDays })
    if (refusal) throw new Errors.ConflictError({ message: refusal, field: "to" })
    const p = await withPolicy(tx, ctx.orgId, c)
    const pauseSet = new Set<string>(p?.definition.pauseStatuses ?? [])
    const reopen = isReopen(c.status, to)
    const sets: Record<string, unknown> = { status: to }
    if (to === "acknowledged" && !c.firstResponseAt) sets.first_response_at = now
    if (to === "escalated") {
      sets.tier = raiseTier(c.tier)
      sets.escalation_level = c.escalationLevel + 1
    }
    if (to === "resolved") {
      sets.resolved_at = now
      sets.resolution_code = input.resolutionCode ?? null
      if (!c.firstResponseAt) sets.first_response_at = now
    }
    if (to === "closed") sets.closed_at = now
    if (reopen) {
      sets.reopen_count = c.reopenCount + 1
      sets.resolved_at = null
      sets.closed_at = null
    }
    await sql`update process.case set status = ${to}, tier = ${(sets.tier as string) ?? c.tier},
        escalation_level = ${(sets.escalation_level as number) ?? c.escalationLevel},
        first_response_at = ${"first_response_at" in sets ? (sets.first_response_at as Date) : c.firstResponseAt},
        resolved_at = ${"resolved_at" in sets ? (sets.resolved_at as Date | null) : c.resolvedAt},
        resolution_code = ${"resolution_code" in sets ? (sets.resolution_code as string | null) : c.resolutionCode},
        closed_at = ${"closed_at" in sets ? (sets.closed_at as Date | null) : c.closedAt},
        reopen_count = ${(sets.reopen_count as number) ?? c.reopenCount},
        version = version + 1, updated_at = now()
      where org_id = ${ctx.orgId} and id = ${caseId}`.execute(tx)
    if (p) {
      const clocks = await loadClocks(tx, ctx.orgId, caseId)
      for (const clock of clocks) {
        let next: ClockRow = clock
        if (clock.stoppedAt) continue
        const pausable = clock.target === "resolution" || clock.target === "next_reply"
        if ((to === "acknowledged" || to === "resolved") && clock.target === "first_response") next = { ...next, ...Sla.stop(p.calendar, next, now) }
        if (to === "resolved" && (clock.target === "resolution" || clock.target === "next_reply")) next = { ...next, ...Sla.stop(p.calendar, next, now) }
        if (to === "closed" && clock.target === "follow_up") next = { ...next, ...Sla.stop(p.calendar, next, now) }
        if (!next.stoppedAt && pausable) {
          if (pauseSet.has(to) && !next.pausedAt) next = { ...next, ...Sla.pause(p.calendar, next, now, to) }
          else if (!pauseSet.has(to) && next.pausedAt) next = { ...next, ...Sla.resume(p.calendar, next, now, p.definition.warnAt) }
        }
        if (next !== clock) {
          await saveClock(tx, ctx.orgId, next)
          await scheduleClock(tx, ctx.orgId, { clock: next, ...p })
        }
      }
      if (to === "resolved") {
        const fu = newClock(caseId, "follow_up", clocks.filter((x) => x.target === "follow_up").length + 1, p.definition.calendarId, p.calendar, p.definition, now)
        if (fu) {
          await saveClock(tx, ctx.orgId, fu)
          await scheduleClock(tx, ctx.orgId, { clock: fu, ...p })
        }
        const confirmDue = fu?.dueAt ?? addBusinessTime(p.calendar, now, 24 * 3600)
        for (const [kind, due] of [
          ["confirmation", confirmDue],
          ["return_visit", new Date(now.getTime() + 7 * 86_400_000)],
        ] as const) {
          const fid = Id.make("fup")
          await sql`insert into process.follow_up (org_id, id, case_id, kind, due_at) values (${ctx.orgId}, ${fid}, ${caseId}, ${kind}, ${due})`.execute(tx)
          await Jobs.scheduleIn(tx, { orgId: ctx.orgId, kind: FOLLOW_UP_JOB, key: `due:${fid}`, runAt: due, payload: { event: "due", followUpId: fid, caseId } })
        }
      }
      if (reopen) {
        const seq = clocks.filter((x) => x.target === "resolution").length + 1
        const rc = newClock(caseId, "resolution", seq, p.definition.calendarId, p.calendar, p.definition, now)
        if (rc) {
          await saveClock(tx, ctx.orgId, rc)
          await scheduleClock(tx, ctx.orgId, { clock: rc, ...p })
        }
      }
    }
    await addEvent(tx, ctx.orgId, caseId, {
      kind: reopen ? "reopened" : "transition",
      at: now,
      direction: "internal",
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      content: input.reason ?? null,
      data: { from: c.status, to, ...(input.resolutionCode ? { resolutionCode: input.resolutionCode } : {}), ...(to === "escalated" ? { tier: sets.tier } : {}) },
    })
    await refreshSummary(tx, ctx.orgId, caseId, now)
    await audit({ action: "case.status_changed", entityType: "case", entityId: caseId, before: { status: c.status }, after: { status: to, reason: input.reason ?? null } })
    await emit({ type: "process.case.status_changed", aggregateType: "case", aggregateId: caseId, payload: { from: c.status, to, reopen } })
    return lockCase(tx, ctx.orgId, caseId)
  }
}

/**
 * A reply on the case's timeline. Outbound replies stop the first-response and next-reply
 * clocks; an inbound message starts the next-reply clock and takes a case waiting for the
 * customer back to in progress.
 * @category constructors
 * @since 0.1.0
 */
export const reply = async (
  db: Database,
  ctx: Ctx,
  caseId: string,
  input: { content: string; direction?: "outbound" | "inbound" | undefined; channel?: string | undefined; participants?: ReadonlyArray<string> | undefined },
  options: { now?: Date } = {},
) => {
  if (!input.content?.trim()) throw new Errors.ValidationError({ message: "invalid reply", issues: [{ path: ["content"], message: "must not be empty" }] })
  if (input.channel !== undefined && !(CHANNELS as readonly string[]).includes(input.channel))
    throw new Errors.ValidationError({ message: "invalid reply", issues: [{ path: ["channel"], message: `must be one of ${CHANNELS.join(", ")}` }] })
  return Change.change(db, ctx, (scope) => replyIn(scope, caseId, input, options.now ?? new Date()))
}

/** `reply` inside the caller's change. @category constructors @since 0.1.0 */
export const replyIn = async (
  { tx, ctx, audit, emit }: Change.ChangeScope,
  caseId: string,
  input: { content: string; direction?: "outbound" | "inbound" | undefined; channel?: string | undefined; participants?: ReadonlyArray<string> | undefined },
  now: Date,
) => {
  const direction = input.direction ?? "outbound"
  {
    const c = await lockCase(tx, ctx.orgId, caseId)
    if (c.status === "closed") throw new Errors.ConflictError({ message: "the case is closed; reopen it to reply", field: "content" })
    await addEvent(tx, ctx.orgId, caseId, {
      kind: "reply",
      at: now,
      channel: input.channel ?? c.channel,
      direction,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      participants: input.participants ?? [],
      content: input.content,
    })
    const p = await withPolicy(tx, ctx.orgId, c)
    if (direction === "outbound") {
      if (!c.firstResponseAt) await sql`update process.case set first_response_at = ${now} where org_id = ${ctx.orgId} and id = ${caseId}`.execute(tx)
      await updateClocks(tx, ctx.orgId, c, (clock, pp) =>
        !clock.stoppedAt && (clock.target === "first_response" || clock.target === "next_reply") ? { ...clock, ...Sla.stop(pp.calendar, clock, now) } : clock,
      )
    } else if (p) {
      const clocks = await loadClocks(tx, ctx.orgId, caseId)
      const running = clocks.some((x) => x.target === "next_reply" && !x.stoppedAt)
      if (c.firstResponseAt && !running) {
        const nr = newClock(caseId, "next_reply", clocks.filter((x) => x.target === "next_reply").length + 1, p.definition.calendarId, p.calendar, p.definition, now)
        if (nr) {
          await saveClock(tx, ctx.orgId, nr)
          await scheduleClock(tx, ctx.orgId, { clock: nr, ...p })
        }
      }
      if (c.status === "pending_customer") {
        await sql`update process.case set status = 'in_progress' where org_id = ${ctx.orgId} and id = ${caseId}`.execute(tx)
        await updateClocks(tx, ctx.orgId, c, (clock, pp) => (clock.pausedAt && !clock.stoppedAt ? { ...clock, ...Sla.resume(pp.calendar, clock, now, pp.definition.warnAt) } : clock))
        await addEvent(tx, ctx.orgId, caseId, { kind: "transition", at: now, direction: "internal", actorType: "system", actorId: "process", data: { from: "pending_customer", to: "in_progress" }, content: "customer replied" })
      }
    }
    await sql`update process.case set version = version + 1, updated_at = now() where org_id = ${ctx.orgId} and id = ${caseId}`.execute(tx)
    await refreshSummary(tx, ctx.orgId, caseId, now)
    await audit({ action: "case.replied", entityType: "case", entityId: caseId, after: { direction, length: input.content.length } })
    await emit({ type: "process.case.replied", aggregateType: "case", aggregateId: caseId, payload: { direction } })
    return lockCase(tx, ctx.orgId, caseId)
  }
}

/** An internal note on the timeline. @category constructors @since 0.1.0 */
export const note = async (db: Database, ctx: Ctx, caseId: string, input: { content: string }) => {
  if (!input.content?.trim()) throw new Errors.ValidationError({ message: "invalid note", issues: [{ path: ["content"], message: "must not be empty" }] })
  return Change.change(db, ctx, async ({ tx, audit }) => {
    await lockCase(tx, ctx.orgId, caseId)
    await addEvent(tx, ctx.orgId, caseId, { kind: "note", at: new Date(), direction: "internal", actorType: ctx.actor.type, actorId: ctx.actor.id, content: input.content })
    await sql`update process.case set updated_at = now() where org_id = ${ctx.orgId} and id = ${caseId}`.execute(tx)
    await audit({ action: "case.noted", entityType: "case", entityId: caseId })
  })
}

/** Assign an owner and/or a team. @category constructors @since 0.1.0 */
export const assign = async (db: Database, ctx: Ctx, caseId: string, input: { ownerId?: string | null | undefined; team?: string | undefined }) =>
  Change.change(db, ctx, async ({ tx, audit }) => {
    const c = await lockCase(tx, ctx.orgId, caseId)
    const ownerId = input.ownerId === undefined ? c.ownerId : input.ownerId
    const team = input.team ?? c.team
    await sql`update process.case set owner_id = ${ownerId}, team = ${team}, version = version + 1, updated_at = now()
      where org_id = ${ctx.orgId} and id = ${caseId}`.execute(tx)
    await addEvent(tx, ctx.orgId, caseId, { kind: "assignment", at: new Date(), direction: "internal", actorType: ctx.actor.type, actorId: ctx.actor.id, data: { ownerId, team } })
    await audit({ action: "case.assigned", entityType: "case", entityId: caseId, before: { ownerId: c.ownerId, team: c.team }, after: { ownerId, team } })
    return lockCase(tx, ctx.orgId, caseId)
  })

/** Complete a follow-up task (a done confirmation stops the follow-up clock). @category constructors @since 0.1.0 */
export const completeFollowUp = async (db: Database, ctx: Ctx, followUpId: string, input: { outcome: string }) =>
  Change.change(db, ctx, async ({ tx, audit }) => {
    const r = await sql<any>`update process.follow_up set done_at = now(), outcome = ${input.outcome}
      where org_id = ${ctx.orgId} and id = ${followUpId} and done_at is null returning *`.execute(tx)
    if (!r.rows[0]) throw new Errors.NotFoundError({ entity: "follow_up", id: followUpId })
    const f = r.rows[0]
    const c = await lockCase(tx, ctx.orgId, f.case_id)
    if (f.kind === "confirmation")
      await updateClocks(tx, ctx.orgId, c, (clock, p) => (clock.target === "follow_up" && !clock.stoppedAt ? { ...clock, ...Sla.stop(p.calendar, clock, new Date()) } : clock))
    await addEvent(tx, ctx.orgId, c.id, { kind: "follow_up_done", at: new Date(), direction: "outbound", actorType: ctx.actor.type, actorId: ctx.actor.id, content: input.outcome, data: { kind: f.kind } })
    await refreshSummary(tx, ctx.orgId, c.id, new Date())
    await audit({ action: "follow_up.completed", entityType: "follow_up", entityId: followUpId, after: { outcome: input.outcome } })
  })

// ---------------------------------------------------------------------------
// the scheduler
// ---------------------------------------------------------------------------

/**
 * Job handlers for the durable scheduler: SLA warnings, breaches and escalations, follow-up
 * reminders, recurring-issue reminders. A job whose clock has moved on (stopped, paused, new
 * due time) does nothing, so each fires exactly once for the clock state it was scheduled for.
 * @category constructors
 * @since 0.1.0
 */
export const jobHandlers: Jobs.JobHandlers = {
  [JOB_KIND]: async (job, db) => {
    const p = job.payload as { caseId: string; target: Target; seq: number; event: "warn" | "breach" | "escalate"; level?: number; dueAt: string }
    const ctx: Ctx = { orgId: job.orgId, actor: { type: "system", id: "sla" } }
    await Change.change(db, ctx, async ({ tx, audit, emit }) => {
      const r = await sql<any>`select * from process.sla_clock where org_id = ${job.orgId} and case_id = ${p.caseId}
        and target = ${p.target} and seq = ${p.seq} for update`.execute(tx)
      if (!r.rows[0]) return
      const { toClock } = await import("./Store")
      const clock = toClock(r.rows[0])
      if (!clock.dueAt || clock.dueAt.toISOString() !== p.dueAt) return // rescheduled since
      const now = new Date()
      if (p.event === "warn") {
        if (clock.stoppedAt || clock.warnedAt || clock.status !== "running") return
        await saveClock(tx, job.orgId, { ...clock, warnedAt: now })
        await addEvent(tx, job.orgId, p.caseId, { kind: "sla_warning", at: now, actorType: "system", actorId: "sla", data: { target: p.target, dueAt: p.dueAt } })
        await emit({ type: "process.sla.warning", aggregateType: "case", aggregateId: p.caseId, payload: { target: p.target, dueAt: p.dueAt } })
      } else if (p.event === "breach") {
        if (clock.stoppedAt || clock.status === "breached" || clock.pausedAt) return
        await saveClock(tx, job.orgId, { ...clock, ...Sla.breach(clock, clock.dueAt) })
        await addEvent(tx, job.orgId, p.caseId, { kind: "sla_breach", at: now, actorType: "system", actorId: "sla", data: { target: p.target, dueAt: p.dueAt } })
        await audit({ action: "sla.breached", entityType: "case", entityId: p.caseId, after: { target: p.target, dueAt: p.dueAt } })
        await emit({ type: "process.sla.breached", aggregateType: "case", aggregateId: p.caseId, payload: { target: p.target, dueAt: p.dueAt } })
      } else {
        const level = p.level ?? 1
        if (clock.stoppedAt || clock.pausedAt || clock.escalationsFired >= level) return
        const c = await lockCase(tx, job.orgId, p.caseId)
        const pol = await withPolicy(tx, job.orgId, c)
        const step = pol?.definition.escalations[level - 1]
        if (!step) return
        // the breach job records the breach itself (both may run at the same instant, in any order)
        await saveClock(tx, job.orgId, { ...clock, escalationsFired: level })
        if (step.action === "raise_tier" && c.tier !== "L3" && OPEN_STATUSES.includes(c.status))
          await sql`update process.case set tier = ${raiseTier(c.tier)}, status = 'escalated', escalation_level = ${Math.max(c.escalationLevel, level)}
            where org_id = ${job.orgId} and id = ${p.caseId}`.execute(tx)
        if (step.action === "reassign" && step.team)
          await sql`update process.case set team = ${step.team}, owner_id = null, escalation_level = ${Math.max(c.escalationLevel, level)}
            where org_id = ${job.orgId} and id = ${p.caseId}`.execute(tx)
        if (step.action === "notify")
          await sql`update process.case set escalation_level = ${Math.max(c.escalationLevel, level)} where org_id = ${job.orgId} and id = ${p.caseId}`.execute(tx)
        await addEvent(tx, job.orgId, p.caseId, { kind: "escalation", at: now, actorType: "system", actorId: "sla", data: { target: p.target, level, action: step.action, team: step.team ?? null, tier: step.action === "raise_tier" ? raiseTier(c.tier) : c.tier } })
        await audit({ action: "case.escalated", entityType: "case", entityId: p.caseId, after: { level, action: step.action } })
        await emit({ type: "process.case.escalated", aggregateType: "case", aggregateId: p.caseId, payload: { level, action: step.action, target: p.target } })
      }
      await refreshSummary(tx, job.orgId, p.caseId, now)
    })
  },
  [FOLLOW_UP_JOB]: async (job, db) => {
    const p = job.payload as { event: "due" | "recurring"; followUpId?: string; caseId: string; repeatOf?: string }
    const ctx: Ctx = { orgId: job.orgId, actor: { type: "system", id: "follow-up" } }
    await Change.change(db, ctx, async ({ tx, emit }) => {
      if (p.event === "due") {
        const f = await sql<any>`select * from process.follow_up where org_id = ${job.orgId} and id = ${p.followUpId ?? ""}`.execute(tx)
        if (!f.rows[0] || f.rows[0].done_at) return
        await addEvent(tx, job.orgId, p.caseId, { kind: "follow_up_overdue", at: new Date(), actorType: "system", actorId: "follow-up", data: { followUpId: p.followUpId, kind: f.rows[0].kind } })
        await emit({ type: "process.follow_up.overdue", aggregateType: "case", aggregateId: p.caseId, payload: { followUpId: p.followUpId } })
      } else {
        const n = await sql<{ n: number }>`with recursive chain as (
            select id, repeat_of from process.case where org_id = ${job.orgId} and id = ${p.caseId}
            union all select c.id, c.repeat_of from process.case c join chain on c.id = chain.repeat_of where c.org_id = ${job.orgId})
          select count(*)::int as n from chain`.execute(tx)
        await addEvent(tx, job.orgId, p.caseId, { kind: "reminder", at: new Date(), actorType: "system", actorId: "follow-up", content: `recurring issue: ${n.rows[0]!.n} contacts on the same category`, data: { contacts: n.rows[0]!.n, repeatOf: p.repeatOf } })
        await emit({ type: "process.case.recurring_issue", aggregateType: "case", aggregateId: p.caseId, payload: { contacts: n.rows[0]!.n } })
      }
    })
  },
}

// ---------------------------------------------------------------------------
// reading
// ---------------------------------------------------------------------------

/**
 * A case with its customer, timeline, SLA ledger (with explanations), follow-ups and the
 * transitions allowed from its status.
 * @category constructors
 * @since 0.1.0
 */
export const getCase = async (db: Database, orgId: string, id: string, now = new Date()) => {
  const r = await sql<any>`select * from process.case where org_id = ${orgId} and id = ${id}`.execute(db.kysely)
  if (!r.rows[0]) throw new Errors.NotFoundError({ entity: "case", id })
  const c = toCase(r.rows[0])
  const customer = c.customerId
    ? toCustomer((await sql<any>`select * from process.customer where org_id = ${orgId} and id = ${c.customerId}`.execute(db.kysely)).rows[0])
    : null
  const events = (await sql<any>`select * from process.case_event where org_id = ${orgId} and case_id = ${id} order by seq`.execute(db.kysely)).rows.map(toEvent)
  const followUps = (await sql<any>`select * from process.follow_up where org_id = ${orgId} and case_id = ${id} order by due_at`.execute(db.kysely)).rows.map((f) => ({
    id: f.id,
    kind: f.kind,
    dueAt: f.due_at,
    doneAt: f.done_at,
    outcome: f.outcome,
  }))
  const clocks = await loadClocks(db.kysely, orgId, id)
  let policy: { id: string; name: string; version: number; calendar: { id: string; name: string; timeZone: string } } | null = null
  let ledger: Array<Record<string, any>> = []
  if (c.policyId && c.policyVersion) {
    const pv = await loadPolicyVersion(db.kysely, orgId, c.policyId, c.policyVersion)
    const { calendar, record } = await loadCalendar(db.kysely, orgId, pv.definition.calendarId)
    policy = { id: c.policyId, name: pv.name, version: c.policyVersion, calendar: { id: record.id, name: record.name, timeZone: record.spec.timeZone } }
    ledger = clocks.map((k) => ({
      target: k.target,
      seq: k.seq,
      status: k.status,
      targetSeconds: k.targetSeconds,
      startedAt: k.startedAt,
      dueAt: k.dueAt,
      warnAt: k.warnAt,
      warnedAt: k.warnedAt,
      stoppedAt: k.stoppedAt,
      breachedAt: k.breachedAt,
      elapsedSeconds: k.elapsedSeconds,
      pauses: k.pauses,
      escalationsFired: k.escalationsFired,
      explanation: Sla.explain(calendar, k, now),
    }))
  }
  return { case: c, customer, events, followUps, ledger, policy, allowedTransitions: allowedTransitions(c.status) }
}

/** Queue query. @category models @since 0.1.0 */
export interface CaseQuery {
  readonly status?: ReadonlyArray<string> | undefined
  readonly channel?: ReadonlyArray<string> | undefined
  readonly priority?: ReadonlyArray<string> | undefined
  readonly type?: ReadonlyArray<string> | undefined
  readonly team?: ReadonlyArray<string> | undefined
  readonly sla?: ReadonlyArray<string> | undefined
  readonly ownerId?: string | undefined
  readonly customerId?: string | undefined
  readonly q?: string | undefined
  readonly open?: boolean | undefined
  readonly from?: Date | undefined
  readonly to?: Date | undefined
  readonly sort?: string | undefined
  readonly cursor?: string | undefined
  readonly limit?: number | undefined
}

const SORTS: Record<string, string> = { receivedAt: "received_at", number: "number", priority: "priority", dueAt: "next_due_at", status: "status", updatedAt: "updated_at" }

const enc = (v: unknown, id: string) => Buffer.from(JSON.stringify([v instanceof Date ? v.toISOString() : v, id])).toString("base64url")
const dec = (cursor: string): [unknown, string] => {
  try {
    const x = JSON.parse(Buffer.from(cursor, "base64url").toString())
    if (Array.isArray(x) && x.length === 2 && typeof x[1] === "string") return x as [unknown, string]
  } catch {}
  throw new Errors.ValidationError({ message: "invalid cursor", issues: [{ path: ["cursor"], message: "is not a cursor this API returned" }] })
}

const where = (orgId: string, q: CaseQuery) => {
  const parts = [sql`c.org_id = ${orgId}`]
  const list = (col: string, values?: ReadonlyArray<string>) => {
    if (values && values.length) parts.push(sql`${sql.ref(`c.${col}`)} in (${sql.join(values)})`)
  }
  list("status", q.status)
  list("channel", q.channel)
  list("priority", q.priority)
  list("type", q.type)
  list("team", q.team)
  list("sla_state", q.sla)
  if (q.open) parts.push(sql`c.status in (${sql.join(OPEN_STATUSES)})`)
  if (q.ownerId) parts.push(sql`c.owner_id = ${q.ownerId}`)
  if (q.customerId) parts.push(sql`c.customer_id = ${q.customerId}`)
  if (q.from) parts.push(sql`c.received_at >= ${q.from}`)
  if (q.to) parts.push(sql`c.received_at < ${q.to}`)
  if (q.q) {
    const n = /^#?(\d+)$/.exec(q.q.trim())
    parts.push(n ? sql`c.number = ${Number(n[1])}` : sql`(c.subject ilike ${`%${q.q}%`} or c.external_id = ${q.q})`)
  }
  return sql.join(parts, sql` and `)
}

/**
 * The queue: filter, sort and keyset-page on the server. `total` is exact up to 1 000 and
 * reported as `totalCapped` beyond (counting millions of rows per page view is not free).
 * @category constructors
 * @since 0.1.0
 */
export const listCases = async (db: Database, orgId: string, q: CaseQuery) => {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500)
  const sortKey = (q.sort ?? "-receivedAt").replace(/^-/, "")
  const col = SORTS[sortKey]
  if (!col) throw new Errors.ValidationError({ message: "invalid sort", issues: [{ path: ["sort"], message: `must be one of ${Object.keys(SORTS).join(", ")} (prefix - for descending)` }] })
  const desc = (q.sort ?? "-receivedAt").startsWith("-")
  const dir = desc ? sql`desc` : sql`asc`
  const ref = sql.ref(`c.${col}`)
  let keyset = sql`true`
  if (q.cursor) {
    const [v, id] = dec(q.cursor)
    const value = col === "received_at" || col === "next_due_at" || col === "updated_at" ? (v === null ? null : new Date(v as string)) : v
    // nulls sort last in both directions
    if (value === null) keyset = desc ? sql`(${ref} is null and c.id < ${id})` : sql`(${ref} is null and c.id > ${id})`
    else
      keyset = desc
        ? sql`(${ref} < ${value} or (${ref} = ${value} and c.id < ${id}) or ${ref} is null)`
        : sql`(${ref} > ${value} or (${ref} = ${value} and c.id > ${id}) or ${ref} is null)`
  }
  const w = where(orgId, q)
  const rows = await sql<any>`select c.*, cu.name as customer_name from process.case c
    left join process.customer cu on cu.org_id = c.org_id and cu.id = c.customer_id
    where ${w} and ${keyset}
    order by ${ref} ${dir} ${col === "next_due_at" ? sql`nulls last` : sql``}, c.id ${dir} limit ${limit + 1}`.execute(db.kysely)
  const count = await sql<{ n: number }>`select count(*)::int as n from (select 1 from process.case c where ${w} limit 1001) t`.execute(db.kysely)
  const items = rows.rows.slice(0, limit).map(toCase)
  const last = rows.rows[limit - 1]
  return {
    items,
    nextCursor: rows.rows.length > limit && last ? enc(last[col], last.id) : null,
    total: Math.min(count.rows[0]!.n, 1000),
    totalCapped: count.rows[0]!.n > 1000,
  }
}

const CSV_COLUMNS = ["number", "subject", "type", "channel", "status", "priority", "tier", "team", "customer", "segment", "receivedAt", "firstResponseAt", "resolvedAt", "slaState", "nextDueAt"] as const

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v)
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s // no formula injection in spreadsheets
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/**
 * The current view as CSV, page by page (streamed by the API). First line is the header.
 * @category constructors
 * @since 0.1.0
 */
export async function* exportCases(db: Database, orgId: string, q: CaseQuery): AsyncGenerator<string> {
  yield `\uFEFF${CSV_COLUMNS.join(",")}\n`
  let cursor: string | undefined = q.cursor
  for (let pages = 0; pages < 2000; pages++) {
    const page = await listCases(db, orgId, { ...q, cursor, limit: 500 })
    let chunk = ""
    for (const c of page.items) {
      const row = { ...c, customer: c.customerName ?? "" } as Record<string, unknown>
      chunk += `${CSV_COLUMNS.map((k) => csvCell(row[k])).join(",")}\n`
    }
    if (chunk) yield chunk
    if (!page.nextCursor) return
    cursor = page.nextCursor
  }
}

export { STATUSES }

/** Resolved cases in a period with their owner (the population QA samples from). @category constructors @since 0.1.0 */
export const resolvedWithOwner = async (db: Database, orgId: string, from: Date, to: Date) =>
  (
    await sql<{ id: string; number: number; owner_id: string }>`select id, number, owner_id from process.case where org_id = ${orgId}
      and owner_id is not null and resolved_at >= ${from} and resolved_at < ${to} order by id`.execute(db.kysely)
  ).rows.map((r) => ({ id: r.id, number: Number(r.number), agent: r.owner_id }))

// ---------------------------------------------------------------------------
// saved views
// ---------------------------------------------------------------------------

/** A person's saved queue views. @category constructors @since 0.1.0 */
export const listViews = async (db: Database, orgId: string, ownerId: string) =>
  (await sql<any>`select id, name, query, created_at from process.saved_view where org_id = ${orgId} and owner_id = ${ownerId} order by name`.execute(db.kysely)).rows.map((r) => ({
    id: r.id as string,
    name: r.name as string,
    query: r.query as Record<string, string>,
    createdAt: r.created_at as Date,
  }))

/** Save a queue view (same name replaces). @category constructors @since 0.1.0 */
export const saveView = async (db: Database, ctx: Ctx, input: { name: string; query: Record<string, string> }) => {
  if (!input.name?.trim()) throw new Errors.ValidationError({ message: "invalid view", issues: [{ path: ["name"], message: "must not be empty" }] })
  return Change.change(db, ctx, async ({ tx, audit }) => {
    await sql`delete from process.saved_view where org_id = ${ctx.orgId} and owner_id = ${ctx.actor.id} and name = ${input.name.trim()}`.execute(tx)
    const id = Id.make("view")
    await sql`insert into process.saved_view (org_id, id, owner_id, name, query) values (${ctx.orgId}, ${id}, ${ctx.actor.id}, ${input.name.trim()}, ${JSON.stringify(input.query)}::jsonb)`.execute(tx)
    await audit({ action: "view.saved", entityType: "saved_view", entityId: id, after: input })
    return { id, name: input.name.trim(), query: input.query }
  })
}

/** @category constructors @since 0.1.0 */
export const deleteView = async (db: Database, ctx: Ctx, id: string) =>
  Change.change(db, ctx, async ({ tx, audit }) => {
    const r = await sql`delete from process.saved_view where org_id = ${ctx.orgId} and id = ${id} and owner_id = ${ctx.actor.id}`.execute(tx)
    if (Number(r.numAffectedRows ?? 0) === 0) throw new Errors.NotFoundError({ entity: "saved_view", id })
    await audit({ action: "view.deleted", entityType: "saved_view", entityId: id })
  })
