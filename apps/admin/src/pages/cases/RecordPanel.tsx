/**
 * The intake record of a case: its category, description and customer. The change that completes
 * it (what the organisation requires, see Cases → Settings) stops the initial-record clock.
 */
import { Button, Callout, Card, Field, Input, Select, useToast } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import { type CaseDetail, useProcessSettings, useUpdateCase } from "../../api/process"
import { CustomerLookup } from "./CustomerLookup"
import { VocabOptions } from "./shared"

export const RecordPanel = ({ d }: { d: CaseDetail }) => {
  const { t } = useTranslation()
  const toast = useToast()
  const settings = useProcessSettings()
  const update = useUpdateCase(d.case.id)
  const [category, setCategory] = useState(d.case.category ?? "")
  const [content, setContent] = useState(d.case.content ?? "")
  const [customer, setCustomer] = useState<{ id: string; name: string } | null>(
    d.customer ? { id: d.customer.id, name: d.customer.name } : null,
  )
  const [milestones, setMilestones] = useState(d.case.milestones ?? [])
  const [milestone, setMilestone] = useState("")
  const error = update.error instanceof ApiError ? update.error : undefined
  const requires = settings.data?.recordRequires ?? []
  const submit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate(
      {
        category: category || null,
        content,
        milestones,
        ...(customer && customer.id !== d.case.customerId ? { customerId: customer.id } : {}),
      },
      { onSuccess: () => toast(t("common.saved")) },
    )
  }
  return (
    <Card title={t("cases.record.title")}>
      <form onSubmit={submit} noValidate data-testid="record-panel">
        <p className="t-hint" style={{ margin: "0 0 8px" }}>
          {d.case.recordedAt
            ? t("cases.record.completeSince")
            : t("cases.record.needs", {
                fields: requires
                  .map((f) => t(`caseSettings.recordFields.${f}`))
                  .join(t("cases.record.separator")),
              })}
        </p>
        <Field label={t("cases.category")} error={error?.field("category")}>
          {(p) => (
            <Select {...p} value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">{t("cases.record.noCategory")}</option>
              <VocabOptions kind="category" keep={d.case.category} />
            </Select>
          )}
        </Field>
        <CustomerLookup value={customer} onChange={setCustomer} error={error?.field("customerId")} />
        <Field label={t("cases.content")} error={error?.field("content")}>
          {(p) => (
            <textarea
              {...p}
              className="t-input"
              style={{ height: 72, padding: 8 }}
              value={content}
              onChange={(e) => setContent(e.target.value)}
            />
          )}
        </Field>
        <fieldset style={{ border: 0, padding: 0, margin: "0 0 12px" }} data-testid="milestones">
          <legend className="t-label">{t("cases.milestones.title")}</legend>
          {milestones.map((m, i) => (
            <label key={m.name} style={{ display: "flex", gap: 8, alignItems: "center" }}>
              <input
                type="checkbox"
                checked={Boolean(m.doneAt)}
                onChange={(e) =>
                  setMilestones(
                    milestones.map((x, j) =>
                      j === i ? { ...x, doneAt: e.target.checked ? new Date().toISOString() : null } : x,
                    ),
                  )
                }
              />
              {m.name}
            </label>
          ))}
          <div style={{ display: "flex", gap: 6, marginTop: 6 }}>
            <Input
              aria-label={t("cases.milestones.new")}
              placeholder={t("cases.milestones.new")}
              value={milestone}
              onChange={(e) => setMilestone(e.target.value)}
            />
            <Button
              size="sm"
              type="button"
              disabled={!milestone.trim() || milestones.some((m) => m.name === milestone.trim())}
              onClick={() => {
                setMilestones([...milestones, { name: milestone.trim() }])
                setMilestone("")
              }}
            >
              {t("cases.milestones.add")}
            </Button>
          </div>
          {error?.field("milestones") ? (
            <span className="t-error-text">{error.field("milestones")}</span>
          ) : null}
        </fieldset>
        {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
        <Button type="submit" disabled={update.isPending}>
          {t("common.save")}
        </Button>
      </form>
    </Card>
  )
}
