// Intake's plan: the facts of each case (priority, routing, status), its SLA policy and its clocks.
import type { Calendar } from "@tenet/calendar"
import { Id } from "@tenet/core"
import { type Level, matchPolicy, priorityOf, recordComplete, type Status, type Tier } from "../Case"
import type { toCustomer } from "../Config"
import * as Sla from "../Sla"
import { type ClockRow, type Ex, loadCalendar, onCalendar, summarize } from "../Store"
import type { IntakeCache } from "./cache"
import { newClock } from "./clocks"
import { type HistoricalCaseInput, routeTeam } from "./input"

export const RESOLVED: ReadonlyArray<string> = ["resolved", "follow_up", "closed"]

/**
 * Each input as a case to write, in input order (unnumbered ones with their ordinal among the
 * unnumbered); repeat links are filled in afterwards (see `findRepeats`).
 */
export const planCases = async (
  tx: Ex,
  orgId: string,
  inputs: ReadonlyArray<HistoricalCaseInput>,
  now: Date,
  cache: IntakeCache,
  settings: NonNullable<IntakeCache["settings"]>,
  policies: NonNullable<IntakeCache["policies"]>,
  customers: ReadonlyMap<number, ReturnType<typeof toCustomer>>,
) => {
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
    // the intake record: complete when it has what the organisation requires (customer, content,
    // classification); a record completed later stops the initial-record clock then (`updateCase`).
    // A history (import, demo) brings the time it was completed.
    const complete = recordComplete(
      {
        customerId: input.customerId ?? customer?.id ?? (input.customer ? "new" : null),
        content: input.content,
        category: input.category,
      },
      settings.recordRequires,
    )
    const recordedAt: Date | null =
      input.recordedAt ??
      (complete || (input.status !== undefined && RESOLVED.includes(input.status))
        ? input.receivedAt && input.receivedAt < now
          ? input.receivedAt
          : now
        : null)
    const matched = matchPolicy(policies, {
      type: input.type,
      channel: input.channel,
      segment,
      priority,
      category: input.category || null,
      team,
      tier,
    })
    // a case that matches no policy gets the organisation's default, never none
    const policy = matched ?? policies.find((p) => p.id === settings.defaultPolicyId)
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
          if (target === "initial_record") {
            if (recordedAt) clock = { ...clock, ...Sla.stop(cal, clock, recordedAt) }
          } else if (resolvedAt) clock = { ...clock, ...Sla.stop(cal, clock, resolvedAt) }
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
  return cases
}

/** A case as planned by `planCases`. */
export type PlannedCase = Awaited<ReturnType<typeof planCases>>[number]
