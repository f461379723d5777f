/**
 * A scheduled report's recipients who are not members of the organisation (a regional director, a
 * client's service manager) cannot sign in to download it, so they get the file attached to an
 * e-mail in the schedule's language. One e-mail per address and file, however often `report.ready`
 * is delivered; a file larger than the attachment limit is not attached and the e-mail says so.
 */
import { Id, type Outbox } from "@tenet/core"
import { sql } from "kysely"
import { type MailSettings, scheduleMail } from "../notify/mail"
import { REPORT_READY_EVENT } from "./service"

/** The largest file sent as an attachment (TENET_MAIL_MAX_ATTACHMENT_BYTES, 10 MiB by default). */
export const maxAttachmentBytes = () => {
  const n = Number(process.env.TENET_MAIL_MAX_ATTACHMENT_BYTES)
  return Number.isInteger(n) && n > 0 ? n : 10 * 1024 * 1024
}

type Locale = "zh-CN" | "en"

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

const TEXTS: Record<
  Locale,
  {
    subject: (name: string) => string
    body: (org: string, name: string) => string
    tooLarge: (size: string, limit: string) => string
    footer: (org: string) => string
  }
> = {
  "zh-CN": {
    subject: (name) => `定期报表：${name}`,
    body: (org, name) => `${org} 的定期报表「${name}」已生成，见附件。`,
    tooLarge: (size, limit) =>
      `该文件大小为 ${size}，超过邮件附件上限 ${limit}，因此未随邮件发送；请联系发送方获取。`,
    footer: (org) => `此邮件由 ${org} 的 Tenet 按报表计划发送。如不希望再收到，请联系该组织的管理员。`,
  },
  en: {
    subject: (name) => `Scheduled report: ${name}`,
    body: (org, name) => `${org}'s scheduled report "${name}" has been produced; it is attached.`,
    tooLarge: (size, limit) =>
      `The file is ${size}, more than the ${limit} an e-mail may carry, so it is not attached; ask the sender for it.`,
    footer: (org) =>
      `Tenet sent this e-mail for ${org} on a report schedule. To stop receiving it, ask that organisation's administrator.`,
  },
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

/** The e-mail to a recipient outside the organisation (exported for tests). */
export const externalEmail = (
  locale: Locale,
  org: string,
  name: string,
  size: number,
  limit = maxAttachmentBytes(),
) => {
  const t = TEXTS[locale]
  const lines = [t.body(org, name), ...(size > limit ? [t.tooLarge(mib(size), mib(limit))] : [])]
  return {
    subject: t.subject(name),
    text: [...lines, "", "—", t.footer(org)].join("\n"),
    html: `<!doctype html><html lang="${locale}"><body style="font-family: -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif; line-height: 1.5">
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join("\n")}
<hr><p style="color: #666; font-size: 12px">${escapeHtml(t.footer(org))}</p></body></html>`,
    attach: size <= limit,
  }
}

/** The outbox handler: e-mail the file to each recipient who is not a member. */
export const externalRecipientsHandler = (_mail: MailSettings): Outbox.EventHandler => ({
  name: "reports.external-recipients",
  types: [REPORT_READY_EVENT],
  handle: async (event, db) => {
    const p = (event.payload ?? {}) as {
      fileId?: unknown
      name?: unknown
      locale?: unknown
      size?: unknown
      recipients?: unknown
    }
    if (typeof p.fileId !== "string" || !Array.isArray(p.recipients)) return
    const fileId = p.fileId
    const emails = [
      ...new Set(
        p.recipients.filter((x): x is string => typeof x === "string").map((x) => x.trim().toLowerCase()),
      ),
    ].filter((x) => x.includes("@"))
    if (emails.length === 0) return
    const members = new Set(
      (
        await sql<{ email: string }>`select lower(u.email) as email from iam.user u
          join iam.membership m on m.user_id = u.id and m.org_id = ${event.orgId}
          where lower(u.email) = any(${emails}::text[])`.execute(db.kysely)
      ).rows.map((r) => r.email),
    )
    const outsiders = emails.filter((e) => !members.has(e))
    if (outsiders.length === 0) return
    const facts = (
      await sql<{ org: string; org_locale: string; name: string; size: number }>`
        select o.name as org, o.locale as org_locale, f.name, f.size
        from reports.file f join core.organization o on o.id = f.org_id
        where f.org_id = ${event.orgId} and f.id = ${fileId}`.execute(db.kysely)
    ).rows[0]
    if (!facts) return
    const locale: Locale =
      p.locale === "en" || p.locale === "zh-CN" ? p.locale : facts.org_locale === "en" ? "en" : "zh-CN"
    const mail = externalEmail(locale, facts.org, facts.name, Number(facts.size))
    const attachment = mail.attach ? JSON.stringify({ kind: "report_file", fileId }) : null
    await db.kysely.transaction().execute(async (tx) => {
      for (const address of outsiders) {
        const id = Id.make("eml")
        const made = await sql<{ id: string }>`insert into notify.email
            (org_id, id, user_id, to_address, locale, subject, text_body, html_body, dedupe_key, attachment)
          values (${event.orgId}, ${id}, ${`report-recipient:${address}`}, ${address}, ${locale}, ${mail.subject},
            ${mail.text}, ${mail.html}, ${`report.ready:${fileId}`}, ${attachment}::jsonb)
          on conflict (org_id, user_id, dedupe_key) do nothing returning id`.execute(tx)
        if (made.rows[0]) await scheduleMail(tx, event.orgId, id)
      }
    })
  },
})
