/**
 * The risk module in the running server: its sweeps on the durable scheduler (KRIs every five minutes,
 * overdue reviews and acceptance expiry hourly) and the outbox handler that opens an improvement cycle
 * (trigger `risk`) when a KRI crossing or an activation's review asks for one. Risk does not import
 * process: the API composes them here.
 */
import { type Db, Jobs, type Outbox, Tenancy } from "@tenet/core"
import type { PluginHost } from "@tenet/plugin-sdk/host"
import { Improvement } from "@tenet/process"
import { Activations, KriEvaluation, PrivacyRequests, Reminders, Retention } from "@tenet/risk"
import { sql } from "kysely"
import type { MetricRegistry } from "../registry"
import { findWorkflow } from "../routes/improvements/cycles"

/** The risk module's job handlers. */
export const riskJobs = (registry: MetricRegistry): Jobs.JobHandlers => ({
  ...KriEvaluation.jobHandlers(registry),
  ...Reminders.jobHandlers,
  // privacy: the daily retention purge and the subject-request reminders
  ...Retention.jobHandlers,
  ...PrivacyRequests.jobHandlers,
})

/** Schedule the risk sweeps (idempotent by key). */
export const scheduleRiskJobs = async (db: Db.Database) => {
  await Retention.schedule(db)
  await Jobs.schedule(db, {
    kind: KriEvaluation.KRI_JOB,
    key: "sweep",
    runAt: new Date(),
    everySeconds: 300,
    maxAttempts: 1000,
  })
  await Jobs.schedule(db, {
    kind: Reminders.REVIEW_JOB,
    key: "hourly",
    runAt: new Date(),
    everySeconds: 3600,
    maxAttempts: 1000,
  })
}

/** Whether a cycle already answers this event (the outbox delivers at least once). */
const answered = async (db: Db.Database, orgId: string, eventId: string) =>
  (
    await sql<{ id: string }>`select id from process.cycle where org_id = ${orgId}
      and trigger->>'kind' = 'risk' and trigger->>'riskEventId' = ${eventId} limit 1`.execute(db.kysely)
  ).rows[0]?.id

/** A KRI crossing or a closed activation that names a workflow opens an improvement cycle. */
export const riskCycles = (plugins: PluginHost): Outbox.EventHandler => ({
  name: "risk.improvement-cycles",
  types: ["risk.kri.crossed", "risk.activation.closed"],
  handle: async (event, db) => {
    const p = event.payload as { cycleWorkflowId?: string | null }
    if (!p.cycleWorkflowId || (await answered(db, event.orgId, event.id))) return
    const ctx = Tenancy.system(event.orgId, "risk")
    const workflow = await findWorkflow(db, event.orgId, plugins, p.cycleWorkflowId).catch(() => undefined)
    if (!workflow?.triggers.includes("risk")) return
    if (event.type === "risk.kri.crossed") {
      const k = event.payload as KriEvaluation.KriCrossed
      const trigger = {
        kind: "risk" as const,
        metric: k.metricId,
        value: k.value,
        note: `R-${k.riskNumber}: KRI ${k.from} → ${k.to}`,
        riskEventId: event.id,
        riskId: k.riskId,
        kriId: k.kriId,
      }
      await Improvement.openCycle(db, ctx, {
        workflow,
        title: `风险 R-${k.riskNumber} 预警 · Risk R-${k.riskNumber} early warning (${k.to})`,
        trigger,
        ownerId: k.ownerId,
      })
      return
    }
    const a = event.payload as { planId: string; summary: string }
    const trigger = {
      kind: "risk" as const,
      note: a.summary,
      riskEventId: event.id,
      activationId: event.aggregateId,
    }
    const cycle = await Improvement.openCycle(db, ctx, {
      workflow,
      title: `预案启动复盘 · Post-incident review: ${a.summary}`.slice(0, 200),
      trigger,
    })
    await Activations.linkCycle(db, ctx, event.aggregateId, cycle.id)
  },
})
