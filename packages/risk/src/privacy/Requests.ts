/**
 * Data-subject requests (PR-06, PIPL Art 44–47): access and copy, correction, deletion,
 * restriction. A request is received (its clock starts: 30 days by default per GB/T 35273 §8.7,
 * configurable, counted on a business calendar when the organisation names one), the requester's
 * identity is verified, then it is fulfilled (`Erasure.fulfil` for deletions, `Export.collect` for
 * access) or refused with a reason (Art 50). A reminder goes to the privacy officers (admins)
 * `reminder_days` before the due date if the request is still open.
 *
 * @since 0.7.0
 */
import { type Calendar, localDate, openPeriods } from "@tenet/calendar"
import { type CoreTables, Corrections, Id, Jobs, Notifications, Redaction, Tenancy } from "@tenet/core"
import type { Kysely } from "kysely"
import type { RequestKind, RequestOutcome, RequestStatus } from "../migrations/privacySchema"
import { type Ctx, change, type Database, type Q, tables } from "../store"

const DAY = 86_400_000

/** @category models @since 0.7.0 */
export interface Request {
  readonly id: string
  readonly customerId: string
  readonly kind: RequestKind
  readonly status: RequestStatus
  readonly locale: "zh-CN" | "en"
  readonly channel: string
  readonly details: string
  readonly corrections: Readonly<Record<string, string>>
  readonly receivedAt: Date
  readonly dueAt: Date
  readonly verifiedAt: Date | null
  readonly verification: string | null
  readonly closedAt: Date | null
  readonly outcome: RequestOutcome | null
  readonly refusalReason: string | null
  /** Whole days left until the due date (negative when late), null once closed. */
  readonly daysLeft: number | null
}

/** A request in a state that does not allow the step. @category models @since 0.7.0 */
export class RequestConflict extends Error {
  readonly _tag = "RequestConflict"
  constructor(
    readonly code: "not_found" | "not_verified" | "closed" | "already_verified",
    message: string,
  ) {
    super(message)
  }
}

type Row = Awaited<ReturnType<typeof selectRow>>
const selectRow = (q: Q, orgId: string, id: string) =>
  q
    .selectFrom("risk.privacy_request")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()

export const toRequest = (r: NonNullable<Row>, now = new Date()): Request => ({
  id: r.id,
  customerId: r.customer_id,
  kind: r.kind,
  status: r.status,
  locale: r.locale,
  channel: r.channel,
  details: r.details,
  corrections: r.corrections,
  receivedAt: r.received_at,
  dueAt: r.due_at,
  verifiedAt: r.verified_at,
  verification: r.verification,
  closedAt: r.closed_at,
  outcome: r.outcome,
  refusalReason: r.refusal_reason,
  daysLeft: r.closed_at ? null : Math.ceil((r.due_at.getTime() - now.getTime()) / DAY),
})

/**
 * The due date: `days` calendar days after receipt, or, when a calendar is given, the same time of
 * day on the `days`-th business day after the day of receipt (a local date counts when the calendar
 * is open at some time on it: weekends, holidays and closed days do not).
 * @category constructors
 * @since 0.7.0
 */
export const dueDate = (receivedAt: Date, days: number, calendar?: Calendar): Date => {
  if (!calendar) return new Date(receivedAt.getTime() + days * DAY)
  const openOn = (at: Date) => {
    const date = localDate(calendar, at)
    return openPeriods(calendar, new Date(at.getTime() - 1.5 * DAY), new Date(at.getTime() + 1.5 * DAY)).some(
      (p) =>
        localDate(calendar, p.start) === date || localDate(calendar, new Date(p.end.getTime() - 1)) === date,
    )
  }
  let at = receivedAt
  const seen = new Set([localDate(calendar, receivedAt)])
  // a calendar open on no day at all would never reach the count: stop after a generous bound
  for (let counted = 0, guard = 0; counted < days && guard < days * 10 + 60; guard++) {
    at = new Date(at.getTime() + DAY)
    const date = localDate(calendar, at)
    if (seen.has(date)) continue
    seen.add(date)
    if (openOn(at)) counted++
  }
  return at
}

/** The organisation's request clock. @category getters @since 0.7.0 */
export const settings = async (q: Q, orgId: string) => {
  const r = await q
    .selectFrom("risk.privacy_settings")
    .selectAll()
    .where("org_id", "=", orgId)
    .executeTakeFirst()
  return {
    requestDays: r?.request_days ?? 30,
    calendarId: r?.calendar_id ?? null,
    reminderDays: r?.reminder_days ?? 5,
  }
}

