/**
 * The survey builder's form: the kind, the title, introduction and thank-you texts, and the questions
 * (rating with its scale, single or multiple choice with their options, free text), each text in
 * Chinese and English side by side, the dimension a question measures and the "why?" asked on a low
 * score. The same definition can be edited as JSON; the preview beside it follows every keystroke.
 */
import { Button, Field, Input, Select } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import type { Localized, SurveyDefinition, SurveyQuestion } from "../../api/feedback"

const KINDS = ["csat", "nps", "ces", "custom"] as const
const TYPES = ["rating", "single", "multiple", "text"] as const
const DIMENSIONS = ["response_speed", "attitude", "problem_solving", "accuracy", "professionalism"] as const
/** The scale of each standard kind: its first rating question is the score. */
const SCALES = { csat: { min: 1, max: 5 }, nps: { min: 0, max: 10 }, ces: { min: 1, max: 7 } } as const

const blank = (): Localized => ({ "zh-CN": "", en: "" })

/** A text in both languages, side by side (stacked on a phone). */
const Bilingual = ({
  label,
  value,
  onChange,
  optional = false,
}: {
  label: string
  value: Localized | undefined
  onChange: (v: Localized | undefined) => void
  optional?: boolean
}) => {
  const { t } = useTranslation()
  const v = value ?? blank()
  const set = (lang: "zh-CN" | "en", text: string) => {
    const next = { ...v, [lang]: text }
    onChange(optional && !next["zh-CN"] && !next.en ? undefined : next)
  }
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <legend className="t-label">{label}</legend>
      <div style={{ display: "grid", gap: 6, gridTemplateColumns: "repeat(auto-fit, minmax(180px, 1fr))" }}>
        <Input
          lang="zh-CN"
          aria-label={t("feedback.form.inZh", { label })}
          placeholder={t("feedback.form.zh")}
          value={v["zh-CN"]}
          onChange={(e) => set("zh-CN", e.target.value)}
        />
        <Input
          lang="en"
          aria-label={t("feedback.form.inEn", { label })}
          placeholder={t("feedback.form.en")}
          value={v.en}
          onChange={(e) => set("en", e.target.value)}
        />
      </div>
    </fieldset>
  )
}

/** A fresh question id not used yet: q1, q2… */
const freshId = (qs: ReadonlyArray<SurveyQuestion>, stem = "q") => {
  let i = qs.length + 1
  while (qs.some((q) => q.id === `${stem}${i}`)) i++
  return `${stem}${i}`
}

