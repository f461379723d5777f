/** Create or change a certification: what it covers, the courses and score it requires, its validity. */
import { Button, Callout, Dialog, DialogActions, Field, Input, Select } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import { type Certification, useCourses, useCultureWrite, useTeams } from "../../api/culture"
import { useText2 } from "./shared"

const KINDS = ["queue", "channel", "case_type"] as const

interface Form {
  id: string
  zh: string
  en: string
  kind: (typeof KINDS)[number]
  value: string
  requiredCourses: string[]
  minScore: string
  validityDays: string
  remindDays: string
}

const toForm = (c: Certification | null): Form => ({
  id: c?.id ?? "",
  zh: c?.name["zh-CN"] ?? "",
  en: c?.name.en ?? "",
  kind: c?.scope.kind ?? "queue",
  value: c?.scope.value ?? "",
  requiredCourses: [...(c?.requiredCourses ?? [])],
  minScore: c?.minScore === null || c?.minScore === undefined ? "" : String(c.minScore),
  validityDays: String(c?.validityDays ?? 365),
  remindDays: String(c?.remindDays ?? 30),
})

/** The dialog; `certification` null creates a new one. */
export const CertificationDialog = ({
  certification,
  open,
  onOpenChange,
}: {
  certification: Certification | null
  open: boolean
  onOpenChange: (open: boolean) => void
}) => {
  const { t } = useTranslation()
  const courses = useCourses()
  const teams = useTeams()
  const text = useText2()
  const write = useCultureWrite()
  const [form, setForm] = useState<Form>(() => toForm(certification))
  const error = write.error instanceof ApiError ? write.error : null
  const toggle = (id: string, on: boolean) =>
    setForm({
      ...form,
      requiredCourses: on ? [...form.requiredCourses, id] : form.requiredCourses.filter((c) => c !== id),
    })
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={certification ? t("culture.certForm.editTitle") : t("culture.certForm.newTitle")}
    >
      <form
        data-testid="certification-form"
        onSubmit={(e) => {
          e.preventDefault()
          write.mutate(
            {
              method: "PUT",
              path: `/api/v1/culture/certifications/${encodeURIComponent(form.id.trim())}`,
              body: {
                name: { "zh-CN": form.zh.trim(), en: form.en.trim() },
                scope: { kind: form.kind, value: form.value.trim() },
                requiredCourses: form.requiredCourses,
                ...(form.minScore.trim() === "" ? {} : { minScore: Number(form.minScore) }),
                validityDays: Number(form.validityDays),
                remindDays: Number(form.remindDays),
              },
            },
            { onSuccess: () => onOpenChange(false) },
          )
        }}
      >
        <Field label={t("culture.certForm.id")} hint={t("culture.keyHint")} error={error?.field("id")}>
          {(p) => (
            <Input
              {...p}
              value={form.id}
              disabled={Boolean(certification)}
              maxLength={64}
              onChange={(e) => setForm({ ...form, id: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.certForm.nameZh")} error={error?.field("name")}>
          {(p) => (
            <Input
              {...p}
              value={form.zh}
              maxLength={200}
              onChange={(e) => setForm({ ...form, zh: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.certForm.nameEn")}>
          {(p) => (
            <Input
              {...p}
              value={form.en}
              maxLength={200}
              onChange={(e) => setForm({ ...form, en: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.certForm.scopeKind")} error={error?.field("scope")}>
          {(p) => (
            <Select
              {...p}
              value={form.kind}
              onChange={(e) => setForm({ ...form, kind: e.target.value as Form["kind"], value: "" })}
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`culture.scopes.${k}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t("culture.certForm.scopeValue")} hint={t(`culture.certForm.scopeHint.${form.kind}`)}>
          {(p) =>
            form.kind === "queue" ? (
              <Select
                {...p}
                value={form.value}
                onChange={(e) => setForm({ ...form, value: e.target.value })}
                required
              >
                <option value="">—</option>
                {teams.data?.items.map((team) => (
                  <option key={team.id} value={team.id}>
                    {text(team.name)} ({team.id})
                  </option>
                ))}
                {form.value && !teams.data?.items.some((team) => team.id === form.value) ? (
                  <option value={form.value}>{form.value}</option>
                ) : null}
              </Select>
            ) : (
              <Input
                {...p}
                value={form.value}
                maxLength={200}
                onChange={(e) => setForm({ ...form, value: e.target.value })}
                required
              />
            )
          }
        </Field>
        <fieldset className="t-field" data-testid="certification-courses">
          <legend className="t-label">{t("culture.certForm.courses")}</legend>
          {error?.field("requiredCourses") ? (
            <span className="t-error-text" role="alert">
              {error.field("requiredCourses")}
            </span>
          ) : null}
          {(courses.data?.items ?? []).length === 0 ? (
            <span className="t-hint">{t("culture.certForm.noCourses")}</span>
          ) : null}
          {courses.data?.items.map((c) => (
            <label key={c.id} style={{ display: "flex", gap: 8, alignItems: "center" }}>
              <input
                type="checkbox"
                checked={form.requiredCourses.includes(c.id)}
                onChange={(e) => toggle(c.id, e.target.checked)}
              />
              {text(c.title)} <code className="t-code">{c.id}</code>
            </label>
          ))}
        </fieldset>
        <Field
          label={t("culture.certForm.minScore")}
          hint={t("culture.certForm.minScoreHint")}
          error={error?.field("minScore")}
        >
          {(p) => (
            <Input
              {...p}
              type="number"
              min={0}
              max={100}
              step="any"
              value={form.minScore}
              onChange={(e) => setForm({ ...form, minScore: e.target.value })}
            />
          )}
        </Field>
        <Field label={t("culture.certForm.validityDays")} error={error?.field("validityDays")}>
          {(p) => (
            <Input
              {...p}
              type="number"
              min={1}
              max={3650}
              step={1}
              value={form.validityDays}
              onChange={(e) => setForm({ ...form, validityDays: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.certForm.remindDays")} error={error?.field("remindDays")}>
          {(p) => (
            <Input
              {...p}
              type="number"
              min={0}
              max={365}
              step={1}
              value={form.remindDays}
              onChange={(e) => setForm({ ...form, remindDays: e.target.value })}
              required
            />
          )}
        </Field>
        {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
        <DialogActions>
          <Button type="button" onClick={() => onOpenChange(false)}>
            {t("common.cancel")}
          </Button>
          <Button type="submit" variant="primary" disabled={write.isPending}>
            {t("common.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
