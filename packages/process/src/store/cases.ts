// Cases and their events as stored: row mapping, locking, numbering and the timeline.
import { Encryption, Errors, Id } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import type { Status, Tier } from "../Case"
import type { CaseEventTable, CaseTable } from "../migrations/schema"
import { FIELDS, sealMessage } from "../privacy/fields"
import type { Ex } from "./db"

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
  // the text redacted (PR-08) and sealed, the participants' names sealed
  const cipher = await Encryption.cipherFor(tx, orgId)
  const content = e.content == null ? null : sealMessage(cipher, FIELDS.eventContent, e.content)
  const participants = (e.participants ?? []).map((p) => cipher.seal(FIELDS.participant, p))
  await sql`insert into process.case_event (org_id, case_id, seq, id, at, kind, channel, direction, actor_type, actor_id, participants, content, data)
    values (${orgId}, ${caseId}, ${seq}, ${Id.make("cev")}, ${e.at}, ${e.kind}, ${e.channel ?? null}, ${e.direction ?? null},
      ${e.actorType}, ${e.actorId}, ${JSON.stringify(participants)}::jsonb, ${content},
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
