/**
 * Intake: receiving cases, one or many at a time. `intakeMany` is set-based — whatever the
 * number of cases, it reads the settings, policies and calendars once, upserts the customers in
 * one statement, takes the case numbers in one, finds repeat contacts in one, and writes the
 * cases, their timeline and their SLA clocks (each with the time of its next event, for the
 * SLA sweep) in one insert each. The API
 * (one case), the importer (a batch of rows) and the demo data all go through it, so they
 * follow the same rules.
 *
 * @since 0.1.0
 */
import type { Calendar } from "@tenet/calendar"
import { addBusinessTime, CalendarRangeError } from "@tenet/calendar"
import { type Audit, Errors, Id, Jobs, type Tenancy } from "@tenet/core"
import { type RawBuilder, type Selectable, sql } from "kysely"
import {
  CASE_TYPES,
  CHANNELS,
  LEVELS,
  type Level,
  matchPolicy,
  type PolicyDefinition,
  priorityOf,
  type Status,
  type Target,
  TIERS,
  type Tier,
} from "./Case"
import {
  type CustomerInput,
  checkCustomer,
  MAX_KEY_LENGTH,
  toCustomer,
  tooLong,
  upsertCustomersIn,
} from "./Config"
import type { CustomerTable, Milestones } from "./migrations/schema"
import * as Sla from "./Sla"
import {
  type CaseRecord,
  type ClockRow,
  calendarRangeIssue,
  type Ex,
  inCalendarRange,
  loadCalendar,
  loadIntakeConfig,
  type loadPolicies,
  onCalendar,
  type Settings,
  saveClock,
  summarize,
  toCase,
} from "./Store"

type Ctx = Tenancy.OrgContext

/** Jobs of earlier versions, one per clock event (still honoured). */
export const JOB_KIND = "process.sla"
/** The recurring job that fires due SLA warnings, breaches and escalations. */
export const SWEEP_JOB = "process.sla.sweep"
export const FOLLOW_UP_JOB = "process.follow_up"

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

/**
 * Fields stored in an indexed column or used as a rollup key (external id, type, category, team,
 * owner, customer): at most this many characters, so one value can never exceed an index row.
 * @since 0.2.0
 */
export const KEYED_FIELDS = ["externalId", "customerId", "type", "category", "team", "ownerId"] as const

/** Field-level checks, each issue with its path. */
export const checkCaseInput = (input: CaseInput, prefix: string[] = []): Errors.FieldIssue[] => {
  const issues: Errors.FieldIssue[] = []
  const p = (f: string) => [...prefix, f]
  if (!input.type?.trim())
    issues.push({
      path: p("type"),
      message: `must not be empty (e.g. ${CASE_TYPES.join(", ")})`,
      code: "required",
    })
  if (!(CHANNELS as readonly string[]).includes(input.channel))
    issues.push({
      path: p("channel"),
      message: `must be one of ${CHANNELS.join(", ")}`,
      code: "oneOf",
      params: { values: CHANNELS.join(", ") },
    })
  if (!input.subject?.trim())
    issues.push({ path: p("subject"), message: "must not be empty", code: "required" })
  for (const f of ["urgency", "impact"] as const)
    if (input[f] !== undefined && !(LEVELS as readonly string[]).includes(input[f]!))
      issues.push({
        path: p(f),
        message: `must be one of ${LEVELS.join(", ")}`,
        code: "oneOf",
        params: { values: LEVELS.join(", ") },
      })
  if (input.tier !== undefined && !(TIERS as readonly string[]).includes(input.tier))
    issues.push({
      path: p("tier"),
      message: `must be one of ${TIERS.join(", ")}`,
      code: "oneOf",
      params: { values: TIERS.join(", ") },
    })
  for (const f of ["receivedAt", "recordedAt", "resolvedAt"] as const) {
    const d = (input as HistoricalCaseInput)[f]
    if (d === undefined || d === null) continue
    if (!(d instanceof Date && !Number.isNaN(d.getTime())))
      issues.push({ path: p(f), message: "must be a date-time", code: "dateTime" })
    // SLA clocks run on business calendars, which cover a bounded range of years
    else if (!inCalendarRange(d)) issues.push(calendarRangeIssue(p(f)))
  }
  if (input.receivedAt && input.recordedAt && input.recordedAt < input.receivedAt)
    issues.push({
      path: p("recordedAt"),
      message: "cannot be before receivedAt",
      code: "notBefore",
      params: { other: "receivedAt" },
    })
  for (const f of KEYED_FIELDS) {
    const v = input[f]
    if (typeof v === "string" && v.length > MAX_KEY_LENGTH) issues.push(tooLong(p(f)))
  }
  if (input.customer) issues.push(...checkCustomer(input.customer, p("customer")))
  return issues
}

