/**
 * Persistence helpers shared by the process services: row mapping, calendar and policy loading
 * (cached by version), clock rows, case events. Every function takes an executor (the database
 * or the caller's transaction) and an organisation id.
 */
import {
  type Calendar,
  CalendarRangeError,
  type CalendarSpec,
  CalendarSpecError,
  makeCalendar,
  SUPPORTED_RANGE,
} from "@tenet/calendar"
import { Change, type CoreTables, type Db, Errors, Id } from "@tenet/core"
import { type Kysely, type Selectable, sql, type Transaction } from "kysely"
import {
  DEFAULT_PRIORITY_MATRIX,
  type Policy,
  type PolicyDefinition,
  type PriorityMatrix,
  type Status,
  type Target,
  type Tier,
} from "./Case"
import type {
  CalendarTable,
  CaseEventTable,
  CaseTable,
  ProcessTables,
  SlaClockTable,
  SlaPolicyTable,
} from "./migrations/schema"
import type { ClockState } from "./Sla"

/** The tables process code sees: its own and core's. */
export type ProcessDb = CoreTables & ProcessTables
/** An executor: the module's typed database (`db.as<ProcessTables>()`) or a transaction of it. */
export type Ex = Kysely<ProcessDb>

/** The module's typed database. */
export const processDb = (db: Db.Database): Ex => db.as<ProcessTables>()

/**
 * A core change's transaction seen with process's tables too: the same transaction (process's
 * tables exist once its migrations ran); for the `…In` functions whose signature takes core's scope.
 */
export const asProcess = (tx: Transaction<CoreTables>): Transaction<ProcessDb> =>
  tx as unknown as Transaction<ProcessDb>

/** `Change.change` with the transaction typed by process's tables. */
export const change: Change.TypedChange<ProcessTables> = Change.typed<ProcessTables>()

/** A row as `row_to_json`/`json_agg` return it: timestamps are ISO strings. */
export type AsJson<R> = {
  [K in keyof R]: R[K] extends Date ? string : R[K] extends Date | null ? string | null : R[K]
}

// ---------------------------------------------------------------------------
// settings
// ---------------------------------------------------------------------------

export interface Settings {
  readonly priorityMatrix: PriorityMatrix
  readonly reopenWindowDays: number
  readonly repeatWindowDays: number
}

export const loadSettings = async (ex: Ex, orgId: string): Promise<Settings> => {
  const row = await ex
    .selectFrom("process.settings")
    .selectAll()
    .where("org_id", "=", orgId)
    .executeTakeFirst()
  return row
    ? {
        priorityMatrix: row.priority_matrix,
        reopenWindowDays: row.reopen_window_days,
        repeatWindowDays: row.repeat_window_days,
      }
    : { priorityMatrix: DEFAULT_PRIORITY_MATRIX, reopenWindowDays: 7, repeatWindowDays: 7 }
}

// ---------------------------------------------------------------------------
// calendars
// ---------------------------------------------------------------------------

export interface CalendarRecord {
  readonly id: string
  readonly name: string
  readonly spec: CalendarSpec
  readonly version: number
  readonly updatedAt: Date
}

export const toCalendarRecord = (r: Selectable<CalendarTable>): CalendarRecord => ({
  id: r.id,
  name: r.name,
  spec: r.spec,
  version: r.version,
  updatedAt: r.updated_at,
})

const calendarCache = new Map<string, Calendar>()

/** Validate a spec; a CalendarSpecError becomes a ValidationError naming `spec.<path>`. */
export const compileSpec = (spec: unknown, field = "spec"): Calendar => {
  try {
    return makeCalendar(spec as CalendarSpec)
  } catch (e) {
    if (e instanceof CalendarSpecError)
      throw new Errors.ValidationError({
        message: "invalid calendar",
        issues: [
          {
            path: [field, ...e.path.split(/[.[\]]+/).filter(Boolean)],
            message: e.reason,
            code: "calendarSpec",
            params: { detail: e.reason },
          },
        ],
      })
    throw e
  }
}

/** The instants business calendars (and so SLA clocks) work with. */
export const CALENDAR_RANGE = {
  min: SUPPORTED_RANGE.from.toISOString(),
  max: SUPPORTED_RANGE.to.toISOString(),
} as const

/** Whether a date lies in the calendars' range (checked at intake, before any clock runs). */
export const inCalendarRange = (d: Date): boolean =>
  d.getTime() >= SUPPORTED_RANGE.from.getTime() && d.getTime() <= SUPPORTED_RANGE.to.getTime()

