/**
 * Shared by the case changes: a case's policy and calendar, its clocks after a change, and the queue badge (SLA state, next due time) refreshed from them.
 *
 * @internal
 *
 * @since 0.1.0
 */
import type { Calendar } from "@tenet/calendar"
import { sql } from "kysely"
import type { PolicyDefinition, Target } from "../Case"
import { newClock, saveScheduled } from "../Intake"
import {
  type CaseRecord,
  type ClockRow,
  type Ex,
  loadCalendar,
  loadClocks,
  loadPolicyVersion,
  summarize,
} from "../Store"

export const refreshSummary = async (tx: Ex, orgId: string, caseId: string, now: Date) => {
  const { slaState, nextDueAt } = summarize(await loadClocks(tx, orgId, caseId), now)
  await sql`update process.case set sla_state = ${slaState}, next_due_at = ${nextDueAt} where org_id = ${orgId} and id = ${caseId}`.execute(
    tx,
  )
}

export const withPolicy = async (tx: Ex, orgId: string, c: CaseRecord) => {
  if (!c.policyId || !c.policyVersion) return undefined
  const { definition } = await loadPolicyVersion(tx, orgId, c.policyId, c.policyVersion)
  const { calendar } = await loadCalendar(tx, orgId, definition.calendarId)
  return { definition, calendar }
}

/** A new clock for `target`, numbered after the case's earlier clocks of that target. */
export const clockAfter = (
  clocks: ReadonlyArray<ClockRow>,
  caseId: string,
  target: Target,
  p: { definition: PolicyDefinition; calendar: Calendar },
  now: Date,
) =>
  newClock(
    caseId,
    target,
    clocks.filter((x) => x.target === target).length + 1,
    p.definition.calendarId,
    p.calendar,
    p.definition,
    now,
  )

export const updateClocks = async (
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
      await saveScheduled(tx, orgId, { clock: next, ...p })
    }
  }
}