const ROUTES: Readonly<Record<string, string>> = {
  technical: "technical",
  billing: "billing",
  complaint: "complaints",
}

/** Routing: technical problems to the technical team, complaints to the complaints team, VIPs to their dedicated team. */
export const routeTeam = (
  input: { type: string; category?: string | undefined; team?: string | undefined },
  dedicatedTeam: string | null,
) =>
  input.team ??
  dedicatedTeam ??
  (input.type === "complaint"
    ? "complaints"
    : ((Object.hasOwn(ROUTES, input.category ?? "") ? ROUTES[input.category ?? ""] : undefined) ?? "general"))

export interface Scheduled {
  readonly clock: ClockRow
  readonly definition: PolicyDefinition
  readonly calendar: Calendar
}

/**
 * The next thing the scheduler does for a clock, and when: the warning, then the breach, then
 * each escalation level in turn (first response and resolution only). Nothing for a stopped or
 * paused clock.
 * @category constructors
 * @since 0.2.0
 */
export const nextSlaEvent = (
  clock: ClockRow,
  definition: PolicyDefinition,
  calendar: Calendar,
):
  | { readonly event: "warn" | "breach" | "escalate"; readonly level?: number; readonly at: Date }
  | undefined => {
  if (clock.stoppedAt || clock.pausedAt || !clock.dueAt) return undefined
  if (clock.status === "running" && clock.warnAt && !clock.warnedAt)
    return { event: "warn", at: clock.warnAt }
  if (clock.status === "running") return { event: "breach", at: clock.dueAt }
  if (clock.target !== "first_response" && clock.target !== "resolution") return undefined
  const level = clock.escalationsFired + 1
  const step = definition.escalations.slice(0, 3)[level - 1]
  if (!step) return undefined
  let at: Date
  try {
    at = step.afterSeconds === 0 ? clock.dueAt : addBusinessTime(calendar, clock.dueAt, step.afterSeconds)
  } catch (e) {
    // past the end of the calendar's range (year 2300): an escalation that can never fire
    if (e instanceof CalendarRangeError) return undefined
    throw e
  }
  return { event: "escalate", level, at }
}

/** Save a clock with the time of its next event, for the SLA sweep. */
export const saveScheduled = async (tx: Ex, orgId: string, s: Scheduled) =>
  saveClock(tx, orgId, s.clock, nextSlaEvent(s.clock, s.definition, s.calendar)?.at ?? null)

export const newClock = (
  caseId: string,
  target: Target,
  seq: number,
  calendarId: string,
  cal: Calendar,
  def: PolicyDefinition,
  at: Date,
): ClockRow | undefined => {
  const seconds = def.targets[target]
  if (!seconds) return undefined
  return {
    ...Sla.start(cal, seconds, at, def.warnAt),
    caseId,
    target,
    seq,
    calendarId,
    warnedAt: null,
    escalationsFired: 0,
  }
}

/** Settings, policies and calendars read once and reused for many intakes (imports, demo data). */
export interface IntakeCache {
  settings?: Settings
  policies?: Awaited<ReturnType<typeof loadPolicies>>
  calendars: Map<string, Calendar>
}
export const intakeCache = (): IntakeCache => ({ calendars: new Map() })

/** Read the configuration in force (settings, policies, calendars) into `cache`, in one statement. */
export const loadIntakeCache = async (ex: Ex, orgId: string, cache: IntakeCache = intakeCache()) => {
  const config = await loadIntakeConfig(ex, orgId)
  cache.settings = config.settings
  cache.policies = config.policies
  for (const [id, calendar] of config.calendars) cache.calendars.set(id, calendar)
  return cache
}

