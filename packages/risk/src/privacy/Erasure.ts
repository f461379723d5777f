/**
 * Deletion (PIPL Art 47) and restriction (Art 44) of a customer's data. Erasure removes (deletes
 * or anonymises, as each class declares) every row of the customer that is past its class's
 * minimum and under no legal hold, writes deletion evidence like the retention schedule, and
 * states what was kept and why (the minimum's legal reason and the date it ends, or the hold).
 * What is kept is restricted to storage: the customer is added to the restrictions, which the
 * contact-permission contract honours.
 *
 * @since 0.7.0
 */
import { DataClasses } from "@tenet/core"
import { sql } from "kysely"
import type { RequestOutcome } from "../migrations/privacySchema"
import { type Ctx, change, type Database, tables } from "../store"
import { policies, removeRows } from "./Retention"
import { belongs, col, notHeld, notYetPurged, ofCustomer, table } from "./Sql"

const DAY = 86_400_000

const HOLD_WHY = {
  "zh-CN": "存在法律保全（诉讼、监管调查等），保全解除前不得删除",
  en: "under a legal hold (litigation, a regulator's inquiry…); it cannot be deleted until the hold is released",
}
const OPEN_WHY = {
  "zh-CN": "相关事项尚在处理中，处理完毕并满足最短保存期限后删除",
  en: "still being handled; deleted once closed and past its minimum",
}

/** Classes whose customer path goes through another table first (they must go before the rows they go through). */
const order = (cs: ReadonlyArray<DataClasses.DataClass>) =>
  [...cs].sort(
    (a, b) =>
      Number(!a.customer?.via) - Number(!b.customer?.via) ||
      Number(a.customer?.column === "id") - Number(b.customer?.column === "id"),
  )

/**
 * Erase a customer's data as far as the law allows, and say what was kept.
 * @category constructors
 * @since 0.7.0
 */
export const erase = async (
  db: Database,
  ctx: Ctx,
  customerId: string,
  options: { readonly requestId?: string; readonly now?: Date } = {},
): Promise<RequestOutcome> => {
  const now = options.now ?? new Date()
  const byClass = new Map((await policies(tables(db), ctx.orgId)).map((p) => [p.classId, p]))
  const removed: Array<RequestOutcome["removed"][number]> = []
  const kept: Array<RequestOutcome["kept"][number]> = []
  const candidates = order(DataClasses.all().filter((c) => c.customer && !c.global))
  // what is kept is counted before anything changes (anonymising a parent hides the customer from its children)
  for (const c of candidates) {
    const policy = byClass.get(c.id)
    const minDays = policy?.minDays ?? c.retention.minDays
    const minCutoff = new Date(now.getTime() - minDays * DAY)
    const counts = (
      await sql<{ held: string; young: string; open: string; until: Date | null }>`select
          count(*) filter (where not ${notHeld(c)}) as held,
          count(*) filter (where ${notHeld(c)} and ${col(c.ageColumn)} >= ${minCutoff}) as young,
          count(*) filter (where ${notHeld(c)} and ${col(c.ageColumn)} is null) as open,
          max(${col(c.ageColumn)}) filter (where ${notHeld(c)} and ${col(c.ageColumn)} >= ${minCutoff}) as until
        from ${table(c.table)} t where t.org_id = ${ctx.orgId} and ${ofCustomer(c, customerId)} and ${notYetPurged(c)}`.execute(
        db.kysely,
      )
    ).rows[0]!
    if (Number(counts.held))
      kept.push({ classId: c.id, count: Number(counts.held), reason: "hold", until: null, why: HOLD_WHY })
    if (Number(counts.young))
      kept.push({
        classId: c.id,
        count: Number(counts.young),
        reason: "minimum",
        until: counts.until ? new Date(new Date(counts.until).getTime() + minDays * DAY).toISOString() : null,
        why: c.retention.minimumReason ?? {
          "zh-CN": `最短保存期限 ${minDays} 天`,
          en: `a minimum of ${minDays} days`,
        },
      })
    if (Number(counts.open))
      kept.push({
        classId: c.id,
        count: Number(counts.open),
        reason: "no_maximum_reached",
        until: null,
        why: OPEN_WHY,
      })
  }
  for (const c of candidates) {
    const policy = byClass.get(c.id)
    const minDays = policy?.minDays ?? c.retention.minDays
    const minCutoff = new Date(now.getTime() - minDays * DAY)
    const evidence = await removeRows(
      db,
      ctx,
      c,
      sql<boolean>`t.org_id = ${ctx.orgId} and ${ofCustomer(c, customerId)} and ${belongs(c)} and ${notYetPurged(c)}
        and ${col(c.ageColumn)} < ${minCutoff}`,
      {
        policy: {
          minDays,
          maxDays: policy?.maxDays ?? c.retention.maxDays,
          strategy: c.purge.kind,
          cutoff: minCutoff.toISOString(),
        },
        trigger: "request",
        ...(options.requestId ? { requestId: options.requestId } : {}),
      },
    )
    const count = evidence.reduce((n, e) => n + e.count, 0)
    if (count) removed.push({ classId: c.id, count, action: c.purge.kind })
  }
  if (kept.length) await restrict(db, ctx, customerId, options.requestId)
  return { removed, kept }
}

/** Restrict a customer's data to storage (no contact, no surveys, no marketing). @category constructors @since 0.7.0 */
export const restrict = (db: Database, ctx: Ctx, customerId: string, requestId?: string) =>
  change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .insertInto("risk.privacy_restriction")
      .values({ org_id: ctx.orgId, customer_id: customerId, request_id: requestId ?? null })
      .onConflict((oc) => oc.columns(["org_id", "customer_id"]).doNothing())
      .returning("customer_id")
      .executeTakeFirst()
    if (r)
      await audit({
        action: "privacy.restricted",
        entityType: "customer",
        entityId: customerId,
        after: { requestId: requestId ?? null },
      })
    return r !== undefined
  })

/** Lift a restriction. @category constructors @since 0.7.0 */
export const unrestrict = (db: Database, ctx: Ctx, customerId: string) =>
  change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .deleteFrom("risk.privacy_restriction")
      .where("org_id", "=", ctx.orgId)
      .where("customer_id", "=", customerId)
      .returning("customer_id")
      .executeTakeFirst()
    if (r) await audit({ action: "privacy.unrestricted", entityType: "customer", entityId: customerId })
    return r !== undefined
  })
