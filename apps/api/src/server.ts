/** `tenet start`: open the database, migrate, seed the demo, run workers and serve API + admin on one port. */

import { appendFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { serve } from "@hono/node-server"
import {
  Db,
  Encryption,
  Jobs,
  Migrations,
  Outbox,
  type QualityEvents,
  Statistics,
  Tenancy,
} from "@tenet/core"
import { Certification, Improvements, Incentives, LowScore, QaTraining } from "@tenet/culture"
import { Improvement as FeedbackImprovement, Rollups as FeedbackRollups } from "@tenet/feedback"
import type { PluginHost } from "@tenet/plugin-sdk/host"
import { Cases, Import, Improvement, Rollups, Workforce } from "@tenet/process"
import { ComplianceSchedules, type Quality, Standards } from "@tenet/standards"
import { sql } from "kysely"
import { createApp } from "./app"
import { auditSigner, CHECKPOINT_JOB, checkpointJobs } from "./audit/checkpoints"
import { type Config, describeDb } from "./config"
import { DEMO, demoSeeded, seedDemo } from "./demo"
import { setDemoState } from "./demo-status"
import { takeEarly } from "./early"
import { reencryptInBackground, setupEncryption } from "./encryption/setup"
import { causeCycles, openForSatisfactionBreach } from "./feedback/improvement"
import { feedbackHandlers, feedbackJobs, scheduleFeedbackJobs } from "./feedback/runtime"
import * as Idempotency from "./http/idempotency"
import { purgeSignInLog } from "./iam/sessions"
import { acquireLock } from "./lock"
import { MODULES, wireContracts } from "./modules"
import { notifyHandlers, notifySettingsFromEnv, startNotify } from "./notify/runtime"
import { loadConfiguredPlugins, pluginSources } from "./plugins"
import { registry } from "./registry"
import { externalRecipientsHandler } from "./reports/external"
import * as Reports from "./reports/service"
import { riskCycles, riskJobs, scheduleRiskJobs } from "./risk/runtime"
import { findWorkflow, openCycleFromBreach } from "./routes/improvements"
import { appTables } from "./tables"
import { VERSION } from "./version"

export const adminDirDefault = () =>
  process.env.TENET_ADMIN_DIR ?? fileURLToPath(new URL("../../admin/dist", import.meta.url))

/**
 * `TENET_TEST_JOB_LOG=<file>` (reliability suites only): a job kind `test.record` whose handler
 * appends "<key> <pid>" to the file on every run, so a suite counts the runs of each job.
 */
const testJobs = (): Jobs.JobHandlers => {
  const file = process.env.TENET_TEST_JOB_LOG
  if (!file) return {}
  return {
    "test.record": async (job) => {
      appendFileSync(file, `${job.key} ${process.pid}\n`)
    },
  }
}
/** How often the embedded database's tables are checked for an analyse or a vacuum. */
const STATISTICS_SECONDS = 60

/** System jobs every instance schedules (idempotent by key). */
export const SYSTEM_JOBS: Jobs.JobHandlers = {
  ...Cases.jobHandlers,
  ...Rollups.jobHandlers,
  // the survey metrics' daily rollups: dirty days recomputed every few seconds
  ...FeedbackRollups.jobHandlers,
  ...Import.jobHandlers,
  // scheduled compliance evaluations, the review-due sweep and scheduled reports
  ...ComplianceSchedules.jobHandlers(registry),
  ...Reports.jobHandlers,
  // the risk sweeps: KRIs, overdue reviews, acceptance expiry
  ...riskJobs(registry),
  // culture: re-certification reminders
  ...Certification.jobHandlers,
  // workforce: surges forecast in the next 48 hours, hourly
  ...Workforce.jobHandlers,
  // planner statistics upkeep (autovacuum's thresholds); scheduled on the embedded database only
  [Statistics.MAINTAIN_JOB]: async (_job, db) => {
    await Statistics.maintain(db)
  },
  "iam.purge": async (_job, db) => {
    await Idempotency.purgeExpired(db)
    const t = appTables(db)
    await t.deleteFrom("iam.session").where("expires_at", "<", sql<Date>`now()`).execute()
    // the sign-in log is a security log: kept six months at least, removed after its maximum
    await purgeSignInLog(db)
  },
}

/**
 * A breach of a standard whose document says `improvement.autoOpen: "<workflow>"` opens a cycle of
 * that workflow by itself (idempotent: a breach already answered is left alone). A breached
 * satisfaction target opens a `complaint` cycle unless the organisation turned that off (feedback).
 */
export const autoOpenCycles = (plugins: PluginHost): Outbox.EventHandler => ({
  name: "improvements.auto-open",
  types: ["standards.target.breached"],
  handle: async (event, db) => {
    const p = event.payload as { standardId: string; version: number; metric?: string }
    // a satisfaction target answers to the customer's voice: a `complaint` cycle (feedback's setting)
    if (p.metric && FeedbackImprovement.SATISFACTION_METRICS.includes(p.metric)) {
      const done = await openForSatisfactionBreach(db, plugins, event.orgId, event.aggregateId, p)
      if (done !== "off") return
    }
    const v = await Standards.getVersion(db, event.orgId, p.standardId, p.version)
    const workflowId = v.document.improvement?.autoOpen
    if (!workflowId) return
    const open = await Standards.listBreaches(db, event.orgId, "open")
    if (!open.some((b) => b.id === event.aggregateId)) return
    await openCycleFromBreach(
      db,
      { orgId: event.orgId, actor: { type: "system", id: "auto-improvement" } },
      plugins,
      { breachId: event.aggregateId, workflowId },
    )
  },
})

/**
 * A QA evaluation with a critical error opens an improvement cycle when its scorecard says so
 * (`improvement.autoOpen`, optionally only for some families): once per evaluation.
 */
export const qaCriticalCycles = (plugins: PluginHost): Outbox.EventHandler => ({
  name: "improvements.qa-critical",
  types: ["quality.critical_error"],
  handle: async (event, db) => {
    const p = event.payload as QualityEvents.CriticalError
    const card = (
      await sql<{ definition: Quality.ScorecardDefinition; name: string; number: string | number | null }>`
        select s.definition, s.name, c.number from standards.qa_evaluation e
        join standards.scorecard s on s.org_id = e.org_id and s.id = e.scorecard_id and s.version = e.scorecard_version
        left join process.case c on c.org_id = e.org_id and c.id = e.case_id
        where e.org_id = ${event.orgId} and e.id = ${event.aggregateId}`.execute(db.kysely)
    ).rows[0]
    const imp = card?.definition.improvement
    if (!card || !imp?.autoOpen) return
    const families = p.families.filter(
      (f) => !imp.families?.length || (imp.families as ReadonlyArray<string>).includes(f),
    )
    if (!families.length) return
    const done = await sql<{ id: string }>`select id from process.cycle where org_id = ${event.orgId}
      and trigger->>'kind' = 'qa_critical_error' and trigger->>'evaluationId' = ${event.aggregateId} limit 1`.execute(
      db.kysely,
    )
    if (done.rows.length) return
    const workflow = await findWorkflow(db, event.orgId, plugins, imp.autoOpen).catch(() => undefined)
    if (!workflow?.triggers.includes("qa_critical_error")) return
    const trigger = {
      kind: "qa_critical_error" as const,
      caseId: p.caseId,
      evaluationId: event.aggregateId,
      agentId: p.agentId,
      families,
      note: `${card.name}: ${families.join(", ")}`,
    }
    const caseNo = card.number === null ? p.caseId : `#${card.number}`
    await Improvement.openCycle(db, Tenancy.system(event.orgId, "auto-improvement"), {
      workflow,
      title: `质检严重差错 · QA critical error: ${caseNo} (${families.join(", ")})`.slice(0, 200),
      trigger,
    })
  },
})

export interface Running {
  readonly url: string
  readonly stop: () => Promise<void>
}

export const start = async (config: Config, log: (line: string) => void = console.log): Promise<Running> => {
  const t0 = performance.now()
  // TENET_START_TRACE=1: how long each step of the start took (stderr), to find what a slow start waits on
  let tl = t0
  const mark = (step: string) => {
    if (process.env.TENET_START_TRACE !== "1") return
    const now = performance.now()
    console.error(`start: ${step} ${Math.round(now - tl)} ms`)
    tl = now
  }
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`
  // the audit checkpoint key is read (or made) first: a bad key file stops the start before anything opens
  const signer = auditSigner(config)
  // `tenet start` opened the embedded database in its first lines (./early.ts): take it and its lock
  const early = config.db.kind === "pglite" && config.db.worker ? takeEarly(config.dataDir, url) : undefined
  const release = early
    ? early.release
    : config.db.kind === "pglite"
      ? acquireLock(config.dataDir, "server", url)
      : () => {}
  let db: Db.Database
  try {
    db = await Db.open(
      early && config.db.kind === "pglite" ? { ...config.db, preopened: early.preopened } : config.db,
    )
    mark("open the database")
    await Migrations.migrate(db, MODULES)
    mark("migrations")
    wireContracts()
    // personal fields sealed under TENET_ENCRYPTION_KEY (or the embedded start's development key)
    await setupEncryption(db, config, log)
    mark("encryption")
  } catch (e) {
    release()
    throw e
  }
  const seed = async () => {
    const { seeded, cases } = await seedDemo(db, { days: config.demoDays })
    if (seeded) {
      log(`Seeded the demo organisation with ${cases} service cases over ${config.demoDays} days.`)
      log("Seeded the demo organisation. Sign in as:")
      log(`  email:    ${DEMO.people[0]!.email}`)
      log(`  password: ${DEMO.password}`)
    }
  }
  // a new data folder answers at once and seeds the demo behind it when asked (`tenet start`): the
  // sign-in page shows that it is under way (GET /api/v1/status)
  const seedLater = config.demo && config.demoInBackground === true && !(await demoSeeded(db))
  if (config.demo && !seedLater) await seed()
  setDemoState(config.demo ? (seedLater ? "seeding" : "ready") : "off")
  mark("demo")
  // rows written in clear before the key, or under an older data key: re-encrypted while serving
  if (Encryption.current()) void reencryptInBackground(db, log)
  // the server's recurring jobs, in one statement (a job whose key exists is left as it is)
  const now = new Date()
  await Jobs.scheduleManyIn(db.kysely, [
    { kind: "iam.purge", key: "hourly", runAt: now, everySeconds: 3600 },
    // SLA warnings, breaches and escalations: one sweep a second over the clocks that are due
    { kind: Cases.SWEEP_JOB, key: "sweep", runAt: now, everySeconds: 1, maxAttempts: 1000 },
    { kind: Workforce.SURGE_JOB, key: "hourly", runAt: now, everySeconds: 3600 },
    // culture: re-certification reminders, hourly
    { kind: Certification.REMINDER_JOB, key: "hourly", runAt: now, everySeconds: 3600 },
    // PGlite has no autovacuum: analyse (and vacuum) the tables that changed enough, every minute
    ...(db.kind === "pglite"
      ? [
          {
            kind: Statistics.MAINTAIN_JOB,
            key: "every-minute",
            runAt: now,
            everySeconds: STATISTICS_SECONDS,
            maxAttempts: 1000,
          },
        ]
      : []),
  ])
  await Rollups.ensureRefreshJobs(db)
  await FeedbackRollups.ensureRefreshJobs(db)
  // imports whose process died (kill -9, power loss) are marked interrupted now, then by a job
  const interrupted = await Import.recoverImports(db)
  if (interrupted) log(`Marked ${interrupted} import(s) interrupted: their process had stopped.`)
  await Jobs.schedule(db, { kind: Import.RECOVER_JOB, key: "recover", runAt: new Date(), everySeconds: 30 })
  // signed audit checkpoints with a key outside the database, on a schedule (skipped when nothing moved)
  await Jobs.schedule(db, {
    kind: CHECKPOINT_JOB,
    key: "scheduled",
    runAt: new Date(),
    everySeconds: config.auditCheckpointSeconds,
    maxAttempts: 1000,
  })
  await scheduleRiskJobs(db)
  mark("schedule jobs")
  const stopJobs = Jobs.startWorker(
    db,
    { ...SYSTEM_JOBS, ...checkpointJobs(signer), ...testJobs() },
    {
      intervalMs: 1000,
      onError: (e) => console.error("job worker:", e),
    },
  )
  // notifications, e-mail and webhooks: their jobs on a worker of their own
  const notify = notifySettingsFromEnv(config.publicUrl ?? url)
  const stopNotify = await startNotify(db, notify, (e) => console.error("notify worker:", e))
  // surveys: the due ones sent through the mail queue, on a worker of their own
  await scheduleFeedbackJobs(db)
  const stopFeedback = Jobs.startWorker(db, feedbackJobs(notify.mail), {
    intervalMs: 1000,
    onError: (e) => console.error("feedback worker:", e),
  })
  mark("workers")
  const plugins = await loadConfiguredPlugins()
  mark("plugins")
  const loaded = plugins.plugins.filter((p) => p.status === "loaded").map((p) => p.id)
  log(`Plugins (${pluginSources().from}): ${loaded.join(", ") || "none"}`)
  for (const problem of plugins.problems()) log(`  refused — ${problem}`)
  // Two dispatch loops: the built-in handlers, and the plugins' (which run in their workers), so
  // that a plugin that waits out its time limit never delays the built-in ones.
  const groups: ReadonlyArray<ReadonlyArray<Outbox.EventHandler>> = [
    [
      Rollups.handler,
      autoOpenCycles(plugins),
      qaCriticalCycles(plugins),
      riskCycles(plugins),
      ...notifyHandlers(notify),
      externalRecipientsHandler(notify.mail),
      QaTraining.qaTrainingHandler,
      LowScore.lowScoreHandler,
      Incentives.incentiveHandler,
      Improvements.cycleClosedHandler,
      ...feedbackHandlers,
      causeCycles(plugins),
    ],
    plugins.eventHandlers(),
  ]
  let dispatching = true
  const dispatchLoop = Promise.all(
    groups
      .filter((handlers) => handlers.length > 0)
      .map(async (handlers) => {
        while (dispatching) {
          let more = false
          try {
            more = (await Outbox.dispatch(db, handlers)).more
          } catch (e) {
            console.error("outbox dispatcher:", e)
          }
          // a full page means a backlog: go on at once; otherwise look again in half a second
          await new Promise((r) => (more ? setImmediate(r) : setTimeout(r, 500)))
        }
      }),
  )
  const listen = { host: config.host, port: config.port }
  const app = createApp({
    db,
    adminDir: adminDirDefault(),
    plugins,
    origin: { publicUrl: config.publicUrl, trustProxy: config.trustProxy, listen },
    auditSigner: signer,
    reportTimeoutMs: config.reportTimeoutMs,
  })
  mark("app")
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s))
    s.once("error", reject)
  }).catch(async (e) => {
    await stopJobs()
    await stopNotify()
    await stopFeedback()
    dispatching = false
    await plugins.close()
    await db.close()
    release()
    throw e
  })
  mark("listen")
  const bound = server.address()
  if (bound && typeof bound === "object") listen.port = bound.port
  const seeding = seedLater
    ? seed().then(
        () => setDemoState("ready"),
        (e) => {
          setDemoState("failed")
          console.error("demo seed:", e)
        },
      )
    : Promise.resolve()
  if (seedLater)
    log("Seeding the demo organisation in the background; the sign-in page shows when it is ready.")
  log(
    config.publicUrl
      ? `Public URL: ${config.publicUrl}`
      : `Sign-in and changes are accepted from ${url}${config.host === "0.0.0.0" ? " and this machine's addresses" : ""}; set TENET_PUBLIC_URL when people use another address or a proxy.`,
  )
  log(
    `Tenet ${VERSION} is ready on ${url} (${describeDb(config.db)}) in ${Math.round(performance.now() - t0)} ms`,
  )
  let stopping: Promise<void> | undefined
  const stop = () =>
    (stopping ??= (async () => {
      await new Promise<void>((r) => server.close(() => r()))
      await seeding
      dispatching = false
      await Promise.all([stopJobs(), stopNotify(), stopFeedback(), dispatchLoop])
      await plugins.close()
      await db.close()
      release()
    })())
  return { url, stop }
}