/** A case as an import brings it: possibly already answered, resolved or closed in the source system. */
export interface HistoricalCaseInput extends CaseInput {
  /** The status in the source system; history is recorded as it was, not replayed. */
  readonly status?: Status | undefined
  /** When the source system resolved it: stops the first-response and resolution clocks then. */
  readonly resolvedAt?: Date | undefined
}

/** How `intakeMany` writes. @category models @since 0.3.0 */
export interface IntakeOptions {
  /** false: read nothing back (returns []). */
  readonly records?: boolean
  /** Lock the audit chain head in the statement that writes the cases (see `Change`'s `lockAuditHead`). */
  readonly auditHead?: {
    readonly lock: (options: { readonly after?: ReadonlyArray<string> }) => RawBuilder<Audit.Head>
    readonly locked: (head: Audit.Head) => void
  }
}

const RESOLVED: ReadonlyArray<string> = ["resolved", "follow_up", "closed"]

const json = (rows: unknown) => sql`${JSON.stringify(rows)}::json`
/**
 * Instants travel as epoch milliseconds (JSON.stringify of a Date costs several times more).
 * Absent values are left out of the JSON rather than written as null: json_to_recordset reads a
 * missing key as NULL, and an import's rows are a third shorter.
 */
const ms = (d: Date | null | undefined) => (d ? d.getTime() : undefined)
/** The SQL for an epoch-milliseconds column of a recordset. */
const ts = (column: string) => sql`to_timestamp(${sql.ref(`x.${column}`)} / 1000.0)`

/**
 * Receive many cases in the caller's transaction, in input order (a later case may be the
 * repeat of an earlier one). Same rules as one at a time: customer, priority from urgency ×
 * impact, routing, repeat detection, the first matching SLA policy (its version pinned), the
 * clocks with the time of their next event. `now` is when the cases are recorded as received.
 * With `records: false` nothing is read back (an import does not need the rows it wrote). With
 * `auditHead`, the statement that writes the cases also locks the audit chain head (a change's
 * `lockAuditHead`, after the case rows it updates) and hands it on (one round trip less).
 * @category constructors
 * @since 0.2.0
 */
