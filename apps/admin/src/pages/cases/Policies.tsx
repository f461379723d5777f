/** SLA policies: the list, the editor and the preview of due times. */
import {
  Badge,
  Button,
  Callout,
  Card,
  Dialog,
  DialogActions,
  Field,
  Input,
  Select,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, issueText } from "../../api/client"
import {
  type CalendarRec,
  type PolicyRec,
  useCalendars,
  usePolicies,
  useUpdatePolicy,
} from "../../api/process"
import { useDurations, useFormat } from "../../format"
import { useSession } from "../../session"
import { draftsOf, EscalationEditor, type StepDraft, stepsOf } from "./EscalationEditor"
import { CHANNELS, CodeOptions, SEGMENTS, useVocabLabel, VocabOptions } from "./shared"

const TARGETS = ["first_response", "initial_record", "next_reply", "resolution", "follow_up"] as const

export const PoliciesPage = () => {
  const { t } = useTranslation()
  const vocabLabel = useVocabLabel()
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
                          `${t(`cases.${k}`, { defaultValue: k })}: ${v!.map((x) => (k === "type" || k === "category" ? vocabLabel(k, x) : t(k === "channel" ? `channels.${x}` : k === "segment" ? `segments.${x}` : "x", { defaultValue: x }))).join(", ")}`,
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
                  .map(
                    (e, i) =>
                      t("policies.escalationLevel", {
                        level: i + 1,
                        action: t(`policies.actions.${e.action}`),
                        time: e.afterSeconds ? duration(e.afterSeconds) : "0",
                      }) +
                      (e.team ? ` → ${e.team}` : "") +
                      ` (${
                        (e.notify ?? ["owner", "team_leader"])
                          .map((n) =>
                            n === "owner"
                              ? t("policies.notifyOwner")
                              : n === "team_leader"
                                ? t("policies.notifyTeamLeader")
                                : t(`roles.${n}`),
                          )
                          .join("、") || t("policies.notifyNobody")
                      })`,
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
    path === "/definition/warnAt" ||
    path.startsWith("/definition/escalations/") ||
    TARGETS.some((x) => path === `/definition/targets/${x}`)
  const [active, setActive] = useState(policy.active)
  const [steps, setSteps] = useState<StepDraft[]>(() => draftsOf(policy.definition.escalations))
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
        definition: {
          ...policy.definition,
          targets,
          calendarId,
          warnAt: Number(warnAt),
          escalations: stepsOf(steps),
        },
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
        <EscalationEditor steps={steps} onChange={setSteps} error={error} />
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
            <VocabOptions kind="type" />
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
