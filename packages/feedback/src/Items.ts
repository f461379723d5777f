/**
 * Feedback from every channel (seed 000 §5.2): suggestions, praise and complaints recorded as items
 * with an urgency class and a reply deadline, a root cause from a configurable taxonomy, and the
 * Pareto of causes per period. Complaints also follow the ISO 10002 stages (`Complaints`).
 *
 * @since 0.1.0
 */
import type { Calendar } from "@tenet/calendar"
import { ContactPermissions, type Db, Encryption, Errors, Id, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { acknowledgeDue, type Clock, clock, replyDue, respondDue } from "./Clocks"
import type { ItemKind, ItemTable, Stage, Urgency } from "./migrations/schema"
import { FIELDS, sealText } from "./Privacy"
import { change, fdb, type Tx } from "./store"

/** How far back a complaint of the same customer (and cause) makes a new one a repeat. @category models @since 0.1.0 */
export const REPEAT_WINDOW_DAYS = 90

/** @category models @since 0.1.0 */
export interface ItemInput {
  readonly kind: ItemKind
  readonly channel: string
  readonly summary: string
  readonly details?: string | undefined
  readonly urgency?: Urgency | undefined
  readonly caseId?: string | undefined
  readonly customerKey?: string | undefined
  readonly causeCode?: string | undefined
  /** Complaints: the remedy the complainant seeks (ISO 10002 receipt). */
  readonly remedySought?: string | undefined
  readonly receivedAt?: Date | undefined
}

type ItemRow = import("kysely").Selectable<ItemTable>

/** An item with its clocks. @category models @since 0.1.0 */
export interface Item {
  readonly id: string
  readonly kind: ItemKind
  readonly channel: string
  readonly summary: string
  readonly details: string
  readonly urgency: Urgency
  readonly status: ItemRow["status"]
  readonly stage: Stage | null
  readonly caseId: string | null
  readonly customerKey: string | null
  readonly causeCode: string | null
  readonly receivedAt: Date
  readonly repliedAt: Date | null
  readonly reply: string | null
  readonly remedySought: string | null
  readonly severity: ItemRow["severity"]
  readonly complexity: ItemRow["complexity"]
  readonly decision: string | null
  readonly remedyOffered: string | null
  readonly accepted: boolean | null
  readonly handlingSatisfaction: number | null
  readonly repeatOf: string | null
  readonly clocks: ReadonlyArray<Clock>
}

/** @category constructors @since 0.1.0 */
export const toItem = (r: ItemRow, now = new Date(), cipher?: Encryption.FieldCipher): Item => ({
  id: r.id,
  kind: r.kind,
  channel: r.channel,
  summary: r.summary,
  details: cipher ? cipher.open(FIELDS.details, r.details) : r.details,
  urgency: r.urgency,
  status: r.status,
  stage: r.stage,
  caseId: r.case_id,
  customerKey: r.customer_key,
  causeCode: r.cause_code,
  receivedAt: r.received_at,
  repliedAt: r.replied_at,
  reply: r.reply,
  remedySought: r.remedy_sought,
  severity: r.severity,
  complexity: r.complexity,
  decision: r.decision,
  remedyOffered: r.remedy_offered,
  accepted: r.accepted,
  handlingSatisfaction: r.handling_satisfaction,
  repeatOf: r.repeat_of,
  clocks:
    r.kind === "complaint"
      ? [
          clock("acknowledge", r.ack_due_at!, r.acknowledged_at, r.clock_basis.acknowledge ?? "", now),
          clock("respond", r.response_due_at!, r.responded_at, r.clock_basis.respond ?? "", now),
        ]
      : [clock("reply", r.reply_due_at, r.replied_at, r.clock_basis.reply ?? "", now)],
})

const invalid = (path: string, message: string, code = "invalid") =>
  new Errors.ValidationError({ message: "invalid feedback", issues: [{ path: [path], message, code }] })

/** Add an entry to an item's ledger. */
export const ledger = async (
  tx: Tx,
  orgId: string,
  itemId: string,
  e: {
    at: Date
    kind: string
    from?: string | null
    to?: string | null
    actorId: string
    note?: string | null
  },
) => {
  await sql`insert into feedback.item_event (org_id, item_id, seq, at, kind, stage_from, stage_to, actor_id, note)
    select ${orgId}, ${itemId}, coalesce(max(seq), 0) + 1, ${e.at}, ${e.kind}, ${e.from ?? null}, ${e.to ?? null}, ${e.actorId}, ${e.note ?? null}
    from feedback.item_event where org_id = ${orgId} and item_id = ${itemId}`.execute(tx)
}

/**
 * Record an item. A complaint starts at `received` with its acknowledgement and response clocks
 * (simple complexity until it is assessed) and is flagged a repeat when the same customer
 * complained (about the same cause, when one is given) in the last 90 days.
 * @category constructors
 * @since 0.1.0
 */
export const record = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  input: ItemInput,
  calendar?: Calendar,
): Promise<Item> => {
  if (!input.summary.trim() || input.summary.length > 500)
    throw invalid("summary", "must be 1 to 500 characters", "required")
  if ((input.details ?? "").length > 10_000)
    throw invalid("details", "must be at most 10,000 characters", "tooLong")
  if (input.kind !== "complaint" && input.remedySought)
    throw invalid("remedySought", "only complaints seek a remedy")
  const receivedAt = input.receivedAt ?? new Date()
  const urgency = input.urgency ?? "normal"
  const reply = replyDue(urgency, receivedAt, calendar)
  const id = Id.make("fitem")
  const complaint = input.kind === "complaint"
  const ack = complaint ? acknowledgeDue(receivedAt, calendar) : null
  const respond = complaint ? respondDue(urgency, "simple", receivedAt, calendar) : null
  await change(db, ctx, async ({ tx, audit, emit }) => {
    if (input.causeCode) {
      const c = await tx
        .selectFrom("feedback.cause")
        .select("code")
        .where("org_id", "=", ctx.orgId)
        .where("code", "=", input.causeCode)
        .executeTakeFirst()
      if (!c) throw invalid("causeCode", "is not a cause of the taxonomy", "unknown")
    }
    const previous =
      complaint && input.customerKey
        ? await tx
            .selectFrom("feedback.item")
            .select("id")
            .where("org_id", "=", ctx.orgId)
            .where("kind", "=", "complaint")
            .where("customer_key", "=", input.customerKey)
            .where("received_at", ">=", new Date(receivedAt.getTime() - REPEAT_WINDOW_DAYS * 86_400_000))
            .where("received_at", "<=", receivedAt)
            .$if(input.causeCode !== undefined, (q) => q.where("cause_code", "=", input.causeCode!))
            .orderBy("received_at", "desc")
            .limit(1)
            .executeTakeFirst()
        : undefined
    await tx
      .insertInto("feedback.item")
      .values({
        org_id: ctx.orgId,
        id,
        kind: input.kind,
        channel: input.channel,
        case_id: input.caseId ?? null,
        customer_key: input.customerKey ?? null,
        summary: input.summary,
        details: input.details
          ? sealText(await Encryption.cipherFor(tx, ctx.orgId), FIELDS.details, input.details)
          : "",
        urgency,
        cause_code: input.causeCode ?? null,
        status: "open",
        received_at: receivedAt,
        reply_due_at: reply.dueAt,
        replied_at: null,
        reply: null,
        stage: complaint ? "received" : null,
        remedy_sought: input.remedySought ?? null,
        severity: null,
        complexity: complaint ? "simple" : null,
        ack_due_at: ack?.dueAt ?? null,
        acknowledged_at: null,
        response_due_at: respond?.dueAt ?? null,
        responded_at: null,
        decision: null,
        remedy_offered: null,
        accepted: null,
        closed_at: null,
        handling_satisfaction: null,
        repeat_of: previous?.id ?? null,
        clock_basis: JSON.stringify({
          reply: reply.basis,
          ...(ack ? { acknowledge: ack.basis } : {}),
          ...(respond ? { respond: respond.basis } : {}),
        }),
        created_by: ctx.actor.id,
      })
      .execute()
    await ledger(tx, ctx.orgId, id, {
      at: receivedAt,
      kind: "received",
      to: complaint ? "received" : null,
      actorId: ctx.actor.id,
      note: input.remedySought ?? null,
    })
    await audit({
      action: "feedback.recorded",
      entityType: "feedback_item",
      entityId: id,
      after: { kind: input.kind, urgency, repeatOf: previous?.id ?? null },
    })
    await emit({
      type: `feedback.${input.kind}.received`,
      aggregateType: "feedback_item",
      aggregateId: id,
      payload: {
        caseId: input.caseId ?? null,
        causeCode: input.causeCode ?? null,
        repeatOf: previous?.id ?? null,
      },
    })
  })
  return getItem(db, ctx.orgId, id)
}

