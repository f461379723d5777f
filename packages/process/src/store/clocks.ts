// SLA clocks as stored: row mapping, loading, saving and the case's SLA badge.
import { type Selectable, sql } from "kysely"
import type { Target } from "../Case"
import type { SlaClockTable } from "../migrations/schema"
import type { ClockState } from "../Sla"
import type { CaseRecord } from "./cases"
import type { Ex } from "./db"

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
