import { useQueryClient } from "@tanstack/react-query"
import {
  Badge,
  Button,
  Callout,
  Card,
  DataTable,
  Dialog,
  DialogActions,
  dataTableColumns,
  Field,
  Input,
  Select,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, issueText } from "../../api/client"
import {
  type CalendarRec,
  type CalendarSpec,
  type CustomerRow,
  type ImportRowError,
  type PolicyRec,
  useCalendars,
  useCustomers,
  useImports,
  usePolicies,
  useUpdateCalendar,
  useUpdatePolicy,
} from "../../api/process"
import { useDurations, useFormat } from "../../format"
import { useSession } from "../../session"
import { keysetTableProps, useTableLabels } from "../table-labels"
import { CASE_TYPES, CHANNELS, CodeOptions, SEGMENTS } from "./shared"

// ---------------------------------------------------------------------------
// customers
// ---------------------------------------------------------------------------

const ccol = dataTableColumns<CustomerRow>()

export const CustomersPage = () => {
  const { t } = useTranslation()
  const labels = useTableLabels()
  const [q, setQ] = useState("")
  const [applied, setApplied] = useState<{ q?: string | undefined; segment?: string | undefined }>({})
  const [cursors, setCursors] = useState<string[]>([])
  const page = useCustomers({ ...applied, limit: "25", cursor: cursors.at(-1) })
  const columns = useMemo(
    () =>
      ccol.columns([
        ccol.accessor("name", { header: t("customers.name"), enableSorting: false }),
        ccol.accessor("externalId", {
          header: t("customers.externalId"),
          enableSorting: false,
          cell: (i) => i.getValue() ?? "—",
        }),
        ccol.accessor("segment", {
          header: t("cases.segment"),
          enableSorting: false,
          cell: (i) => (
            <Badge tone={i.getValue() === "vip" ? "accent" : undefined}>
              {t(`segments.${i.getValue()}`)}
            </Badge>
          ),
        }),
        ccol.accessor("valueTier", {
          header: t("customers.valueTier"),
          enableSorting: false,
          cell: (i) => i.getValue() ?? "—",
        }),
        ccol.accessor("dedicatedTeam", {
          header: t("customers.dedicatedTeam"),
          enableSorting: false,
          cell: (i) => i.getValue() ?? "—",
        }),
        ccol.accessor("cases", { header: t("customers.cases"), enableSorting: false }),
      ]),
    [t],
  )
  return (
    <DataTable
      id="customers"
      caption={t("customers.title")}
      columns={columns}
      getRowId={(c) => c.id}
      {...keysetTableProps(page, cursors, setCursors)}
      empty={t("customers.empty")}
      labels={labels}
      toolbar={
        <>
          <form
            onSubmit={(e) => {
              e.preventDefault()
              setCursors([])
              setApplied((a) => ({ ...a, ...(q ? { q } : { q: undefined }) }))
            }}
            style={{ display: "flex", gap: 6 }}
          >
            <Input
              aria-label={t("customers.search")}
              placeholder={t("customers.search")}
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
            <Button type="submit" size="sm">
              {t("common.search")}
            </Button>
          </form>
          <Select
            aria-label={t("cases.segment")}
            value={applied.segment ?? ""}
            onChange={(e) => {
              setCursors([])
              setApplied((a) => ({ ...a, segment: e.target.value || undefined }))
            }}
          >
            <option value="">{t("customers.anySegment")}</option>
            <CodeOptions codes={SEGMENTS} ns="segments" />
          </Select>
        </>
      }
    />
  )
}

// ---------------------------------------------------------------------------
// SLA policies
// ---------------------------------------------------------------------------

const TARGETS = ["first_response", "initial_record", "next_reply", "resolution", "follow_up"] as const

