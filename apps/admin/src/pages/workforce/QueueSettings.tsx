/**
 * Settings → Queues and shifts: each queue's (channel × team) staffing model, service-level target and
 * configured handling time (beside the one measured from the case history, with its n), and the
 * shifts that schedule people on the teams' queues.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Button, Callout, Card, EmptyState, Skeleton, useToast } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, getCurrentOrg } from "../../api/client"
import { useTeams } from "../../api/culture"
import { useMembers } from "../../api/hooks"
import { ExportLinks } from "../../components/ExportLinks"
import { useSession } from "../../session"
import { useExportLabels } from "../table-labels"
import { type Handling, MIN_AHT_SAMPLE, type QueueSettings as Queue, queueKey } from "./model"

type ListedQueue = Queue & { handling: Handling }
interface Shift {
  id: string
  teamId: string
  userId: string
  weekdays: number[]
  startTime: string
  endTime: string
  validFrom: string
  validTo: string | null
  offOnHolidays: boolean
}

const MODELS = ["erlang_c", "erlang_a", "chat", "deferred"] as const
const useQueues = () =>
  useQuery({
    queryKey: ["workforce", "queues", getCurrentOrg()],
    queryFn: () => api<{ items: ListedQueue[] }>("/api/v1/workforce/queues"),
  })
const useShifts = () =>
  useQuery({
    queryKey: ["workforce", "shifts", getCurrentOrg()],
    queryFn: () => api<{ items: Shift[] }>("/api/v1/workforce/shifts"),
  })

/** The editable numbers of a queue as the form shows them (percentages as percentages). */
interface Draft {
  model: Queue["model"]
  level: string
  seconds: string
  aht: string
  patience: string
  concurrency: string
  shrinkage: string
  surge: string
}
const toDraft = (q: Queue): Draft => ({
  model: q.model,
  level: String(Math.round(q.targetLevel * 1000) / 10),
  seconds: String(q.targetSeconds),
  aht: String(q.ahtSeconds),
  patience: q.patienceSeconds === null ? "" : String(q.patienceSeconds),
  concurrency: String(q.concurrency),
  shrinkage: String(Math.round(q.shrinkage * 1000) / 10),
  surge: String(Math.round(q.surgeThreshold * 1000) / 10),
})
/** The body the API takes; a field that is not a number goes as NaN's JSON (null) and comes back as a 400 naming it. */
const fromDraft = (q: Queue, d: Draft) => {
  const n = (s: string) => (s.trim() === "" ? Number.NaN : Number(s))
  return {
    channel: q.channel,
    team: q.team,
    model: d.model,
    targetLevel: n(d.level) / 100,
    targetSeconds: n(d.seconds),
    ahtSeconds: n(d.aht),
    patienceSeconds: d.patience.trim() === "" ? null : n(d.patience),
    concurrency: n(d.concurrency),
    shrinkage: n(d.shrinkage) / 100,
    surgeThreshold: n(d.surge) / 100,
  }
}

