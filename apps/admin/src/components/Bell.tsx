/** The bell in the top bar: unread count, the latest notifications, mark all read, a link to the list. */
import { Link, useNavigate } from "@tanstack/react-router"
import { Button } from "@tenet/ui"
import { useEffect, useRef, useState } from "react"
import { useTranslation } from "react-i18next"
import { useMarkAllRead, useMarkRead, useNotifications, useUnreadCount } from "../api/notify"
import { useFormat } from "../format"

export const Bell = () => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const navigate = useNavigate()
  const [open, setOpen] = useState(false)
  const unread = useUnreadCount()
  const latest = useNotifications({ limit: 8 })
  const markRead = useMarkRead()
  const markAll = useMarkAllRead()
  const box = useRef<HTMLDivElement>(null)
  const count = unread.data?.unread ?? 0
  useEffect(() => {
    if (!open) return
    void latest.refetch()
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false)
    const onClick = (e: MouseEvent) =>
      box.current && !box.current.contains(e.target as Node) && setOpen(false)
    document.addEventListener("keydown", onKey)
    document.addEventListener("mousedown", onClick)
    return () => {
      document.removeEventListener("keydown", onKey)
      document.removeEventListener("mousedown", onClick)
    }
  }, [open, latest.refetch])
  return (
    <div className="bell" ref={box}>
      <Button
        variant="ghost"
        aria-expanded={open}
        aria-controls="bell-panel"
        aria-label={t("notify.bellLabel", { count })}
        title={t("notify.bellLabel", { count })}
        onClick={() => setOpen(!open)}
        data-testid="bell"
      >
        <svg
          aria-hidden="true"
          width="18"
          height="18"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
          style={{ verticalAlign: "middle" }}
        >
          <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.73 21a2 2 0 0 1-3.46 0" />
        </svg>
        {count > 0 ? (
          <span className="bell__count" data-testid="bell-count">
            {count > 99 ? "99+" : count}
          </span>
        ) : null}
      </Button>
      {open ? (
        <section id="bell-panel" className="bell__panel" aria-label={t("notify.title")}>
          <header className="bell__head">
            <strong>{t("notify.title")}</strong>
            <Button size="sm" variant="ghost" disabled={count === 0} onClick={() => markAll.mutate()}>
              {t("notify.markAllRead")}
            </Button>
          </header>
          {latest.data && latest.data.items.length === 0 ? (
            <p className="bell__empty">{t("notify.empty")}</p>
          ) : (
            <ul className="bell__list">
              {(latest.data?.items ?? []).map((n) => (
                <li key={n.id}>
                  <button
                    type="button"
                    className={n.readAt ? "bell__item" : "bell__item bell__item--unread"}
                    onClick={() => {
                      if (!n.readAt) markRead.mutate(n.id)
                      setOpen(false)
                      void navigate({ to: n.link })
                    }}
                  >
                    <span className="bell__title">
                      {n.readAt ? null : <span className="t-visually-hidden">{t("notify.unread")}: </span>}
                      {n.title}
                    </span>
                    <span className="bell__time">{fmt.dateTime(n.createdAt)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <footer className="bell__foot">
            <Link to="/notifications" onClick={() => setOpen(false)}>
              {t("notify.seeAll")}
            </Link>
          </footer>
        </section>
      ) : null}
    </div>
  )
}
