/**
 * A risk's forms: adding one to the register (cause, event, consequence, category, owner, inherent and
 * residual rating, review cadence), rating it again with why — on its own or in an assessment round — and
 * changing its status, owner, existing controls and cadence.
 */
import { Button, CheckboxField, FieldRow, SelectField, TextField, useToast } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useMembers } from "../../api/hooks"
import { errorOf, FormDialog, InstallLibrary, useMatrices, useRiskPost } from "./Forms"
import { loc, type Matrix, type Risk, useCategories } from "./model"

type Place = { likelihood: number; impact: number }

/** Likelihood × impact on a matrix's levels (1 = lowest), named in the reader's language. */
const Cell = (props: {
  matrix: Matrix
  value: Place
  onChange: (v: Place) => void
  label: string
  error?: string | undefined
}) => {
  const { t, i18n } = useTranslation()
  const levels = (axis: "likelihood" | "impact") =>
    props.matrix[axis].map((l, i) => ({
      value: String(i + 1),
      label: `${i + 1} · ${loc(l.name, i18n.language)}`,
    }))
  return (
    <fieldset style={{ border: 0, padding: 0, margin: "8px 0" }}>
      <legend className="t-label">{props.label}</legend>
      <FieldRow>
        <SelectField
          label={t("risk.heat.likelihood")}
          error={props.error}
          value={String(props.value.likelihood)}
          onChange={(v) => props.onChange({ ...props.value, likelihood: Number(v) })}
          options={levels("likelihood")}
        />
        <SelectField
          label={t("risk.heat.impact")}
          value={String(props.value.impact)}
          onChange={(v) => props.onChange({ ...props.value, impact: Number(v) })}
          options={levels("impact")}
        />
      </FieldRow>
    </fieldset>
  )
}

/** Add a risk: cause, event, consequence, category, owner, inherent (and residual) rating. */
export const NewRiskButton = () => {
  const { t, i18n } = useTranslation()
  const toast = useToast()
  const [open, setOpen] = useState(false)
  const cats = useCategories()
  const matrices = useMatrices()
  const members = useMembers()
  const matrix = matrices.data?.items.find((m) => m.isDefault) ?? matrices.data?.items[0]
  const empty = {
    title: "",
    categoryId: "",
    cause: "",
    event: "",
    consequence: "",
    ownerId: "",
    inherent: { likelihood: 1, impact: 1 },
    residual: { likelihood: 1, impact: 1 },
    sameResidual: true,
    reviewCadenceDays: "90",
  }
  const [f, setF] = useState(empty)
  const create = useRiskPost<Record<string, unknown>>("/api/v1/risk/risks", () => {
    toast(t("risk.forms.created"))
    setOpen(false)
    setF(empty)
  })
  const error = errorOf(create.error)
  if (!matrix || !cats.data?.items.length) return <InstallLibrary />
  const text = (k: "title" | "cause" | "event" | "consequence", rows?: number) => (
    <TextField
      label={k === "title" ? t("risk.cols.title") : t(`risk.fields.${k}`)}
      error={error?.field(k)}
      required={!rows}
      rows={rows}
      value={f[k]}
      onChange={(v) => setF({ ...f, [k]: v })}
    />
  )
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        {t("risk.forms.newRisk")}
      </Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={t("risk.forms.newRisk")}
        submit={t("risk.forms.create")}
        busy={create.isPending}
        error={error}
        onSubmit={() =>
          create.mutate({
            title: f.title,
            categoryId: f.categoryId || cats.data!.items[0]!.id,
            cause: f.cause,
            event: f.event,
            consequence: f.consequence,
            ownerId: f.ownerId || members.data?.items[0]?.userId || "",
            inherent: f.inherent,
            ...(f.sameResidual ? {} : { residual: f.residual }),
            reviewCadenceDays: Number(f.reviewCadenceDays),
          })
        }
      >
        {text("title")}
        <FieldRow>
          <SelectField
            label={t("risk.cols.category")}
            error={error?.field("categoryId")}
            value={f.categoryId}
            onChange={(categoryId) => setF({ ...f, categoryId })}
            options={cats.data.items.map((c) => ({ value: c.id, label: loc(c.name, i18n.language) }))}
          />
          <SelectField
            label={t("risk.forms.owner")}
            error={error?.field("ownerId")}
            value={f.ownerId}
            onChange={(ownerId) => setF({ ...f, ownerId })}
            options={(members.data?.items ?? []).map((m) => ({ value: m.userId, label: m.name }))}
          />
        </FieldRow>
        {text("cause", 2)}
        {text("event", 2)}
        {text("consequence", 2)}
        <Cell
          matrix={matrix}
          label={t("risk.cols.inherent")}
          value={f.inherent}
          onChange={(v) => setF({ ...f, inherent: v, ...(f.sameResidual ? { residual: v } : {}) })}
          error={error?.field("inherent")}
        />
        <CheckboxField
          label={t("risk.forms.sameResidual")}
          checked={f.sameResidual}
          onChange={(sameResidual) => setF({ ...f, sameResidual, residual: f.inherent })}
        />
        {f.sameResidual ? null : (
          <Cell
            matrix={matrix}
            label={t("risk.cols.residual")}
            value={f.residual}
            onChange={(v) => setF({ ...f, residual: v })}
            error={error?.field("residual")}
          />
        )}
        <TextField
          label={t("risk.forms.cadence")}
          error={error?.field("reviewCadenceDays")}
          inputMode="numeric"
          value={f.reviewCadenceDays}
          onChange={(reviewCadenceDays) => setF({ ...f, reviewCadenceDays })}
        />
      </FormDialog>
    </>
  )
}