/** Set the request clock. @category constructors @since 0.7.0 */
export const setSettings = (
  db: Database,
  ctx: Ctx,
  input: { readonly requestDays: number; readonly calendarId: string | null; readonly reminderDays: number },
) =>
  change(db, ctx, async ({ tx, audit }) => {
    const values = {
      request_days: input.requestDays,
      calendar_id: input.calendarId,
      reminder_days: input.reminderDays,
      updated_at: new Date(),
    }
    await tx
      .insertInto("risk.privacy_settings")
      .values({ org_id: ctx.orgId, ...values })
      .onConflict((oc) => oc.column("org_id").doUpdateSet(values))
      .execute()
    await audit({
      action: "privacy.settings.set",
      entityType: "privacy_settings",
      entityId: ctx.orgId,
      after: input,
    })
    return input
  })

/** The job kind of a request's reminder. @category models @since 0.7.0 */
export const REMINDER_JOB = "risk.privacy.request_reminder"

/**
 * Record a request received from (or for) a customer; the clock starts at `receivedAt`.
 * @category constructors
 * @since 0.7.0
 */
export const receive = async (
  db: Database,
  ctx: Ctx,
  input: {
    readonly customerId: string
    readonly kind: RequestKind
    readonly locale: "zh-CN" | "en"
    readonly channel: string
    readonly details?: string | undefined
    readonly corrections?: Readonly<Record<string, string>> | undefined
    readonly receivedAt?: Date | undefined
  },
  options: { readonly calendar?: Calendar | undefined } = {},
): Promise<Request> => {
  const s = await settings(tables(db), ctx.orgId)
  const receivedAt = input.receivedAt ?? new Date()
  const due = dueDate(receivedAt, s.requestDays, options.calendar)
  return change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .insertInto("risk.privacy_request")
      .values({
        org_id: ctx.orgId,
        id: Id.make("dsr"),
        customer_id: input.customerId,
        kind: input.kind,
        status: "received",
        locale: input.locale,
        channel: input.channel,
        details: input.details ?? "",
        corrections: JSON.stringify(input.corrections ?? {}),
        received_at: receivedAt,
        due_at: due,
        created_by: ctx.actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await Jobs.scheduleIn(tx, {
      orgId: ctx.orgId,
      kind: REMINDER_JOB,
      key: row.id,
      runAt: new Date(Math.max(receivedAt.getTime(), due.getTime() - s.reminderDays * DAY)),
      payload: { requestId: row.id },
    })
    // the audit record names the request, not its content
    await audit({
      action: "privacy.request.received",
      entityType: "privacy_request",
      entityId: row.id,
      after: { kind: row.kind, dueAt: due.toISOString() },
    })
    return toRequest(row)
  })
}

const step = async (
  db: Database,
  ctx: Ctx,
  id: string,
  fn: (row: NonNullable<Row>, q: Q) => Promise<NonNullable<Row>>,
  action: string,
): Promise<Request> =>
  change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .selectFrom("risk.privacy_request")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!row) throw new RequestConflict("not_found", `no request ${id}`)
    if (row.closed_at) throw new RequestConflict("closed", `request ${id} is closed`)
    const next = await fn(row, tx)
    await audit({ action, entityType: "privacy_request", entityId: id, after: { status: next.status } })
    return toRequest(next)
  })

/** Record how the requester's identity was checked. @category constructors @since 0.7.0 */
export const verify = (db: Database, ctx: Ctx, id: string, method: string) =>
  step(
    db,
    ctx,
    id,
    async (row, tx) => {
      if (row.verified_at) throw new RequestConflict("already_verified", `request ${id} is already verified`)
      return tx
        .updateTable("risk.privacy_request")
        .set({ status: "verified", verified_at: new Date(), verified_by: ctx.actor.id, verification: method })
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow()
    },
    "privacy.request.verified",
  )

/** Close a verified request with what was done. @category constructors @since 0.7.0 */
export const complete = (db: Database, ctx: Ctx, id: string, outcome: RequestOutcome) =>
  step(
    db,
    ctx,
    id,
    async (row, tx) => {
      if (!row.verified_at) throw new RequestConflict("not_verified", `verify the requester of ${id} first`)
      return tx
        .updateTable("risk.privacy_request")
        .set({
          status: "done",
          closed_at: new Date(),
          closed_by: ctx.actor.id,
          outcome: JSON.stringify(outcome),
        })
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow()
    },
    "privacy.request.completed",
  )

