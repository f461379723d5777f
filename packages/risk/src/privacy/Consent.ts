/**
 * The consent ledger (PR-02, PIPL Art 14–16): per customer and purpose (service contact, surveys,
 * marketing), each decision with who recorded it, when, from which source and under which version
 * of the privacy notice. The latest decision per purpose counts; withdrawal is as easy as giving
 * and not retroactive. Implements core's contact-permission contract (`provider`).
 *
 * @since 0.7.0
 */
import { type ContactPermissions, Id } from "@tenet/core"
import { sql } from "kysely"
import type { ConsentChannel } from "../migrations/privacySchema"
import { type Ctx, change, type Database, type Q } from "../store"

/** @category models @since 0.7.0 */
export interface ConsentRecord {
  readonly id: string
  readonly customerId: string
  readonly channel: ConsentChannel
  readonly granted: boolean
  readonly noticeVersion: string
  readonly source: string
  readonly recordedBy: string
  readonly recordedAt: Date
}

const toRecord = (r: {
  id: string
  customer_id: string
  channel: ConsentChannel
  granted: boolean
  notice_version: string
  source: string
  recorded_by: string
  recorded_at: Date
}): ConsentRecord => ({
  id: r.id,
  customerId: r.customer_id,
  channel: r.channel,
  granted: r.granted,
  noticeVersion: r.notice_version,
  source: r.source,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
})

/** Record a decision (consent given or withdrawn). @category constructors @since 0.7.0 */
export const record = (
  db: Database,
  ctx: Ctx,
  input: {
    readonly customerId: string
    readonly channel: ConsentChannel
    readonly granted: boolean
    readonly noticeVersion: string
    readonly source: string
    readonly recordedAt?: Date | undefined
  },
): Promise<ConsentRecord> =>
  change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .insertInto("risk.privacy_consent")
      .values({
        org_id: ctx.orgId,
        id: Id.make("cns"),
        customer_id: input.customerId,
        channel: input.channel,
        granted: input.granted,
        notice_version: input.noticeVersion,
        source: input.source,
        recorded_by: ctx.actor.id,
        ...(input.recordedAt ? { recorded_at: input.recordedAt } : {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: input.granted ? "privacy.consent.given" : "privacy.consent.withdrawn",
      entityType: "customer",
      entityId: input.customerId,
      after: { channel: input.channel, noticeVersion: input.noticeVersion, consentId: row.id },
    })
    return toRecord(row)
  })

/** A customer's consent history, newest first. @category getters @since 0.7.0 */
export const history = async (
  q: Q,
  orgId: string,
  customerId: string,
): Promise<ReadonlyArray<ConsentRecord>> =>
  (
    await q
      .selectFrom("risk.privacy_consent")
      .selectAll()
      .where("org_id", "=", orgId)
      .where("customer_id", "=", customerId)
      .orderBy("recorded_at", "desc")
      .orderBy("id", "desc")
      .limit(500)
      .execute()
  ).map(toRecord)

/** Core's contact-permission contract, answered from the ledger and the restrictions. @category constructors @since 0.7.0 */
export const provider: ContactPermissions.Provider = {
  id: "risk.consent",
  check: async (tx, orgId, customerId, purpose) => {
    const r = (
      await sql<{ restricted: boolean; granted: boolean | null }>`select
        exists (select 1 from risk.privacy_restriction where org_id = ${orgId} and customer_id = ${customerId}) as restricted,
        (select granted from risk.privacy_consent where org_id = ${orgId} and customer_id = ${customerId} and channel = ${purpose}
          order by recorded_at desc, id desc limit 1) as granted`.execute(tx)
    ).rows[0]!
    if (r.restricted) return { allowed: false, reason: "restricted" }
    if (r.granted === false) return { allowed: false, reason: "withdrawn" }
    if (r.granted === null && purpose === "marketing") return { allowed: false, reason: "no_consent" }
    return { allowed: true }
  },
}
