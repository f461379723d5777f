/**
 * Create or edit a contingency plan: title and scenario, severity tiers (named in both languages), steps
 * with a role and a time limit, triggers (by hand, or a KRI turning red at a tier), backup channels and
 * contacts. Rows are added and removed in place and keep their ids when edited (an activation's timeline
 * names its steps by id); every error the API names is shown with the row it belongs to.
 */
import { Button, Callout, FieldRow, SelectField, TextField, useToast } from "@tenet/ui"
import { type ReactNode, useState } from "react"
import { useTranslation } from "react-i18next"
import { type ApiError, issueText } from "../../api/client"
import { errorOf, FormDialog, useRiskPost } from "./Forms"
import { type Plan, useKris } from "./model"

const SCENARIOS = [
  "system_failure",
  "service_interruption",
  "demand_surge",
  "urgent_customer_need",
  "other",
] as const
type Scenario = (typeof SCENARIOS)[number]
const ROLES = ["owner", "admin", "supervisor", "qa_analyst", "agent"] as const

interface Tier {
  id: string
  zh: string
  en: string
  criteria: string
}
interface Step {
  id: string
  title: string
  role: string
  limitMinutes: string
  tiers?: string[] | undefined
}
interface Trigger {
  kind: "manual" | "kri"
  description: string
  kriId: string
  tier: string
}
type Channel = Plan["channels"][number]
interface Contact {
  name: string
  role: string
  phone: string
  email: string
}

/** The first id of the form `t1`, `t2`… that no row has. */
const freshId = (prefix: string, rows: ReadonlyArray<{ id: string }>) => {
  let n = rows.length + 1
  while (rows.some((r) => r.id === `${prefix}${n}`)) n++
  return `${prefix}${n}`
}

interface Draft {
  title: string
  scenario: Scenario
  tiers: Tier[]
  steps: Step[]
  triggers: Trigger[]
  channels: Channel[]
  contacts: Contact[]
}

/** The form's rows: a new plan's starting rows, or an existing plan's. */
const draftOf = (p: Plan | undefined): Draft => ({
  title: p?.title ?? "",
  scenario: (p?.scenario ?? "system_failure") as Scenario,
  tiers: p
    ? p.tiers.map((x) => ({ id: x.id, zh: x.name["zh-CN"] ?? "", en: x.name.en ?? "", criteria: x.criteria }))
    : ([{ id: "t1", zh: "", en: "", criteria: "" }] as Tier[]),
  steps: p
    ? p.steps.map((s) => ({ ...s, limitMinutes: String(s.limitMinutes) }))
    : ([{ id: "s1", title: "", role: "supervisor", limitMinutes: "15" }] as Step[]),
  triggers: p
    ? p.triggers.map((x) => ({
        kind: x.kind,
        description: x.description,
        kriId: x.kriId ?? "",
        tier: x.tier ?? "",
      }))
    : ([{ kind: "manual", description: "", kriId: "", tier: "" }] as Trigger[]),
  channels: p ? [...p.channels] : ([] as Channel[]),
  contacts: p
    ? p.contacts.map((c) => ({ name: c.name, role: c.role, phone: c.phone ?? "", email: c.email ?? "" }))
    : ([] as Contact[]),
})

/** Two fields a line: the dialog is narrow (and a phone narrower). */
const ROW = {
  display: "grid",
  gap: 6,
  alignItems: "end",
  gridTemplateColumns: "repeat(2, minmax(0, 1fr))",
  borderBottom: "1px dashed var(--t-border, #ddd)",
  paddingBottom: 6,
  marginBottom: 6,
} as const

/** A list of rows, each with a remove button, and an add button below. */
const Rows = <T,>(props: {
  legend: string
  rows: T[]
  onChange: (rows: T[]) => void
  empty: (rows: T[]) => T
  add: string
  render: (row: T, set: (v: Partial<T>) => void, n: number) => ReactNode
}) => {
  const { t } = useTranslation()
  return (
    <fieldset
      style={{ border: "1px solid var(--t-border, #ddd)", borderRadius: 6, padding: 8, margin: "8px 0" }}
    >
      <legend className="t-label">{props.legend}</legend>
      {props.rows.map((row, i) => (
        <div key={i} style={ROW}>
          {props.render(
            row,
            (v) => props.onChange(props.rows.map((r, j) => (j === i ? { ...r, ...v } : r))),
            i + 1,
          )}
          <Button
            type="button"
            aria-label={t("risk.planForm.remove")}
            onClick={() => props.onChange(props.rows.filter((_, j) => j !== i))}
          >
            ×
          </Button>
        </div>
      ))}
      <Button type="button" onClick={() => props.onChange([...props.rows, props.empty(props.rows)])}>
        {props.add}
      </Button>
    </fieldset>
  )
}