/**
 * Fulfil a verified correction request: the corrections recorded with it (and `extra`, given at
 * fulfilment, which win) are applied by the modules that hold the fields (core's `Corrections`),
 * in one transaction with the request's completion; the audit chain records the module's change
 * (masked) and `privacy.request.corrected` naming the fields. A field no module corrects, or a value
 * a module refuses, throws `Corrections.CorrectionRefused` and nothing is written.
 * @category constructors
 * @since 0.8.0
 */
export const correct = (
  db: Database,
  ctx: Ctx,
  id: string,
  extra: Readonly<Record<string, string>> = {},
): Promise<Request> =>
  change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .selectFrom("risk.privacy_request")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!row) throw new RequestConflict("not_found", `no request ${id}`)
    if (row.closed_at) throw new RequestConflict("closed", `request ${id} is closed`)
    if (!row.verified_at) throw new RequestConflict("not_verified", `verify the requester of ${id} first`)
    const values = { ...row.corrections, ...extra }
    if (Object.keys(values).length === 0)
      throw new Corrections.CorrectionRefused("corrections", "the request names nothing to correct")
    const applied = await Corrections.apply(
      { tx: tx as unknown as Kysely<CoreTables>, ctx, audit },
      row.customer_id,
      values,
    )
    const corrected = applied.flatMap((a) => a.fields)
    const outcome: RequestOutcome = { removed: [], kept: [], corrected }
    const next = await tx
      .updateTable("risk.privacy_request")
      .set({
        status: "done",
        closed_at: new Date(),
        closed_by: ctx.actor.id,
        // the new values now live (sealed) in the modules; the request keeps them masked
        corrections: JSON.stringify(
          Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Redaction.maskText(v)])),
        ),
        outcome: JSON.stringify(outcome),
      })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
    // names the fields and the classes, never the values
    await audit({
      action: "privacy.request.corrected",
      entityType: "privacy_request",
      entityId: id,
      after: { customerId: row.customer_id, applied },
    })
    await audit({
      action: "privacy.request.completed",
      entityType: "privacy_request",
      entityId: id,
      after: { status: "done" },
    })
    return toRequest(next)
  })

/** Refuse a request, with the reason the customer is given (PIPL Art 50). @category constructors @since 0.7.0 */
export const refuse = (db: Database, ctx: Ctx, id: string, reason: string) =>
  step(
    db,
    ctx,
    id,
    (_row, tx) =>
      tx
        .updateTable("risk.privacy_request")
        .set({ status: "refused", closed_at: new Date(), closed_by: ctx.actor.id, refusal_reason: reason })
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirstOrThrow(),
    "privacy.request.refused",
  )

/** One request. @category getters @since 0.7.0 */
export const get = async (q: Q, orgId: string, id: string): Promise<Request | null> => {
  const r = await selectRow(q, orgId, id)
  return r ? toRequest(r) : null
}

/** The officer's queue: open requests by due date, then the latest closed ones. @category getters @since 0.7.0 */
export const queue = async (
  q: Q,
  orgId: string,
  options: { readonly open?: boolean; readonly customerId?: string } = {},
): Promise<ReadonlyArray<Request>> => {
  let query = q.selectFrom("risk.privacy_request").selectAll().where("org_id", "=", orgId)
  if (options.open !== undefined) query = query.where("closed_at", options.open ? "is" : "is not", null)
  if (options.customerId) query = query.where("customer_id", "=", options.customerId)
  const now = new Date()
  return (await query.orderBy("due_at").orderBy("id").limit(500).execute()).map((r) => toRequest(r, now))
}

/** The reminder: tell the admins when an open request nears its due date. @category constructors @since 0.7.0 */
export const jobHandlers: Jobs.JobHandlers = {
  [REMINDER_JOB]: async (job, db) => {
    const requestId = (job.payload as { requestId?: string }).requestId ?? ""
    const ctx = Tenancy.system(job.orgId, "privacy")
    await change(db, ctx, async ({ tx, emit }) => {
      const r = await selectRow(tx, job.orgId, requestId)
      if (!r || r.closed_at) return
      const days = Math.ceil((r.due_at.getTime() - Date.now()) / DAY)
      await emit(
        Notifications.requestEvent({
          kind: "privacy.request_due",
          recipients: [{ type: "role", role: "admin" }],
          subject: { type: "privacy_request", id: r.id },
          params: { days, kind: r.kind },
          dedupeKey: `privacy.request_due:${r.id}`,
          title: {
            "zh-CN": `个人信息权利请求 ${r.id} 将在 ${days} 天后到期`,
            en: `Data-subject request ${r.id} is due in ${days} days`,
          },
        }),
      )
    })
  },
}
