/** The notification centre: the inbox (mark read, mark all read), my preferences per kind, and (owners, admins, auditors) webhooks. */
import { Link } from "@tanstack/react-router"
import { Badge, Button, Callout, Card, EmptyState, ErrorState, Select, Skeleton, useToast } from "@tenet/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import {
  CHANNELS,
  type Channel,
  type NotificationKind,
  useMarkAllRead,
  useMarkRead,
  useNotifications,
  usePreferences,
  useSetPreferences,
} from "../api/notify"
import { ExportLinks } from "../components/ExportLinks"
import { TabbedSection } from "../components/TabbedSection"
import { useFormat } from "../format"
import { useSession } from "../session"
import { useExportLabels } from "./table-labels"

export const NotificationsLayout = () => {
  const { t } = useTranslation()
  const session = useSession()
  const tabs = [
    { to: "/notifications", key: "inbox" },
    { to: "/notifications/preferences", key: "preferences" },
    ...(session.can("webhooks:read") ? [{ to: "/notifications/webhooks", key: "webhooks" }] : []),
  ] as const
  return (
    <TabbedSection
      title={t("notify.title")}
      tabs={tabs.map((tab) => ({ to: tab.to, label: t(`notify.tabs.${tab.key}`) }))}
    />
  )
}

export const InboxPage = () => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [unreadOnly, setUnreadOnly] = useState(false)
  const list = useNotifications({ unread: unreadOnly, limit: 100 })
  const markRead = useMarkRead()
  const markAll = useMarkAllRead()
  const toast = useToast()
  const unread = list.data?.unread ?? 0
  return (
    <Card>
      <div className="toolbar">
        <p style={{ margin: 0, color: "var(--text-2)" }} aria-live="polite">
          {t("notify.unreadCount", { count: unread })}
        </p>
        <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
          <Button
            variant={unreadOnly ? "primary" : "ghost"}
            aria-pressed={unreadOnly}
            onClick={() => setUnreadOnly(!unreadOnly)}
          >
            {t("notify.unreadOnly")}
          </Button>
          <Button
            disabled={unread === 0}
            onClick={() =>
              markAll.mutate(undefined, {
                onSuccess: (r) => toast(t("notify.markedAll", { count: r.marked })),
              })
            }
          >
            {t("notify.markAllRead")}
          </Button>
        </div>
      </div>
      {list.isLoading ? (
        <div style={{ display: "grid", gap: 12, padding: 12 }}>
          <Skeleton height={18} />
          <Skeleton height={18} />
          <Skeleton height={18} />
        </div>
      ) : list.isError ? (
        <ErrorState
          title={t("notify.loadFailed")}
          onRetry={() => void list.refetch()}
          retryLabel={t("common.retry")}
        >
          {(list.error as Error).message}
        </ErrorState>
      ) : list.data?.items.length === 0 ? (
        <EmptyState icon="○" title={unreadOnly ? t("notify.noUnread") : t("notify.empty")}>
          <p>{t("notify.emptyHint")}</p>
        </EmptyState>
      ) : (
        <ul className="notif-list" data-testid="notification-list">
          {list.data?.items.map((n) => (
            <li key={n.id} data-unread={!n.readAt}>
              <div className="notif-list__main">
                <Link
                  to={n.link}
                  onClick={() => {
                    if (!n.readAt) markRead.mutate(n.id)
                  }}
                  style={{ fontWeight: n.readAt ? 400 : 600 }}
                >
                  {n.title}
                </Link>
                {n.body ? <p className="notif-list__body">{n.body}</p> : null}
                <small style={{ color: "var(--text-3)" }}>
                  {t(`notify.kinds.${n.kind}`, { defaultValue: n.kind })} · {fmt.dateTime(n.createdAt)}
                </small>
              </div>
              {n.readAt ? (
                <Badge>{t("notify.read")}</Badge>
              ) : (
                <Button size="sm" variant="ghost" onClick={() => markRead.mutate(n.id)}>
                  {t("notify.markRead")}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {list.data?.nextCursor ? <p style={{ color: "var(--text-3)" }}>{t("notify.more")}</p> : null}
    </Card>
  )
}

export const PreferencesPage = () => {
  const { t } = useTranslation()
  const exportLabels = useExportLabels()
  const prefs = usePreferences()
  const save = useSetPreferences()
  const toast = useToast()
  const [draft, setDraft] = useState<Record<string, Channel>>({})
  useEffect(() => {
    if (prefs.data) setDraft(Object.fromEntries(prefs.data.items.map((p) => [p.kind, p.channel])))
  }, [prefs.data])
  const changed = prefs.data?.items.filter((p) => draft[p.kind] && draft[p.kind] !== p.channel) ?? []
  return (
    <Card title={t("notify.prefs.title")}>
      <p style={{ color: "var(--text-2)", marginTop: 0 }}>{t("notify.prefs.hint")}</p>
      <ExportLinks
        url="/api/v1/notifications/preferences"
        columns={[
          ["kind", t("notify.prefs.kind"), exportLabels("notify.kinds") ?? {}],
          ["channel", t("notify.prefs.channel"), exportLabels("notify.channels") ?? {}],
          ["default", t("notify.prefs.default"), exportLabels("notify.channels") ?? {}],
        ]}
      />
      {prefs.isLoading ? (
        <Skeleton height={120} />
      ) : prefs.isError ? (
        <ErrorState
          title={t("notify.loadFailed")}
          onRetry={() => void prefs.refetch()}
          retryLabel={t("common.retry")}
        />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault()
            save.mutate(
              // the server lists kinds as strings (its answer's schema is looser than its input's enum)
              changed.map((p) => ({ kind: p.kind as NotificationKind, channel: draft[p.kind]! })),
              { onSuccess: () => toast(t("notify.prefs.saved")) },
            )
          }}
        >
          <table className="t-table" style={{ width: "100%" }}>
            <caption className="t-visually-hidden">{t("notify.prefs.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("notify.prefs.kind")}</th>
                <th scope="col">{t("notify.prefs.channel")}</th>
                <th scope="col">{t("notify.prefs.default")}</th>
              </tr>
            </thead>
            <tbody>
              {prefs.data?.items.map((p) => (
                <tr key={p.kind}>
                  <th scope="row" style={{ fontWeight: 500, textAlign: "left" }}>
                    {t(`notify.kinds.${p.kind}`, { defaultValue: p.kind })}
                  </th>
                  <td>
                    <Select
                      aria-label={t(`notify.kinds.${p.kind}`, { defaultValue: p.kind })}
                      value={draft[p.kind] ?? p.channel}
                      onChange={(e) => setDraft({ ...draft, [p.kind]: e.target.value as Channel })}
                      data-testid={`pref-${p.kind}`}
                    >
                      {CHANNELS.map((c) => (
                        <option key={c} value={c}>
                          {t(`notify.channels.${c}`)}
                        </option>
                      ))}
                    </Select>
                  </td>
                  <td style={{ color: "var(--text-3)" }}>{t(`notify.channels.${p.default}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {save.isError ? <Callout tone="bad">{(save.error as Error).message}</Callout> : null}
          <div style={{ marginTop: 12 }}>
            <Button type="submit" variant="primary" disabled={changed.length === 0 || save.isPending}>
              {t("common.save")}
            </Button>
          </div>
        </form>
      )}
    </Card>
  )
}
