/**
 * The dispatch rules: which resolved cases are asked which survey, and when. Each rule filters cases
 * by type, channel, segment and team, samples a share of them, waits a delay after resolution (quiet
 * hours move the send to the next opening of the calendar), gives up after a window, and asks a
 * customer at most once in N days. Rules are tried in order; the first that matches sends.
 */
import {
  Badge,
  Button,
  Callout,
  Card,
  Dialog,
  DialogActions,
  ErrorState,
  Field,
  Input,
  Select,
  Skeleton,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, problemText } from "../../api/client"
import { type DispatchRule, useRules, useSaveRule, useSurveys } from "../../api/feedback"
import { ExportLinks } from "../../components/ExportLinks"
import { useSession } from "../../session"

const CASE_TYPES = ["inquiry", "problem", "complaint", "request"] as const
const CHANNELS = ["phone", "email", "chat", "web_form", "social", "on_site", "video", "api"] as const
const SEGMENTS = ["new", "existing", "vip", "regular"] as const

/** The form's state: numbers as the inputs hold them, the sampling rate in percent. */
interface Draft {
  id?: string | undefined
  name: string
  surveyId: string
  enabled: boolean
  position: number
  delayMinutes: string
  withinHours: string
  expiryDays: string
  caseTypes: string[]
  channels: string[]
  segments: string[]
  teams: string
  samplePercent: string
  capDays: string
  quietHours: boolean
}

const EMPTY: Draft = {
  name: "",
  surveyId: "",
  enabled: true,
  position: 0,
  delayMinutes: "60",
  withinHours: "24",
  expiryDays: "14",
  caseTypes: [],
  channels: [],
  segments: [],
  teams: "",
  samplePercent: "100",
  capDays: "30",
  quietHours: true,
}

const toDraft = (r: DispatchRule): Draft => ({
  id: r.id,
  name: r.name,
  surveyId: r.surveyId,
  enabled: r.enabled ?? true,
  position: r.position ?? 0,
  delayMinutes: String(r.delayMinutes ?? 60),
  withinHours: String(r.withinHours ?? 24),
  expiryDays: String(r.expiryDays ?? 14),
  caseTypes: [...(r.caseTypes ?? [])],
  channels: [...(r.channels ?? [])],
  segments: [...(r.segments ?? [])],
  teams: (r.teams ?? []).join(", "),
  samplePercent: String(Math.round((r.sampleRate ?? 1) * 1000) / 10),
  capDays: String(r.capDays ?? 30),
  quietHours: r.quietHours ?? true,
})

/** An input's number; an empty or unreadable one is sent as null and answered with the field's error. */
const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s))

/** The rule as the API takes it. */
const toBody = (d: Draft) => ({
  ...(d.id ? { id: d.id } : {}),
  name: d.name.trim(),
  surveyId: d.surveyId,
  enabled: d.enabled,
  position: d.position,
  delayMinutes: num(d.delayMinutes),
  withinHours: num(d.withinHours),
  expiryDays: num(d.expiryDays),
  caseTypes: d.caseTypes,
  channels: d.channels,
  segments: d.segments,
  teams: d.teams
    .split(/[,，\n]/)
    .map((s) => s.trim())
    .filter(Boolean),
  sampleRate: num(d.samplePercent) / 100,
  capDays: num(d.capDays),
  quietHours: d.quietHours,
})

