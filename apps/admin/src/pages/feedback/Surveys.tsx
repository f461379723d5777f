import { Badge, Button, Callout, Card, Field, Input, useToast } from "@tenet/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, issueText, problemText } from "../../api/client"
import {
  type SurveyDefinition,
  useCreateSurvey,
  usePublishSurvey,
  useSurvey,
  useSurveys,
  useUpdateSurvey,
} from "../../api/feedback"
import { SurveyForm } from "./Builder"

const TEMPLATE: SurveyDefinition = {
  kind: "csat",
  title: { "zh-CN": "服务满意度调查", en: "How did we do?" },
  thanks: { "zh-CN": "感谢您的反馈！", en: "Thank you for your feedback!" },
  questions: [
    {
      id: "overall",
      type: "rating",
      text: {
        "zh-CN": "您对本次服务的总体满意度如何？",
        en: "Overall, how satisfied are you with our service?",
      },
      scale: { min: 1, max: 5 },
      followUp: {
        atOrBelow: 2,
        text: { "zh-CN": "很抱歉。请告诉我们哪里做得不好？", en: "We are sorry. What went wrong?" },
      },
    },
    {
      id: "speed",
      type: "rating",
      required: false,
      dimension: "response_speed",
      text: { "zh-CN": "响应速度", en: "Speed of response" },
      scale: { min: 1, max: 5 },
    },
  ],
}

/** How the customer will see a version, in one language (the public page's layout, phone width). */
const Preview = ({ d, lang }: { d: SurveyDefinition; lang: "zh-CN" | "en" }) => {
  const { t } = useTranslation()
  return (
    <section
      lang={lang}
      aria-label={t("feedback.form.previewIn", { lang: lang === "zh-CN" ? "中文" : "English" })}
      data-testid={`survey-preview-${lang}`}
      style={{ maxWidth: 390, border: "1px solid var(--border, #ddd)", borderRadius: 12, padding: 16 }}
    >
      <div className="t-hint" style={{ marginBottom: 4 }}>
        {lang === "zh-CN" ? "中文" : "English"}
      </div>
      <h3 style={{ marginTop: 0 }}>{d.title?.[lang]}</h3>
      {d.intro ? <p>{d.intro[lang]}</p> : null}
      {(d.questions ?? []).map((q, i) => (
        <fieldset key={i} style={{ border: 0, padding: 0, margin: "0 0 12px" }}>
          <legend style={{ fontWeight: 600 }}>
            {q.text?.[lang]}
            {q.required === false ? null : <span aria-hidden> *</span>}
          </legend>
          {q.type === "rating" && q.scale ? (
            <div style={{ display: "flex", gap: 4, flexWrap: "wrap" }}>
              {Array.from(
                { length: Math.max(0, Math.min(11, (q.scale.max ?? 0) - (q.scale.min ?? 0) + 1)) },
                (_, k) => (
                  <span key={k} className="t-badge">
                    {q.scale!.min + k}
                  </span>
                ),
              )}
            </div>
          ) : q.type === "text" ? (
            <textarea disabled style={{ width: "100%" }} aria-label={q.text?.[lang]} />
          ) : (
            <ul style={{ listStyle: "none", padding: 0, margin: 0 }}>
              {(q.options ?? []).map((o, k) => (
                <li key={k}>
                  {q.type === "multiple" ? "☐" : "○"} {o.text?.[lang]}
                </li>
              ))}
            </ul>
          )}
          {q.followUp ? (
            <p className="t-hint">
              ≤ {q.followUp.atOrBelow}: {q.followUp.text?.[lang]}
            </p>
          ) : null}
        </fieldset>
      ))}
      {d.thanks ? <p className="t-hint">→ {d.thanks[lang]}</p> : null}
    </section>
  )
}