/** The API's field errors in the reader's language, each with the row it is about ("步骤 2 · …"). */
const PlanProblems = ({ error }: { error: ApiError | undefined }) => {
  const { t } = useTranslation()
  if (!error?.fieldErrors.some((e) => e.path !== "/title")) return null
  const where = (path: string) => {
    const m = /^\/(tiers|steps|triggers|channels|contacts)\/(\d+)/.exec(path)
    return m ? `${t(`risk.planForm.${m[1]}`)} ${Number(m[2]) + 1} · ` : ""
  }
  return (
    <Callout tone="bad">
      {error.fieldErrors
        .filter((e) => e.path !== "/title")
        .map((e) => `${where(e.path)}${issueText(e)}`)
        .join("；")}
    </Callout>
  )
}

/** New plan (no `plan`) or edit one: the button and its dialog. */
const PlanButton = ({ plan }: { plan?: Plan | undefined }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const kris = useKris()
  const [open, setOpen] = useState(false)
  const [f, setF] = useState<Draft>(() => draftOf(plan))
  const save = useRiskPost<Record<string, unknown>>(
    plan ? `/api/v1/risk/plans/${plan.id}` : "/api/v1/risk/plans",
    () => {
      toast(t(plan ? "risk.planForm.saved" : "risk.planForm.created"))
      setOpen(false)
    },
    plan ? "PATCH" : "POST",
  )
  const error = errorOf(save.error)
  const minutes = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v) : Number.NaN)
  const opt = (v: string) => (v.trim() ? v.trim() : undefined)
  const submit = () =>
    save.mutate({
      title: f.title,
      scenario: f.scenario,
      tiers: f.tiers.map((x) => ({
        id: x.id,
        name: { "zh-CN": x.zh, en: x.en || x.zh },
        criteria: x.criteria,
      })),
      steps: f.steps.map((x) => ({
        id: x.id,
        title: x.title,
        role: x.role,
        limitMinutes: minutes(x.limitMinutes),
        ...(x.tiers ? { tiers: x.tiers } : {}),
      })),
      triggers: f.triggers.map((x) => ({
        kind: x.kind,
        description: x.description,
        ...(x.kind === "kri" ? { kriId: x.kriId || kris.data?.items[0]?.id || "" } : {}),
        ...(x.kind === "kri" && x.tier ? { tier: x.tier } : {}),
      })),
      channels: f.channels,
      contacts: f.contacts.map((c) => ({
        name: c.name,
        role: c.role,
        ...(opt(c.phone) ? { phone: opt(c.phone) } : {}),
        ...(opt(c.email) ? { email: opt(c.email) } : {}),
      })),
    })
  const label = plan ? t("risk.planForm.edit") : t("risk.planForm.new")
  return (
    <>
      <Button
        variant={plan ? "default" : "primary"}
        onClick={() => {
          setF(draftOf(plan))
          save.reset()
          setOpen(true)
        }}
      >
        {label}
      </Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={plan ? t("risk.planForm.editTitle", { plan: plan.title }) : label}
        submit={t("risk.forms.save")}
        busy={save.isPending}
        error={error}
        onSubmit={submit}
      >
        <FieldRow>
          <TextField
            label={t("risk.planForm.title")}
            error={error?.field("title")}
            value={f.title}
            onChange={(title) => setF({ ...f, title })}
          />
          <SelectField
            label={t("risk.planForm.scenario")}
            value={f.scenario}
            onChange={(scenario) => setF({ ...f, scenario })}
            options={SCENARIOS.map((s) => ({ value: s, label: t(`risk.plans.scenario.${s}`) }))}
          />
        </FieldRow>
        <Rows
          legend={t("risk.plans.tiers")}
          rows={f.tiers}
          onChange={(tiers) => setF({ ...f, tiers })}
          empty={(rows) => ({ id: freshId("t", rows), zh: "", en: "", criteria: "" })}
          add={t("risk.planForm.addTier")}
          render={(x, set, n) => (
            <>
              <TextField
                label={t("risk.planForm.tierZh", { n })}
                value={x.zh}
                onChange={(zh) => set({ zh })}
              />
              <TextField
                label={t("risk.planForm.tierEn", { n })}
                value={x.en}
                onChange={(en) => set({ en })}
              />
              <TextField
                label={t("risk.planForm.criteria", { n })}
                value={x.criteria}
                onChange={(criteria) => set({ criteria })}
              />
            </>
          )}
        />
        <Rows
          legend={t("risk.plans.steps")}
          rows={f.steps}
          onChange={(steps) => setF({ ...f, steps })}
          empty={(rows) => ({ id: freshId("s", rows), title: "", role: "supervisor", limitMinutes: "30" })}
          add={t("risk.planForm.addStep")}
          render={(x, set, n) => (
            <>
              <TextField
                label={t("risk.planForm.stepTitle", { n })}
                value={x.title}
                onChange={(title) => set({ title })}
              />
              <SelectField
                label={t("risk.planForm.role", { n })}
                value={x.role}
                onChange={(role) => set({ role })}
                options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
              />
              <TextField
                label={t("risk.planForm.limit", { n })}
                inputMode="numeric"
                value={x.limitMinutes}
                onChange={(limitMinutes) => set({ limitMinutes })}
              />
            </>
          )}
        />
        <Rows
          legend={t("risk.planForm.triggers")}
          rows={f.triggers}
          onChange={(triggers) => setF({ ...f, triggers })}
          empty={(): Trigger => ({ kind: "manual", description: "", kriId: "", tier: "" })}
          add={t("risk.planForm.addTrigger")}
          render={(x, set, n) => (
            <>
              <SelectField
                label={t("risk.planForm.triggerKind", { n })}
                value={x.kind}
                onChange={(kind) => set({ kind })}
                options={[
                  { value: "manual", label: t("risk.planForm.manual") },
                  { value: "kri", label: t("risk.planForm.kri") },
                ]}
              />
              <TextField
                label={t("risk.planForm.triggerText", { n })}
                value={x.description}
                onChange={(description) => set({ description })}
              />
              {x.kind === "kri" ? (
                <>
                  <SelectField
                    label={t("risk.planForm.whichKri", { n })}
                    value={x.kriId}
                    onChange={(kriId) => set({ kriId })}
                    options={(kris.data?.items ?? []).map((k) => ({ value: k.id, label: k.name }))}
                  />
                  <SelectField
                    label={t("risk.planForm.atTier", { n })}
                    value={x.tier}
                    onChange={(tier) => set({ tier })}
                    options={f.tiers.map((tr) => ({ value: tr.id, label: tr.zh || tr.en || tr.id }))}
                  />
                </>
              ) : null}
            </>
          )}
        />
        <Rows
          legend={t("risk.plans.channels")}
          rows={f.channels}
          onChange={(channels) => setF({ ...f, channels })}
          empty={() => ({ channel: "", instead: "", how: "" })}
          add={t("risk.planForm.addChannel")}
          render={(x, set, n) => (
            <>
              <TextField
                label={t("risk.planForm.channel", { n })}
                value={x.channel}
                onChange={(channel) => set({ channel })}
              />
              <TextField
                label={t("risk.planForm.instead", { n })}
                value={x.instead}
                onChange={(instead) => set({ instead })}
              />
              <TextField
                label={t("risk.planForm.how", { n })}
                value={x.how}
                onChange={(how) => set({ how })}
              />
            </>
          )}
        />
        <Rows
          legend={t("risk.plans.contacts")}
          rows={f.contacts}
          onChange={(contacts) => setF({ ...f, contacts })}
          empty={() => ({ name: "", role: "", phone: "", email: "" })}
          add={t("risk.planForm.addContact")}
          render={(x, set, n) => (
            <>
              <TextField
                label={t("risk.planForm.contactName", { n })}
                value={x.name}
                onChange={(name) => set({ name })}
              />
              <TextField
                label={t("risk.planForm.contactRole", { n })}
                value={x.role}
                onChange={(role) => set({ role })}
              />
              <TextField
                label={t("risk.planForm.phone", { n })}
                value={x.phone}
                onChange={(phone) => set({ phone })}
              />
              <TextField
                label={t("risk.planForm.email", { n })}
                value={x.email}
                onChange={(email) => set({ email })}
              />
            </>
          )}
        />
        <PlanProblems error={error} />
      </FormDialog>
    </>
  )
}

export const NewPlanButton = () => <PlanButton />
export const EditPlanButton = ({ plan }: { plan: Plan }) => <PlanButton plan={plan} />