/**
 * Rate a risk again, with why (it counts as its review). With `roundId` the rating is recorded in that
 * assessment round (`POST /risk/rounds/{id}/ratings`).
 */
export const RateButton = ({
  riskId,
  matrix,
  current,
  roundId,
  label,
}: {
  riskId: string
  matrix: Matrix
  current: Place
  roundId?: string | undefined
  label?: string | undefined
}) => {
  const { t } = useTranslation()
  const toast = useToast()
  const [open, setOpen] = useState(false)
  const [kind, setKind] = useState<"inherent" | "residual">("residual")
  const [cell, setCell] = useState({ likelihood: current.likelihood, impact: current.impact })
  const [rationale, setRationale] = useState("")
  const rate = useRiskPost<Record<string, unknown>>(
    roundId ? `/api/v1/risk/rounds/${roundId}/ratings` : `/api/v1/risk/risks/${riskId}/ratings`,
    () => {
      toast(t("risk.forms.rated"))
      setOpen(false)
      setRationale("")
    },
  )
  const error = errorOf(rate.error)
  return (
    <>
      <Button
        onClick={() => {
          rate.reset()
          setOpen(true)
        }}
      >
        {label ?? t("risk.forms.rate")}
      </Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={label ?? t("risk.forms.rate")}
        submit={t("risk.forms.saveRating")}
        busy={rate.isPending}
        error={error}
        onSubmit={() => rate.mutate({ ...(roundId ? { riskId } : {}), kind, ...cell, rationale })}
      >
        <SelectField
          label={t("risk.history.kind")}
          value={kind}
          onChange={setKind}
          options={[
            { value: "residual", label: t("risk.cols.residual") },
            { value: "inherent", label: t("risk.cols.inherent") },
          ]}
        />
        <Cell matrix={matrix} label={t("risk.history.rating")} value={cell} onChange={setCell} />
        <TextField
          label={t("risk.history.why")}
          error={error?.field("rationale")}
          rows={2}
          value={rationale}
          onChange={setRationale}
        />
      </FormDialog>
    </>
  )
}

const STATUSES = ["open", "treating", "accepted", "closed"] as const
const EFFECTIVENESS = ["", "weak", "adequate", "strong"] as const
type Control = { title: string; effectiveness: (typeof EFFECTIVENESS)[number] }

