import { addBusinessTime } from "@tenet/calendar"
import { type Change, Id, Jobs } from "@tenet/core"
import { sql } from "kysely"
import { FOLLOW_UP_JOB } from "../Intake"
import { addEvent, asProcess, lockCase } from "../Store"
import { refreshSummary, withPolicy } from "./clocks"

/** What another module asks to follow up on a case (e.g. a dissatisfied survey response). @category models @since 0.6.0 */
export interface ExternalFollowUp {
  /** The follow-up's kind, e.g. `feedback`. */
  readonly kind: string
  /** The text that lands on the case timeline (the customer's comment). */
  readonly content: string | null
  /** Business seconds until it is due, on the case's policy calendar (24 h of clock time without one). */
  readonly dueInBusinessSeconds?: number
  /** Links back to what asked for it, kept on the timeline entry. */
  readonly data: Readonly<Record<string, string | number | boolean | null>>
}

/**
 * Open a follow-up on a case inside the caller's change (so the caller records its own link to it in
 * the same transaction): a `process.follow_up` row with its due date and overdue job, a timeline
 * entry with the content, the audit record and a `process.follow_up.opened` event. Returns the
 * follow-up's id.
 * @category constructors
 * @since 0.6.0
 */
export const openFollowUpIn = async (
  { tx: coreTx, ctx, audit, emit }: Change.ChangeScope,
  caseId: string,
  input: ExternalFollowUp,
  now = new Date(),
): Promise<{ readonly followUpId: string; readonly dueAt: Date }> => {
  const tx = asProcess(coreTx)
  const c = await lockCase(tx, ctx.orgId, caseId)
  const p = await withPolicy(tx, ctx.orgId, c)
  const seconds = input.dueInBusinessSeconds ?? 8 * 3600
  const dueAt = p ? addBusinessTime(p.calendar, now, seconds) : new Date(now.getTime() + 24 * 3_600_000)
  const id = Id.make("fup")
  await sql`insert into process.follow_up (org_id, id, case_id, kind, due_at) values (${ctx.orgId}, ${id}, ${caseId}, ${input.kind}, ${dueAt})`.execute(
    tx,
  )
  await Jobs.scheduleIn(tx, {
    orgId: ctx.orgId,
    kind: FOLLOW_UP_JOB,
    key: `due:${id}`,
    runAt: dueAt,
    payload: { event: "due", followUpId: id, caseId },
  })
  await addEvent(tx, ctx.orgId, caseId, {
    kind: "follow_up_opened",
    at: now,
    direction: "inbound",
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    content: input.content,
    data: { ...input.data, followUpId: id, kind: input.kind },
  })
  await refreshSummary(tx, ctx.orgId, caseId, now)
  await audit({
    action: "follow_up.opened",
    entityType: "follow_up",
    entityId: id,
    after: { caseId, kind: input.kind, ...input.data },
  })
  await emit({
    type: "process.follow_up.opened",
    aggregateType: "case",
    aggregateId: caseId,
    payload: { followUpId: id, kind: input.kind, ...input.data },
  })
  return { followUpId: id, dueAt }
}
