/** Create or change a course: its titles, format, the skills it teaches and its assessment. */
import { Button, Callout, Dialog, DialogActions, Field, Input, Select } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import { type Course, useCultureWrite, useFramework } from "../../api/culture"
import { useText2 } from "./shared"

const FORMATS = [
  "e_learning",
  "classroom",
  "role_play",
  "drill",
  "case_study",
  "seminar",
  "external",
] as const
const ASSESSMENTS = ["none", "quiz", "practical"] as const

interface Form {
  id: string
  zh: string
  en: string
  format: string
  skillIds: string[]
  assessment: (typeof ASSESSMENTS)[number]
  passMark: string
  durationMinutes: string
}

const toForm = (c: Course | null): Form => ({
  id: c?.id ?? "",
  zh: c?.title["zh-CN"] ?? "",
  en: c?.title.en ?? "",
  format: c?.format ?? "e_learning",
  skillIds: [...(c?.skillIds ?? [])],
  assessment: c?.assessment ?? "quiz",
  passMark: c?.passMark === null || c?.passMark === undefined ? "80" : String(c.passMark),
  durationMinutes: String(c?.durationMinutes ?? 60),
})

/** The dialog; `course` null creates a new one. */
export const CourseDialog = ({
  course,
  open,
  onOpenChange,
}: {
  course: Course | null
  open: boolean
  onOpenChange: (open: boolean) => void
}) => {
  const { t } = useTranslation()
  const framework = useFramework()
  const text = useText2()
  const write = useCultureWrite()
  const [form, setForm] = useState<Form>(() => toForm(course))
  const error = write.error instanceof ApiError ? write.error : null
  const areas = framework.data?.framework?.areas ?? []
  // skills the course already names but the framework no longer has stay visible (and removable)
  const known = new Set(areas.map((a) => a.id))
  const extra = form.skillIds.filter((s) => !known.has(s))
  const toggle = (id: string, on: boolean) =>
    setForm({ ...form, skillIds: on ? [...form.skillIds, id] : form.skillIds.filter((s) => s !== id) })
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={course ? t("culture.courseForm.editTitle") : t("culture.courseForm.newTitle")}
    >
      <form
        data-testid="course-form"
        onSubmit={(e) => {
          e.preventDefault()
          write.mutate(
            {
              method: "PUT",
              path: `/api/v1/culture/courses/${encodeURIComponent(form.id.trim())}`,
              body: {
                title: { "zh-CN": form.zh.trim(), en: form.en.trim() },
                format: form.format,
                skillIds: form.skillIds,
                assessment: form.assessment,
                ...(form.assessment === "none" ? {} : { passMark: Number(form.passMark) }),
                durationMinutes: Number(form.durationMinutes),
              },
            },
            { onSuccess: () => onOpenChange(false) },
          )
        }}
      >
        <Field label={t("culture.courseForm.id")} hint={t("culture.keyHint")} error={error?.field("id")}>
          {(p) => (
            <Input
              {...p}
              value={form.id}
              disabled={Boolean(course)}
              maxLength={64}
              onChange={(e) => setForm({ ...form, id: e.target.value })}
              required
            />
          )}
        </Field>
        <Field label={t("culture.courseForm.titleZh")} error={error?.field("title")}>
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
        <Field label={t("culture.courseForm.titleEn")}>
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
        <Field label={t("culture.training.format")} error={error?.field("format")}>
          {(p) => (
            <Select {...p} value={form.format} onChange={(e) => setForm({ ...form, format: e.target.value })}>
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {t(`culture.formats.${f}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <fieldset className="t-field" data-testid="course-skills">
          <legend className="t-label">{t("culture.courseForm.skills")}</legend>
          {areas.length === 0 && extra.length === 0 ? (
            <span className="t-hint">{t("culture.courseForm.noSkills")}</span>
          ) : null}
          {[
            ...areas.map((a) => ({ id: a.id, label: text(a.name) })),
            ...extra.map((s) => ({ id: s, label: s })),
          ].map((a) => (
            <label key={a.id} style={{ display: "flex", gap: 8, alignItems: "center" }}>
              <input
                type="checkbox"
                checked={form.skillIds.includes(a.id)}
                onChange={(e) => toggle(a.id, e.target.checked)}
              />
              {a.label} <code className="t-code">{a.id}</code>
            </label>
          ))}
        </fieldset>
        <Field label={t("culture.training.assessment")} error={error?.field("assessment")}>
          {(p) => (
            <Select
              {...p}
              value={form.assessment}
              onChange={(e) => setForm({ ...form, assessment: e.target.value as Form["assessment"] })}
            >
              {ASSESSMENTS.map((a) => (
                <option key={a} value={a}>
                  {t(`culture.assessments.${a}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {form.assessment === "none" ? null : (
          <Field label={t("culture.training.passMark")} hint="0–100" error={error?.field("passMark")}>
            {(p) => (
              <Input
                {...p}
                type="number"
                min={0}
                max={100}
                step="any"
                value={form.passMark}
                onChange={(e) => setForm({ ...form, passMark: e.target.value })}
                required
              />
            )}
          </Field>
        )}
        <Field label={t("culture.courseForm.duration")} error={error?.field("durationMinutes")}>
          {(p) => (
            <Input
              {...p}
              type="number"
              min={1}
              step={1}
              value={form.durationMinutes}
              onChange={(e) => setForm({ ...form, durationMinutes: e.target.value })}
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
