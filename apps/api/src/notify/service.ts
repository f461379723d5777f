/**
 * A person's notifications and preferences: the list (newest first, keyset pages), the unread
 * count, mark read, mark all read, the channel per kind. Everything is scoped to the caller's
 * organisation and user.
 */
import { type Db, Errors, Notifications } from "@tenet/core"
import { sql } from "kysely"
import { linkOf } from "./events"
import type { Channel, NotifyTables } from "./schema"
import { asLocale, type MailLocale, render } from "./templates"

export interface Person {
  readonly orgId: string
  readonly userId: string
}

const cursorOf = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString("base64url")
const parseCursor = (c: string) => {
  const [at, id] = Buffer.from(c, "base64url").toString("utf8").split("|")
  const d = new Date(at ?? "")
  if (!id || Number.isNaN(d.getTime()))
    throw new Errors.ValidationError({
      message: "The query string is invalid.",
      issues: [{ path: ["cursor"], message: "is not a cursor of this list", code: "invalidValue" }],
    })
  return { at: d, id }
}

/** The language to render in: the one asked for, the person's, else the organisation's. */
const localeOf = async (db: Db.Database, who: Person, wanted?: string) => {
  const r = (
    await sql<{
      locale: string | null
      time_zone: string
    }>`select coalesce(u.locale, o.locale) as locale, o.time_zone
      from core.organization o left join iam.user u on u.id = ${who.userId} where o.id = ${who.orgId}`.execute(
      db.kysely,
    )
  ).rows[0]
  return { locale: asLocale(wanted ?? r?.locale), timeZone: r?.time_zone ?? "UTC" }
}

export const list = async (
  db: Db.Database,
  who: Person,
  options: { limit?: number; cursor?: string; unread?: boolean; locale?: MailLocale } = {},
) => {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 100)
  const { locale, timeZone } = await localeOf(db, who, options.locale)
  let q = db
    .as<NotifyTables>()
    .selectFrom("notify.notification")
    .selectAll()
    .where("org_id", "=", who.orgId)
    .where("user_id", "=", who.userId)
  if (options.unread) q = q.where("read_at", "is", null)
  if (options.cursor) {
    const c = parseCursor(options.cursor)
    q = q.where((eb) =>
      eb.or([eb("created_at", "<", c.at), eb.and([eb("created_at", "=", c.at), eb("id", "<", c.id)])]),
    )
  }
  const rows = await q
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(limit + 1)
    .execute()
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    items: page.map((r) => {
      const text = render(r.kind, r.params, locale, timeZone, r.title)
      return {
        id: r.id,
        kind: r.kind,
        title: text.title,
        body: text.body,
        link: linkOf({ type: r.subject_type, id: r.subject_id }),
        subject: { type: r.subject_type, id: r.subject_id },
        createdAt: r.created_at.toISOString(),
        readAt: r.read_at?.toISOString() ?? null,
      }
    }),
    nextCursor: rows.length > limit && last ? cursorOf(last.created_at, last.id) : null,
    unread: await unreadCount(db, who),
  }
}

export const unreadCount = async (db: Db.Database, who: Person) =>
  Number(
    (
      await db
        .as<NotifyTables>()
        .selectFrom("notify.notification")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("org_id", "=", who.orgId)
        .where("user_id", "=", who.userId)
        .where("read_at", "is", null)
        .executeTakeFirstOrThrow()
    ).n,
  )

export const markRead = async (db: Db.Database, who: Person, id: string) => {
  const r = await db
    .as<NotifyTables>()
    .updateTable("notify.notification")
    .set({ read_at: sql`coalesce(read_at, now())` as never })
    .where("org_id", "=", who.orgId)
    .where("user_id", "=", who.userId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (Number(r.numUpdatedRows) === 0) throw new Errors.NotFoundError({ entity: "notification", id })
}

export const markAllRead = async (db: Db.Database, who: Person) => {
  const r = await db
    .as<NotifyTables>()
    .updateTable("notify.notification")
    .set({ read_at: new Date() })
    .where("org_id", "=", who.orgId)
    .where("user_id", "=", who.userId)
    .where("read_at", "is", null)
    .executeTakeFirst()
  return { marked: Number(r.numUpdatedRows) }
}

/** Each built-in kind with the person's channel (their choice, else the default). */
export const preferences = async (db: Db.Database, who: Person) => {
  const chosen = await db
    .as<NotifyTables>()
    .selectFrom("notify.preference")
    .select(["kind", "channel"])
    .where("org_id", "=", who.orgId)
    .where("user_id", "=", who.userId)
    .execute()
  const mine = new Map(chosen.map((c) => [c.kind, c.channel]))
  return {
    items: Notifications.KINDS.filter((k) => k !== "test").map((kind) => ({
      kind,
      channel: mine.get(kind) ?? Notifications.defaultChannel(kind),
      default: Notifications.defaultChannel(kind),
    })),
  }
}

export const setPreferences = async (
  db: Db.Database,
  who: Person,
  items: ReadonlyArray<{ kind: string; channel: Channel }>,
) => {
  // one row per kind (the last choice of a kind wins): an upsert may not touch a row twice
  const chosen = [...new Map(items.map((i) => [i.kind, i])).values()]
  if (chosen.length > 0)
    await db
      .as<NotifyTables>()
      .insertInto("notify.preference")
      .values(
        chosen.map((i) => ({ org_id: who.orgId, user_id: who.userId, kind: i.kind, channel: i.channel })),
      )
      .onConflict((oc) =>
        oc.columns(["org_id", "user_id", "kind"]).doUpdateSet((eb) => ({
          channel: eb.ref("excluded.channel"),
          updated_at: new Date(),
        })),
      )
      .execute()
  return preferences(db, who)
}
