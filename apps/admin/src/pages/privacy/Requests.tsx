/** The privacy officer's queue: data-subject requests with their countdowns, identity verification, fulfilment, exports and statements. */
import { useMutation, useQueryClient } from "@tanstack/react-query"
import { Badge, Button, Card, EmptyState, ErrorState, Field, Input, Select, Skeleton } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api } from "../../api/client"
import { useCalendars } from "../../api/process"
import { useFormat } from "../../format"
import {
  correctionLabel,
  loc,
  type SubjectRequest,
  useCorrectable,
  useInventory,
  usePrivacySettings,
  useRequests,
} from "./model"

const KINDS = ["access", "correction", "deletion", "restriction"] as const

const NewRequest = () => {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [customerId, setCustomerId] = useState("")
  const [kind, setKind] = useState<(typeof KINDS)[number]>("access")
  const [locale, setLocale] = useState<"zh-CN" | "en">("zh-CN")
  const [channel, setChannel] = useState("phone")
  const [corrections, setCorrections] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const settings = usePrivacySettings()
  const { i18n } = useTranslation()
  const create = useMutation({
    mutationFn: () => {
      const filled = Object.fromEntries(Object.entries(corrections).filter(([, v]) => v.trim()))
      return api("/api/v1/privacy/requests", {
        method: "POST",
        body: {
          customerId,
          kind,
          locale,
          channel,
          ...(kind === "correction" ? { corrections: filled } : {}),
        },
      })
    },
    onSuccess: () => {
      setCustomerId("")
      setCorrections({})
      setError(null)
      qc.invalidateQueries({ queryKey: ["privacy"] })
    },
    onError: (e) => setError(e instanceof ApiError ? e.text() : String(e)),
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate()
  }
  return (
    <form onSubmit={submit} style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "flex-end" }}>
      <Field label={t("privacy.requests.customer")}>
        {(p) => <Input {...p} value={customerId} onChange={(e) => setCustomerId(e.target.value)} required />}
      </Field>
      <Field label={t("privacy.requests.kind")}>
        {(p) => (
          <Select {...p} value={kind} onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`privacy.requests.kinds.${k}`)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label={t("privacy.requests.locale")}>
        {(p) => (
          <Select {...p} value={locale} onChange={(e) => setLocale(e.target.value as "zh-CN" | "en")}>
            <option value="zh-CN">简体中文</option>
            <option value="en">English</option>
          </Select>
        )}
      </Field>
      <Field label={t("privacy.requests.channel")}>
        {(p) => <Input {...p} value={channel} onChange={(e) => setChannel(e.target.value)} required />}
      </Field>
      {kind === "correction"
        ? (settings.data?.correctionFields ?? [])
            .filter((c) => !c.perRecord)
            .map((c) => (
              <Field
                key={c.field}
                label={t("privacy.requests.correctTo", { field: loc(c.label, i18n.language) })}
              >
                {(p) => (
                  <Input
                    {...p}
                    data-testid={`correct-${c.field}`}
                    value={corrections[c.field] ?? ""}
                    onChange={(e) => setCorrections({ ...corrections, [c.field]: e.target.value })}
                  />
                )}
              </Field>
            ))
        : null}
      {kind === "correction" ? (
        <RecordCorrections customerId={customerId} values={corrections} onChange={setCorrections} />
      ) : null}
      <Button type="submit" variant="primary" disabled={!customerId.trim() || create.isPending}>
        {t("privacy.requests.receive")}
      </Button>
      {error ? <span role="alert">{error}</span> : null}
    </form>
  )
}

/**
 * What the customer wrote in the modules' records (a complaint's details, a survey comment): each with
 * the text held now, and a box for the corrected text (keyed `field@recordId`).
 */
