/**
 * When the customer's voice opens an improvement cycle (trigger `complaint`, seed 002 §5.1): a
 * breached satisfaction target (CSAT, DSAT, NPS, CES, complaint handling), or a complaint cause
 * crossing its threshold (so many complaints with that cause within a window). The cycle itself is
 * the workflow engine's (process, opened by the API: feedback never imports process); this module
 * keeps the organisation's setting and the claims that make each trigger open one cycle: one per
 * breach, and one open cycle per cause at a time, however often the event is delivered.
 *
 * @since 0.2.0
 */
import { type Db, Errors, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { change, fdb } from "./store"

/** Targets on these metrics open a `complaint` cycle when breached. @category models @since 0.2.0 */
export const SATISFACTION_METRICS: ReadonlyArray<string> = [
  "feedback.csat",
  "feedback.dsat",
  "feedback.nps",
  "feedback.ces",
  "feedback.complaint_ack_attainment",
  "feedback.complaint_response_attainment",
  "feedback.repeat_complaint_rate",
  "feedback.complaints_per_1000_cases",
]

/** The metric a cause's cycle is measured by (Check re-surveys: the CSAT of the period after). @category models @since 0.2.0 */
export const CHECK_METRIC = "feedback.csat"

/** @category models @since 0.2.0 */
export interface Settings {
  readonly enabled: boolean
  /** The workflow a cycle opens with (it must accept the `complaint` trigger). */
  readonly workflowId: string
  /** This many complaints with one cause within `windowDays` open a cycle. */
  readonly causeThreshold: number
  readonly windowDays: number
}

/** @category models @since 0.2.0 */
export const DEFAULT_SETTINGS: Settings = {
  enabled: true,
  workflowId: "pdca",
  causeThreshold: 5,
  windowDays: 30,
}

/** The organisation's setting (the defaults until one is saved). @category constructors @since 0.2.0 */
export const getSettings = async (db: Db.Database, orgId: string): Promise<Settings> => {
  const r = await fdb(db)
    .selectFrom("feedback.improvement_setting")
    .selectAll()
    .where("org_id", "=", orgId)
    .executeTakeFirst()
  return r
    ? {
        enabled: r.enabled,
        workflowId: r.workflow_id,
        causeThreshold: r.cause_threshold,
        windowDays: r.window_days,
      }
    : DEFAULT_SETTINGS
}

const invalid = (path: string, message: string, code: string) =>
  new Errors.ValidationError({
    message: "invalid improvement setting",
    issues: [{ path: [path], message, code }],
  })

/** Save the setting. @category constructors @since 0.2.0 */
export const saveSettings = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  input: Settings,
): Promise<Settings> => {
  if (!/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(input.workflowId))
    throw invalid("workflowId", "must be a workflow id (lowercase letters, digits, _ . -)", "invalidId")
  if (!Number.isInteger(input.causeThreshold) || input.causeThreshold < 1 || input.causeThreshold > 10_000)
    throw invalid("causeThreshold", "must be a whole number from 1 to 10,000", "outOfRange")
  if (!Number.isInteger(input.windowDays) || input.windowDays < 1 || input.windowDays > 365)
    throw invalid("windowDays", "must be a whole number of days from 1 to 365", "outOfRange")
  const before = await getSettings(db, ctx.orgId)
  await change(db, ctx, async ({ tx, audit }) => {
    const values = {
      enabled: input.enabled,
      workflow_id: input.workflowId,
      cause_threshold: input.causeThreshold,
      window_days: input.windowDays,
      updated_by: ctx.actor.id,
    }
    await tx
      .insertInto("feedback.improvement_setting")
      .values({ org_id: ctx.orgId, ...values })
      .onConflict((oc) => oc.column("org_id").doUpdateSet({ ...values, updated_at: new Date() }))
      .execute()
    await audit({
      action: "feedback.improvement_setting_saved",
      entityType: "feedback_improvement_setting",
      entityId: ctx.orgId,
      before,
      after: input,
    })
  })
  return getSettings(db, ctx.orgId)
}

