/**
 * The deadlines of feedback items and complaints, and why they are what they are. Replies: 4 h when
 * urgent, 24 h normally (seed 000 §5.2), 72 h when not urgent. Complaints (ISO 10002): acknowledge
 * within 1 business day (the calendar's working day); respond within 24 h when urgent, else 15 / 30 /
 * 60 days for simple / complex / particularly complex complaints (the NFRA 2020 banking and insurance
 * template). Hour and day deadlines that fall in closed time move to the next opening of the
 * organisation's calendar (holidays, 调休 and closures included).
 *
 * @since 0.1.0
 */
import { addBusinessTime, type Calendar, isOpen, nextOpening, toSpec } from "@tenet/calendar"
import type { Urgency } from "./migrations/schema"

/** @category models @since 0.1.0 */
export const REPLY_HOURS: Readonly<Record<Urgency, number>> = { urgent: 4, normal: 24, non_urgent: 72 }
/** @category models @since 0.1.0 */
export const RESPONSE_DAYS = { simple: 15, complex: 30, particularly_complex: 60 } as const
/** @category models @since 0.1.0 */
export type Complexity = keyof typeof RESPONSE_DAYS

const toSeconds = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number)
  return (h ?? 0) * 3600 + (m ?? 0) * 60
}

/** The open time of the calendar's average working day, in seconds (9 h for 09:00–18:00). @category constructors @since 0.1.0 */
export const businessDaySeconds = (calendar: Calendar): number => {
  const days = Object.values(toSpec(calendar).hours).filter((slots) => slots && slots.length > 0)
  if (days.length === 0) return 8 * 3600
  const total = days.reduce(
    (a, slots) => a + slots!.reduce((b, [s, e]) => b + toSeconds(e) - toSeconds(s), 0),
    0,
  )
  return Math.round(total / days.length)
}

const openAt = (calendar: Calendar | undefined, at: Date) =>
  !calendar || isOpen(calendar, at) ? at : nextOpening(calendar, at)

/** A deadline with the sentence that explains it. @category models @since 0.1.0 */
export interface Deadline {
  readonly dueAt: Date
  readonly basis: string
}

/** The reply deadline of an item. @category constructors @since 0.1.0 */
export const replyDue = (urgency: Urgency, receivedAt: Date, calendar?: Calendar): Deadline => {
  const hours = REPLY_HOURS[urgency]
  const raw = new Date(receivedAt.getTime() + hours * 3_600_000)
  const dueAt = openAt(calendar, raw)
  return {
    dueAt,
    basis: `${urgency}: ${hours} h${dueAt > raw ? ", moved to the next opening of the calendar" : ""}`,
  }
}

/** The acknowledgement deadline of a complaint: one business day. @category constructors @since 0.1.0 */
export const acknowledgeDue = (receivedAt: Date, calendar?: Calendar): Deadline => {
  if (!calendar) return { dueAt: new Date(receivedAt.getTime() + 86_400_000), basis: "1 day (no calendar)" }
  const s = businessDaySeconds(calendar)
  return {
    dueAt: addBusinessTime(calendar, receivedAt, s),
    basis: `1 business day = ${Math.round((s / 3600) * 10) / 10} h of open time on the calendar`,
  }
}

/** The response deadline of a complaint. @category constructors @since 0.1.0 */
export const respondDue = (
  urgency: Urgency,
  complexity: Complexity,
  receivedAt: Date,
  calendar?: Calendar,
): Deadline => {
  if (urgency === "urgent") {
    const raw = new Date(receivedAt.getTime() + 24 * 3_600_000)
    const dueAt = openAt(calendar, raw)
    return { dueAt, basis: `urgent: 24 h${dueAt > raw ? ", moved to the next opening of the calendar" : ""}` }
  }
  const days = RESPONSE_DAYS[complexity]
  const raw = new Date(receivedAt.getTime() + days * 86_400_000)
  const dueAt = openAt(calendar, raw)
  return {
    dueAt,
    basis: `${complexity}: ${days} days (NFRA 2020 template)${dueAt > raw ? ", moved to the next opening of the calendar" : ""}`,
  }
}

/** A clock as shown: its deadline, when it stopped, and its state now. @category models @since 0.1.0 */
export interface Clock {
  readonly target: "reply" | "acknowledge" | "respond"
  readonly dueAt: Date
  readonly stoppedAt: Date | null
  readonly state: "running" | "overdue" | "met" | "breached"
  readonly basis: string
}

/** @category constructors @since 0.1.0 */
export const clock = (
  target: Clock["target"],
  dueAt: Date,
  stoppedAt: Date | null,
  basis: string,
  now: Date,
): Clock => ({
  target,
  dueAt,
  stoppedAt,
  basis,
  state: stoppedAt ? (stoppedAt <= dueAt ? "met" : "breached") : now <= dueAt ? "running" : "overdue",
})
