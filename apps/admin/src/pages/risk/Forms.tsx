/**
 * The risk screens' forms: install the built-in library, add a risk, rate it again, bind a KRI.
 * Every field error the API names is shown under its field.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Button, Callout, Dialog, DialogActions, Field, Input, Select, useToast } from "@tenet/ui"
import { type FormEvent, type ReactNode, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, getCurrentOrg, issueText } from "../../api/client"
import { useMembers } from "../../api/hooks"
import { type Kri, loc, type Matrix, useCategories } from "./model"

const BUILTIN_LIBRARY = "tenet-service-risks"

/** A date-time for a `datetime-local` input, in the browser's time zone. */
export const localInput = (d: Date) =>
  new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
/** A `datetime-local` value as an ISO instant ("" stays "", for the server to name). */
export const isoOf = (v: string) => (v ? new Date(v).toISOString() : "")

const useMatrices = () =>
  useQuery({
    queryKey: ["risk", "matrices", getCurrentOrg()],
    queryFn: () => api<{ items: Array<Matrix & { isDefault: boolean }> }>("/api/v1/risk/matrices"),
  })

/** A POST (or PATCH) that refreshes every risk query when it succeeds. */
export const useRiskPost = <B,>(path: string, done: () => void, method: "POST" | "PATCH" = "POST") => {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: B) => api<{ id?: string }>(path, { method, body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ["risk"] })
      done()
    },
  })
}

export const errorOf = (e: unknown) => (e instanceof ApiError ? e : undefined)

export const Failure = ({ error }: { error: ApiError | undefined }) =>
  error && error.fieldErrors.length === 0 ? <Callout tone="bad">{error.text()}</Callout> : null

/** Every problem of a failed action that has no form fields to put them under. */
export const Problems = ({ error }: { error: ApiError | undefined }) =>
  error ? (
    <Callout tone="bad">
      {error.fieldErrors.length ? error.fieldErrors.map((e) => issueText(e)).join("；") : error.text()}
    </Callout>
  ) : null

export const TextArea = (props: {
  value: string
  onChange: (v: string) => void
  id?: string
  rows?: number
}) => (
  <textarea
    id={props.id}
    className="t-input"
    style={{ height: (props.rows ?? 2) * 24 + 16, padding: 8 }}
    value={props.value}
    onChange={(e) => props.onChange(e.target.value)}
  />
)

/** Likelihood × impact on a matrix's levels (1 = lowest), named in the reader's language. */
const Cell = (props: {
  matrix: Matrix
  value: { likelihood: number; impact: number }
  onChange: (v: { likelihood: number; impact: number }) => void
  label: string
  error?: string | undefined
}) => {
  const { t, i18n } = useTranslation()
  const levels = (axis: "likelihood" | "impact") =>
    props.matrix[axis].map((l, i) => (
      <option key={loc(l.name, "en") || i} value={i + 1}>
        {i + 1} · {loc(l.name, i18n.language)}
      </option>
    ))
  return (
    <fieldset style={{ border: 0, padding: 0, margin: "8px 0" }}>
      <legend className="t-label">{props.label}</legend>
      <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 8 }}>
        <Field label={t("risk.heat.likelihood")} error={props.error}>
          {(p) => (
            <Select
              {...p}
              value={props.value.likelihood}
              onChange={(e) => props.onChange({ ...props.value, likelihood: Number(e.target.value) })}
            >
              {levels("likelihood")}
            </Select>
          )}
        </Field>
        <Field label={t("risk.heat.impact")}>
          {(p) => (
            <Select
              {...p}
              value={props.value.impact}
              onChange={(e) => props.onChange({ ...props.value, impact: Number(e.target.value) })}
            >
              {levels("impact")}
            </Select>
          )}
        </Field>
      </div>
    </fieldset>
  )
}

