/**
 * SLA clocks on business calendars: start, pause with a reason, resume, stop; due time,
 * warning time and the explanation a person can read. Pure functions over @tenet/calendar.
 *
 * A clock consumes business time while it runs. `consumed` holds the business seconds used
 * before the current running segment; the due time is `addBusinessTime(segmentStart, target − consumed)`.
 *
 * @since 0.1.0
 */
import {
  addBusinessTime,
  businessSecondsBetween,
  type Calendar,
  explainAddBusinessTime,
} from "@tenet/calendar"

/** @category models @since 0.1.0 */
export interface ClockState {
  readonly targetSeconds: number
  readonly startedAt: Date
  /** Start of the current running segment; null while paused or stopped. */
  readonly segmentStartedAt: Date | null
  readonly consumedSeconds: number
  readonly dueAt: Date | null
  readonly warnAt: Date | null
  readonly pausedAt: Date | null
  readonly pauses: ReadonlyArray<{
    readonly from: string
    readonly to: string | null
    readonly reason: string
  }>
  readonly stoppedAt: Date | null
  readonly elapsedSeconds: number | null
  readonly breachedAt: Date | null
  readonly status: "running" | "paused" | "met" | "breached"
}

/** Start a clock. @category constructors @since 0.1.0 */
export const start = (cal: Calendar, targetSeconds: number, at: Date, warnShare: number): ClockState => ({
  targetSeconds,
  startedAt: at,
  segmentStartedAt: at,
  consumedSeconds: 0,
  dueAt: addBusinessTime(cal, at, targetSeconds),
  warnAt: addBusinessTime(cal, at, Math.floor(targetSeconds * warnShare)),
  pausedAt: null,
  pauses: [],
  stoppedAt: null,
  elapsedSeconds: null,
  breachedAt: null,
  status: "running",
})

/** Business seconds used so far; durations are whole seconds (instants carry milliseconds). */
const used = (cal: Calendar, c: ClockState, at: Date) =>
  c.consumedSeconds +
  (c.segmentStartedAt ? Math.round(businessSecondsBetween(cal, c.segmentStartedAt, at)) : 0)

/** Pause a running clock. @category constructors @since 0.1.0 */
export const pause = (cal: Calendar, c: ClockState, at: Date, reason: string): ClockState => {
  if (c.status !== "running" && !(c.status === "breached" && !c.stoppedAt && c.segmentStartedAt)) return c
  return {
    ...c,
    consumedSeconds: used(cal, c, at),
    segmentStartedAt: null,
    pausedAt: at,
    dueAt: c.status === "breached" ? c.dueAt : null,
    warnAt: null,
    pauses: [...c.pauses, { from: at.toISOString(), to: null, reason }],
    status: c.status === "breached" ? "breached" : "paused",
  }
}

/** Resume a paused clock: the remaining business time runs again from `at`. @category constructors @since 0.1.0 */
export const resume = (cal: Calendar, c: ClockState, at: Date, warnShare: number): ClockState => {
  if (!c.pausedAt || c.stoppedAt) return c
  const remaining = Math.max(0, c.targetSeconds - c.consumedSeconds)
  const warnRemaining = Math.max(0, Math.floor(c.targetSeconds * warnShare) - c.consumedSeconds)
  return {
    ...c,
    segmentStartedAt: at,
    pausedAt: null,
    dueAt: c.status === "breached" ? c.dueAt : addBusinessTime(cal, at, remaining),
    warnAt: c.status === "breached" || warnRemaining === 0 ? null : addBusinessTime(cal, at, warnRemaining),
    pauses: c.pauses.map((p, i) =>
      i === c.pauses.length - 1 && p.to === null ? { ...p, to: at.toISOString() } : p,
    ),
    status: c.status === "breached" ? "breached" : "running",
  }
}

/** Stop a clock (the target was reached): met when within the target, else breached. @category constructors @since 0.1.0 */
export const stop = (cal: Calendar, c: ClockState, at: Date): ClockState => {
  if (c.stoppedAt) return c
  const elapsed = c.segmentStartedAt ? used(cal, c, at) : c.consumedSeconds
  const met = elapsed <= c.targetSeconds && c.status !== "breached"
  const closedPauses = c.pauses.map((p) => (p.to === null ? { ...p, to: at.toISOString() } : p))
  return {
    ...c,
    consumedSeconds: elapsed,
    segmentStartedAt: null,
    pausedAt: null,
    pauses: closedPauses,
    stoppedAt: at,
    elapsedSeconds: elapsed,
    breachedAt: met ? null : (c.breachedAt ?? c.dueAt ?? at),
    status: met ? "met" : "breached",
  }
}

/** Mark a breach at the due time (from the scheduler). @category constructors @since 0.1.0 */
export const breach = (c: ClockState, at: Date): ClockState =>
  c.stoppedAt || c.status === "breached" ? c : { ...c, breachedAt: at, status: "breached" }

/** Business seconds left (negative when late), as of `at`. @category constructors @since 0.1.0 */
export const remainingSeconds = (cal: Calendar, c: ClockState, at: Date): number =>
  c.targetSeconds - (c.stoppedAt ? (c.elapsedSeconds ?? 0) : used(cal, c, at))

/** A readable account of a clock. @category models @since 0.1.0 */
export interface ClockExplanation {
  readonly targetSeconds: number
  readonly consumedSeconds: number
  readonly remainingSeconds: number
  readonly dueAt: string | null
  readonly pauses: ClockState["pauses"]
  /** The open periods the remaining time runs through and the days skipped (for a running clock). */
  readonly periods: ReadonlyArray<{ readonly start: string; readonly end: string; readonly seconds: number }>
  readonly days: ReadonlyArray<{ readonly date: string; readonly kind: string }>
}

/** Explain a clock: what was consumed, what remains and through which open periods. @category constructors @since 0.1.0 */
export const explain = (cal: Calendar, c: ClockState, now: Date): ClockExplanation => {
  const consumed = c.stoppedAt
    ? (c.elapsedSeconds ?? 0)
    : c.segmentStartedAt
      ? used(cal, c, now)
      : c.consumedSeconds
  const base = {
    targetSeconds: c.targetSeconds,
    consumedSeconds: consumed,
    remainingSeconds: c.targetSeconds - consumed,
    dueAt: c.dueAt?.toISOString() ?? null,
    pauses: c.pauses,
  }
  const from = c.segmentStartedAt ?? c.startedAt
  const seconds = c.segmentStartedAt ? Math.max(0, c.targetSeconds - c.consumedSeconds) : c.targetSeconds
  if (c.stoppedAt || !c.segmentStartedAt) {
    const e = explainAddBusinessTime(cal, c.startedAt, Math.min(consumed, 90 * 86_400))
    return { ...base, periods: e.periods.map(periodOut), days: e.days }
  }
  const e = explainAddBusinessTime(cal, from, seconds)
  return { ...base, periods: e.periods.map(periodOut), days: e.days }
}

const periodOut = (p: { start: Date; end: Date; seconds: number }) => ({
  start: p.start.toISOString(),
  end: p.end.toISOString(),
  seconds: p.seconds,
})
