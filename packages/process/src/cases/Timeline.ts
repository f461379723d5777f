import { Change, ContactPermissions, type Db, Errors, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { CHANNELS } from "../Case"
import { saveScheduled } from "../Intake"
import * as Sla from "../Sla"
import { addEvent, asProcess, change, loadClocks, lockCase } from "../Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

import { clockAfter, refreshSummary, updateClocks, withPolicy } from "./clocks"
/**
 * A reply on the case's timeline. Outbound replies stop the first-response and next-reply
 * clocks; an inbound message starts the next-reply clock and takes a case waiting for the
 * customer back to in progress.
 * @category constructors
 * @since 0.1.0
 */
export const reply = async (
  db: Database,
  ctx: Ctx,
  caseId: string,
  input: {
    content: string
    direction?: "outbound" | "inbound" | undefined
    channel?: string | undefined
    participants?: ReadonlyArray<string> | undefined
  },
  options: { now?: Date } = {},
) => {
  if (!input.content?.trim())
    throw new Errors.ValidationError({
      message: "invalid reply",
      issues: [{ path: ["content"], message: "must not be empty", code: "required" }],
    })
  if (input.channel !== undefined && !(CHANNELS as readonly string[]).includes(input.channel))
    throw new Errors.ValidationError({
      message: "invalid reply",
      issues: [
        {
          path: ["channel"],
          message: `must be one of ${CHANNELS.join(", ")}`,
          code: "oneOf",
          params: { values: CHANNELS.join(", ") },
        },
      ],
    })
  return Change.change(db, ctx, (scope) => replyIn(scope, caseId, input, options.now ?? new Date()))
}

/** `reply` inside the caller's change. @category constructors @since 0.1.0 */
export const replyIn = async (
  { tx: coreTx, ctx, audit, emit }: Change.ChangeScope,
  caseId: string,
  input: {
    content: string
    direction?: "outbound" | "inbound" | undefined
    channel?: string | undefined
    participants?: ReadonlyArray<string> | undefined
  },
  now: Date,
) => {
  const tx = asProcess(coreTx)
  const direction = input.direction ?? "outbound"
  {
    const c = await lockCase(tx, ctx.orgId, caseId)
    if (c.status === "closed")
      throw new Errors.ConflictError({
        message: "the case is closed; reopen it to reply",
        field: "content",
        code: "closedCase",
      })
    // an outbound message reaches the customer: their contact preferences decide (PR-02)
    if (direction === "outbound" && c.customerId)
      await ContactPermissions.assertAllowed(tx, ctx.orgId, c.customerId, "service", "content")
    await addEvent(tx, ctx.orgId, caseId, {
      kind: "reply",
      at: now,
      channel: input.channel ?? c.channel,
      direction,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      participants: input.participants ?? [],
      content: input.content,
    })
    const p = await withPolicy(tx, ctx.orgId, c)
    if (direction === "outbound") {
      if (!c.firstResponseAt)
        await sql`update process.case set first_response_at = ${now} where org_id = ${ctx.orgId} and id = ${caseId}`.execute(
          tx,
        )
      await updateClocks(tx, ctx.orgId, c, (clock, pp) =>
        !clock.stoppedAt && (clock.target === "first_response" || clock.target === "next_reply")
          ? { ...clock, ...Sla.stop(pp.calendar, clock, now) }
          : clock,
      )
    } else if (p) {
      const clocks = await loadClocks(tx, ctx.orgId, caseId)
      const running = clocks.some((x) => x.target === "next_reply" && !x.stoppedAt)
      if (c.firstResponseAt && !running) {
        const nr = clockAfter(clocks, caseId, "next_reply", p, now)
        if (nr) {
          await saveScheduled(tx, ctx.orgId, { clock: nr, ...p })
        }
      }
      if (c.status === "pending_customer") {
        await sql`update process.case set status = 'in_progress' where org_id = ${ctx.orgId} and id = ${caseId}`.execute(
          tx,
        )
        await updateClocks(tx, ctx.orgId, c, (clock, pp) =>
          clock.pausedAt && !clock.stoppedAt
            ? { ...clock, ...Sla.resume(pp.calendar, clock, now, pp.definition.warnAt) }
            : clock,
        )
        await addEvent(tx, ctx.orgId, caseId, {
          kind: "transition",
          at: now,
          direction: "internal",
          actorType: "system",
          actorId: "process",
          data: { from: "pending_customer", to: "in_progress" },
          content: "customer replied",
        })
      }
    }
    await sql`update process.case set version = version + 1, updated_at = now() where org_id = ${ctx.orgId} and id = ${caseId}`.execute(
      tx,
    )
    await refreshSummary(tx, ctx.orgId, caseId, now)
    await audit({
      action: "case.replied",
      entityType: "case",
      entityId: caseId,
      after: { direction, length: input.content.length },
    })
    await emit({
      type: "process.case.replied",
      aggregateType: "case",
      aggregateId: caseId,
      payload: { direction },
    })
    return lockCase(tx, ctx.orgId, caseId)
  }
}

/** An internal note on the timeline. @category constructors @since 0.1.0 */
export const note = async (db: Database, ctx: Ctx, caseId: string, input: { content: string }) => {
  if (!input.content?.trim())
    throw new Errors.ValidationError({
      message: "invalid note",
      issues: [{ path: ["content"], message: "must not be empty", code: "required" }],
    })
  return change(db, ctx, async ({ tx, audit }) => {
    await lockCase(tx, ctx.orgId, caseId)
    await addEvent(tx, ctx.orgId, caseId, {
      kind: "note",
      at: new Date(),
      direction: "internal",
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      content: input.content,
    })
    await sql`update process.case set updated_at = now() where org_id = ${ctx.orgId} and id = ${caseId}`.execute(
      tx,
    )
    await audit({ action: "case.noted", entityType: "case", entityId: caseId })
  })
}

/** Assign an owner and/or a team. @category constructors @since 0.1.0 */