/** Install Tenet's built-in categories and matrices (seed 000 §6.1), for an organisation that has none. */
export const InstallLibrary = () => {
  const { t } = useTranslation()
  const toast = useToast()
  const install = useRiskPost<undefined>(`/api/v1/risk/libraries/${BUILTIN_LIBRARY}/install`, () =>
    toast(t("risk.forms.installed")),
  )
  return (
    <>
      <Button variant="primary" disabled={install.isPending} onClick={() => install.mutate(undefined)}>
        {t("risk.forms.install")}
      </Button>
      <Failure error={errorOf(install.error)} />
    </>
  )
}

export const FormDialog = (props: {
  open: boolean
  onOpenChange: (o: boolean) => void
  title: string
  submit: string
  busy: boolean
  error: ApiError | undefined
  onSubmit: () => void
  children: ReactNode
}) => {
  const { t } = useTranslation()
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange} title={props.title}>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault()
          props.onSubmit()
        }}
      >
        {props.children}
        <Failure error={props.error} />
        <DialogActions>
          <Button type="button" onClick={() => props.onOpenChange(false)}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" variant="primary" disabled={props.busy}>
            {props.submit}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
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
    <Field label={k === "title" ? t("risk.cols.title") : t(`risk.fields.${k}`)} error={error?.field(k)}>
      {(p) =>
        rows ? (
          <TextArea id={p.id} rows={rows} value={f[k]} onChange={(v) => setF({ ...f, [k]: v })} />
        ) : (
          <Input {...p} required value={f[k]} onChange={(e) => setF({ ...f, [k]: e.target.value })} />
        )
      }
    </Field>
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
        <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 8 }}>
          <Field label={t("risk.cols.category")} error={error?.field("categoryId")}>
            {(p) => (
              <Select
                {...p}
                value={f.categoryId}
                onChange={(e) => setF({ ...f, categoryId: e.target.value })}
              >
                {cats.data.items.map((c) => (
                  <option key={c.id} value={c.id}>
                    {loc(c.name, i18n.language)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("risk.forms.owner")} error={error?.field("ownerId")}>
            {(p) => (
              <Select {...p} value={f.ownerId} onChange={(e) => setF({ ...f, ownerId: e.target.value })}>
                {(members.data?.items ?? []).map((m) => (
                  <option key={m.userId} value={m.userId}>
                    {m.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
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
        <label style={{ display: "flex", gap: 6, alignItems: "center" }}>
          <input
            type="checkbox"
            checked={f.sameResidual}
            onChange={(e) => setF({ ...f, sameResidual: e.target.checked, residual: f.inherent })}
          />
          {t("risk.forms.sameResidual")}
        </label>
        {f.sameResidual ? null : (
          <Cell
            matrix={matrix}
            label={t("risk.cols.residual")}
            value={f.residual}
            onChange={(v) => setF({ ...f, residual: v })}
            error={error?.field("residual")}
          />
        )}
        <Field label={t("risk.forms.cadence")} error={error?.field("reviewCadenceDays")}>
          {(p) => (
            <Input
              {...p}
              inputMode="numeric"
              value={f.reviewCadenceDays}
              onChange={(e) => setF({ ...f, reviewCadenceDays: e.target.value })}
            />
          )}
        </Field>
      </FormDialog>
    </>
  )
}

/** Rate a risk again, with why (it counts as its review). */
export const RateButton = ({
  riskId,
  matrix,
  current,
}: {
  riskId: string
  matrix: Matrix
  current: { likelihood: number; impact: number }
}) => {
  const { t } = useTranslation()
  const toast = useToast()
  const [open, setOpen] = useState(false)
  const [kind, setKind] = useState<"inherent" | "residual">("residual")
  const [cell, setCell] = useState({ likelihood: current.likelihood, impact: current.impact })
  const [rationale, setRationale] = useState("")
  const rate = useRiskPost<Record<string, unknown>>(`/api/v1/risk/risks/${riskId}/ratings`, () => {
    toast(t("risk.forms.rated"))
    setOpen(false)
    setRationale("")
  })
  const error = errorOf(rate.error)
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("risk.forms.rate")}</Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={t("risk.forms.rate")}
        submit={t("risk.forms.saveRating")}
        busy={rate.isPending}
        error={error}
        onSubmit={() => rate.mutate({ kind, ...cell, rationale })}
      >
        <Field label={t("risk.history.kind")}>
          {(p) => (
            <Select {...p} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
              <option value="residual">{t("risk.cols.residual")}</option>
              <option value="inherent">{t("risk.cols.inherent")}</option>
            </Select>
          )}
        </Field>
        <Cell matrix={matrix} label={t("risk.history.rating")} value={cell} onChange={setCell} />
        <Field label={t("risk.history.why")} error={error?.field("rationale")}>
          {(p) => <TextArea id={p.id} value={rationale} onChange={setRationale} />}
        </Field>
      </FormDialog>
    </>
  )
}

/** Bind a key risk indicator to a registry metric, with amber and red thresholds. */
export const NewKriButton = ({ riskId }: { riskId: string }) => {
  const { t, i18n } = useTranslation()
  const toast = useToast()
  const [open, setOpen] = useState(false)
  const metrics = useQuery({
    queryKey: ["metrics"],
    queryFn: () =>
      api<{ items: Array<{ id: string; code?: string; name: Record<string, string> }> }>("/api/v1/metrics"),
    enabled: open,
  })
  const empty = {
    name: "",
    metricId: "",
    direction: "below",
    amber: "",
    red: "",
    windowDays: "7",
    mode: "suggest",
  }
  const [f, setF] = useState(empty)
  const create = useRiskPost<Record<string, unknown>>("/api/v1/risk/kris", () => {
    toast(t("risk.forms.kriCreated"))
    setOpen(false)
    setF(empty)
  })
  const error = errorOf(create.error)
  const num = (v: string) => (v.trim() === "" ? Number.NaN : Number(v))
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t("risk.forms.newKri")}</Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={t("risk.forms.newKri")}
        submit={t("risk.forms.create")}
        busy={create.isPending}
        error={error}
        onSubmit={() =>
          create.mutate({
            riskId,
            name: f.name,
            metricId: f.metricId || metrics.data?.items[0]?.id || "",
            direction: f.direction,
            amber: num(f.amber),
            red: num(f.red),
            windowDays: Number(f.windowDays),
            mode: f.mode,
          })
        }
      >
        <Field label={t("risk.forms.kriName")} error={error?.field("name")}>
          {(p) => (
            <Input {...p} required value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />
          )}
        </Field>
        <Field label={t("risk.forms.metric")} error={error?.field("metricId")}>
          {(p) => (
            <Select {...p} value={f.metricId} onChange={(e) => setF({ ...f, metricId: e.target.value })}>
              {(metrics.data?.items ?? []).map((m) => (
                <option key={m.id} value={m.id}>
                  {m.code ? `${m.code} · ` : ""}
                  {loc(m.name, i18n.language)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 8 }}>
          <Field label={t("risk.forms.direction")}>
            {(p) => (
              <Select {...p} value={f.direction} onChange={(e) => setF({ ...f, direction: e.target.value })}>
                <option value="below">{t("risk.kri.direction.below")}</option>
                <option value="above">{t("risk.kri.direction.above")}</option>
              </Select>
            )}
          </Field>
          <Field label={t("risk.forms.mode")}>
            {(p) => (
              <Select {...p} value={f.mode} onChange={(e) => setF({ ...f, mode: e.target.value })}>
                <option value="suggest">{t("risk.kri.mode.suggest")}</option>
                <option value="automatic">{t("risk.kri.mode.automatic")}</option>
              </Select>
            )}
          </Field>
          <Field
            label={t("risk.kri.amber")}
            hint={t("risk.forms.thresholdHint")}
            error={error?.field("amber")}
          >
            {(p) => (
              <Input
                {...p}
                inputMode="decimal"
                value={f.amber}
                onChange={(e) => setF({ ...f, amber: e.target.value })}
              />
            )}
          </Field>
          <Field label={t("risk.kri.red")} error={error?.field("red")}>
            {(p) => (
              <Input
                {...p}
                inputMode="decimal"
                value={f.red}
                onChange={(e) => setF({ ...f, red: e.target.value })}
              />
            )}
          </Field>
        </div>
        <Field label={t("risk.forms.window")} error={error?.field("windowDays")}>
          {(p) => (
            <Input
              {...p}
              inputMode="numeric"
              value={f.windowDays}
              onChange={(e) => setF({ ...f, windowDays: e.target.value })}
            />
          )}
        </Field>
      </FormDialog>
    </>
  )
}

/** Change a KRI's thresholds (and name, window, mode): `PATCH /api/v1/risk/kris/{id}`. */
export const EditKriButton = ({ kri }: { kri: Kri }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const [open, setOpen] = useState(false)
  const initial = () => ({
    name: kri.name,
    direction: kri.direction as string,
    amber: String(kri.amber),
    red: String(kri.red),
    windowDays: String(kri.windowDays),
    mode: kri.mode as string,
  })
  const [f, setF] = useState(initial)
  const save = useRiskPost<Record<string, unknown>>(
    `/api/v1/risk/kris/${kri.id}`,
    () => {
      toast(t("risk.forms.kriSaved"))
      setOpen(false)
    },
    "PATCH",
  )
  const error = errorOf(save.error)
  const num = (v: string) => (v.trim() === "" ? Number.NaN : Number(v))
  return (
    <>
      <Button
        onClick={() => {
          setF(initial())
          save.reset()
          setOpen(true)
        }}
      >
        {t("risk.forms.editKri")}
      </Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={t("risk.forms.editKriTitle", { name: kri.name })}
        submit={t("risk.forms.save")}
        busy={save.isPending}
        error={error}
        onSubmit={() =>
          save.mutate({
            name: f.name,
            direction: f.direction,
            amber: num(f.amber),
            red: num(f.red),
            windowDays: Number(f.windowDays),
            mode: f.mode,
          })
        }
      >
        <Field label={t("risk.forms.kriName")} error={error?.field("name")}>
          {(p) => <Input {...p} value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} />}
        </Field>
        <p className="t-hint">
          {t("risk.forms.kriGreen", {
            rule: f.direction === "above" ? `< ${f.amber}` : `> ${f.amber}`,
          })}
        </p>
        <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 8 }}>
          <Field label={t("risk.forms.direction")} error={error?.field("direction")}>
            {(p) => (
              <Select {...p} value={f.direction} onChange={(e) => setF({ ...f, direction: e.target.value })}>
                <option value="below">{t("risk.kri.direction.below")}</option>
                <option value="above">{t("risk.kri.direction.above")}</option>
              </Select>
            )}
          </Field>
          <Field label={t("risk.forms.mode")}>
            {(p) => (
              <Select {...p} value={f.mode} onChange={(e) => setF({ ...f, mode: e.target.value })}>
                <option value="suggest">{t("risk.kri.mode.suggest")}</option>
                <option value="automatic">{t("risk.kri.mode.automatic")}</option>
              </Select>
            )}
          </Field>
          <Field
            label={t("risk.kri.amber")}
            hint={t("risk.forms.thresholdHint")}
            error={error?.field("amber")}
          >
            {(p) => (
              <Input
                {...p}
                inputMode="decimal"
                value={f.amber}
                onChange={(e) => setF({ ...f, amber: e.target.value })}
              />
            )}
          </Field>
          <Field label={t("risk.kri.red")} error={error?.field("red")}>
            {(p) => (
              <Input
                {...p}
                inputMode="decimal"
                value={f.red}
                onChange={(e) => setF({ ...f, red: e.target.value })}
              />
            )}
          </Field>
        </div>
        <Field label={t("risk.forms.window")} error={error?.field("windowDays")}>
          {(p) => (
            <Input
              {...p}
              inputMode="numeric"
              value={f.windowDays}
              onChange={(e) => setF({ ...f, windowDays: e.target.value })}
            />
          )}
        </Field>
      </FormDialog>
    </>
  )
}
