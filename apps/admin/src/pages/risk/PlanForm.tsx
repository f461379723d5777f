/**
 * Create a contingency plan: title and scenario, severity tiers (named in both languages), steps with a role
 * and a time limit, triggers (by hand, or a KRI turning red at a tier), backup channels and contacts.
 * Rows are added and removed in place; every error the API names is shown with the row it belongs to.
 */
import { Button, Callout, Field, Input, Select, useToast } from "@tenet/ui"
import { type ReactNode, useState } from "react"
import { useTranslation } from "react-i18next"
import { type ApiError, issueText } from "../../api/client"
import { errorOf, FormDialog, useRiskPost } from "./Forms"
import { useKris } from "./model"

const SCENARIOS = [
  "system_failure",
  "service_interruption",
  "demand_surge",
  "urgent_customer_need",
  "other",
] as const
const ROLES = ["owner", "admin", "supervisor", "qa_analyst", "agent"] as const

interface Tier {
  zh: string
  en: string
  criteria: string
}
interface Step {
  title: string
  role: string
  limitMinutes: string
}
interface Trigger {
  kind: "manual" | "kri"
  description: string
  kriId: string
  tier: string
}
interface Channel {
  channel: string
  instead: string
  how: string
}
interface Contact {
  name: string
  role: string
  phone: string
  email: string
}

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
  empty: () => T
  add: string
  render: (row: T, set: (v: Partial<T>) => void, i: number) => ReactNode
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
            i,
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
      <Button type="button" onClick={() => props.onChange([...props.rows, props.empty()])}>
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