/** @category constructors @since 0.1.0 */
export const getItem = async (
  db: Db.Database,
  orgId: string,
  id: string,
  now = new Date(),
): Promise<
  Item & {
    readonly ledger: ReadonlyArray<{
      seq: number
      at: Date
      kind: string
      from: string | null
      to: string | null
      actorId: string
      note: string | null
    }>
  }
> => {
  const r = await fdb(db)
    .selectFrom("feedback.item")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "feedback_item", id })
  const events = await fdb(db)
    .selectFrom("feedback.item_event")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("item_id", "=", id)
    .orderBy("seq")
    .execute()
  const cipher = await Encryption.cipherFor(db.kysely, orgId)
  return {
    ...toItem(r, now, cipher),
    ledger: events.map((e) => ({
      seq: e.seq,
      at: e.at,
      kind: e.kind,
      from: e.stage_from,
      to: e.stage_to,
      actorId: e.actor_id,
      note: e.note,
    })),
  }
}

/** Items, newest first, keyset-paged; the inbox (open first by deadline) with `status: "open"`. @category constructors @since 0.1.0 */
export const listItems = async (
  db: Db.Database,
  orgId: string,
  q: {
    readonly kind?: ItemKind | undefined
    readonly status?: ItemRow["status"] | undefined
    readonly limit?: number | undefined
    readonly before?: { at: Date; id: string } | undefined
  },
  now = new Date(),
): Promise<Item[]> => {
  const rows = await fdb(db)
    .selectFrom("feedback.item")
    .selectAll()
    .where("org_id", "=", orgId)
    .$if(q.kind !== undefined, (b) => b.where("kind", "=", q.kind!))
    .$if(q.status !== undefined, (b) => b.where("status", "=", q.status!))
    .$if(q.before !== undefined, (b) =>
      b.where((eb) =>
        eb.or([
          eb("received_at", "<", q.before!.at),
          eb.and([eb("received_at", "=", q.before!.at), eb("id", "<", q.before!.id)]),
        ]),
      ),
    )
    .orderBy("received_at", "desc")
    .orderBy("id", "desc")
    .limit(Math.min(q.limit ?? 50, 500))
    .execute()
  const cipher = await Encryption.cipherFor(db.kysely, orgId)
  return rows.map((r) => toItem(r, now, cipher))
}

