import { ContactPermissions, type Db, Errors, type Tenancy } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import type { FollowUpTable } from "../migrations/schema"
import * as Sla from "../Sla"
import { addEvent, change, lockCase } from "../Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

import { refreshSummary, updateClocks } from "./clocks"
export const completeFollowUp = async (
  db: Database,
  ctx: Ctx,
  followUpId: string,
  input: { outcome: string },
) =>
  change(db, ctx, async ({ tx, audit }) => {
    const r = await sql<
      Selectable<FollowUpTable>
    >`update process.follow_up set done_at = now(), outcome = ${input.outcome}
      where org_id = ${ctx.orgId} and id = ${followUpId} and done_at is null returning *`.execute(tx)
    if (!r.rows[0]) throw new Errors.NotFoundError({ entity: "follow_up", id: followUpId })
    const f = r.rows[0]
    const c = await lockCase(tx, ctx.orgId, f.case_id)
    // a follow-up is a call to the customer: their contact preferences decide (PR-02)
    if (c.customerId)
      await ContactPermissions.assertAllowed(tx, ctx.orgId, c.customerId, "service", "outcome")
    if (f.kind === "confirmation")
      await updateClocks(tx, ctx.orgId, c, (clock, p) =>
        clock.target === "follow_up" && !clock.stoppedAt
          ? { ...clock, ...Sla.stop(p.calendar, clock, new Date()) }
          : clock,
      )
    await addEvent(tx, ctx.orgId, c.id, {
      kind: "follow_up_done",
      at: new Date(),
      direction: "outbound",
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      content: input.outcome,
      data: { kind: f.kind },
    })
    await refreshSummary(tx, ctx.orgId, c.id, new Date())
    await audit({
      action: "follow_up.completed",
      entityType: "follow_up",
      entityId: followUpId,
      after: { outcome: input.outcome },
    })
  })