export async function intakeMany(
  tx: Ex,
  ctx: Ctx,
  inputs: ReadonlyArray<HistoricalCaseInput>,
  now: Date,
  cache: IntakeCache = intakeCache(),
  options: IntakeOptions = {},
): Promise<CaseRecord[]> {
  if (inputs.length === 0) return []
  const orgId = ctx.orgId
  if (!cache.settings || !cache.policies) await loadIntakeCache(tx, orgId, cache)
  const settings = cache.settings!
  const policies = cache.policies!

  // customers: upserted together; those named by id read together
  const withCustomer = inputs.flatMap((input, i) => (input.customer ? [i] : []))
  const upserted = await upsertCustomersIn(
    tx,
    orgId,
    withCustomer.map((i) => inputs[i]!.customer!),
  )
  const customers = new Map<number, ReturnType<typeof toCustomer>>(
    withCustomer.map((i, k) => [i, upserted[k]!.customer]),
  )
  const createdCustomers = new Set(upserted.filter((u) => u.inserted).map((u) => u.customer.id))
  const byId = [
    ...new Set(inputs.flatMap((input) => (!input.customer && input.customerId ? [input.customerId] : []))),
  ]
  if (byId.length) {
    // locked (in id order) like an upsert would, so that two intakes of one customer see each other's cases
    const r = await sql<
      Selectable<CustomerTable>
    >`select * from process.customer where org_id = ${orgId} and id in (${sql.join(byId.sort())})
      order by id for update`.execute(tx)
    const found = new Map(r.rows.map((x) => [x.id, toCustomer(x)]))
    for (const [i, input] of inputs.entries()) {
      if (input.customer || !input.customerId) continue
      const c = found.get(input.customerId)
      if (!c)
        throw new Errors.ValidationError({
          message: "invalid case",
          issues: [
            {
              path: ["customerId"],
              message: "no such customer in this organisation",
              code: "unknownCustomer",
            },
          ],
        })
      customers.set(i, c)
    }
  }

  // numbers: the ones taken beforehand, the rest from the counter in the statement that writes the
  // cases (its row locked from there to the commit, like the audit head; an import takes its
  // numbers beforehand so that its lanes do not wait on each other)
  const unnumbered = inputs.filter((input) => input.number === undefined).length
  let ordinal = 0

  // the facts of each case, its policy, its clocks
  const calendarOf = async (id: string) => {
    let calendar = cache.calendars.get(id)
    if (!calendar) {
      calendar = (await loadCalendar(tx, orgId, id)).calendar
      cache.calendars.set(id, calendar)
    }
    return calendar
  }
  const windowMs = settings.repeatWindowDays * 86_400_000
  const cases = []
  for (const [i, input] of inputs.entries()) {
    const customer = customers.get(i)
    const segment = input.customer ? (input.customer.segment ?? "new") : (customer?.segment ?? null)
    const urgency = (input.urgency ?? "medium") as Level
    const impact = (input.impact ?? (segment === "vip" ? "high" : "medium")) as Level
    const priority = priorityOf(settings.priorityMatrix, urgency, impact)
    const tier = (input.tier ?? "L1") as Tier
    const team = routeTeam(input, segment === "vip" ? (customer?.dedicatedTeam ?? null) : null)
    const receivedAt = input.receivedAt ?? now
    const recordedAt =
      input.recordedAt ?? (input.receivedAt && input.receivedAt < now ? input.receivedAt : now)
    const policy = matchPolicy(policies, {
      type: input.type,
      channel: input.channel,
      segment,
      priority,
      category: input.category || null,
      team,
      tier,
    })
    const id: string = Id.make("case")
    const status: Status = input.status ?? "new"
    const resolvedAt = RESOLVED.includes(status) ? (input.resolvedAt ?? null) : null
    const clocks: ClockRow[] = []
    let calendar: Calendar | undefined
    if (policy) {
      calendar = await calendarOf(policy.definition.calendarId)
      const def = policy.definition
      const cal = calendar
      // a due date past the calendar's range (a receivedAt near its end) is the input's fault
      onCalendar([...(inputs.length > 1 ? [i] : []), "receivedAt"], () => {
        for (const target of ["first_response", "initial_record", "resolution"] as const) {
          let clock = newClock(id, target, 1, def.calendarId, cal, def, receivedAt)
          if (!clock) continue
          if (target === "initial_record") clock = { ...clock, ...Sla.stop(cal, clock, recordedAt) }
          else if (resolvedAt) clock = { ...clock, ...Sla.stop(cal, clock, resolvedAt) }
          clocks.push(clock)
        }
      })
    }
    const { slaState, nextDueAt } = summarize(clocks, now)
    cases.push({
      i,
      input,
      id,
      // an explicit number, or the how-manieth of the unnumbered (numbered in the statement)
      number: input.number,
      ordinal: input.number === undefined ? ++ordinal : undefined,
      customer,
      segment,
      urgency,
      impact,
      priority,
      tier,
      team,
      receivedAt,
      recordedAt,
      status,
      resolvedAt,
      policy,
      calendar,
      clocks,
      slaState,
      nextDueAt,
      repeatOf: null as string | null,
      repeatedBy: null as string | null,
    })
  }

  // repeat contacts: the latest earlier case of the same customer and category within the
  // window — stored ones in one query, earlier cases of this batch from memory
  const withCust = cases.filter((c) => c.customer)
  if (withCust.length) {
    // a customer this batch created has no stored case to repeat
    const probe = withCust
      .filter((c) => !createdCustomers.has(c.customer!.id))
      .map((c) => ({
        i: c.i,
        customer_id: c.customer!.id,
        category: c.input.category || "",
        received_at: c.receivedAt.getTime(),
        since: c.receivedAt.getTime() - windowMs,
      }))
    // two statements so that each uses the (customer, category, received_at) index (the order
    // by names its columns, so that no other index looks cheaper while statistics are young)
    const lookup = (rows: typeof probe, category: ReturnType<typeof sql>) =>
      rows.length === 0
        ? Promise.resolve([] as Array<{ i: number; id: string; received_at: Date }>)
        : sql<{ i: number; id: string; received_at: Date }>`select x.i, p.id, p.received_at
      from json_to_recordset(${json(rows)}) as x(i int, customer_id text, category text, received_at float8, since float8)
      cross join lateral (select c.id, c.received_at from process.case c where c.org_id = ${orgId} and c.customer_id = x.customer_id
        and ${category} and c.received_at < ${ts("received_at")} and c.received_at >= ${ts("since")}
        order by c.customer_id desc, c.category desc, c.received_at desc limit 1) p`
            .execute(tx)
            .then((r) => r.rows)
    const stored = {
      rows: [
        ...(await lookup(
          probe.filter((p) => p.category !== ""),
          sql`c.category = x.category`,
        )),
        ...(await lookup(
          probe.filter((p) => p.category === ""),
          sql`c.category is null`,
        )),
      ],
    }
    const found = new Map(
      stored.rows.map((r) => [Number(r.i), { id: r.id, at: new Date(r.received_at).getTime() }]),
    )
    const earlier = new Map<string, Array<(typeof cases)[number]>>()
    for (const c of withCust) {
      const key = `${c.customer!.id}\u0000${c.input.category || ""}`
      const t = c.receivedAt.getTime()
      let best = found.get(c.i)
      let bestCase: (typeof cases)[number] | undefined
      for (const e of earlier.get(key) ?? []) {
        const et = e.receivedAt.getTime()
        if (et < t && et >= t - windowMs && (!best || et > best.at)) {
          best = { id: e.id, at: et }
          bestCase = e
        }
      }
      if (best) {
        c.repeatOf = best.id
        if (bestCase && bestCase.repeatedBy === null) bestCase.repeatedBy = c.id
      }
      earlier.set(key, [...(earlier.get(key) ?? []), c])
    }
  }
  const batchIds = new Set(cases.map((c) => c.id))
  const storedRepeats = new Map<string, string>()
  for (const c of cases)
    if (c.repeatOf && !batchIds.has(c.repeatOf) && !storedRepeats.has(c.repeatOf))
      storedRepeats.set(c.repeatOf, c.id)

  // the writes: cases, their timeline, their clocks and the repeat links in one statement
  const events = cases.flatMap((c) => [
    {
      case_id: c.id,
      seq: 1,
      id: Id.make("cev"),
      at: c.receivedAt.getTime(),
      kind: "created",
      channel: c.input.channel,
      direction: "inbound",
      actor_type: ctx.actor.type,
      actor_id: ctx.actor.id,
      participants: c.customer ? [c.customer.name] : [],
      content: c.input.content ?? c.input.subject,
      data: {
        type: c.input.type,
        priority: c.priority,
        team: c.team,
        tier: c.tier,
        policy: c.policy ? { id: c.policy.id, name: c.policy.name, version: c.policy.version } : null,
        ...(c.input.status && c.input.status !== "new" ? { importedStatus: c.input.status } : {}),
      },
    },
    ...(c.repeatOf
      ? [
          {
            case_id: c.id,
            seq: 2,
            id: Id.make("cev"),
            at: c.receivedAt.getTime(),
            kind: "repeat_detected",
            channel: undefined,
            direction: undefined,
            actor_type: "system",
            actor_id: "process",
            participants: [],
            content: undefined,
            data: { repeatOf: c.repeatOf, windowDays: settings.repeatWindowDays },
          },
        ]
      : []),
  ])
  const clocks = cases.flatMap((c) =>
    c.clocks.map((k) => ({ k, next: nextSlaEvent(k, c.policy!.definition, c.calendar!)?.at ?? null })),
  )
  const stored = [...storedRepeats].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, by]) => ({ id, by }))
  const caseRows = cases.map((c) => ({
    id: c.id,
    number: c.number,
    ordinal: c.ordinal,
    external_id: c.input.externalId ?? undefined,
    customer_id: c.customer?.id ?? undefined,
    segment: c.segment ?? undefined,
    type: c.input.type,
    channel: c.input.channel,
    subject: c.input.subject.trim(),
    content: c.input.content ?? "",
    status: c.status,
    urgency: c.urgency,
    impact: c.impact,
    priority: c.priority,
    category: c.input.category || undefined,
    tier: c.tier,
    team: c.team ?? undefined,
    owner_id: c.input.ownerId ?? undefined,
    received_at: ms(c.receivedAt),
    recorded_at: ms(c.recordedAt),
    first_response_at: ms(c.resolvedAt),
    resolved_at: ms(c.resolvedAt),
    closed_at: c.status === "closed" ? ms(c.resolvedAt) : undefined,
    repeat_of: c.repeatOf ?? undefined,
    repeated_by: c.repeatedBy ?? undefined,
    policy_id: c.policy?.id ?? undefined,
    policy_version: c.policy?.version ?? undefined,
    sla_state: c.slaState,
    next_due_at: ms(c.nextDueAt),
    milestones: c.input.milestones ?? [],
  }))
  const rows = await sql<{
    written: number
    now: Date
    last: number | bigint | null
    audit_head?: Audit.Head | null
  }>`with
    e as (insert into process.case_event (org_id, case_id, seq, id, at, kind, channel, direction, actor_type, actor_id, participants, content, data)
    select ${orgId}, x.case_id, x.seq, x.id, ${ts("at")}, x.kind, x.channel, x.direction, x.actor_type, x.actor_id, x.participants, x.content, x.data
    from json_to_recordset(${json(events)}) as x(case_id text, seq int, id text, at float8, kind text, channel text, direction text,
      actor_type text, actor_id text, participants jsonb, content text, data jsonb)),
    ${
      clocks.length
        ? sql`cl as (insert into process.sla_clock (org_id, case_id, target, seq, calendar_id, target_seconds, started_at, segment_started_at,
        consumed_seconds, due_at, warn_at, paused_at, pauses, stopped_at, elapsed_seconds, warned_at, breached_at, status, escalations_fired,
        next_event_at)
      select ${orgId}, x.case_id, x.target, x.seq, x.calendar_id, x.target_seconds, ${ts("started_at")}, ${ts("segment_started_at")},
        x.consumed_seconds, ${ts("due_at")}, ${ts("warn_at")}, ${ts("paused_at")}, x.pauses, ${ts("stopped_at")}, x.elapsed_seconds,
        ${ts("warned_at")}, ${ts("breached_at")}, x.status, x.escalations_fired, ${ts("next_event_at")}
      from json_to_recordset(${json(
        clocks.map(({ k, next }) => ({
          case_id: k.caseId,
          target: k.target,
          seq: k.seq,
          calendar_id: k.calendarId,
          target_seconds: k.targetSeconds,
          started_at: ms(k.startedAt),
          segment_started_at: ms(k.segmentStartedAt),
          consumed_seconds: k.consumedSeconds,
          due_at: ms(k.dueAt),
          warn_at: ms(k.warnAt),
          paused_at: ms(k.pausedAt),
          pauses: k.pauses,
          stopped_at: ms(k.stoppedAt),
          elapsed_seconds: k.elapsedSeconds,
          warned_at: ms(k.warnedAt),
          breached_at: ms(k.breachedAt),
          status: k.status,
          escalations_fired: k.escalationsFired,
          next_event_at: ms(next),
        })),
      )}) as x(case_id text, target text, seq int, calendar_id text, target_seconds int, started_at float8, segment_started_at float8,
        consumed_seconds int, due_at float8, warn_at float8, paused_at float8, pauses jsonb, stopped_at float8,
        elapsed_seconds int, warned_at float8, breached_at float8, status text, escalations_fired int, next_event_at float8)),`
        : sql``
    }
    ${
      stored.length
        ? sql`u as (update process.case c set repeated_by = x.by from json_to_recordset(${json(stored)}) as x(id text, by text)
      where c.org_id = ${orgId} and c.id = x.id and c.repeated_by is null returning c.id),`
        : sql``
    }
    ${
      unnumbered
        ? sql`n as (insert into process.case_counter (org_id, last) values (${orgId}, ${unnumbered})
      on conflict (org_id) do update set last = process.case_counter.last + ${unnumbered} returning last),`
        : sql``
    }
    c as (insert into process.case (org_id, id, number, external_id, customer_id, segment, type, channel, subject, content,
      status, urgency, impact, priority, category, tier, team, owner_id, received_at, recorded_at, first_response_at, resolved_at, closed_at,
      repeat_of, repeated_by, policy_id, policy_version, sla_state, next_due_at, milestones)
    select ${orgId}, x.id, ${unnumbered ? sql`coalesce(x.number, (select last from n) - ${unnumbered} + x.ordinal)` : sql`x.number`}, x.external_id, x.customer_id, x.segment, x.type, x.channel, x.subject, x.content, x.status, x.urgency,
      x.impact, x.priority, x.category, x.tier, x.team, x.owner_id, ${ts("received_at")}, ${ts("recorded_at")}, ${ts("first_response_at")},
      ${ts("resolved_at")}, ${ts("closed_at")}, x.repeat_of, x.repeated_by, x.policy_id, x.policy_version, x.sla_state, ${ts("next_due_at")}, x.milestones
    from json_to_recordset(${json(caseRows)}) as x(id text, number bigint, ordinal int, external_id text, customer_id text, segment text, type text, channel text, subject text, content text,
      status text, urgency text, impact text, priority text, category text, tier text, team text, owner_id text, received_at float8,
      recorded_at float8, first_response_at float8, resolved_at float8, closed_at float8, repeat_of text, repeated_by text,
      policy_id text, policy_version int, sla_state text, next_due_at float8, milestones jsonb)
    returning id)
    ${options.auditHead ? sql`, h as (${options.auditHead.lock({ after: ["c", ...(stored.length ? ["u"] : [])] })})` : sql``}
    select count(*) as written, now() as now, ${unnumbered ? sql`(select last from n)` : sql`null`} as last${
      options.auditHead
        ? sql`, (select json_build_object('seq', h.seq, 'hash', h.hash) from h) as audit_head`
        : sql``
    } from c`.execute(tx)
  if (options.auditHead) {
    const head = rows.rows[0]?.audit_head
    if (!head) throw new Error("intake: the audit head was not returned")
    options.auditHead.locked(head)
  }
  // one reminder job for the recurring issues of the batch that are still open (history already
  // resolved needs none)
  const recurring = cases
    .filter((c) => c.repeatOf && !RESOLVED.includes(c.status))
    .map((c) => ({ caseId: c.id, repeatOf: c.repeatOf! }))
  if (recurring.length)
    await Jobs.scheduleIn(tx, {
      orgId,
      kind: FOLLOW_UP_JOB,
      key: `recurring:${recurring[0]!.caseId}`,
      runAt: now,
      payload: { event: "recurring", cases: recurring },
    })
  if (options.records === false) return []
  // the records as stored, from what was written (nothing read back): defaults as the table has
  // them, the statement's now() for created and updated, milestones as jsonb returns them
  const at = rows.rows[0]!.now
  const firstNumber = Number(rows.rows[0]!.last) - unnumbered + 1
  return caseRows.map((r) => {
    // a row as the table would return it, read by the same `toCase` as every stored case
    return toCase({
      org_id: orgId,
      id: r.id,
      number: r.number ?? firstNumber + r.ordinal! - 1,
      external_id: r.external_id ?? null,
      customer_id: r.customer_id ?? null,
      segment: r.segment ?? null,
      type: r.type,
      channel: r.channel,
      subject: r.subject,
      content: r.content,
      status: r.status,
      urgency: r.urgency,
      impact: r.impact,
      priority: r.priority,
      category: r.category ?? null,
      tier: r.tier,
      team: r.team ?? null,
      owner_id: r.owner_id ?? null,
      received_at: new Date(r.received_at!),
      recorded_at: date(r.recorded_at),
      first_response_at: date(r.first_response_at),
      resolved_at: date(r.resolved_at),
      closed_at: date(r.closed_at),
      resolution_code: null,
      reopen_count: 0,
      escalation_level: 0,
      repeat_of: r.repeat_of ?? null,
      repeated_by: r.repeated_by ?? null,
      policy_id: r.policy_id ?? null,
      policy_version: r.policy_version ?? null,
      sla_state: r.sla_state,
      next_due_at: date(r.next_due_at),
      milestones: jsonbValue(r.milestones) as Milestones,
      version: 1,
      created_at: at,
      updated_at: at,
    })
  })
}

const date = (ms: number | undefined): Date | null => (ms === undefined ? null : new Date(ms))

/** A JSON value as jsonb gives it back: object keys shortest first, then by their bytes. */
const jsonbValue = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(jsonbValue)
  if (value === null || typeof value !== "object") return value
  const keys = Object.keys(value).sort(
    (a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)),
  )
  const out: Record<string, unknown> = {}
  for (const k of keys) out[k] = jsonbValue((value as Record<string, unknown>)[k])
  return out
}