const QueueRow = ({ q, canEdit }: { q: ListedQueue; canEdit: boolean }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const client = useQueryClient()
  const [draft, setDraft] = useState<Draft>(() => toDraft(q))
  const save = useMutation({
    mutationFn: () => api<Queue>("/api/v1/workforce/queues", { method: "PUT", body: fromDraft(q, draft) }),
    onSuccess: () => {
      toast(t("common.saved"))
      void client.invalidateQueries({ queryKey: ["workforce"] })
    },
  })
  const error = save.error instanceof ApiError ? save.error : undefined
  const input = (key: keyof Omit<Draft, "model">, field: string) => (
    <td>
      <input
        type="number"
        className="t-input"
        aria-label={t(`workforce.settings.columns.${key}`)}
        value={draft[key]}
        disabled={!canEdit}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        style={{ width: "100%", minWidth: 56, maxWidth: 88 }}
        aria-invalid={error?.field(field) ? true : undefined}
      />
      {error?.field(field) ? <div className="t-error-text">{error.field(field)}</div> : null}
    </td>
  )
  const h = q.handling
  return (
    <tr data-testid={`queue-${queueKey(q)}`}>
      <td>
        {q.channel} · {q.team || t("workforce.noTeam")}
        {!q.saved ? <div className="t-hint">{t("workforce.settings.defaults")}</div> : null}
      </td>
      <td>
        <select
          className="t-input"
          aria-label={t("workforce.settings.columns.model")}
          value={draft.model}
          disabled={!canEdit}
          onChange={(e) => setDraft({ ...draft, model: e.target.value as Draft["model"] })}
          style={{ width: "100%", minWidth: 96, maxWidth: 160 }}
        >
          {MODELS.map((m) => (
            <option key={m} value={m}>
              {t(`workforce.models.${m}`)}
            </option>
          ))}
        </select>
      </td>
      {input("level", "targetLevel")}
      {input("seconds", "targetSeconds")}
      {input("aht", "ahtSeconds")}
      <td className="t-hint">
        {h.measuredSeconds === null
          ? "—"
          : t("workforce.settings.measured", {
              seconds: h.measuredSeconds,
              n: h.n,
              used:
                h.source === "history"
                  ? t("workforce.settings.used")
                  : t("workforce.settings.tooFew", { min: MIN_AHT_SAMPLE }),
            })}
      </td>
      {input("patience", "patienceSeconds")}
      {input("concurrency", "concurrency")}
      {input("shrinkage", "shrinkage")}
      {input("surge", "surgeThreshold")}
      <td>
        {canEdit ? (
          <Button type="button" onClick={() => save.mutate()} disabled={save.isPending}>
            {save.isPending ? t("common.saving") : t("common.save")}
          </Button>
        ) : null}
        {error && !error.fieldErrors.length ? (
          <div className="t-error-text">{error.detail ?? error.title}</div>
        ) : null}
      </td>
    </tr>
  )
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0] as const

const ShiftForm = () => {
  const { t, i18n } = useTranslation()
  const toast = useToast()
  const client = useQueryClient()
  const teams = useTeams()
  const members = useMembers()
  const [form, setForm] = useState({
    teamId: "",
    userId: "",
    weekdays: [1, 2, 3, 4, 5] as number[],
    startTime: "09:00",
    endTime: "18:00",
    validFrom: new Date().toISOString().slice(0, 10),
    validTo: "",
    offOnHolidays: true,
  })
  const save = useMutation({
    mutationFn: () =>
      api<Shift>("/api/v1/workforce/shifts", {
        method: "POST",
        body: { ...form, validTo: form.validTo === "" ? null : form.validTo },
      }),
    onSuccess: () => {
      toast(t("common.saved"))
      void client.invalidateQueries({ queryKey: ["workforce"] })
    },
  })
  const error = save.error instanceof ApiError ? save.error : undefined
  const lang = i18n.language === "en" ? "en" : "zh-CN"
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  const label = (text: string, field: string, child: React.ReactNode) => (
    <div style={{ display: "grid", gap: 4 }}>
      <label className="t-hint" htmlFor={`shift-${field}`}>
        {text}
      </label>
      {child}
      {error?.field(field) ? <span className="t-error-text">{error.field(field)}</span> : null}
    </div>
  )
  return (
    <form onSubmit={submit} data-testid="shift-form">
      <div className="toolbar" style={{ flexWrap: "wrap", gap: 12, alignItems: "end" }}>
        {label(
          t("workforce.settings.shift.team"),
          "teamId",
          <select
            id="shift-teamId"
            value={form.teamId}
            onChange={(e) => setForm({ ...form, teamId: e.target.value })}
          >
            <option value="">—</option>
            {(teams.data?.items ?? []).map((x) => (
              <option key={x.id} value={x.id}>
                {x.name[lang] || x.id}
              </option>
            ))}
          </select>,
        )}
        {label(
          t("workforce.settings.shift.person"),
          "userId",
          <select
            id="shift-userId"
            value={form.userId}
            onChange={(e) => setForm({ ...form, userId: e.target.value })}
          >
            <option value="">—</option>
            {(members.data?.items ?? []).map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name}
              </option>
            ))}
          </select>,
        )}
        {label(
          t("workforce.settings.shift.weekdays"),
          "weekdays",
          <span id="shift-weekdays" style={{ display: "flex", gap: 6 }}>
            {WEEKDAYS.map((d) => (
              <label key={d} style={{ display: "flex", gap: 2, alignItems: "center" }}>
                <input
                  type="checkbox"
                  checked={form.weekdays.includes(d)}
                  onChange={(e) =>
                    setForm({
                      ...form,
                      weekdays: e.target.checked
                        ? [...form.weekdays, d].sort()
                        : form.weekdays.filter((x) => x !== d),
                    })
                  }
                />
                {t(`workforce.settings.weekdays.${d}`)}
              </label>
            ))}
          </span>,
        )}
        {label(
          t("workforce.settings.shift.start"),
          "startTime",
          <input
            id="shift-startTime"
            type="time"
            value={form.startTime}
            onChange={(e) => setForm({ ...form, startTime: e.target.value })}
          />,
        )}
        {label(
          t("workforce.settings.shift.end"),
          "endTime",
          <input
            id="shift-endTime"
            type="time"
            value={form.endTime}
            onChange={(e) => setForm({ ...form, endTime: e.target.value })}
          />,
        )}
        {label(
          t("workforce.settings.shift.validFrom"),
          "validFrom",
          <input
            id="shift-validFrom"
            type="date"
            value={form.validFrom}
            onChange={(e) => setForm({ ...form, validFrom: e.target.value })}
          />,
        )}
        {label(
          t("workforce.settings.shift.validTo"),
          "validTo",
          <input
            id="shift-validTo"
            type="date"
            value={form.validTo}
            onChange={(e) => setForm({ ...form, validTo: e.target.value })}
          />,
        )}
        <label style={{ display: "flex", gap: 4, alignItems: "center" }}>
          <input
            type="checkbox"
            checked={form.offOnHolidays}
            onChange={(e) => setForm({ ...form, offOnHolidays: e.target.checked })}
          />
          {t("workforce.settings.shift.offOnHolidays")}
        </label>
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {t("workforce.settings.shift.add")}
        </Button>
      </div>
      {error && !error.fieldErrors.length ? (
        <Callout tone="bad">{error.detail ?? error.title}</Callout>
      ) : null}
    </form>
  )
}

