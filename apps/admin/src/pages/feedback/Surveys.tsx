import { Badge, Button, Callout, Card, Field, Input } from "@tenet/ui"
import { useEffect, useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import {
  type SurveyDefinition,
  useCreateSurvey,
  usePublishSurvey,
  useSurvey,
  useSurveys,
} from "../../api/feedback"

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

/** How the customer will see a version, in one language. */
const Preview = ({ d, lang }: { d: SurveyDefinition; lang: "zh-CN" | "en" }) => (
  <div
    lang={lang}
    style={{ maxWidth: 390, border: "1px solid var(--t-border, #ddd)", borderRadius: 12, padding: 16 }}
  >
    <h3 style={{ marginTop: 0 }}>{d.title?.[lang]}</h3>
    {d.intro ? <p>{d.intro[lang]}</p> : null}
    {(d.questions ?? []).map((q) => (
      <fieldset key={q.id} style={{ border: 0, padding: 0, margin: "0 0 12px" }}>
        <legend style={{ fontWeight: 600 }}>{q.text?.[lang]}</legend>
        {q.type === "rating" && q.scale ? (
          <div style={{ display: "flex", gap: 4 }}>
            {Array.from({ length: q.scale.max - q.scale.min + 1 }, (_, i) => (
              <span key={i} className="t-badge">
                {q.scale!.min + i}
              </span>
            ))}
          </div>
        ) : q.type === "text" ? (
          <textarea disabled style={{ width: "100%" }} />
        ) : (
          <ul>
            {(q.options ?? []).map((o) => (
              <li key={o.id}>{o.text?.[lang]}</li>
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
  </div>
)

export const SurveysView = () => {
  const { t } = useTranslation()
  const list = useSurveys()
  const [selected, setSelected] = useState<string | undefined>()
  const detail = useSurvey(selected)
  const create = useCreateSurvey()
  const publish = usePublishSurvey()
  const [name, setName] = useState("")
  const [text, setText] = useState(JSON.stringify(TEMPLATE, null, 2))
  useEffect(() => {
    const v = detail.data?.versions[0]
    if (v) setText(JSON.stringify(v.definition, null, 2))
  }, [detail.data])
  const parsed = useMemo(() => {
    try {
      return { d: JSON.parse(text) as SurveyDefinition, error: null }
    } catch (e) {
      return { d: null, error: (e as Error).message }
    }
  }, [text])
  const serverErrors =
    create.error instanceof ApiError
      ? [
          create.error.detail ?? create.error.title,
          ...create.error.fieldErrors.map((f) => `${f.path}: ${f.message}`),
        ].join("\n")
      : null
  return (
    <div style={{ display: "grid", gap: 16 }}>
      <Card title={t("feedback.tabs.surveys")}>
        <ul>
          {(list.data?.items ?? []).map((s) => (
            <li key={s.id}>
              <button type="button" className="t-link" onClick={() => setSelected(s.id)}>
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
      </Card>
      <Card title={t("feedback.builder")}>
        <p className="t-hint">{t("feedback.builderNote")}</p>
        <Field label={t("feedback.name")}>
          {(p) => <Input {...p} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t("feedback.definition")}>
          {(p) => (
            <textarea
              {...p}
              value={text}
              onChange={(e) => setText(e.target.value)}
              rows={16}
              style={{ width: "100%", fontFamily: "monospace" }}
            />
          )}
        </Field>
        {parsed.error ? (
          <Callout tone="bad">{t("feedback.invalidJson", { message: parsed.error })}</Callout>
        ) : null}
        {serverErrors ? (
          <Callout tone="bad">
            <pre style={{ whiteSpace: "pre-wrap", margin: 0 }}>{serverErrors}</pre>
          </Callout>
        ) : null}
        <Button
          variant="primary"
          disabled={!parsed.d || !name.trim() || create.isPending}
          onClick={() => parsed.d && create.mutate({ name, definition: parsed.d })}
        >
          {t("feedback.create")}
        </Button>
        {parsed.d ? (
          <div style={{ display: "flex", gap: 16, flexWrap: "wrap", marginTop: 16 }}>
            <Preview d={parsed.d} lang="zh-CN" />
            <Preview d={parsed.d} lang="en" />
          </div>
        ) : null}
      </Card>
    </div>
  )
}