/** A date outside the calendars' range, as a field issue (code `calendarRange`). */
export const calendarRangeIssue = (path: ReadonlyArray<string | number>): Errors.FieldIssue => ({
  path,
  message: `must be between ${CALENDAR_RANGE.min} and ${CALENDAR_RANGE.max}`,
  code: "calendarRange",
  params: { min: CALENDAR_RANGE.min, max: CALENDAR_RANGE.max },
})

/**
 * Run calendar work whose instants come from `path`: a `CalendarRangeError` (an instant, or the
 * due date it leads to, outside the calendar's range; or no open time left to reach it) becomes a
 * ValidationError on that field — a 400 naming it, never a 500.
 */
export const onCalendar = <A>(path: ReadonlyArray<string | number>, fn: () => A): A => {
  try {
    return fn()
  } catch (e) {
    if (!(e instanceof CalendarRangeError)) throw e
    throw new Errors.ValidationError({
      message: "date outside the business calendar's range",
      issues: [
        e.reason === "no_open_time"
          ? {
              path,
              message: "the business calendar has no open time left to reach this due date",
              code: "calendarNoOpenTime",
            }
          : calendarRangeIssue(path),
      ],
    })
  }
}

/** A calendar compiled once per (organisation, id, version). */
const compiled = (orgId: string, id: string, version: number, spec: CalendarSpec): Calendar => {
  const key = `${orgId}:${id}:${version}`
  let calendar = calendarCache.get(key)
  if (!calendar) {
    calendar = makeCalendar(spec)
    if (calendarCache.size > 500) calendarCache.clear()
    calendarCache.set(key, calendar)
  }
  return calendar
}

export const loadCalendar = async (
  ex: Ex,
  orgId: string,
  id: string,
): Promise<{ record: CalendarRecord; calendar: Calendar }> => {
  const row = await ex
    .selectFrom("process.calendar")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!row) throw new Errors.NotFoundError({ entity: "calendar", id })
  const record = toCalendarRecord(row)
  const calendar = compiled(orgId, id, record.version, record.spec)
  return { record, calendar }
}

// ---------------------------------------------------------------------------
// policies
// ---------------------------------------------------------------------------

export const toPolicy = (
  r: Pick<
    Selectable<SlaPolicyTable>,
    "id" | "name" | "position" | "active" | "version" | "definition" | "updated_at"
  >,
): Policy & { updatedAt: Date } => ({
  id: r.id,
  name: r.name,
  position: r.position,
  active: r.active,
  version: r.version,
  definition: r.definition,
  updatedAt: r.updated_at,
})

export const loadPolicies = async (ex: Ex, orgId: string) =>
  (
    await ex
      .selectFrom("process.sla_policy")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("position")
      .orderBy("id")
      .execute()
  ).map(toPolicy)

/**
 * What an intake reads before it computes, in one statement that writes nothing: settings,
 * policies, calendars (compiled ones from the cache).
 */
export const loadIntakeConfig = async (ex: Ex, orgId: string) => {
  const r = await sql<{
    settings: AsJson<Selectable<ProcessTables["process.settings"]>> | null
    policies: Array<AsJson<Selectable<SlaPolicyTable>>>
    calendars: Array<{ id: string; version: number }>
  }>`select (select row_to_json(s) from process.settings s where s.org_id = ${orgId}) as settings,
      coalesce((select json_agg(p order by p.position, p.id) from process.sla_policy p where p.org_id = ${orgId}), '[]'::json) as policies,
      coalesce((select json_agg(json_build_object('id', c.id, 'version', c.version)) from process.calendar c
        where c.org_id = ${orgId}), '[]'::json) as calendars`.execute(ex)
  const row = r.rows[0]!
  const settings: Settings = row.settings
    ? {
        priorityMatrix: row.settings.priority_matrix,
        reopenWindowDays: row.settings.reopen_window_days,
        repeatWindowDays: row.settings.repeat_window_days,
      }
    : { priorityMatrix: DEFAULT_PRIORITY_MATRIX, reopenWindowDays: 7, repeatWindowDays: 7 }
  // versions only: a calendar's spec (its holiday lists) is read when this version is not compiled yet
  const calendars = new Map<string, Calendar>()
  for (const c of row.calendars) {
    const known = calendarCache.get(`${orgId}:${c.id}:${c.version}`)
    calendars.set(c.id, known ?? (await loadCalendar(ex, orgId, c.id)).calendar)
  }
  return {
    settings,
    policies: row.policies.map((p) => toPolicy({ ...p, updated_at: new Date(p.updated_at) })),
    calendars,
  }
}

