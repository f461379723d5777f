/** Business calendars: the list, the editor and the preview of open periods. */
import { Button, Callout, Card, Dialog, DialogActions, Field, Input, Select, useToast } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, issueText } from "../../api/client"
import { type CalendarRec, type CalendarSpec, useCalendars, useUpdateCalendar } from "../../api/process"
import { useDurations, useFormat } from "../../format"
import { useSession } from "../../session"

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
