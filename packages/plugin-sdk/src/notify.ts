/**
 * A plugin tells people something through Tenet's notification centre: `notify(request)` in a
 * handler's context publishes a `core.notification.requested` event in the outbox of the event's
 * organisation (never another), which the centre delivers as it delivers the built-in kinds (the
 * bell, e-mail or digest per person's preference; once per recipient and `dedupeKey`).
 * @since 0.6.0
 */
import { Notifications, type Outbox, Tenancy } from "@tenet/core"

/** What a plugin asks to be told. @category models @since 0.6.0 */
export interface PluginNotification {
  /** `<plugin-id>.<name>`, e.g. `acme-qa.low-score` (a plugin's own kind; its text is `title`). */
  readonly kind: string
  /** The title in both languages (plugin kinds have no template of their own). */
  readonly title: { readonly en: string; readonly "zh-CN": string }
  /** People (`{ type: "user", id }`), roles (`{ type: "role", role }`), or for a case its owner or team leader. */
  readonly recipients: ReadonlyArray<Notifications.Recipient>
  /** What it is about: `{ type: "case", id }` links to the case. */
  readonly subject: { readonly type: string; readonly id: string }
  readonly params?: Readonly<Record<string, string | number | boolean | null>>
  /** Default: the plugin, the kind and the event it handles (a repeated event tells no one twice). */
  readonly dedupeKey?: string
}

/** A handler's `notify`. @category models @since 0.6.0 */
export type Notify = (request: PluginNotification) => Promise<void>

const text = (v: unknown, max: number) => typeof v === "string" && v.trim().length > 0 && v.length <= max

/**
 * The outbox event of a plugin's request, checked: a request that would fail on every delivery is
 * refused here, with the field it gets wrong, so the handler fails (and is retried) where it is.
 * @category constructors
 * @since 0.6.0
 */
export const notificationEvent = (
  pluginId: string,
  event: Pick<Outbox.DomainEvent, "id" | "orgId">,
  input: unknown,
): Outbox.EventInput => {
  const r = (input ?? {}) as Partial<PluginNotification>
  const bad = (field: string, why: string) => new Error(`plugin ${pluginId}: notify(): ${field} ${why}`)
  if (
    typeof r.kind !== "string" ||
    !r.kind.startsWith(`${pluginId}.`) ||
    !/^[a-z0-9.\-_]{3,100}$/.test(r.kind)
  )
    throw bad("kind", `must be "${pluginId}.<name>" (lowercase letters, digits, . - _)`)
  if (!r.title || !text(r.title.en, 200) || !text(r.title["zh-CN"], 200))
    throw bad("title", "must hold en and zh-CN texts of at most 200 characters")
  if (!Array.isArray(r.recipients) || r.recipients.length === 0 || r.recipients.length > 50)
    throw bad("recipients", "must list 1 to 50 recipients")
  for (const [i, x] of r.recipients.entries()) {
    const ok =
      (x?.type === "user" && text(x.id, 100)) ||
      (x?.type === "role" && (Tenancy.ROLES as ReadonlyArray<unknown>).includes(x.role)) ||
      x?.type === "case_owner" ||
      x?.type === "team_leader"
    if (!ok)
      throw bad(
        `recipients/${i}`,
        'must be { type: "user", id }, { type: "role", role }, case_owner or team_leader',
      )
  }
  if (!r.subject || !text(r.subject.type, 50) || !text(r.subject.id, 200))
    throw bad("subject", "must be { type, id }")
  if (r.params !== undefined) {
    const entries = typeof r.params === "object" && r.params !== null ? Object.entries(r.params) : null
    if (
      !entries ||
      entries.length > 30 ||
      entries.some(
        ([, v]) =>
          !(v === null || ["string", "number", "boolean"].includes(typeof v)) ||
          (typeof v === "string" && v.length > 500),
      )
    )
      throw bad("params", "must be at most 30 short values (text, number, true/false)")
  }
  if (r.dedupeKey !== undefined && !text(r.dedupeKey, 200))
    throw bad("dedupeKey", "must be a text of at most 200 characters")
  return Notifications.requestEvent({
    kind: r.kind,
    title: { en: r.title.en, "zh-CN": r.title["zh-CN"] },
    recipients: r.recipients,
    subject: { type: r.subject.type, id: r.subject.id },
    ...(r.params ? { params: r.params } : {}),
    dedupeKey: r.dedupeKey ?? `plugin:${pluginId}:${r.kind}:${event.id}`,
  })
}