export const loadPolicyVersion = async (
  ex: Ex,
  orgId: string,
  id: string,
  version: number,
): Promise<{ name: string; definition: PolicyDefinition }> => {
  const row = await ex
    .selectFrom("process.sla_policy_version")
    .select(["name", "definition"])
    .where("org_id", "=", orgId)
    .where("policy_id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst()
  if (!row) throw new Errors.NotFoundError({ entity: "sla_policy_version", id: `${id}@${version}` })
  return row
}

// ---------------------------------------------------------------------------
// cases
// ---------------------------------------------------------------------------

export interface CaseRecord {
  readonly id: string
  readonly number: number
  readonly externalId: string | null
  readonly customerId: string | null
  readonly customerName?: string | null
  readonly segment: string | null
  readonly type: string
  readonly channel: string
  readonly subject: string
  readonly content: string
  readonly status: Status
  readonly urgency: string
  readonly impact: string
  readonly priority: string
  readonly category: string | null
  readonly tier: Tier
  readonly team: string | null
  readonly ownerId: string | null
  readonly receivedAt: Date
  readonly recordedAt: Date | null
  readonly firstResponseAt: Date | null
  readonly resolvedAt: Date | null
  readonly closedAt: Date | null
  readonly resolutionCode: string | null
  readonly reopenCount: number
  readonly escalationLevel: number
  readonly repeatOf: string | null
  readonly repeatedBy: string | null
  readonly policyId: string | null
  readonly policyVersion: number | null
  readonly slaState: "ok" | "warning" | "breached" | "paused" | "met" | "none"
  readonly nextDueAt: Date | null
  readonly milestones: ReadonlyArray<{ name: string; due?: string; doneAt?: string | null }>
  readonly version: number
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** A case row, with the customer's name when the query joined it. */
export type CaseRow = Selectable<CaseTable> & { readonly customer_name?: string | null }

export const toCase = (r: CaseRow): CaseRecord => ({
  id: r.id,
  number: Number(r.number),
  externalId: r.external_id,
  customerId: r.customer_id,
  ...(r.customer_name !== undefined ? { customerName: r.customer_name } : {}),
  segment: r.segment,
  type: r.type,
  channel: r.channel,
  subject: r.subject,
  content: r.content,
  status: r.status,
  urgency: r.urgency,
  impact: r.impact,
  priority: r.priority,
  category: r.category,
  tier: r.tier,
  team: r.team,
  ownerId: r.owner_id,
  receivedAt: r.received_at,
  recordedAt: r.recorded_at,
  firstResponseAt: r.first_response_at,
  resolvedAt: r.resolved_at,
  closedAt: r.closed_at,
  resolutionCode: r.resolution_code,
  reopenCount: r.reopen_count,
  escalationLevel: r.escalation_level,
  repeatOf: r.repeat_of,
  repeatedBy: r.repeated_by,
  policyId: r.policy_id,
  policyVersion: r.policy_version,
  slaState: r.sla_state,
  nextDueAt: r.next_due_at,
  milestones: r.milestones,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

export const lockCase = async (tx: Ex, orgId: string, id: string): Promise<CaseRecord> => {
  const r = await sql<
    Selectable<CaseTable>
  >`select * from process.case where org_id = ${orgId} and id = ${id} for update`.execute(tx)
  if (!r.rows[0]) throw new Errors.NotFoundError({ entity: "case", id })
  return toCase(r.rows[0])
}

export const nextCaseNumber = async (tx: Ex, orgId: string): Promise<number> => {
  const r = await sql<{
    last: number | bigint
  }>`insert into process.case_counter (org_id, last) values (${orgId}, 1)
    on conflict (org_id) do update set last = process.case_counter.last + 1 returning last`.execute(tx)
  return Number(r.rows[0]!.last)
}

// ---------------------------------------------------------------------------
// events
// ---------------------------------------------------------------------------

export interface CaseEventInput {
  readonly kind: string
  readonly at: Date
  readonly channel?: string | null
  readonly direction?: "inbound" | "outbound" | "internal" | null
  readonly actorType: string
  readonly actorId: string
  readonly participants?: ReadonlyArray<string>
  readonly content?: string | null
  readonly data?: unknown
}

export const addEvent = async (tx: Ex, orgId: string, caseId: string, e: CaseEventInput) => {
  const seqRow = await sql<{ n: number }>`select coalesce(max(seq), 0)::int + 1 as n from process.case_event
    where org_id = ${orgId} and case_id = ${caseId}`.execute(tx)
  const seq = seqRow.rows[0]!.n
  await sql`insert into process.case_event (org_id, case_id, seq, id, at, kind, channel, direction, actor_type, actor_id, participants, content, data)
    values (${orgId}, ${caseId}, ${seq}, ${Id.make("cev")}, ${e.at}, ${e.kind}, ${e.channel ?? null}, ${e.direction ?? null},
      ${e.actorType}, ${e.actorId}, ${JSON.stringify(e.participants ?? [])}::jsonb, ${e.content ?? null},
      ${JSON.stringify(e.data ?? {})}::jsonb)`.execute(tx)
  return seq
}

export const toEvent = (r: Selectable<CaseEventTable>) => ({
  seq: r.seq,
  id: r.id,
  at: r.at,
  kind: r.kind,
  channel: r.channel,
  direction: r.direction,
  actorType: r.actor_type,
  actorId: r.actor_id,
  participants: r.participants,
  content: r.content,
  data: r.data,
})

// ---------------------------------------------------------------------------
// clocks
// ---------------------------------------------------------------------------

export interface ClockRow extends ClockState {
  readonly caseId: string
  readonly target: Target
  readonly seq: number
  readonly calendarId: string
  readonly warnedAt: Date | null
  readonly escalationsFired: number
}

export const toClock = (r: Selectable<SlaClockTable>): ClockRow => ({
  caseId: r.case_id,
  target: r.target,
  seq: r.seq,
  calendarId: r.calendar_id,
  targetSeconds: r.target_seconds,
  startedAt: r.started_at,
  segmentStartedAt: r.segment_started_at,
  consumedSeconds: r.consumed_seconds,
  dueAt: r.due_at,
  warnAt: r.warn_at,
  pausedAt: r.paused_at,
  pauses: r.pauses,
  stoppedAt: r.stopped_at,
  elapsedSeconds: r.elapsed_seconds,
  warnedAt: r.warned_at,
  breachedAt: r.breached_at,
  status: r.status,
  escalationsFired: r.escalations_fired,
})

export const loadClocks = async (ex: Ex, orgId: string, caseId: string) =>
  (
    await sql<
      Selectable<SlaClockTable>
    >`select * from process.sla_clock where org_id = ${orgId} and case_id = ${caseId}
      order by started_at, target, seq`.execute(ex)
  ).rows.map(toClock)

/** Write a clock with the time of its next scheduler event (null: nothing to fire). */
export const saveClock = async (tx: Ex, orgId: string, c: ClockRow, nextEventAt: Date | null) => {
  await sql`insert into process.sla_clock (org_id, case_id, target, seq, calendar_id, target_seconds, started_at, segment_started_at,
      consumed_seconds, due_at, warn_at, paused_at, pauses, stopped_at, elapsed_seconds, warned_at, breached_at, status, escalations_fired,
      next_event_at)
    values (${orgId}, ${c.caseId}, ${c.target}, ${c.seq}, ${c.calendarId}, ${c.targetSeconds}, ${c.startedAt}, ${c.segmentStartedAt},
      ${c.consumedSeconds}, ${c.dueAt}, ${c.warnAt}, ${c.pausedAt}, ${JSON.stringify(c.pauses)}::jsonb, ${c.stoppedAt},
      ${c.elapsedSeconds}, ${c.warnedAt}, ${c.breachedAt}, ${c.status}, ${c.escalationsFired}, ${nextEventAt})
    on conflict (org_id, case_id, target, seq) do update set
      segment_started_at = excluded.segment_started_at, consumed_seconds = excluded.consumed_seconds,
      due_at = excluded.due_at, warn_at = excluded.warn_at, paused_at = excluded.paused_at, pauses = excluded.pauses,
      stopped_at = excluded.stopped_at, elapsed_seconds = excluded.elapsed_seconds, warned_at = excluded.warned_at,
      breached_at = excluded.breached_at, status = excluded.status, escalations_fired = excluded.escalations_fired,
      next_event_at = excluded.next_event_at`.execute(tx)
}

/** The queue badge: worst state over the case's live clocks, and the next due time. */
export const summarize = (
  clocks: ReadonlyArray<ClockRow>,
  now: Date,
): { slaState: CaseRecord["slaState"]; nextDueAt: Date | null } => {
  const live = clocks.filter((c) => !c.stoppedAt)
  if (clocks.length === 0) return { slaState: "none", nextDueAt: null }
  if (live.length === 0)
    return { slaState: clocks.some((c) => c.status === "breached") ? "breached" : "met", nextDueAt: null }
  const dues = live.map((c) => c.dueAt).filter((d): d is Date => d !== null)
  const nextDueAt = dues.length ? new Date(Math.min(...dues.map((d) => d.getTime()))) : null
  if (live.some((c) => c.status === "breached" || (c.dueAt && c.dueAt <= now)))
    return { slaState: "breached", nextDueAt }
  if (live.some((c) => c.warnedAt || (c.warnAt && c.warnAt <= now))) return { slaState: "warning", nextDueAt }
  if (live.every((c) => c.status === "paused")) return { slaState: "paused", nextDueAt }
  return { slaState: "ok", nextDueAt }
}