export const RulesView = () => {
  const { t } = useTranslation()
  const session = useSession()
  const canManage = session.can("feedback:manage")
  const rules = useRules()
  const surveys = useSurveys()
  const save = useSaveRule()
  const toast = useToast()
  const [editing, setEditing] = useState<Draft | null>(null)
  const surveyName = (id: string) => surveys.data?.items.find((s) => s.id === id)?.name ?? id
  if (rules.isLoading) return <Skeleton height={160} />
  if (rules.isError || !rules.data)
    return (
      <ErrorState
        title={t("common.errorTitle")}
        onRetry={() => void rules.refetch()}
        retryLabel={t("common.retry")}
      />
    )
  const filters = (r: DispatchRule) => {
    const parts = [
      ...(r.caseTypes?.length
        ? [r.caseTypes.map((x) => t(`caseTypes.${x}`, { defaultValue: x })).join("、")]
        : []),
      ...(r.channels?.length
        ? [r.channels.map((x) => t(`channels.${x}`, { defaultValue: x })).join("、")]
        : []),
      ...(r.segments?.length
        ? [r.segments.map((x) => t(`segments.${x}`, { defaultValue: x })).join("、")]
        : []),
      ...(r.teams?.length ? [r.teams.join("、")] : []),
    ]
    return parts.length ? parts.join(" · ") : t("feedback.rules.allCases")
  }
  return (
    <Card title={t("feedback.rules.title")}>
      <p className="t-hint" style={{ marginTop: 0 }}>
        {t("feedback.rules.note")}
      </p>
      {canManage ? (
        <p>
          <Button
            variant="primary"
            onClick={() =>
              setEditing({
                ...EMPTY,
                surveyId: surveys.data?.items.find((s) => s.publishedVersion)?.id ?? "",
                position: rules.data.items.length,
              })
            }
          >
            {t("feedback.rules.add")}
          </Button>
        </p>
      ) : null}
      {rules.data.items.length === 0 ? (
        <p className="t-hint">{t("feedback.rules.none")}</p>
      ) : (
        <div className="scroll-x">
          <ExportLinks
            url="/api/v1/feedback/rules"
            columns={[
              ["name", t("feedback.rules.name")],
              ["surveyId", t("feedback.rules.survey")],
              ["caseTypes", t("feedback.rules.fields.caseTypes")],
              ["channels", t("feedback.rules.fields.channels")],
              ["segments", t("feedback.rules.fields.segments")],
              ["teams", t("feedback.rules.fields.teams")],
              ["delayMinutes", t("feedback.rules.fields.delayMinutes")],
              ["withinHours", t("feedback.rules.fields.withinHours")],
              ["sampleRate", t("feedback.rules.sampling")],
              ["capDays", t("feedback.rules.fields.capDays")],
              ["quietHours", t("feedback.rules.fields.quietHours")],
              ["enabled", t("feedback.rules.state")],
            ]}
          />
          <table className="t-table" data-testid="survey-rules">
            <thead>
              <tr>
                <th>{t("feedback.rules.name")}</th>
                <th>{t("feedback.rules.survey")}</th>
                <th>{t("feedback.rules.filters")}</th>
                <th>{t("feedback.rules.when")}</th>
                <th>{t("feedback.rules.sampling")}</th>
                <th>{t("feedback.rules.state")}</th>
                {canManage ? <th aria-label={t("feedback.rules.actions")} /> : null}
              </tr>
            </thead>
            <tbody>
              {rules.data.items.map((r) => (
                <tr key={r.id}>
                  <td>{r.name}</td>
                  <td>{surveyName(r.surveyId)}</td>
                  <td>{filters(r)}</td>
                  <td>
                    {t("feedback.rules.whenText", {
                      delay: r.delayMinutes ?? 60,
                      within: r.withinHours ?? 24,
                    })}
                    {r.quietHours ? ` · ${t("feedback.rules.quietOn")}` : ""}
                  </td>
                  <td>
                    {t("feedback.rules.samplingText", {
                      rate: `${Math.round((r.sampleRate ?? 1) * 1000) / 10}%`,
                    })}
                    {" · "}
                    {r.capDays
                      ? t("feedback.rules.capText", { count: r.capDays })
                      : t("feedback.rules.noCap")}
                  </td>
                  <td>
                    {r.enabled ? (
                      <Badge tone="ok">✓ {t("feedback.rules.enabled")}</Badge>
                    ) : (
                      <Badge>○ {t("feedback.rules.disabled")}</Badge>
                    )}
                  </td>
                  {canManage ? (
                    <td style={{ whiteSpace: "nowrap" }}>
                      <Button size="sm" onClick={() => setEditing(toDraft(r))}>
                        {t("feedback.rules.edit")}
                      </Button>{" "}
                      <Button
                        size="sm"
                        variant="ghost"
                        disabled={save.isPending}
                        onClick={() =>
                          save.mutate(toBody({ ...toDraft(r), enabled: !r.enabled }), {
                            onSuccess: () =>
                              toast(
                                r.enabled
                                  ? t("feedback.rules.disabledToast", { name: r.name })
                                  : t("feedback.rules.enabledToast", { name: r.name }),
                              ),
                            onError: (e) => toast(problemText(e), "bad"),
                          })
                        }
                      >
                        {r.enabled ? t("feedback.rules.disable") : t("feedback.rules.enable")}
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <RuleDialog draft={editing} onClose={() => setEditing(null)} />
    </Card>
  )
}

const Checks = ({
  legend,
  values,
  label,
  selected,
  onChange,
}: {
  legend: string
  values: ReadonlyArray<string>
  label: (v: string) => string
  selected: string[]
  onChange: (next: string[]) => void
}) => {
  const { t } = useTranslation()
  // values saved earlier that the list does not know stay selectable
  const all = [...values, ...selected.filter((s) => !values.includes(s))]
  return (
    <fieldset className="t-field" style={{ border: 0, padding: 0, margin: 0 }}>
      <legend className="t-label">{legend}</legend>
      <div style={{ display: "flex", flexWrap: "wrap", gap: "4px 12px" }}>
        {all.map((v) => (
          <label key={v} style={{ display: "inline-flex", gap: 4, alignItems: "center" }}>
            <input
              type="checkbox"
              checked={selected.includes(v)}
              onChange={(e) =>
                onChange(e.target.checked ? [...selected, v] : selected.filter((x) => x !== v))
              }
            />
            {label(v)}
          </label>
        ))}
      </div>
      <span className="t-hint">{selected.length ? "" : t("feedback.rules.anyHint")}</span>
    </fieldset>
  )
}

const RuleDialog = ({ draft, onClose }: { draft: Draft | null; onClose: () => void }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const surveys = useSurveys()
  const save = useSaveRule()
  const [d, setD] = useState<Draft>(draft ?? EMPTY)
  useEffect(() => {
    if (draft) {
      setD(draft)
      save.reset()
    }
  }, [draft])
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }))
  const err = save.error instanceof ApiError ? save.error : undefined
  const FIELDS = [
    "name",
    "surveyId",
    "delayMinutes",
    "withinHours",
    "expiryDays",
    "sampleRate",
    "capDays",
    "teams",
    "caseTypes",
    "channels",
    "segments",
  ]
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate(toBody(d), {
      onSuccess: () => {
        toast(t("feedback.rules.saved", { name: d.name }))
        onClose()
      },
    })
  }
  const numberField = (
    k: "delayMinutes" | "withinHours" | "expiryDays" | "capDays" | "samplePercent",
    api: string,
    hint: string,
  ) => (
    <Field label={t(`feedback.rules.fields.${k}`)} hint={hint} error={err?.field(api)}>
      {(p) => (
        <Input
          {...p}
          type="number"
          inputMode="decimal"
          value={d[k]}
          onChange={(e) => set(k, e.target.value)}
        />
      )}
    </Field>
  )
  return (
    <Dialog
      open={draft !== null}
      onOpenChange={(o) => !o && onClose()}
      title={d.id ? t("feedback.rules.editTitle") : t("feedback.rules.addTitle")}
    >
      <form onSubmit={submit} style={{ display: "grid", gap: 10 }}>
        <Field label={t("feedback.rules.name")} error={err?.field("name")}>
          {(p) => <Input {...p} value={d.name} onChange={(e) => set("name", e.target.value)} />}
        </Field>
        <Field label={t("feedback.rules.survey")} error={err?.field("surveyId")}>
          {(p) => (
            <Select {...p} value={d.surveyId} onChange={(e) => set("surveyId", e.target.value)}>
              <option value="">—</option>
              {(surveys.data?.items ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                  {s.publishedVersion ? "" : ` (${t("feedback.draft")})`}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Checks
          legend={t("feedback.rules.fields.caseTypes")}
          values={CASE_TYPES}
          label={(v) => t(`caseTypes.${v}`, { defaultValue: v })}
          selected={d.caseTypes}
          onChange={(v) => set("caseTypes", v)}
        />
        <Checks
          legend={t("feedback.rules.fields.channels")}
          values={CHANNELS}
          label={(v) => t(`channels.${v}`, { defaultValue: v })}
          selected={d.channels}
          onChange={(v) => set("channels", v)}
        />
        <Checks
          legend={t("feedback.rules.fields.segments")}
          values={SEGMENTS}
          label={(v) => t(`segments.${v}`, { defaultValue: v })}
          selected={d.segments}
          onChange={(v) => set("segments", v)}
        />
        <Field
          label={t("feedback.rules.fields.teams")}
          hint={t("feedback.rules.teamsHint")}
          error={err?.field("teams")}
        >
          {(p) => <Input {...p} value={d.teams} onChange={(e) => set("teams", e.target.value)} />}
        </Field>
        <div
          style={{ display: "grid", gap: 10, gridTemplateColumns: "repeat(auto-fit, minmax(140px, 1fr))" }}
        >
          {numberField("samplePercent", "sampleRate", t("feedback.rules.sampleHint"))}
          {numberField("delayMinutes", "delayMinutes", t("feedback.rules.delayHint"))}
          {numberField("withinHours", "withinHours", t("feedback.rules.withinHint"))}
          {numberField("capDays", "capDays", t("feedback.rules.capHint"))}
          {numberField("expiryDays", "expiryDays", t("feedback.rules.expiryHint"))}
        </div>
        <label style={{ display: "inline-flex", gap: 6, alignItems: "center" }}>
          <input
            type="checkbox"
            checked={d.quietHours}
            onChange={(e) => set("quietHours", e.target.checked)}
          />
          {t("feedback.rules.fields.quietHours")}
        </label>
        <label style={{ display: "inline-flex", gap: 6, alignItems: "center" }}>
          <input type="checkbox" checked={d.enabled} onChange={(e) => set("enabled", e.target.checked)} />
          {t("feedback.rules.enabled")}
        </label>
        {save.error && !(err && FIELDS.some((f) => err.field(f))) ? (
          <Callout tone="bad">{problemText(save.error)}</Callout>
        ) : null}
        <DialogActions>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="primary" disabled={!d.name.trim() || !d.surveyId || save.isPending}>
            {t("common.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