export const NewPlanButton = () => {
  const { t } = useTranslation()
  const toast = useToast()
  const kris = useKris()
  const [open, setOpen] = useState(false)
  const initial = () => ({
    title: "",
    scenario: "system_failure" as (typeof SCENARIOS)[number],
    tiers: [{ zh: "", en: "", criteria: "" }] as Tier[],
    steps: [{ title: "", role: "supervisor", limitMinutes: "15" }] as Step[],
    triggers: [{ kind: "manual", description: "", kriId: "", tier: "" }] as Trigger[],
    channels: [] as Channel[],
    contacts: [] as Contact[],
  })
  const [f, setF] = useState(initial)
  const create = useRiskPost<Record<string, unknown>>("/api/v1/risk/plans", () => {
    toast(t("risk.planForm.created"))
    setOpen(false)
  })
  const error = errorOf(create.error)
  const tierId = (i: number) => `t${i + 1}`
  const minutes = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v) : Number.NaN)
  const opt = (v: string) => (v.trim() ? v.trim() : undefined)
  const submit = () =>
    create.mutate({
      title: f.title,
      scenario: f.scenario,
      tiers: f.tiers.map((x, i) => ({
        id: tierId(i),
        name: { "zh-CN": x.zh, en: x.en || x.zh },
        criteria: x.criteria,
      })),
      steps: f.steps.map((x, i) => ({
        id: `s${i + 1}`,
        title: x.title,
        role: x.role,
        limitMinutes: minutes(x.limitMinutes),
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
  return (
    <>
      <Button
        variant="primary"
        onClick={() => {
          setF(initial())
          create.reset()
          setOpen(true)
        }}
      >
        {t("risk.planForm.new")}
      </Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={t("risk.planForm.new")}
        submit={t("risk.forms.save")}
        busy={create.isPending}
        error={error}
        onSubmit={submit}
      >
        <div style={{ display: "grid", gridTemplateColumns: "2fr 1fr", gap: 8 }}>
          <Field label={t("risk.planForm.title")} error={error?.field("title")}>
            {(p) => <Input {...p} value={f.title} onChange={(e) => setF({ ...f, title: e.target.value })} />}
          </Field>
          <Field label={t("risk.planForm.scenario")}>
            {(p) => (
              <Select
                {...p}
                value={f.scenario}
                onChange={(e) => setF({ ...f, scenario: e.target.value as typeof f.scenario })}
              >
                {SCENARIOS.map((s) => (
                  <option key={s} value={s}>
                    {t(`risk.plans.scenario.${s}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <Rows
          legend={t("risk.plans.tiers")}
          rows={f.tiers}
          onChange={(tiers) => setF({ ...f, tiers })}
          empty={() => ({ zh: "", en: "", criteria: "" })}
          add={t("risk.planForm.addTier")}
          render={(x, set, i) => (
            <>
              <Field label={t("risk.planForm.tierZh", { n: i + 1 })}>
                {(p) => <Input {...p} value={x.zh} onChange={(e) => set({ zh: e.target.value })} />}
              </Field>
              <Field label={t("risk.planForm.tierEn", { n: i + 1 })}>
                {(p) => <Input {...p} value={x.en} onChange={(e) => set({ en: e.target.value })} />}
              </Field>
              <Field label={t("risk.planForm.criteria", { n: i + 1 })}>
                {(p) => (
                  <Input {...p} value={x.criteria} onChange={(e) => set({ criteria: e.target.value })} />
                )}
              </Field>
            </>
          )}
        />
        <Rows
          legend={t("risk.plans.steps")}
          rows={f.steps}
          onChange={(steps) => setF({ ...f, steps })}
          empty={() => ({ title: "", role: "supervisor", limitMinutes: "30" })}
          add={t("risk.planForm.addStep")}
          render={(x, set, i) => (
            <>
              <Field label={t("risk.planForm.stepTitle", { n: i + 1 })}>
                {(p) => <Input {...p} value={x.title} onChange={(e) => set({ title: e.target.value })} />}
              </Field>
              <Field label={t("risk.planForm.role", { n: i + 1 })}>
                {(p) => (
                  <Select {...p} value={x.role} onChange={(e) => set({ role: e.target.value })}>
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`roles.${r}`)}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field label={t("risk.planForm.limit", { n: i + 1 })}>
                {(p) => (
                  <Input
                    {...p}
                    inputMode="numeric"
                    value={x.limitMinutes}
                    onChange={(e) => set({ limitMinutes: e.target.value })}
                  />
                )}
              </Field>
            </>
          )}
        />
        <Rows
          legend={t("risk.planForm.triggers")}
          rows={f.triggers}
          onChange={(triggers) => setF({ ...f, triggers })}
          empty={(): Trigger => ({ kind: "manual", description: "", kriId: "", tier: "" })}
          add={t("risk.planForm.addTrigger")}
          render={(x, set, i) => (
            <>
              <Field label={t("risk.planForm.triggerKind", { n: i + 1 })}>
                {(p) => (
                  <Select
                    {...p}
                    value={x.kind}
                    onChange={(e) => set({ kind: e.target.value as Trigger["kind"] })}
                  >
                    <option value="manual">{t("risk.planForm.manual")}</option>
                    <option value="kri">{t("risk.planForm.kri")}</option>
                  </Select>
                )}
              </Field>
              <Field label={t("risk.planForm.triggerText", { n: i + 1 })}>
                {(p) => (
                  <Input
                    {...p}
                    value={x.description}
                    onChange={(e) => set({ description: e.target.value })}
                  />
                )}
              </Field>
              {x.kind === "kri" ? (
                <>
                  <Field label={t("risk.planForm.whichKri", { n: i + 1 })}>
                    {(p) => (
                      <Select {...p} value={x.kriId} onChange={(e) => set({ kriId: e.target.value })}>
                        {(kris.data?.items ?? []).map((k) => (
                          <option key={k.id} value={k.id}>
                            {k.name}
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
                  <Field label={t("risk.planForm.atTier", { n: i + 1 })}>
                    {(p) => (
                      <Select {...p} value={x.tier} onChange={(e) => set({ tier: e.target.value })}>
                        {f.tiers.map((tr, j) => (
                          <option key={tierId(j)} value={j === 0 ? "" : tierId(j)}>
                            {tr.zh || tr.en || tierId(j)}
                          </option>
                        ))}
                      </Select>
                    )}
                  </Field>
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
          render={(x, set, i) => (
            <>
              <Field label={t("risk.planForm.channel", { n: i + 1 })}>
                {(p) => <Input {...p} value={x.channel} onChange={(e) => set({ channel: e.target.value })} />}
              </Field>
              <Field label={t("risk.planForm.instead", { n: i + 1 })}>
                {(p) => <Input {...p} value={x.instead} onChange={(e) => set({ instead: e.target.value })} />}
              </Field>
              <Field label={t("risk.planForm.how", { n: i + 1 })}>
                {(p) => <Input {...p} value={x.how} onChange={(e) => set({ how: e.target.value })} />}
              </Field>
            </>
          )}
        />
        <Rows
          legend={t("risk.plans.contacts")}
          rows={f.contacts}
          onChange={(contacts) => setF({ ...f, contacts })}
          empty={() => ({ name: "", role: "", phone: "", email: "" })}
          add={t("risk.planForm.addContact")}
          render={(x, set, i) => (
            <>
              <Field label={t("risk.planForm.contactName", { n: i + 1 })}>
                {(p) => <Input {...p} value={x.name} onChange={(e) => set({ name: e.target.value })} />}
              </Field>
              <Field label={t("risk.planForm.contactRole", { n: i + 1 })}>
                {(p) => <Input {...p} value={x.role} onChange={(e) => set({ role: e.target.value })} />}
              </Field>
              <Field label={t("risk.planForm.phone", { n: i + 1 })}>
                {(p) => <Input {...p} value={x.phone} onChange={(e) => set({ phone: e.target.value })} />}
              </Field>
              <Field label={t("risk.planForm.email", { n: i + 1 })}>
                {(p) => <Input {...p} value={x.email} onChange={(e) => set({ email: e.target.value })} />}
              </Field>
            </>
          )}
        />
        <PlanProblems error={error} />
      </FormDialog>
    </>
  )
}
