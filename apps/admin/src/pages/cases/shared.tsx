import { Link, Outlet } from "@tanstack/react-router"
import { Badge, PageHeader } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { useVocabulary } from "../../api/process"
import { useDurations, useFormat } from "../../format"

/** The case vocabularies as the API names them (the pure `Case` rules of @tenet/process); labels are `<ns>.<code>`. */
export { CASE_TYPES, CHANNELS, SEGMENTS, STATUSES } from "@tenet/process/case"

/** The `<option>`s of a vocabulary, each labelled in the reader's language. */
export const CodeOptions = ({
  codes,
  ns,
}: {
  codes: ReadonlyArray<string>
  ns: "caseTypes" | "channels" | "segments" | "statuses"
}) => {
  const { t } = useTranslation()
  return (
    <>
      {codes.map((c) => (
        <option key={c} value={c}>
          {t(`${ns}.${c}`)}
        </option>
      ))}
    </>
  )
}

/**
 * The label of a case type or category in the reader's language, from the organisation's
 * vocabulary (a code it does not know, e.g. a retired one, shows as the code).
 */
export const useVocabLabel = () => {
  const { i18n } = useTranslation()
  const vocabulary = useVocabulary()
  const zh = i18n.language.startsWith("zh")
  return (kind: "type" | "category", code: string | null | undefined) => {
    if (!code) return "—"
    const e = vocabulary.data?.items.find((v) => v.kind === kind && v.code === code)
    return e ? (zh ? e.labelZh : e.labelEn) : code
  }
}

/** The `<option>`s of the organisation's case types or categories in use, labelled in the reader's language. */
export const VocabOptions = ({
  kind,
  keep,
}: {
  kind: "type" | "category"
  keep?: string | null | undefined
}) => {
  const { i18n } = useTranslation()
  const vocabulary = useVocabulary()
  const zh = i18n.language.startsWith("zh")
  return (
    <>
      {(vocabulary.data?.items ?? [])
        .filter((v) => v.kind === kind && (v.active || v.code === keep))
        .map((v) => (
          <option key={v.code} value={v.code}>
            {zh ? v.labelZh : v.labelEn}
          </option>
        ))}
    </>
  )
}

export const CasesLayout = () => {
  const { t } = useTranslation()
  const tabs = [
    { to: "/cases", key: "queue" },
    { to: "/cases/customers", key: "customers" },
    { to: "/cases/policies", key: "policies" },
    { to: "/cases/calendars", key: "calendars" },
    { to: "/cases/import", key: "imports" },
    { to: "/cases/settings", key: "settings" },
  ] as const
  return (
    <>
      <PageHeader title={t("cases.title")} description={t("cases.description")} />
      <nav className="settings-tabs" aria-label={t("cases.title")}>
        {tabs.map((tab) => (
          <Link
            key={tab.key}
            to={tab.to}
            activeOptions={{ exact: tab.to === "/cases" }}
            activeProps={{ "aria-current": "page" }}
          >
            {t(`cases.tabs.${tab.key}`)}
          </Link>
        ))}
      </nav>
      <Outlet />
    </>
  )
}

const SLA_TONE = {
  ok: "ok",
  warning: "warn",
  breached: "bad",
  paused: undefined,
  met: "ok",
  none: undefined,
} as const
const SLA_ICON = { ok: "●", warning: "▲", breached: "✕", paused: "⏸", met: "✓", none: "–" } as const

/** SLA state with an icon and text (never colour alone), and the next due time. */
export const SlaBadge = ({ state, dueAt }: { state: keyof typeof SLA_TONE; dueAt?: string | null }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const { relative } = useDurations()
  return (
    <span
      style={{ display: "inline-flex", gap: 6, alignItems: "center", whiteSpace: "nowrap" }}
      title={dueAt ? fmt.dateTime(dueAt) : undefined}
    >
      <Badge tone={SLA_TONE[state]}>
        <span aria-hidden>{SLA_ICON[state]}</span> {t(`slaStates.${state}`)}
      </Badge>
      {dueAt && (state === "ok" || state === "warning" || state === "breached") ? (
        <span className="t-hint">{relative(dueAt)}</span>
      ) : null}
    </span>
  )
}

const STATUS_TONE: Record<string, "ok" | "warn" | "bad" | "accent" | undefined> = {
  new: "accent",
  escalated: "bad",
  pending_customer: "warn",
  pending_third_party: "warn",
  resolved: "ok",
  closed: undefined,
}
export const StatusBadge = ({ status }: { status: string }) => {
  const { t } = useTranslation()
  return <Badge tone={STATUS_TONE[status]}>{t(`statuses.${status}`)}</Badge>
}
export const PriorityBadge = ({ priority }: { priority: string }) => (
  <Badge tone={priority === "p1" ? "bad" : priority === "p2" ? "warn" : undefined}>
    {priority.toUpperCase()}
  </Badge>
)
