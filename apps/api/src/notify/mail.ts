/**
 * E-mail through SMTP with nodemailer (the maintained Node SMTP client: pooling, STARTTLS, auth,
 * MIME and encodings of Chinese subjects done right). `TENET_SMTP_URL` (smtp://user:pass@host:port,
 * smtps:// for TLS) and `TENET_MAIL_FROM`; without a URL, e-mails are recorded as `unconfigured`.
 * Each e-mail is a row of `notify.email` sent by a durable job, so a crash or an SMTP outage retries.
 */
import { type Db, Jobs } from "@tenet/core"
import { sql } from "kysely"
import nodemailer, { type Transporter } from "nodemailer"
import type { ReportsTables } from "../reports/schema"
import type { EmailAttachment, NotifyTables } from "./schema"
import { FRAME, type MailLocale } from "./templates"

export const MAIL_JOB = "notify.mail"

export interface MailSettings {
  /** smtp://user:pass@host:port; undefined: no mail is sent. */
  readonly smtpUrl?: string | undefined
  readonly from: string
  /** The admin app's address, for the links in e-mails. */
  readonly publicUrl: string
}

export const mailSettingsFromEnv = (publicUrl = "http://localhost:3000"): MailSettings => ({
  smtpUrl: process.env.TENET_SMTP_URL || undefined,
  from: process.env.TENET_MAIL_FROM || "Tenet <tenet@localhost>",
  publicUrl: process.env.TENET_PUBLIC_URL || publicUrl,
})

const transports = new Map<string, Transporter>()
const transportOf = (url: string) => {
  let t = transports.get(url)
  if (!t) {
    t = nodemailer.createTransport(url)
    transports.set(url, t)
  }
  return t
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

/** The text and HTML of an e-mail: lines of (title, body, link), then the footer. */
export const compose = (
  locale: MailLocale,
  publicUrl: string,
  items: ReadonlyArray<{ title: string; body: string; link: string }>,
  intro?: string,
) => {
  const f = FRAME[locale]
  const url = (link: string) => `${publicUrl.replace(/\/$/, "")}${link}`
  const text = [
    ...(intro ? [intro, ""] : []),
    ...items.flatMap((i) => [i.title, ...(i.body ? [i.body] : []), `${f.open}: ${url(i.link)}`, ""]),
    "—",
    f.settings,
  ].join("\n")
  const html = `<!doctype html><html lang="${locale}"><body style="font-family: -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif; line-height: 1.5">
${intro ? `<p>${escapeHtml(intro)}</p>` : ""}
${items
  .map(
    (i) =>
      `<h3 style="margin: 16px 0 4px">${escapeHtml(i.title)}</h3>${i.body ? `<p style="margin: 0 0 4px">${escapeHtml(i.body)}</p>` : ""}<p style="margin: 0"><a href="${escapeHtml(url(i.link))}">${escapeHtml(f.open)}</a></p>`,
  )
  .join("\n")}
<hr><p style="color: #666; font-size: 12px">${escapeHtml(f.settings)}</p></body></html>`
  return { text, html }
}

/** The file an e-mail carries, read as it is sent (a file removed since is left out). */
const attachmentOf = async (db: Db.Database, orgId: string, a: EmailAttachment) => {
  const file = await db
    .as<ReportsTables>()
    .selectFrom("reports.file")
    .select(["name", "content_type", "content"])
    .where("org_id", "=", orgId)
    .where("id", "=", a.fileId)
    .executeTakeFirst()
  if (!file) return []
  return [
    {
      filename: file.name,
      content: Buffer.from(file.content),
      contentType: file.content_type,
    },
  ]
}

/** Send one recorded e-mail (the job's work). Sent e-mails are not sent again. */
export const sendEmail = async (db: Db.Database, settings: MailSettings, orgId: string, id: string) => {
  const q = db.as<NotifyTables>()
  const email = await q
    .selectFrom("notify.email")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!email || email.status === "sent") return
  if (!settings.smtpUrl) {
    await q
      .updateTable("notify.email")
      .set({ status: "unconfigured", last_error: "TENET_SMTP_URL is not set" })
      .where("org_id", "=", orgId)
      .where("id", "=", id)
      .execute()
    return
  }
  try {
    const attachments = email.attachment ? await attachmentOf(db, orgId, email.attachment) : []
    await transportOf(settings.smtpUrl).sendMail({
      from: settings.from,
      to: email.to_address,
      subject: email.subject,
      text: email.text_body,
      html: email.html_body,
      messageId: `<${email.id}@tenet>`,
      headers: { "X-Tenet-Dedupe": email.dedupe_key },
      attachments,
    })
  } catch (e) {
    await sql`update notify.email set attempts = attempts + 1, last_error = ${String(e instanceof Error ? e.message : e).slice(0, 1000)}
      where org_id = ${orgId} and id = ${id}`.execute(db.kysely)
    throw e
  }
  await sql`update notify.email set status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = null
    where org_id = ${orgId} and id = ${id}`.execute(db.kysely)
}

/** The job that sends e-mails (retried with the scheduler's back-off, 8 attempts). */
export const mailJobs = (settings: MailSettings): Jobs.JobHandlers => ({
  [MAIL_JOB]: async (job, db) => {
    const p = job.payload as { emailId: string }
    try {
      await sendEmail(db, settings, job.orgId, p.emailId)
    } catch (e) {
      if (job.attempts >= MAIL_ATTEMPTS)
        await sql`update notify.email set status = 'failed' where org_id = ${job.orgId} and id = ${p.emailId}`.execute(
          db.kysely,
        )
      throw e
    }
  },
})

export const MAIL_ATTEMPTS = 8

/** Schedule the sending of an e-mail inside the caller's transaction. */
export const scheduleMail = (tx: Parameters<typeof Jobs.scheduleIn>[0], orgId: string, emailId: string) =>
  Jobs.scheduleIn(tx, {
    orgId,
    kind: MAIL_JOB,
    key: emailId,
    runAt: new Date(),
    payload: { emailId },
    maxAttempts: MAIL_ATTEMPTS,
  })
