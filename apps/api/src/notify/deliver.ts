/**
 * Delivery from the outbox: each event the centre listens to becomes, per recipient and in one
 * transaction, a notification row (the bell), an e-mail row and its sending job (channel `email`),
 * or a row waiting for the digest (channel `digest`). A unique key per recipient and event makes a
 * repeated outbox delivery write and send nothing a second time.
 */
import { type Db, Id, Jobs, Notifications, type Outbox } from "@tenet/core"
import { sql } from "kysely"
import { linkOf, NOTIFY_EVENT_TYPES, requestOf, resolveRecipients } from "./events"
import { compose, type MailSettings, scheduleMail } from "./mail"
import type { Channel, NotifyTables } from "./schema"
import { asLocale, FRAME, interpolate, render } from "./templates"

export const DIGEST_JOB = "notify.digest"

/** Each recipient's channel for a kind, their address and language (user's, else the organisation's). */
const recipientsFacts = async (
  db: Db.Database,
  orgId: string,
  userIds: ReadonlyArray<string>,
  kind: string,
) =>
  (
    await sql<{
      id: string
      email: string
      locale: string | null
      time_zone: string
      channel: Channel | null
    }>`
      select u.id, u.email, coalesce(u.locale, o.locale) as locale, o.time_zone, p.channel
      from iam.user u join core.organization o on o.id = ${orgId}
      left join notify.preference p on p.org_id = ${orgId} and p.user_id = u.id and p.kind = ${kind}
      where u.id = any(${[...userIds]}::text[]) order by u.id`.execute(db.kysely)
  ).rows

/** Deliver one request to the people it names. Returns how many notifications were new. */
export const deliver = async (
  db: Db.Database,
  settings: MailSettings,
  orgId: string,
  request: Notifications.NotificationRequest,
  dedupeKey: string,
): Promise<number> => {
  const userIds = await resolveRecipients(db, orgId, request)
  if (userIds.length === 0) return 0
  const people = await recipientsFacts(db, orgId, userIds, request.kind)
  const params = request.params ?? {}
  let fresh = 0
  await db.kysely.transaction().execute(async (tx) => {
    const q = tx as unknown as ReturnType<typeof db.as<NotifyTables>>
    for (const person of people) {
      const channel = person.channel ?? Notifications.defaultChannel(request.kind)
      if (channel === "off") continue
      const inserted = await q
        .insertInto("notify.notification")
        .values({
          org_id: orgId,
          id: Id.make("ntf"),
          user_id: person.id,
          kind: request.kind,
          subject_type: request.subject.type,
          subject_id: request.subject.id,
          params: JSON.stringify(params) as never,
          title: request.title ? (JSON.stringify(request.title) as never) : null,
          dedupe_key: dedupeKey,
          channel,
          digest_pending: channel === "digest",
        })
        .onConflict((oc) => oc.columns(["org_id", "user_id", "dedupe_key"]).doNothing())
        .returning("id")
        .executeTakeFirst()
      if (!inserted) continue
      fresh++
      if (channel !== "email") continue
      const locale = asLocale(person.locale)
      const text = render(request.kind, params, locale, person.time_zone, request.title)
      const body = compose(locale, settings.publicUrl, [{ ...text, link: linkOf(request.subject) }])
      const emailId = Id.make("eml")
      const made = await q
        .insertInto("notify.email")
        .values({
          org_id: orgId,
          id: emailId,
          user_id: person.id,
          to_address: person.email,
          locale,
          subject: text.title,
          text_body: body.text,
          html_body: body.html,
          dedupe_key: dedupeKey,
        })
        .onConflict((oc) => oc.columns(["org_id", "user_id", "dedupe_key"]).doNothing())
        .returning("id")
        .executeTakeFirst()
      if (made) await scheduleMail(tx, orgId, emailId)
    }
  })
  return fresh
}

/** The outbox handler of the notification centre. */
export const notificationHandler = (settings: MailSettings): Outbox.EventHandler => ({
  name: "notify.deliver",
  types: NOTIFY_EVENT_TYPES,
  handle: async (event, db) => {
    const request = await requestOf(db, event)
    if (!request) return
    await deliver(db, settings, event.orgId, request, request.dedupeKey ?? event.id)
  },
})

/**
 * Send every person their pending digest: one e-mail listing the notifications whose channel is
 * `digest`, marked sent in the same transaction that records the e-mail.
 */
export const sendDigests = async (db: Db.Database, settings: MailSettings): Promise<number> => {
  const who = await sql<{ org_id: string; user_id: string }>`select distinct org_id, user_id
    from notify.notification where digest_pending order by org_id, user_id limit 500`.execute(db.kysely)
  let sent = 0
  for (const w of who.rows) {
    await db.kysely.transaction().execute(async (tx) => {
      const rows = await sql<{
        id: string
        kind: string
        subject_type: string
        subject_id: string
        params: Record<string, string | number | null>
        title: { en: string; "zh-CN": string } | null
      }>`select id, kind, subject_type, subject_id, params, title from notify.notification
        where org_id = ${w.org_id} and user_id = ${w.user_id} and digest_pending
        order by created_at, id for update skip locked`.execute(tx)
      if (rows.rows.length === 0) return
      const person = (
        await sql<{ email: string; locale: string | null; time_zone: string }>`
          select u.email, coalesce(u.locale, o.locale) as locale, o.time_zone
          from iam.user u, core.organization o where u.id = ${w.user_id} and o.id = ${w.org_id}`.execute(tx)
      ).rows[0]
      const ids = rows.rows.map((r) => r.id)
      await sql`update notify.notification set digest_pending = false
        where org_id = ${w.org_id} and id = any(${ids}::text[])`.execute(tx)
      if (!person) return
      const locale = asLocale(person.locale)
      const items = rows.rows.map((r) => ({
        ...render(r.kind, r.params, locale, person.time_zone, r.title),
        link: linkOf({ type: r.subject_type, id: r.subject_id }),
      }))
      const subject = interpolate(
        FRAME[locale].digestTitle,
        { count: items.length },
        locale,
        person.time_zone,
      )
      const body = compose(locale, settings.publicUrl, items, FRAME[locale].digestIntro)
      const emailId = Id.make("eml")
      await sql`insert into notify.email (org_id, id, user_id, to_address, locale, subject, text_body, html_body, dedupe_key)
        values (${w.org_id}, ${emailId}, ${w.user_id}, ${person.email}, ${locale}, ${subject}, ${body.text}, ${body.html},
          ${`digest:${ids[0]}:${ids.at(-1)}`}) on conflict do nothing`.execute(tx)
      await scheduleMail(tx, w.org_id, emailId)
      sent++
    })
  }
  return sent
}

/** The digest job (scheduled by the server every `TENET_DIGEST_SECONDS`, default a day). */
export const digestJobs = (settings: MailSettings): Jobs.JobHandlers => ({
  [DIGEST_JOB]: async (_job, db) => {
    await sendDigests(db, settings)
  },
})

export const scheduleDigest = (db: Db.Database, everySeconds: number) =>
  Jobs.schedule(db, {
    kind: DIGEST_JOB,
    key: "digest",
    runAt: new Date(Date.now() + everySeconds * 1000),
    everySeconds,
    maxAttempts: 1000,
  })
