/**
 * The customer's voice opens improvement cycles through the existing engine, with the trigger
 * `complaint`: a breached satisfaction target (the breach's cycle, like a KPI breach's, answers the
 * breach and starts from its measured baseline), or a complaint cause crossing its threshold (so many
 * complaints with one cause within the window: a cycle whose Check re-measures CSAT from the surveys
 * of the period after the change). Each trigger opens one cycle however often its event is delivered
 * (feedback's claims); a cause opens another only once its previous cycle has ended.
 */
import { type Db, type Outbox, Tenancy } from "@tenet/core"
import { Improvement as FeedbackImprovement } from "@tenet/feedback"
import type { PluginHost } from "@tenet/plugin-sdk/host"
import { Improvement } from "@tenet/process"
import { Standards } from "@tenet/standards"
import { sql } from "kysely"
import { findWorkflow, measure, openCycleFromBreach } from "../routes/improvements/cycles"

const ACTOR = "customer-voice"

const complaintWorkflow = async (db: Db.Database, orgId: string, plugins: PluginHost, id: string) => {
  const w = await findWorkflow(db, orgId, plugins, id).catch(() => undefined)
  return w?.triggers.includes("complaint") ? w : undefined
}

/** Whether a cycle is still being worked (not closed, not cancelled). */
const stillOpen = (db: Db.Database, orgId: string) => async (cycleId: string) =>
  (
    await sql<{
      status: string
    }>`select status from process.cycle where org_id = ${orgId} and id = ${cycleId}`.execute(db.kysely)
  ).rows.some((r) => r.status === "active" || r.status === "on_hold")

/**
 * A breached satisfaction target: open a `complaint` cycle answering the breach, with the workflow
 * the standard names (`improvement.autoOpen`) or the organisation's feedback setting. "off" when the
 * setting is off or the workflow does not take complaints (the standard's own rule then applies).
 */
export const openForSatisfactionBreach = async (
  db: Db.Database,
  plugins: PluginHost,
  orgId: string,
  breachId: string,
  payload: { readonly standardId: string; readonly version: number },
): Promise<"opened" | "answered" | "off"> => {
  const s = await FeedbackImprovement.getSettings(db, orgId)
  if (!s.enabled) return "off"
  const v = await Standards.getVersion(db, orgId, payload.standardId, payload.version)
  const workflowId = v.document.improvement?.autoOpen ?? s.workflowId
  if (!(await complaintWorkflow(db, orgId, plugins, workflowId))) return "off"
  const open = await Standards.listBreaches(db, orgId, "open")
  if (!open.some((b) => b.id === breachId)) return "answered"
  const key = `breach:${breachId}`
  if (!(await FeedbackImprovement.claim(db, orgId, key, "breach", null, async () => true))) return "answered"
  try {
    const cycle = await openCycleFromBreach(db, Tenancy.system(orgId, ACTOR), plugins, {
      breachId,
      workflowId,
      kind: "complaint",
    })
    await FeedbackImprovement.link(db, orgId, key, cycle.id)
    return "opened"
  } catch (e) {
    await FeedbackImprovement.release(db, orgId, key)
    throw e
  }
}

/**
 * A complaint with a cause: when the cause's complaints within the window reach the threshold, open
 * a `complaint` cycle (once while it is open). Returns the cycle opened, if any.
 */
export const openForCause = async (
  db: Db.Database,
  plugins: PluginHost,
  orgId: string,
  causeCode: string,
  at: Date,
) => {
  const s = await FeedbackImprovement.getSettings(db, orgId)
  if (!s.enabled) return undefined
  const count = await FeedbackImprovement.causeCount(db, orgId, causeCode, at, s.windowDays)
  if (count < s.causeThreshold) return undefined
  const workflow = await complaintWorkflow(db, orgId, plugins, s.workflowId)
  if (!workflow) return undefined
  const key = `cause:${causeCode}`
  if (!(await FeedbackImprovement.claim(db, orgId, key, "cause", count, stillOpen(db, orgId))))
    return undefined
  try {
    const from = new Date(at.getTime() - s.windowDays * 86_400_000)
    // the baseline: satisfaction from the surveys of the window (Check re-measures it after the change)
    const baseline = await measure(db, orgId, FeedbackImprovement.CHECK_METRIC, {}, from, at)
    const name = (
      await sql<{ name: { "zh-CN": string; en: string } }>`select name from feedback.cause
        where org_id = ${orgId} and code = ${causeCode}`.execute(db.kysely)
    ).rows[0]?.name ?? { "zh-CN": causeCode, en: causeCode }
    const trigger = {
      kind: "complaint" as const,
      metric: FeedbackImprovement.CHECK_METRIC,
      filter: {},
      value: baseline.value,
      period: { from: from.toISOString(), to: at.toISOString() },
      note: `cause ${causeCode}: ${count} complaints in ${s.windowDays} days (threshold ${s.causeThreshold})`,
      causeCode,
      complaints: count,
    }
    const cycle = await Improvement.openCycle(db, Tenancy.system(orgId, ACTOR), {
      workflow,
      title: `投诉原因「${name["zh-CN"]}」${s.windowDays} 天内 ${count} 件 · Complaint cause "${name.en}": ${count} in ${s.windowDays} days`,
      trigger,
      baseline,
    })
    await FeedbackImprovement.link(db, orgId, key, cycle.id)
    return cycle
  } catch (e) {
    await FeedbackImprovement.release(db, orgId, key)
    throw e
  }
}

/** Complaints received with a cause may open a cycle for that cause. */
export const causeCycles = (plugins: PluginHost): Outbox.EventHandler => ({
  name: "feedback.cause-cycles",
  types: ["feedback.complaint.received"],
  handle: async (event, db) => {
    const p = event.payload as { causeCode?: string | null }
    if (!p.causeCode) return
    const item = await sql<{ received_at: Date }>`select received_at from feedback.item
      where org_id = ${event.orgId} and id = ${event.aggregateId}`.execute(db.kysely)
    await openForCause(db, plugins, event.orgId, p.causeCode, item.rows[0]?.received_at ?? event.occurredAt)
  },
})
