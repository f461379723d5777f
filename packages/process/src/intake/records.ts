// Intake's records: the cases as stored, built from what was written (nothing read back).
import type { Milestones } from "../migrations/schema"
import { type CaseRecord, toCase } from "../Store"
import type { Written } from "./write"

/** The written cases as `toCase` reads stored ones. */
export const intakeRecords = (
  orgId: string,
  rows: Written["rows"],
  caseRows: Written["caseRows"],
  unnumbered: number,
): CaseRecord[] => {
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
      handle_seconds: null,
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