export const SurveyForm = ({
  value,
  onChange,
}: {
  value: SurveyDefinition
  onChange: (d: SurveyDefinition) => void
}) => {
  const { t } = useTranslation()
  const qs = value.questions ?? []
  const setQ = (i: number, q: SurveyQuestion) =>
    onChange({ ...value, questions: qs.map((x, j) => (j === i ? q : x)) })
  const move = (i: number, by: number) => {
    const next = [...qs]
    const [q] = next.splice(i, 1)
    next.splice(i + by, 0, q!)
    onChange({ ...value, questions: next })
  }
  const setKind = (kind: SurveyDefinition["kind"]) => {
    // the score of a standard kind is its first rating question: give it the kind's scale
    const first = qs.findIndex((q) => q.type === "rating")
    const scale = kind === "custom" ? undefined : SCALES[kind]
    onChange({
      ...value,
      kind,
      questions:
        scale && first >= 0
          ? qs.map((q, j) =>
              j === first ? { ...q, scale: { ...q.scale, min: scale.min, max: scale.max } } : q,
            )
          : qs,
    })
  }
  return (
    <div style={{ display: "grid", gap: 12 }}>
      <Field label={t("feedback.kind")} hint={t("feedback.form.kindHint")}>
        {(p) => (
          <Select
            {...p}
            value={value.kind}
            onChange={(e) => setKind(e.target.value as SurveyDefinition["kind"])}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`feedback.kinds.${k}`)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Bilingual
        label={t("feedback.form.title")}
        value={value.title}
        onChange={(v) => onChange({ ...value, title: v ?? blank() })}
      />
      <Bilingual
        label={t("feedback.form.intro")}
        optional
        value={value.intro}
        onChange={(v) => {
          const { intro: _, ...rest } = value
          onChange(v ? { ...rest, intro: v } : rest)
        }}
      />
      <Bilingual
        label={t("feedback.form.thanks")}
        optional
        value={value.thanks}
        onChange={(v) => {
          const { thanks: _, ...rest } = value
          onChange(v ? { ...rest, thanks: v } : rest)
        }}
      />
      <ol style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: 12 }}>
        {qs.map((q, i) => (
          <li key={i} className="ledger" aria-label={t("feedback.form.question", { n: i + 1 })}>
            <QuestionEditor
              q={q}
              n={i + 1}
              onChange={(x) => setQ(i, x)}
              onRemove={() => onChange({ ...value, questions: qs.filter((_, j) => j !== i) })}
              onUp={i > 0 ? () => move(i, -1) : undefined}
              onDown={i < qs.length - 1 ? () => move(i, 1) : undefined}
            />
          </li>
        ))}
      </ol>
      <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
        {TYPES.map((type) => (
          <Button
            key={type}
            size="sm"
            onClick={() =>
              onChange({
                ...value,
                questions: [
                  ...qs,
                  {
                    id: freshId(qs),
                    type,
                    text: blank(),
                    ...(type === "rating" ? { scale: { min: 1, max: 5 } } : {}),
                    ...(type === "single" || type === "multiple"
                      ? {
                          options: [
                            { id: "a", text: blank() },
                            { id: "b", text: blank() },
                          ],
                        }
                      : {}),
                  },
                ],
              })
            }
          >
            + {t(`feedback.form.types.${type}`)}
          </Button>
        ))}
      </div>
    </div>
  )
}