export const PoliciesPage = () => {
  const { t } = useTranslation()
  const { duration } = useDurations()
  const policies = usePolicies()
  const calendars = useCalendars()
  const session = useSession()
  const [editing, setEditing] = useState<PolicyRec>()
  const calName = (id: string) => calendars.data?.items.find((c) => c.id === id)?.name ?? id
  return (
    <>
      <p style={{ color: "var(--text-2)", marginTop: 0 }}>{t("policies.description")}</p>
      <div style={{ display: "flex", flexDirection: "column", gap: 12 }}>
        {policies.data?.items.map((p) => (
          <Card key={p.id}>
            <div style={{ display: "flex", gap: 12, alignItems: "center", flexWrap: "wrap" }}>
              <Badge>{p.position}</Badge>
              <strong style={{ fontSize: 16 }}>{p.name}</strong>
              <Badge tone={p.active ? "ok" : undefined}>
                {p.active ? `● ${t("policies.active")}` : `○ ${t("policies.inactive")}`}
              </Badge>
              <span className="t-hint">{t("policies.version", { version: p.version })}</span>
              <span style={{ flex: 1 }} />
              {session.can("cases:manage") ? (
                <Button size="sm" onClick={() => setEditing(p)}>
                  {t("policies.edit")}
                </Button>
              ) : null}
            </div>
            <dl className="kv" style={{ marginTop: 12 }}>
              <dt>{t("policies.conditions")}</dt>
              <dd>
                {Object.entries(p.definition.conditions).filter(([, v]) => v?.length).length === 0
                  ? t("policies.anyCase")
                  : Object.entries(p.definition.conditions)
                      .filter(([, v]) => v?.length)
                      .map(
                        ([k, v]) =>
                          `${t(`cases.${k}`, { defaultValue: k })}: ${v!.map((x) => t(k === "type" ? `caseTypes.${x}` : k === "channel" ? `channels.${x}` : k === "segment" ? `segments.${x}` : "x", { defaultValue: x })).join(", ")}`,
                      )
                      .join(" · ")}
              </dd>
              <dt>{t("policies.targets")}</dt>
              <dd>
                {TARGETS.filter((x) => p.definition.targets[x])
                  .map((x) => `${t(`targets.${x}`)} ${duration(p.definition.targets[x]!)}`)
                  .join(" · ")}
              </dd>
              <dt>{t("cases.calendar")}</dt>
              <dd>{calName(p.definition.calendarId)}</dd>
              <dt>{t("policies.escalations")}</dt>
              <dd>
                {p.definition.escalations
                  .map((e, i) =>
                    t("policies.escalationLevel", {
                      level: i + 1,
                      action: t(`policies.actions.${e.action}`),
                      time: e.afterSeconds ? duration(e.afterSeconds) : "0",
                    }),
                  )
                  .join(" · ")}
              </dd>
            </dl>
          </Card>
        ))}
      </div>
      <PolicyPreview />
      {editing ? (
        <PolicyDialog
          policy={editing}
          calendars={calendars.data?.items ?? []}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
    </>
  )
}

const PolicyDialog = ({
  policy,
  calendars,
  onClose,
}: {
  policy: PolicyRec
  calendars: CalendarRec[]
  onClose: () => void
}) => {
  const { t } = useTranslation()
  const toast = useToast()
  const update = useUpdatePolicy()
  const [hours, setHours] = useState<Record<string, string>>(
    Object.fromEntries(
      TARGETS.map((x) => [
        x,
        policy.definition.targets[x] ? String(+(policy.definition.targets[x]! / 3600).toFixed(3)) : "",
      ]),
    ),
  )
  const [calendarId, setCalendarId] = useState(policy.definition.calendarId)
  const [warnAt, setWarnAt] = useState(String(policy.definition.warnAt))
  const shownAtField = (path: string) =>
    path === "/definition/warnAt" || TARGETS.some((x) => path === `/definition/targets/${x}`)
  const [active, setActive] = useState(policy.active)
  const error = update.error instanceof ApiError ? update.error : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const targets = Object.fromEntries(
      TARGETS.filter((x) => hours[x]?.trim()).map((x) => [x, Math.round(Number(hours[x]) * 3600)]),
    )
    update.mutate(
      {
        id: policy.id,
        expectedVersion: policy.version,
        active,
        definition: { ...policy.definition, targets, calendarId, warnAt: Number(warnAt) },
      },
      {
        onSuccess: (p) => {
          toast(t("policies.saved", { version: p.version }))
          onClose()
        },
      },
    )
  }
  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={t("policies.editTitle")}
      description={policy.name}
    >
      <form onSubmit={submit} noValidate>
        <p className="t-hint">{t("policies.hoursHint")}</p>
        <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: "0 12px" }}>
          {TARGETS.map((x) => (
            <Field
              key={x}
              label={`${t(`targets.${x}`)} (${t("policies.hours")})`}
              error={error?.field(`definition/targets/${x}`)}
            >
              {(p) => (
                <Input
                  {...p}
                  inputMode="decimal"
                  value={hours[x]}
                  onChange={(e) => setHours({ ...hours, [x]: e.target.value })}
                />
              )}
            </Field>
          ))}
        </div>
        <Field label={t("cases.calendar")}>
          {(p) => (
            <Select {...p} value={calendarId} onChange={(e) => setCalendarId(e.target.value)}>
              {calendars.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t("policies.warnAt")} error={error?.field("definition/warnAt")}>
          {(p) => (
            <Input {...p} inputMode="decimal" value={warnAt} onChange={(e) => setWarnAt(e.target.value)} />
          )}
        </Field>
        <label style={{ display: "flex", gap: 8, alignItems: "center" }}>
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />{" "}
          {t("policies.active")}
        </label>
        {error && !error.fieldErrors.length ? (
          <Callout tone="bad">{error.detail ?? error.title}</Callout>
        ) : null}
        {/* errors the form shows at their field are not repeated here */}
        {error?.fieldErrors.some((f) => !shownAtField(f.path)) ? (
          <Callout tone="bad">
            {error.fieldErrors
              .filter((f) => !shownAtField(f.path))
              .map((f) => `${f.path}: ${issueText(f)}`)
              .join("; ")}
          </Callout>
        ) : null}
        <DialogActions>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="primary" disabled={update.isPending}>
            {t("common.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}

const PolicyPreview = () => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const [form, setForm] = useState({ type: "inquiry", channel: "chat", segment: "existing" })
  const [result, setResult] = useState<{
    policy: { name: string; version: number } | null
    targets: Array<{ target: string; seconds: number; due: string }>
  }>()
  const { duration } = useDurations()
  const run = async () =>
    setResult(await api("/api/v1/process/sla-policies/preview", { method: "POST", body: form }))
  return (
    <div style={{ marginTop: 16 }}>
      <Card title={t("policies.preview")}>
        <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
          <Select
            aria-label={t("cases.type")}
            value={form.type}
            onChange={(e) => setForm({ ...form, type: e.target.value })}
          >
            <CodeOptions codes={CASE_TYPES} ns="caseTypes" />
          </Select>
          <Select
            aria-label={t("cases.channel")}
            value={form.channel}
            onChange={(e) => setForm({ ...form, channel: e.target.value })}
          >
            <CodeOptions codes={CHANNELS} ns="channels" />
          </Select>
          <Select
            aria-label={t("cases.segment")}
            value={form.segment}
            onChange={(e) => setForm({ ...form, segment: e.target.value })}
          >
            <CodeOptions codes={SEGMENTS} ns="segments" />
          </Select>
          <Button onClick={() => void run()}>{t("policies.preview")}</Button>
        </div>
        {result ? (
          result.policy ? (
            <div style={{ marginTop: 12 }}>
              <p style={{ margin: "0 0 6px" }}>
                {t("policies.previewIntro")} <strong>{result.policy.name}</strong> (
                {t("policies.version", { version: result.policy.version })})
              </p>
              <ul style={{ margin: 0 }}>
                {result.targets.map((x) => (
                  <li key={x.target}>
                    {t(`targets.${x.target}`)} · {duration(x.seconds)} → {fmt.dateTime(x.due)}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p>{t("policies.previewNone")}</p>
          )
        ) : null}
      </Card>
    </div>
  )
}

// ---------------------------------------------------------------------------
// calendars
// ---------------------------------------------------------------------------

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const
const slotsText = (slots?: Array<[string, string]>) => (slots ?? []).map(([a, b]) => `${a}-${b}`).join(", ")
const parseSlots = (text: string): Array<[string, string]> =>
  text
    .split(/[,，;]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => s.split(/\s*[-–~]\s*/) as [string, string])

export const CalendarsPage = () => {
  const { t } = useTranslation()
  const calendars = useCalendars()
  const session = useSession()
  const [editing, setEditing] = useState<CalendarRec>()
  return (
    <>
      <p style={{ color: "var(--text-2)", marginTop: 0 }}>{t("calendars.description")}</p>
      <div className="grid-2">
        {calendars.data?.items.map((c) => (
          <Card key={c.id} title={c.name}>
            <dl className="kv">
              <dt>{t("calendars.timeZone")}</dt>
              <dd>{c.spec.timeZone}</dd>
              {WEEKDAYS.map((d) => (
                <Fragment2
                  key={d}
                  label={t(`calendars.weekdays.${d}`)}
                  value={slotsText(c.spec.hours[d]) || t("calendars.closed")}
                />
              ))}
              <dt>{t("calendars.holidays")}</dt>
              <dd>{t("calendars.count", { count: c.spec.holidays?.length ?? 0 })}</dd>
              <dt>{t("calendars.workdays")}</dt>
              <dd>{t("calendars.count", { count: c.spec.workdays?.length ?? 0 })}</dd>
            </dl>
            {session.can("cases:manage") ? (
              <div style={{ marginTop: 12 }}>
                <Button size="sm" onClick={() => setEditing(c)}>
                  {t("calendars.edit")}
                </Button>
              </div>
            ) : null}
          </Card>
        ))}
      </div>
      <CalendarPreview calendars={calendars.data?.items ?? []} />
      {editing ? <CalendarDialog cal={editing} onClose={() => setEditing(undefined)} /> : null}
    </>
  )
}

const Fragment2 = ({ label, value }: { label: string; value: string }) => (
  <>
    <dt>{label}</dt>
    <dd>{value}</dd>
  </>
)

const CalendarDialog = ({ cal, onClose }: { cal: CalendarRec; onClose: () => void }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const update = useUpdateCalendar()
  const [text, setText] = useState<Record<string, string>>(
    Object.fromEntries(WEEKDAYS.map((d) => [d, slotsText(cal.spec.hours[d])])),
  )
  const [spec, setSpec] = useState<CalendarSpec>(cal.spec)
  const error = update.error instanceof ApiError ? update.error : undefined
  const applyPreset = async () => {
    const presets = await api<{ items: Array<{ spec: CalendarSpec }> }>("/api/v1/process/calendars/presets")
    const cn = presets.items[0]!.spec
    const holidays = [...new Set([...(spec.holidays ?? []), ...(cn.holidays ?? [])])].sort()
    const own = new Set((spec.workdays ?? []).map((w) => w.date))
    const firstWorkday = WEEKDAYS.slice(0, 5)
      .map((d) => parseSlots(text[d] ?? ""))
      .find((s) => s.length) ?? [["09:00", "18:00"]]
    const workdays = [
      ...(spec.workdays ?? []),
      ...(cn.workdays ?? [])
        .filter((w) => !own.has(w.date))
        .map((w) => ({ date: w.date, hours: firstWorkday })),
    ]
    setSpec({ ...spec, holidays, workdays })
    toast(t("calendars.presetApplied", { holidays: holidays.length, workdays: workdays.length }))
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const hours = Object.fromEntries(WEEKDAYS.map((d) => [d, parseSlots(text[d] ?? "")]))
    update.mutate({ id: cal.id, spec: { ...spec, hours } }, { onSuccess: onClose })
  }
  const fieldError = (d: string) =>
    error?.fieldErrors.find((f) => f.path.startsWith(`/spec/hours/${d}`))?.message
  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={t("calendars.editTitle")}
      description={cal.name}
    >
      <form onSubmit={submit} noValidate>
        <p className="t-hint">{t("calendars.slotsHint")}</p>
        {WEEKDAYS.map((d) => (
          <Field key={d} label={t(`calendars.weekdays.${d}`)} error={fieldError(d)}>
            {(p) => (
              <Input
                {...p}
                value={text[d]}
                onChange={(e) => setText({ ...text, [d]: e.target.value })}
                placeholder={t("calendars.closed")}
              />
            )}
          </Field>
        ))}
        <Button onClick={() => void applyPreset()}>{t("calendars.applyPreset")}</Button>
        {error && !error.fieldErrors.some((f) => f.path.startsWith("/spec/hours")) ? (
          <div style={{ marginTop: 8 }}>
            <Callout tone="bad">
              {error.fieldErrors.map((f) => `${f.path}: ${issueText(f)}`).join("; ") || error.detail}
            </Callout>
          </div>
        ) : null}
        <DialogActions>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="primary" disabled={update.isPending}>
            {t("common.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}

const CalendarPreview = ({ calendars }: { calendars: CalendarRec[] }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const { duration } = useDurations()
  const [calendarId, setCalendarId] = useState("")
  const [from, setFrom] = useState(() =>
    new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16),
  )
  const [hours, setHours] = useState("24")
  const [result, setResult] = useState<{
    due: string
    from: string
    seconds: number
    days: Array<{ date: string; kind: string }>
    periods: Array<{ start: string; end: string; seconds: number }>
  }>()
  const [error, setError] = useState<string>()
  const run = async () => {
    setError(undefined)
    try {
      setResult(
        await api("/api/v1/process/calendars/preview", {
          method: "POST",
          body: {
            calendarId: calendarId || calendars[0]?.id,
            from: new Date(from).toISOString(),
            seconds: Math.round(Number(hours) * 3600),
          },
        }),
      )
    } catch (e) {
      setError(e instanceof ApiError ? (e.fieldErrors[0]?.message ?? e.detail) : String(e))
    }
  }
  return (
    <div style={{ marginTop: 16 }}>
      <Card title={t("calendars.preview")}>
        <div style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "flex-end" }}>
          <Select
            aria-label={t("cases.calendar")}
            value={calendarId}
            onChange={(e) => setCalendarId(e.target.value)}
          >
            {calendars.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
          <label>
            <span className="t-label">{t("calendars.previewFrom")} </span>
            <Input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            <span className="t-label">{t("calendars.previewHours")} </span>
            <Input
              inputMode="decimal"
              value={hours}
              onChange={(e) => setHours(e.target.value)}
              style={{ width: 80 }}
            />
          </label>
          <Button onClick={() => void run()}>{t("policies.preview")}</Button>
        </div>
        {error ? <Callout tone="bad">{error}</Callout> : null}
        {result ? (
          <div style={{ marginTop: 12 }} data-testid="calendar-preview">
            <p style={{ margin: "0 0 6px" }}>
              {t("calendars.previewResult", {
                from: fmt.dateTime(result.from),
                hours: duration(result.seconds),
                due: fmt.dateTime(result.due),
              })}
            </p>
            {result.days.length ? (
              <>
                <span className="t-label">{t("calendars.because")}</span>
                <ul style={{ margin: "4px 0" }}>
                  {result.days.slice(0, 15).map((d) => (
                    <li key={d.date}>
                      {fmt.date(`${d.date}T12:00:00Z`)} · {t(`dayKinds.${d.kind}`)}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </div>
        ) : null}
      </Card>
    </div>
  )
}

// ---------------------------------------------------------------------------
// import
// ---------------------------------------------------------------------------

export const ImportPage = () => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const qc = useQueryClient()
  const session = useSession()
  const [file, setFile] = useState<File>()
  const [format, setFormat] = useState("csv")
  const [busy, setBusy] = useState(false)
  const imports = useImports(busy)
  const [summary, setSummary] = useState<{
    rows: number
    imported: number
    skipped: number
    failed: number
    errors: ImportRowError[]
  }>()
  const [error, setError] = useState<string>()
  const run = async (e: FormEvent) => {
    e.preventDefault()
    if (!file) return
    setBusy(true)
    setError(undefined)
    try {
      const res = await fetch(
        `/api/v1/process/imports?format=${format}&name=${encodeURIComponent(file.name)}`,
        {
          method: "POST",
          body: file,
          credentials: "same-origin",
          headers: {
            "content-type": "application/octet-stream",
            ...(localStorage.getItem("tenet.org")
              ? { "x-tenet-org": localStorage.getItem("tenet.org")! }
              : {}),
          },
        },
      )
      const body = await res.json()
      if (!res.ok) setError(body.errors?.[0]?.message ?? body.detail ?? body.title)
      else setSummary(body)
      await qc.invalidateQueries({ queryKey: ["imports"] })
      await qc.invalidateQueries({ queryKey: ["cases"] })
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="grid-2">
      <Card title={t("imports.title")}>
        <p className="t-hint">{t("imports.description")}</p>
        <form onSubmit={run}>
          <Field label={t("imports.file")}>
            {(p) => (
              <input
                {...p}
                type="file"
                accept=".csv,.ndjson,.json,.jsonl,.txt"
                onChange={(e) => setFile(e.target.files?.[0])}
              />
            )}
          </Field>
          <Field label={t("imports.format")}>
            {(p) => (
              <Select {...p} value={format} onChange={(e) => setFormat(e.target.value)}>
                {(["csv", "ndjson", "zendesk"] as const).map((f) => (
                  <option key={f} value={f}>
                    {t(`imports.formats.${f}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Button type="submit" variant="primary" disabled={!file || busy || !session.can("cases:write")}>
            {busy ? t("imports.running") : t("imports.start")}
          </Button>
        </form>
        {error ? <Callout tone="bad">{error}</Callout> : null}
        {summary ? (
          <div style={{ marginTop: 12 }}>
            <Callout tone={summary.failed ? "warn" : undefined}>{t("imports.result", summary)}</Callout>
            {summary.errors.length ? <ErrorsTable errors={summary.errors} /> : null}
          </div>
        ) : null}
      </Card>
      <Card title={t("imports.history")}>
        {imports.data?.items.length ? (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {imports.data.items.map((i) => (
              <li key={i.id}>
                {fmt.dateTime(i.startedAt)} · {i.source} · {t(`imports.formats.${i.format}`)} ·{" "}
                <Badge
                  tone={
                    i.status === "failed" || i.status === "interrupted"
                      ? "bad"
                      : i.status === "running"
                        ? "warn"
                        : "ok"
                  }
                >
                  {t(`imports.runStatus.${i.status}`)}
                </Badge>{" "}
                — {i.status === "running" ? t("imports.progress", i) : t("imports.result", i)}
                {i.status === "interrupted" ? <p className="t-hint">{t("imports.interruptedHint")}</p> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="t-hint">{t("imports.empty")}</p>
        )}
      </Card>
    </div>
  )
}

const ErrorsTable = ({ errors }: { errors: ReadonlyArray<ImportRowError> }) => {
  const { t } = useTranslation()
  return (
    <table className="t-table" style={{ marginTop: 8 }}>
      <thead>
        <tr>
          <th scope="col">{t("imports.line")}</th>
          <th scope="col">{t("imports.field")}</th>
          <th scope="col">{t("imports.message")}</th>
        </tr>
      </thead>
      <tbody>
        {errors.slice(0, 100).map((e) => (
          <tr key={`${e.line}-${e.field}`}>
            <td>{e.line}</td>
            <td>
              <code className="t-code">{e.field}</code>
            </td>
            <td>{issueText(e)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