/** Complaints with this cause received in (at − windowDays, at]. @category constructors @since 0.2.0 */
export const causeCount = async (
  db: Db.Database,
  orgId: string,
  causeCode: string,
  at: Date,
  windowDays: number,
): Promise<number> =>
  (
    await sql<{ n: number }>`select count(*)::int as n from feedback.item
      where org_id = ${orgId} and kind = 'complaint' and cause_code = ${causeCode}
        and received_at > ${new Date(at.getTime() - windowDays * 86_400_000)} and received_at <= ${at}`.execute(
      db.kysely,
    )
  ).rows[0]!.n

/** A claim left unlinked this long (its opener died) may be taken again. */
const STALE_CLAIM_MS = 10 * 60_000

/**
 * Claim a trigger for one opener: true when this caller should open the cycle (and then `link` it,
 * or `release` the claim when it could not). A trigger already answered by a cycle that is still
 * open (`stillOpen`) is refused; one whose cycle has ended may be claimed again (a cause that keeps
 * crossing its threshold after its cycle closed). A breach's key is claimed once for good.
 * @category constructors
 * @since 0.2.0
 */
export const claim = async (
  db: Db.Database,
  orgId: string,
  key: string,
  kind: "breach" | "cause",
  count: number | null,
  stillOpen: (cycleId: string) => Promise<boolean>,
): Promise<boolean> => {
  const ins = await sql`insert into feedback.improvement_trigger (org_id, key, kind, count)
    values (${orgId}, ${key}, ${kind}, ${count}) on conflict do nothing`.execute(db.kysely)
  if (Number(ins.numAffectedRows ?? 0) > 0) return true
  if (kind === "breach") return false
  const r = await sql<{ cycle_id: string | null; opened_at: Date; stamp: string }>`select cycle_id, opened_at,
      opened_at::text as stamp
    from feedback.improvement_trigger where org_id = ${orgId} and key = ${key}`.execute(db.kysely)
  const row = r.rows[0]
  if (!row) return false
  if (row.cycle_id === null) {
    if (Date.now() - new Date(row.opened_at).getTime() < STALE_CLAIM_MS) return false
  } else if (await stillOpen(row.cycle_id)) return false
  // take it over only if nobody else did meanwhile (the row is still as read)
  const upd =
    await sql`update feedback.improvement_trigger set cycle_id = null, count = ${count}, opened_at = now()
    where org_id = ${orgId} and key = ${key} and cycle_id is not distinct from ${row.cycle_id}
      and opened_at::text = ${row.stamp}`.execute(db.kysely)
  return Number(upd.numAffectedRows ?? 0) > 0
}

/** Record the cycle that answers a claimed trigger. @category constructors @since 0.2.0 */
export const link = async (db: Db.Database, orgId: string, key: string, cycleId: string) => {
  await sql`update feedback.improvement_trigger set cycle_id = ${cycleId} where org_id = ${orgId} and key = ${key}`.execute(
    db.kysely,
  )
}

/** Give a claim back (no cycle could be opened). @category constructors @since 0.2.0 */
export const release = async (db: Db.Database, orgId: string, key: string) => {
  await sql`delete from feedback.improvement_trigger where org_id = ${orgId} and key = ${key} and cycle_id is null`.execute(
    db.kysely,
  )
}

/** The triggers answered so far (newest first). @category constructors @since 0.2.0 */
export const listTriggers = async (db: Db.Database, orgId: string) =>
  (
    await fdb(db)
      .selectFrom("feedback.improvement_trigger")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("opened_at", "desc")
      .execute()
  ).map((r) => ({ key: r.key, kind: r.kind, cycleId: r.cycle_id, count: r.count, openedAt: r.opened_at }))