/** Change a risk's status, owner, existing controls (with how well each works) and review cadence. */
export const EditRiskButton = ({ risk }: { risk: Risk }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const members = useMembers()
  const [open, setOpen] = useState(false)
  const initial = () => ({
    status: risk.status as (typeof STATUSES)[number],
    ownerId: risk.ownerId,
    reviewCadenceDays: String(risk.reviewCadenceDays),
    controls: risk.controls.map(
      (c): Control => ({
        title: c.title,
        effectiveness: (c.effectiveness ?? "") as Control["effectiveness"],
      }),
    ),
  })
  const [f, setF] = useState(initial)
  const save = useRiskPost<Record<string, unknown>>(
    `/api/v1/risk/risks/${risk.id}`,
    () => {
      toast(t("risk.forms.riskSaved"))
      setOpen(false)
    },
    "PATCH",
  )
  const error = errorOf(save.error)
  const setControl = (i: number, v: Partial<Control>) =>
    setF({ ...f, controls: f.controls.map((c, j) => (j === i ? { ...c, ...v } : c)) })
  return (
    <>
      <Button
        onClick={() => {
          setF(initial())
          save.reset()
          setOpen(true)
        }}
      >
        {t("risk.forms.editRisk")}
      </Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={t("risk.forms.editRiskTitle", { n: risk.number })}
        submit={t("risk.forms.save")}
        busy={save.isPending}
        error={error}
        onSubmit={() =>
          save.mutate({
            status: f.status,
            ownerId: f.ownerId,
            reviewCadenceDays: Number(f.reviewCadenceDays),
            controls: f.controls.map((c) => ({
              title: c.title,
              ...(c.effectiveness ? { effectiveness: c.effectiveness } : {}),
            })),
          })
        }
      >
        <FieldRow>
          <SelectField
            label={t("risk.cols.status")}
            error={error?.field("status")}
            value={f.status}
            onChange={(status) => setF({ ...f, status })}
            options={STATUSES.map((s) => ({ value: s, label: t(`risk.status.${s}`) }))}
          />
          <SelectField
            label={t("risk.forms.owner")}
            error={error?.field("ownerId")}
            value={f.ownerId}
            onChange={(ownerId) => setF({ ...f, ownerId })}
            options={(members.data?.items ?? []).map((m) => ({ value: m.userId, label: m.name }))}
          />
        </FieldRow>
        <TextField
          label={t("risk.forms.cadence")}
          error={error?.field("reviewCadenceDays")}
          inputMode="numeric"
          value={f.reviewCadenceDays}
          onChange={(reviewCadenceDays) => setF({ ...f, reviewCadenceDays })}
        />
        <fieldset
          style={{ border: "1px solid var(--t-border, #ddd)", borderRadius: 6, padding: 8, margin: "8px 0" }}
        >
          <legend className="t-label">{t("risk.fields.controls")}</legend>
          {f.controls.map((c, i) => (
            <FieldRow key={i} columns={3}>
              <TextField
                label={t("risk.forms.controlN", { n: i + 1 })}
                error={error?.field(`controls/${i}/title`)}
                value={c.title}
                onChange={(title) => setControl(i, { title })}
              />
              <SelectField
                label={t("risk.forms.effectivenessN", { n: i + 1 })}
                value={c.effectiveness}
                onChange={(effectiveness) => setControl(i, { effectiveness })}
                options={EFFECTIVENESS.map((e) => ({
                  value: e,
                  label: t(`risk.forms.effectiveness.${e || "none"}`),
                }))}
              />
              <Button
                type="button"
                style={{ alignSelf: "end" }}
                aria-label={t("risk.planForm.remove")}
                onClick={() => setF({ ...f, controls: f.controls.filter((_, j) => j !== i) })}
              >
                ×
              </Button>
            </FieldRow>
          ))}
          <Button
            type="button"
            onClick={() => setF({ ...f, controls: [...f.controls, { title: "", effectiveness: "" }] })}
          >
            {t("risk.forms.addControl")}
          </Button>
        </fieldset>
      </FormDialog>
    </>
  )
}
