// Intake's SLA clocks: a new case's clocks, the next event of a clock and the scheduler's job kinds.
import type { Calendar } from "@tenet/calendar"
import { addBusinessTime, CalendarRangeError } from "@tenet/calendar"
import type { PolicyDefinition, Target } from "../Case"
import * as Sla from "../Sla"
import { type ClockRow, type Ex, saveClock } from "../Store"

/** Jobs of earlier versions, one per clock event (still honoured). */
export const JOB_KIND = "process.sla"
/** The recurring job that fires due SLA warnings, breaches and escalations. */
export const SWEEP_JOB = "process.sla.sweep"
export const FOLLOW_UP_JOB = "process.follow_up"

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
