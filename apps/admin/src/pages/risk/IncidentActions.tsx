/**
 * What is done to an incident after it is recorded: containment, resolution and lessons learned
 * (`PATCH /risk/incidents/{id}`), a regulatory notice drafted from the template in both languages
 * (`notice-drafts`) and marked sent (`notices`).
 */
import { useMutation } from "@tanstack/react-query"
import { Button, FieldRow, TextField, useToast } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { api } from "../../api/client"
import { errorOf, FormDialog, isoOf, localInput, Problems, useRiskPost } from "./Forms"
import type { Incident } from "./model"

/** Record containment, resolution and lessons learned. */
export const ProgressButton = ({ i }: { i: Incident }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const [open, setOpen] = useState(false)
  const initial = () => ({
    containedAt: i.containedAt ? localInput(new Date(i.containedAt)) : "",
    resolvedAt: i.resolvedAt ? localInput(new Date(i.resolvedAt)) : "",
    lessons: i.lessons ?? "",
  })
  const [f, setF] = useState(initial)
  const save = useRiskPost<Record<string, unknown>>(
    `/api/v1/risk/incidents/${i.id}`,
    () => {
      toast(t("risk.incidents.progressSaved"))
      setOpen(false)
    },
    "PATCH",
  )
  const error = errorOf(save.error)
  return (
    <>
      <Button
        onClick={() => {
          setF(initial())
          save.reset()
          setOpen(true)
        }}
      >
        {t("risk.incidents.progress")}
      </Button>
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={t("risk.incidents.progressTitle", { n: i.number })}
        submit={t("risk.forms.save")}
        busy={save.isPending}
        error={error}
        onSubmit={() =>
          save.mutate({
            ...(f.containedAt ? { containedAt: isoOf(f.containedAt) } : {}),
            ...(f.resolvedAt ? { resolvedAt: isoOf(f.resolvedAt) } : {}),
            lessons: f.lessons,
          })
        }
      >
        <FieldRow>
          <TextField
            label={t("risk.incidents.contained")}
            error={error?.field("containedAt")}
            type="datetime-local"
            value={f.containedAt}
            onChange={(containedAt) => setF({ ...f, containedAt })}
          />
          <TextField
            label={t("risk.incidents.resolved")}
            error={error?.field("resolvedAt")}
            type="datetime-local"
            value={f.resolvedAt}
            onChange={(resolvedAt) => setF({ ...f, resolvedAt })}
          />
        </FieldRow>
        <TextField
          label={t("risk.incidents.lessons")}
          error={error?.field("lessons")}
          rows={3}
          value={f.lessons}
          onChange={(lessons) => setF({ ...f, lessons })}
        />
      </FormDialog>
    </>
  )
}

type Notice = Incident["notices"][number]
const FACTS = ["cause", "harm", "remedies", "advice", "contact"] as const

/** Draft a pending notice from its template (zh-CN and en side by side), and mark it sent. */
export const NoticeActions = ({ i, n }: { i: Incident; n: Notice }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const [open, setOpen] = useState(false)
  const [facts, setFacts] = useState<Record<(typeof FACTS)[number], string>>({
    cause: "",
    harm: "",
    remedies: "",
    advice: "",
    contact: "",
  })
  const sent = useRiskPost<{ regime: string; notice: string }>(`/api/v1/risk/incidents/${i.id}/notices`, () =>
    toast(t("risk.incidents.markedSent")),
  )
  const draft = useMutation({
    mutationFn: () =>
      api<Record<"zh-CN" | "en", { subject: string; body: string }>>(
        `/api/v1/risk/incidents/${i.id}/notice-drafts`,
        {
          method: "POST",
          body: { regime: n.regime, notice: n.notice, ...facts },
        },
      ),
  })
  const error = errorOf(draft.error)
  return (
    <>
      <Button size="sm" onClick={() => setOpen(true)}>
        {t("risk.incidents.draft")}
      </Button>{" "}
      <Button
        size="sm"
        disabled={sent.isPending}
        onClick={() => sent.mutate({ regime: n.regime, notice: n.notice })}
      >
        {t("risk.incidents.markSent")}
      </Button>
      <Problems error={errorOf(sent.error)} />
      <FormDialog
        open={open}
        onOpenChange={setOpen}
        title={t("risk.incidents.draftTitle", { notice: t(`risk.incidents.notice.${n.regime}_${n.notice}`) })}
        submit={t("risk.incidents.draftMake")}
        busy={draft.isPending}
        error={error}
        onSubmit={() => draft.mutate()}
      >
        {FACTS.map((k) => (
          <TextField
            key={k}
            label={t(`risk.incidents.facts.${k}`)}
            error={error?.field(k)}
            rows={k === "contact" ? undefined : 2}
            value={facts[k]}
            onChange={(v) => setFacts({ ...facts, [k]: v })}
          />
        ))}
        {draft.data ? (
          <div data-testid="notice-draft" style={{ display: "grid", gap: 8 }}>
            {(["zh-CN", "en"] as const).map((lang) => (
              <section key={lang} aria-label={lang}>
                <h3 className="t-label">{t(`risk.incidents.draftIn.${lang === "en" ? "en" : "zh"}`)}</h3>
                <p style={{ margin: 0 }}>
                  <strong>{draft.data[lang].subject}</strong>
                </p>
                <pre style={{ whiteSpace: "pre-wrap", margin: 0, fontFamily: "inherit" }}>
                  {draft.data[lang].body}
                </pre>
              </section>
            ))}
          </div>
        ) : null}
      </FormDialog>
    </>
  )
}