export const SurveysView = () => {
  const { t } = useTranslation()
  const toast = useToast()
  const list = useSurveys()
  const [selected, setSelected] = useState<string | undefined>()
  const detail = useSurvey(selected)
  const create = useCreateSurvey()
  const update = useUpdateSurvey()
  const publish = usePublishSurvey()
  const [name, setName] = useState("")
  const [def, setDef] = useState<SurveyDefinition>(TEMPLATE)
  const [mode, setMode] = useState<"form" | "json">("form")
  const [text, setText] = useState(JSON.stringify(TEMPLATE, null, 2))
  const [jsonError, setJsonError] = useState<string | null>(null)
  useEffect(() => {
    const v = detail.data?.versions[0]
    if (v && detail.data) {
      setName(detail.data.name)
      setDef(v.definition)
      setText(JSON.stringify(v.definition, null, 2))
      setJsonError(null)
    }
  }, [detail.data])
  const edit = (d: SurveyDefinition) => {
    setDef(d)
    setText(JSON.stringify(d, null, 2))
  }
  const editJson = (s: string) => {
    setText(s)
    try {
      setDef(JSON.parse(s) as SurveyDefinition)
      setJsonError(null)
    } catch (e) {
      setJsonError((e as Error).message)
    }
  }
  const fresh = () => {
    setSelected(undefined)
    setName("")
    edit(TEMPLATE)
    setJsonError(null)
  }
  const saving = selected ? update : create
  const serverErrors =
    saving.error instanceof ApiError
      ? [
          saving.error.fieldErrors.length ? null : saving.error.text(),
          ...saving.error.fieldErrors.map((f) => `${f.path}: ${issueText(f)}`),
        ]
          .filter(Boolean)
          .join("\n")
      : saving.error
        ? problemText(saving.error)
        : null
  const save = () => {
    if (selected)
      update.mutate(
        { id: selected, name, definition: def },
        { onSuccess: () => toast(t("feedback.form.saved", { name })) },
      )
    else
      create.mutate(
        { name, definition: def },
        {
          onSuccess: (out) => {
            toast(t("feedback.form.created", { name }))
            const id = (out as unknown as { id?: string } | undefined)?.id
            if (id) setSelected(id)
          },
        },
      )
  }
  return (
    <div style={{ display: "grid", gap: 16 }}>
      <Card title={t("feedback.tabs.surveys")}>
        <ul>
          {(list.data?.items ?? []).map((s) => (
            <li key={s.id}>
              <button
                type="button"
                className="t-link"
                aria-current={s.id === selected ? "true" : undefined}
                onClick={() => setSelected(s.id)}
              >
                {s.name}
              </button>{" "}
              <Badge>{t(`feedback.kinds.${s.kind}`)}</Badge>{" "}
              {s.publishedVersion ? (
                <Badge tone="ok">{t("feedback.publishedVersion", { v: s.publishedVersion })}</Badge>
              ) : (
                <Badge tone="warn">{t("feedback.draft")}</Badge>
              )}
              {s.latestVersion !== s.publishedVersion ? (
                <Button size="sm" onClick={() => publish.mutate(s.id)}>
                  {t("feedback.publish", { v: s.latestVersion })}
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
        <Button onClick={fresh}>{t("feedback.form.new")}</Button>
      </Card>
      <Card
        title={
          selected ? t("feedback.form.editing", { name: detail.data?.name ?? "" }) : t("feedback.builder")
        }
      >
        <p className="t-hint">{t("feedback.builderNote")}</p>
        <div className="survey-builder">
          <div style={{ display: "grid", gap: 12, minWidth: 0 }}>
            <Field label={t("feedback.name")}>
              {(p) => <Input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
            </Field>
            <div role="tablist" aria-label={t("feedback.builder")} style={{ display: "flex", gap: 6 }}>
              {(["form", "json"] as const).map((m) => (
                <Button
                  key={m}
                  size="sm"
                  role="tab"
                  aria-selected={mode === m}
                  variant={mode === m ? "primary" : "ghost"}
                  disabled={m === "form" && jsonError !== null}
                  onClick={() => setMode(m)}
                >
                  {t(`feedback.form.modes.${m}`)}
                </Button>
              ))}
            </div>
            {mode === "form" ? (
              <SurveyForm value={def} onChange={edit} />
            ) : (
              <Field label={t("feedback.definition")}>
                {(p) => (
                  <textarea
                    {...p}
                    value={text}
                    onChange={(e) => editJson(e.target.value)}
                    rows={20}
                    style={{ width: "100%", fontFamily: "monospace" }}
                  />
                )}
              </Field>
            )}
            {jsonError ? (
              <Callout tone="bad">{t("feedback.invalidJson", { message: jsonError })}</Callout>
            ) : null}
            {serverErrors ? (
              <Callout tone="bad">
                <pre style={{ whiteSpace: "pre-wrap", margin: 0 }}>{serverErrors}</pre>
              </Callout>
            ) : null}
            <div>
              <Button
                variant="primary"
                disabled={jsonError !== null || !name.trim() || saving.isPending}
                onClick={save}
              >
                {selected ? t("feedback.form.saveVersion") : t("feedback.create")}
              </Button>
            </div>
          </div>
          <div style={{ display: "grid", gap: 12, alignContent: "start", minWidth: 0 }}>
            <span className="t-label">{t("feedback.form.preview")}</span>
            <Preview d={def} lang="zh-CN" />
            <Preview d={def} lang="en" />
          </div>
        </div>
      </Card>
    </div>
  )
}