/** Reply to a suggestion or praise (stops its reply clock; complaints are answered through their stages). @category constructors @since 0.1.0 */
export const replyTo = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  id: string,
  input: { readonly reply: string; readonly causeCode?: string | undefined },
  now = new Date(),
): Promise<Item> => {
  if (!input.reply.trim() || input.reply.length > 10_000)
    throw invalid("reply", "must be 1 to 10,000 characters", "required")
  await change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .selectFrom("feedback.item")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!r) throw new Errors.NotFoundError({ entity: "feedback_item", id })
    if (r.kind === "complaint")
      throw new Errors.ConflictError({
        message: "a complaint is answered through its stages",
        code: "complaintUsesStages",
      })
    if (r.status !== "open")
      throw new Errors.ConflictError({
        message: "this item was already replied to",
        code: "feedbackAlreadyReplied",
      })
    // the reply reaches the customer: their contact preferences decide (PR-02)
    if (r.customer_key)
      await ContactPermissions.assertAllowed(tx, ctx.orgId, r.customer_key, "service", "reply")
    await tx
      .updateTable("feedback.item")
      .set({
        status: "replied",
        replied_at: now,
        reply: input.reply,
        cause_code: input.causeCode ?? r.cause_code,
        updated_at: now,
      })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .execute()
    await ledger(tx, ctx.orgId, id, { at: now, kind: "replied", actorId: ctx.actor.id, note: input.reply })
    await audit({
      action: "feedback.replied",
      entityType: "feedback_item",
      entityId: id,
      after: { repliedAt: now.toISOString() },
    })
  })
  return getItem(db, ctx.orgId, id, now)
}

export { acknowledgeDue, replyDue, respondDue }