const RecordCorrections = ({
  customerId,
  values,
  onChange,
}: {
  customerId: string
  values: Record<string, string>
  onChange: (v: Record<string, string>) => void
}) => {
  const { t, i18n } = useTranslation()
  const { dateTime } = useFormat()
  const records = useCorrectable(customerId, true)
  if (!customerId.trim()) return null
  if (records.isPending) return <Skeleton height={48} />
  if (records.isError) return <ErrorState title={t("privacy.loadError")} />
  const items = records.data.items
  if (items.length === 0)
    return <p style={{ flexBasis: "100%", margin: 0 }}>{t("privacy.requests.noRecords")}</p>
  return (
    <fieldset
      style={{ flexBasis: "100%", border: 0, padding: 0, margin: 0 }}
      data-testid="record-corrections"
    >
      <legend>{t("privacy.requests.recordsTitle")}</legend>
      {items.map((r) => (
        <label key={r.key} style={{ display: "block", marginBottom: 8 }}>
          <span>
            {t("privacy.requests.recordField", {
              field: loc(r.label, i18n.language),
              at: r.at ? dateTime(r.at) : "—",
            })}
          </span>
          <textarea
            className="t-input"
            rows={2}
            style={{ width: "100%", display: "block" }}
            data-testid={`correct-${r.key}`}
            placeholder={r.current || t("privacy.requests.emptyText")}
            value={values[r.key] ?? ""}
            onChange={(e) => onChange({ ...values, [r.key]: e.target.value })}
          />
        </label>
      ))}
    </fieldset>
  )
}

const ClockSettings = () => {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const settings = usePrivacySettings()
  const calendars = useCalendars()
  const [draft, setDraft] = useState<{
    requestDays: string
    reminderDays: string
    calendarId: string
  } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const save = useMutation({
    mutationFn: (body: { requestDays: number; reminderDays: number; calendarId: string | null }) =>
      api("/api/v1/privacy/settings", { method: "PUT", body }),
    onSuccess: () => {
      setError(null)
      setSaved(true)
      setDraft(null)
      qc.invalidateQueries({ queryKey: ["privacy"] })
    },
    onError: (e) => setError(e instanceof ApiError ? e.text() : String(e)),
  })
  if (!settings.data) return null
  const s = settings.data
  const v = draft ?? {
    requestDays: String(s.requestDays),
    reminderDays: String(s.reminderDays),
    calendarId: s.calendarId ?? "",
  }
  const edit = (patch: Partial<typeof v>) => {
    setSaved(false)
    setDraft({ ...v, ...patch })
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate({
      requestDays: Number(v.requestDays),
      reminderDays: Number(v.reminderDays),
      calendarId: v.calendarId || null,
    })
  }
  return (
    <form
      onSubmit={submit}
      data-testid="privacy-clock"
      style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "flex-end" }}
    >
      <Field label={t("privacy.clock.requestDays")}>
        {(p) => (
          <Input
            {...p}
            type="number"
            min={1}
            max={365}
            value={v.requestDays}
            onChange={(e) => edit({ requestDays: e.target.value })}
          />
        )}
      </Field>
      <Field label={t("privacy.clock.calendar")}>
        {(p) => (
          <Select {...p} value={v.calendarId} onChange={(e) => edit({ calendarId: e.target.value })}>
            <option value="">{t("privacy.clock.serviceCalendar")}</option>
            {(calendars.data?.items ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label={t("privacy.clock.reminderDays")}>
        {(p) => (
          <Input
            {...p}
            type="number"
            min={0}
            max={60}
            value={v.reminderDays}
            onChange={(e) => edit({ reminderDays: e.target.value })}
          />
        )}
      </Field>
      <Button type="submit" disabled={save.isPending || !draft}>
        {t("privacy.clock.save")}
      </Button>
      <span className="t-hint">{t(`privacy.clock.source.${s.calendarSource}`)}</span>
      {saved ? <span role="status">{t("privacy.clock.saved")}</span> : null}
      {error ? <span role="alert">{error}</span> : null}
    </form>
  )
}

const Countdown = ({ r }: { r: SubjectRequest }) => {
  const { t } = useTranslation()
  if (r.daysLeft === null)
    return (
      <Badge tone={r.status === "done" ? "ok" : "accent"}>{t(`privacy.requests.statuses.${r.status}`)}</Badge>
    )
  if (r.daysLeft < 0) return <Badge tone="bad">{t("privacy.requests.overdue", { n: -r.daysLeft })}</Badge>
  return (
    <Badge tone={r.daysLeft <= 5 ? "warn" : "accent"}>
      {t("privacy.requests.daysLeft", { n: r.daysLeft })}
    </Badge>
  )
}

const Actions = ({ r }: { r: SubjectRequest }) => {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [method, setMethod] = useState("")
  const [error, setError] = useState<string | null>(null)
  const step = useMutation({
    mutationFn: (s: { path: string; body: unknown }) =>
      api(`/api/v1/privacy/requests/${r.id}/${s.path}`, { method: "POST", body: s.body }),
    onSuccess: () => {
      setError(null)
      qc.invalidateQueries({ queryKey: ["privacy"] })
    },
    onError: (e) => setError(e instanceof ApiError ? e.text() : String(e)),
  })
  if (r.closedAt) return null
  return (
    <div style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "flex-end" }}>
      {r.verifiedAt ? (
        <Button
          variant="primary"
          onClick={() => step.mutate({ path: "fulfil", body: {} })}
          disabled={step.isPending}
        >
          {t(`privacy.requests.fulfil.${r.kind}`)}
        </Button>
      ) : (
        <>
          <Field label={t("privacy.requests.verification")}>
            {(p) => <Input {...p} value={method} onChange={(e) => setMethod(e.target.value)} />}
          </Field>
          <Button
            onClick={() => step.mutate({ path: "verify", body: { method } })}
            disabled={!method.trim() || step.isPending}
          >
            {t("privacy.requests.verify")}
          </Button>
        </>
      )}
      {error ? <span role="alert">{error}</span> : null}
    </div>
  )
}

