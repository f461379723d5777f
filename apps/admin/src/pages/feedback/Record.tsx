/**
 * Record a suggestion, praise or complaint that came in by any channel (seed 000 §5.2): its urgency
 * sets the reply deadline; a complaint also records the remedy the complainant seeks (ISO 10002
 * receipt) and starts its acknowledgement and response clocks.
 */
import { Button, Dialog, DialogActions, Field, Input, Select } from "@tenet/ui"
import { type FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, problemText } from "../../api/client"
import { type FeedbackItem, useCauses, useRecordItem } from "../../api/feedback"

const CHANNELS = ["phone", "email", "chat", "web_form", "social", "on_site", "video", "api"] as const
const FIELDS = ["kind", "channel", "summary", "details", "urgency", "causeCode", "remedySought", "caseId"]

export const RecordItemDialog = ({
  open,
  kind: fixed,
  onClose,
  onRecorded,
}: {
  open: boolean
  kind?: FeedbackItem["kind"] | undefined
  onClose: () => void
  onRecorded: (id: string) => void
}) => {
  const { t, i18n } = useTranslation()
  const record = useRecordItem()
  const causes = useCauses()
  const lang = i18n.language.startsWith("zh") ? "zh-CN" : "en"
  const [kind, setKind] = useState<FeedbackItem["kind"]>(fixed ?? "suggestion")
  const [channel, setChannel] = useState<string>("phone")
  const [summary, setSummary] = useState("")
  const [details, setDetails] = useState("")
  const [urgency, setUrgency] = useState<FeedbackItem["urgency"]>("normal")
  const [cause, setCause] = useState("")
  const [remedy, setRemedy] = useState("")
  const [caseId, setCaseId] = useState("")
  useEffect(() => {
    if (open) {
      setKind(fixed ?? "suggestion")
      setSummary("")
      setDetails("")
      setRemedy("")
      setCaseId("")
      setCause("")
      record.reset()
    }
  }, [open])
  const err = record.error instanceof ApiError ? record.error : undefined
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const out = (await record
      .mutateAsync({
        kind,
        channel,
        summary: summary.trim(),
        urgency,
        ...(details.trim() ? { details } : {}),
        ...(cause ? { causeCode: cause } : {}),
        ...(kind === "complaint" && remedy.trim() ? { remedySought: remedy.trim() } : {}),
        ...(caseId.trim() ? { caseId: caseId.trim() } : {}),
      })
      .catch(() => undefined)) as unknown as { id: string } | undefined
    if (out?.id) onRecorded(out.id)
  }
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => !o && onClose()}
      title={kind === "complaint" ? t("feedback.record.complaint") : t("feedback.record.title")}
      description={t("feedback.record.description")}
    >
      <form onSubmit={submit} style={{ display: "grid", gap: 10 }}>
        {fixed ? null : (
          <Field label={t("feedback.itemKind")} error={err?.field("kind")}>
            {(p) => (
              <Select {...p} value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
                {(["suggestion", "praise", "complaint"] as const).map((k) => (
                  <option key={k} value={k}>
                    {t(`feedback.itemKinds.${k}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        )}
        <Field label={t("feedback.summary")} error={err?.field("summary")}>
          {(p) => (
            <Input {...p} value={summary} maxLength={500} onChange={(e) => setSummary(e.target.value)} />
          )}
        </Field>
        <Field label={t("feedback.item.details")} error={err?.field("details")}>
          {(p) => (
            <textarea
              {...p}
              className="t-input"
              style={{ width: "100%", height: 70, padding: 8 }}
              value={details}
              onChange={(e) => setDetails(e.target.value)}
            />
          )}
        </Field>
        {kind === "complaint" ? (
          <Field
            label={t("feedback.item.remedySought")}
            hint={t("feedback.record.remedyHint")}
            error={err?.field("remedySought")}
          >
            {(p) => <Input {...p} value={remedy} onChange={(e) => setRemedy(e.target.value)} />}
          </Field>
        ) : null}
        <div
          style={{ display: "grid", gap: 10, gridTemplateColumns: "repeat(auto-fit, minmax(140px, 1fr))" }}
        >
          <Field label={t("feedback.channel")} error={err?.field("channel")}>
            {(p) => (
              <Select {...p} value={channel} onChange={(e) => setChannel(e.target.value)}>
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {t(`channels.${c}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field
            label={t("feedback.urgency")}
            hint={t("feedback.record.urgencyHint")}
            error={err?.field("urgency")}
          >
            {(p) => (
              <Select {...p} value={urgency} onChange={(e) => setUrgency(e.target.value as typeof urgency)}>
                {(["urgent", "normal", "non_urgent"] as const).map((u) => (
                  <option key={u} value={u}>
                    {t(`feedback.urgencies.${u}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("feedback.cause")} error={err?.field("causeCode")}>
            {(p) => (
              <Select {...p} value={cause} onChange={(e) => setCause(e.target.value)}>
                <option value="">{t("feedback.uncoded")}</option>
                {(causes.data?.items ?? [])
                  .filter((c) => c.active)
                  .map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.name[lang]}
                    </option>
                  ))}
              </Select>
            )}
          </Field>
        </div>
        <Field
          label={t("feedback.record.caseId")}
          hint={t("feedback.record.caseIdHint")}
          error={err?.field("caseId")}
        >
          {(p) => <Input {...p} value={caseId} onChange={(e) => setCaseId(e.target.value)} />}
        </Field>
        {record.error && !(err && FIELDS.some((f) => err.field(f))) ? (
          <p className="t-error-text" role="alert">
            {problemText(record.error)}
          </p>
        ) : null}
        <DialogActions>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="primary" disabled={!summary.trim() || record.isPending}>
            {t("feedback.record.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
