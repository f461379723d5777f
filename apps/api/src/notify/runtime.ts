/**
 * The notification centre and the webhooks as the server runs them: their outbox handlers, their
 * jobs (e-mail, digest, webhook attempts, the review and stage reminders) on a worker of their own
 * (a slow receiver never delays the SLA sweep), and their recurring schedules.
 */
import { type Db, Jobs, type Outbox } from "@tenet/core"
import { Reminders as ProcessReminders } from "@tenet/process"
import { Reminders as StandardsReminders } from "@tenet/standards"
import {
  deliveryJobs,
  type WebhookSettings,
  webhookHandler,
  webhookSettingsFromEnv,
} from "../webhooks/deliver"
import { digestJobs, notificationHandler, scheduleDigest } from "./deliver"
import { type MailSettings, mailJobs, mailSettingsFromEnv } from "./mail"

export interface NotifySettings {
  readonly mail: MailSettings
  readonly webhooks: WebhookSettings
  /** Seconds between digests (TENET_DIGEST_SECONDS, default a day). */
  readonly digestSeconds: number
  /** Seconds between reminder sweeps (default 15 minutes). */
  readonly reminderSeconds: number
  /** E-mails and webhook attempts sent at once (TENET_NOTIFY_CONCURRENCY, default 8). */
  readonly concurrency: number
}

export const notifySettingsFromEnv = (publicUrl?: string): NotifySettings => ({
  mail: mailSettingsFromEnv(publicUrl),
  webhooks: webhookSettingsFromEnv(),
  digestSeconds: Number(process.env.TENET_DIGEST_SECONDS ?? 86_400) || 86_400,
  reminderSeconds: 900,
  concurrency: Math.max(1, Math.min(64, Number(process.env.TENET_NOTIFY_CONCURRENCY ?? 8) || 8)),
})

export const notifyHandlers = (s: NotifySettings): ReadonlyArray<Outbox.EventHandler> => [
  notificationHandler(s.mail),
  webhookHandler,
]

export const notifyJobs = (s: NotifySettings): Jobs.JobHandlers => ({
  ...mailJobs(s.mail),
  ...digestJobs(s.mail),
  ...deliveryJobs(s.webhooks),
  ...ProcessReminders.reminderJobs,
  ...StandardsReminders.reminderJobs,
})

/** Schedule the recurring jobs (idempotent by key) and start their worker; returns its stop. */
export const startNotify = async (db: Db.Database, s: NotifySettings, onError: (e: unknown) => void) => {
  await scheduleDigest(db, s.digestSeconds)
  for (const kind of [ProcessReminders.STAGE_JOB, StandardsReminders.REVIEW_JOB])
    await Jobs.schedule(db, {
      kind,
      key: "sweep",
      runAt: new Date(),
      everySeconds: s.reminderSeconds,
      maxAttempts: 1000,
    })
  // e-mails and webhook attempts wait on other servers: several at once, so one slow receiver
  // (up to its time-out) holds one lane, not the others
  return Jobs.startWorker(db, notifyJobs(s), {
    intervalMs: 500,
    limit: 32,
    concurrency: s.concurrency,
    onError,
  })
}