const Statement = ({ r }: { r: SubjectRequest }) => {
  const { t, i18n } = useTranslation()
  const f = useFormat()
  const inventory = useInventory()
  if (!r.outcome || r.kind !== "deletion") return null
  const names = new Map((inventory.data?.items ?? []).map((c) => [c.id, loc(c.name, i18n.language)]))
  const name = (id: string) => names.get(id) ?? id
  return (
    <div data-testid={`statement-${r.id}`}>
      <h3 style={{ fontSize: 14 }}>{t("privacy.requests.statement")}</h3>
      <ul>
        {r.outcome.removed.map((x) => (
          <li key={`r-${x.classId}`}>
            {t("privacy.requests.removed", { n: x.count, cls: name(x.classId) })}
          </li>
        ))}
        {r.outcome.kept.map((k) => (
          <li key={`k-${k.classId}-${k.reason}`}>
            {t("privacy.requests.kept", { n: k.count, cls: name(k.classId) })} — {loc(k.why, i18n.language)}
            {k.until ? ` (${t("privacy.requests.until", { at: f.dateTime(k.until) })})` : ""}
          </li>
        ))}
      </ul>
    </div>
  )
}

export const RequestsPage = () => {
  const { t, i18n } = useTranslation()
  const f = useFormat()
  const requests = useRequests()
  const settings = usePrivacySettings()
  if (requests.isLoading) return <Skeleton height={240} />
  if (requests.error) return <ErrorState title={t("privacy.loadError")} />
  const items = requests.data?.items ?? []
  return (
    <div style={{ display: "grid", gap: 16 }}>
      <Card>
        <h2 style={{ fontSize: 16 }}>{t("privacy.clock.title")}</h2>
        <ClockSettings />
      </Card>
      <Card>
        <h2 style={{ fontSize: 16 }}>{t("privacy.requests.new")}</h2>
        <NewRequest />
      </Card>
      {items.length ? (
        items.map((r) => (
          <Card key={r.id}>
            <div data-testid={`request-${r.customerId}-${r.kind}`}>
              <h2 style={{ fontSize: 16 }}>
                {t(`privacy.requests.kinds.${r.kind}`)} · <code>{r.customerId}</code> <Countdown r={r} />
              </h2>
              <p className="t-hint">
                {t("privacy.requests.received", { at: f.dateTime(r.receivedAt), due: f.dateTime(r.dueAt) })} ·{" "}
                {r.verification
                  ? t("privacy.requests.verifiedBy", { how: r.verification })
                  : t("privacy.requests.notVerified")}
              </p>
              {r.verifiedAt && r.kind === "access" ? (
                <p>
                  <a href={`/api/v1/privacy/requests/${r.id}/export?format=html`} download>
                    {t("privacy.requests.downloadHtml")}
                  </a>{" "}
                  ·{" "}
                  <a href={`/api/v1/privacy/requests/${r.id}/export`} download>
                    {t("privacy.requests.downloadJson")}
                  </a>
                </p>
              ) : null}
              {r.kind === "correction" && r.outcome?.corrected ? (
                <p data-testid={`corrected-${r.id}`}>
                  {t("privacy.requests.corrected", {
                    fields:
                      r.outcome.corrected
                        .map((k) => correctionLabel(k, settings.data?.correctionFields, i18n.language))
                        .join(", ") || "—",
                  })}
                </p>
              ) : null}
              <Actions r={r} />
              <Statement r={r} />
            </div>
          </Card>
        ))
      ) : (
        <Card>
          <EmptyState title={t("privacy.requests.empty")} />
        </Card>
      )}
    </div>
  )
}