const QuestionEditor = ({
  q,
  n,
  onChange,
  onRemove,
  onUp,
  onDown,
}: {
  q: SurveyQuestion
  n: number
  onChange: (q: SurveyQuestion) => void
  onRemove: () => void
  onUp: (() => void) | undefined
  onDown: (() => void) | undefined
}) => {
  const { t } = useTranslation()
  const options = q.options ?? []
  const int = (s: string) => (s.trim() === "" ? Number.NaN : Number(s))
  return (
    <div style={{ display: "grid", gap: 8 }}>
      <div style={{ display: "flex", gap: 8, alignItems: "center", flexWrap: "wrap" }}>
        <strong>{t("feedback.form.question", { n })}</strong>
        <span className="t-hint">{t(`feedback.form.types.${q.type}`)}</span>
        <span style={{ marginLeft: "auto", display: "flex", gap: 4 }}>
          <Button
            size="sm"
            variant="ghost"
            disabled={!onUp}
            onClick={onUp}
            aria-label={t("feedback.form.moveUp", { n })}
          >
            ↑
          </Button>
          <Button
            size="sm"
            variant="ghost"
            disabled={!onDown}
            onClick={onDown}
            aria-label={t("feedback.form.moveDown", { n })}
          >
            ↓
          </Button>
          <Button size="sm" variant="ghost" onClick={onRemove} aria-label={t("feedback.form.remove", { n })}>
            ✕
          </Button>
        </span>
      </div>
      <Bilingual
        label={t("feedback.form.text")}
        value={q.text}
        onChange={(v) => onChange({ ...q, text: v ?? blank() })}
      />
      <div style={{ display: "grid", gap: 8, gridTemplateColumns: "repeat(auto-fit, minmax(140px, 1fr))" }}>
        <Field label={t("feedback.form.id")} hint={t("feedback.form.idHint")}>
          {(p) => <Input {...p} value={q.id} onChange={(e) => onChange({ ...q, id: e.target.value })} />}
        </Field>
        {q.type === "rating" ? (
          <>
            <Field label={t("feedback.form.scaleMin")}>
              {(p) => (
                <Input
                  {...p}
                  type="number"
                  value={Number.isFinite(q.scale?.min) ? q.scale!.min : ""}
                  onChange={(e) =>
                    onChange({ ...q, scale: { ...(q.scale ?? { max: 5 }), min: int(e.target.value) } })
                  }
                />
              )}
            </Field>
            <Field label={t("feedback.form.scaleMax")}>
              {(p) => (
                <Input
                  {...p}
                  type="number"
                  value={Number.isFinite(q.scale?.max) ? q.scale!.max : ""}
                  onChange={(e) =>
                    onChange({ ...q, scale: { ...(q.scale ?? { min: 1 }), max: int(e.target.value) } })
                  }
                />
              )}
            </Field>
            <Field label={t("feedback.form.dimension")}>
              {(p) => (
                <Select
                  {...p}
                  value={q.dimension ?? ""}
                  onChange={(e) => {
                    const { dimension: _, ...rest } = q
                    onChange(
                      e.target.value
                        ? { ...rest, dimension: e.target.value as (typeof DIMENSIONS)[number] }
                        : rest,
                    )
                  }}
                >
                  <option value="">{t("feedback.form.noDimension")}</option>
                  {DIMENSIONS.map((d) => (
                    <option key={d} value={d}>
                      {t(`feedback.dimensions.${d}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </>
        ) : null}
      </div>
      <label style={{ display: "inline-flex", gap: 6, alignItems: "center" }}>
        <input
          type="checkbox"
          checked={q.required !== false}
          onChange={(e) => onChange({ ...q, required: e.target.checked })}
        />
        {t("feedback.form.required")}
      </label>
      {q.type === "rating" ? (
        <>
          <label style={{ display: "inline-flex", gap: 6, alignItems: "center" }}>
            <input
              type="checkbox"
              checked={Boolean(q.followUp)}
              onChange={(e) => {
                const { followUp: _, ...rest } = q
                onChange(
                  e.target.checked
                    ? { ...rest, followUp: { atOrBelow: (q.scale?.min ?? 1) + 1, text: blank() } }
                    : rest,
                )
              }}
            />
            {t("feedback.form.followUp")}
          </label>
          {q.followUp ? (
            <div style={{ display: "grid", gap: 8, gridTemplateColumns: "minmax(100px, 140px) 1fr" }}>
              <Field label={t("feedback.form.followUpAt")}>
                {(p) => (
                  <Input
                    {...p}
                    type="number"
                    value={Number.isFinite(q.followUp!.atOrBelow) ? q.followUp!.atOrBelow : ""}
                    onChange={(e) =>
                      onChange({ ...q, followUp: { ...q.followUp!, atOrBelow: int(e.target.value) } })
                    }
                  />
                )}
              </Field>
              <Bilingual
                label={t("feedback.form.followUpText")}
                value={q.followUp.text}
                onChange={(v) => onChange({ ...q, followUp: { ...q.followUp!, text: v ?? blank() } })}
              />
            </div>
          ) : null}
        </>
      ) : null}
      {q.type === "single" || q.type === "multiple" ? (
        <div style={{ display: "grid", gap: 6 }}>
          {options.map((o, j) => (
            <div
              key={j}
              style={{ display: "grid", gap: 6, gridTemplateColumns: "80px 1fr auto", alignItems: "end" }}
            >
              <Field label={t("feedback.form.optionId")}>
                {(p) => (
                  <Input
                    {...p}
                    value={o.id}
                    onChange={(e) =>
                      onChange({
                        ...q,
                        options: options.map((x, k) => (k === j ? { ...x, id: e.target.value } : x)),
                      })
                    }
                  />
                )}
              </Field>
              <Bilingual
                label={t("feedback.form.option", { n: j + 1 })}
                value={o.text}
                onChange={(v) =>
                  onChange({
                    ...q,
                    options: options.map((x, k) => (k === j ? { ...x, text: v ?? blank() } : x)),
                  })
                }
              />
              <Button
                size="sm"
                variant="ghost"
                aria-label={t("feedback.form.removeOption", { n: j + 1 })}
                onClick={() => onChange({ ...q, options: options.filter((_, k) => k !== j) })}
              >
                ✕
              </Button>
            </div>
          ))}
          <div>
            <Button
              size="sm"
              onClick={() =>
                onChange({
                  ...q,
                  options: [
                    ...options,
                    { id: String.fromCharCode(97 + (options.length % 26)), text: blank() },
                  ],
                })
              }
            >
              + {t("feedback.form.addOption")}
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  )
}