export const QueueSettingsPage = () => {
  const { t, i18n } = useTranslation()
  const session = useSession()
  const client = useQueryClient()
  const toast = useToast()
  const queues = useQueues()
  const shifts = useShifts()
  const teams = useTeams()
  const members = useMembers()
  const remove = useMutation({
    mutationFn: (id: string) =>
      api(`/api/v1/workforce/shifts/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => {
      toast(t("workforce.settings.shift.removed"))
      void client.invalidateQueries({ queryKey: ["workforce"] })
    },
  })
  const canManage = session.can("workforce:manage")
  const canWrite = session.can("workforce:write")
  const exportLabels = useExportLabels()
  const lang = i18n.language === "en" ? "en" : "zh-CN"
  const teamName = (id: string) => teams.data?.items.find((x) => x.id === id)?.name[lang] || id
  const person = (id: string) => members.data?.items.find((m) => m.userId === id)?.name ?? id
  return (
    <div style={{ display: "grid", gap: 16, gridTemplateColumns: "minmax(0, 1fr)" }}>
      <Card title={t("workforce.settings.queuesTitle")}>
        <p className="t-hint">{t("workforce.settings.queuesHint", { min: MIN_AHT_SAMPLE })}</p>
        <ExportLinks
          url="/api/v1/workforce/queues"
          columns={[
            ["channel", t("workforce.table.channel"), exportLabels("channels") ?? {}],
            ["team", t("workforce.table.team")],
            ["model", t("workforce.settings.columns.model")],
            ["targetLevel", t("workforce.settings.columns.level")],
            ["targetSeconds", t("workforce.settings.columns.seconds")],
            ["ahtSeconds", t("workforce.settings.columns.aht")],
            ["handling.measuredSeconds", t("workforce.settings.columns.measured")],
            ["handling.n", "n"],
            ["patienceSeconds", t("workforce.settings.columns.patience")],
            ["concurrency", t("workforce.settings.columns.concurrency")],
            ["shrinkage", t("workforce.settings.columns.shrinkage")],
            ["surgeThreshold", t("workforce.settings.columns.surge")],
          ]}
        />
        {!canManage ? <Callout>{t("common.forbidden")}</Callout> : null}
        {queues.isLoading ? (
          <Skeleton height={160} />
        ) : queues.error ? (
          <Callout tone="bad">{t("workforce.loadError")}</Callout>
        ) : !queues.data?.items.length ? (
          <EmptyState title={t("workforce.empty")} />
        ) : (
          // fits its card: headers wrap, inputs shrink with their column; scrolls only on a narrow screen
          <div style={{ overflowX: "auto" }}>
            <table className="t-table wf-queues" data-testid="workforce-queues">
              <thead>
                <tr>
                  <th>{t("workforce.settings.columns.queue")}</th>
                  <th>{t("workforce.settings.columns.model")}</th>
                  <th>{t("workforce.settings.columns.level")}</th>
                  <th>{t("workforce.settings.columns.seconds")}</th>
                  <th>{t("workforce.settings.columns.aht")}</th>
                  <th>{t("workforce.settings.columns.measured")}</th>
                  <th>{t("workforce.settings.columns.patience")}</th>
                  <th>{t("workforce.settings.columns.concurrency")}</th>
                  <th>{t("workforce.settings.columns.shrinkage")}</th>
                  <th>{t("workforce.settings.columns.surge")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {queues.data.items.map((q) => (
                  <QueueRow
                    key={`${queueKey(q)}:${q.saved}:${q.ahtSeconds}:${q.model}`}
                    q={q}
                    canEdit={canManage}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title={t("workforce.settings.shiftsTitle")}>
        <p className="t-hint">{t("workforce.settings.shiftsHint")}</p>
        <ExportLinks
          url="/api/v1/workforce/shifts"
          columns={[
            ["teamId", t("workforce.settings.shift.team")],
            ["userId", t("workforce.settings.shift.person"), "user"],
            ["weekdays", t("workforce.settings.shift.weekdays")],
            ["startTime", t("workforce.settings.shift.start")],
            ["endTime", t("workforce.settings.shift.end")],
            ["validFrom", t("workforce.settings.shift.validFrom")],
            ["validTo", t("workforce.settings.shift.validTo")],
            ["offOnHolidays", t("workforce.settings.shift.offOnHolidays")],
          ]}
        />
        {canWrite ? <ShiftForm /> : <Callout>{t("common.forbidden")}</Callout>}
        {shifts.isLoading ? (
          <Skeleton height={120} />
        ) : !shifts.data?.items.length ? (
          <EmptyState title={t("workforce.settings.shift.empty")} />
        ) : (
          <table className="t-table" data-testid="workforce-shifts">
            <thead>
              <tr>
                <th>{t("workforce.settings.shift.team")}</th>
                <th>{t("workforce.settings.shift.person")}</th>
                <th>{t("workforce.settings.shift.weekdays")}</th>
                <th>{t("workforce.settings.shift.hours")}</th>
                <th>{t("workforce.settings.shift.valid")}</th>
                <th>{t("workforce.settings.shift.offOnHolidays")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {shifts.data.items.map((s) => (
                <tr key={s.id}>
                  <td>{teamName(s.teamId)}</td>
                  <td>{person(s.userId)}</td>
                  <td>
                    {WEEKDAYS.filter((d) => s.weekdays.includes(d))
                      .map((d) => t(`workforce.settings.weekdays.${d}`))
                      .join(" ")}
                  </td>
                  <td>
                    {s.startTime}–{s.endTime}
                  </td>
                  <td>
                    {s.validFrom} – {s.validTo ?? t("workforce.settings.shift.open")}
                  </td>
                  <td>{s.offOnHolidays ? t("common.yes") : t("common.no")}</td>
                  <td>
                    {canWrite ? (
                      <Button type="button" onClick={() => remove.mutate(s.id)} disabled={remove.isPending}>
                        {t("workforce.settings.shift.remove")}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  )
}
