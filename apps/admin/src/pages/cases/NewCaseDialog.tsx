/** Creating a case from the queue. */
import { useNavigate } from "@tanstack/react-router"
import { Button, Callout, Dialog, DialogActions, Field, Input, Select, useToast } from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import { useCreateCase } from "../../api/process"
import { CustomerLookup } from "./CustomerLookup"
import { CHANNELS, CodeOptions, SEGMENTS, VocabOptions } from "./shared"

const EMPTY = {
  type: "inquiry",
  channel: "phone",
  subject: "",
  content: "",
  urgency: "medium",
  customerName: "",
  segment: "existing",
  category: "",
  tier: "L1",
  team: "",
}

export const NewCaseDialog = ({
  open,
  onOpenChange,
}: {
  open: boolean
  onOpenChange: (o: boolean) => void
}) => {
  const { t } = useTranslation()
  const toast = useToast()
  const navigate = useNavigate()
  const create = useCreateCase()
  const [form, setForm] = useState(EMPTY)
  const [customer, setCustomer] = useState<{ id: string; name: string } | null>(null)
  const error = create.error instanceof ApiError ? create.error : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate(
      {
        type: form.type,
        channel: form.channel,
        subject: form.subject,
        content: form.content,
        urgency: form.urgency,
        tier: form.tier,
        ...(form.category ? { category: form.category } : {}),
        ...(form.team.trim() ? { team: form.team.trim() } : {}),
        ...(customer
          ? { customerId: customer.id }
          : form.customerName
            ? { customer: { name: form.customerName, segment: form.segment } }
            : {}),
      },
      {
        onSuccess: (c) => {
          toast(t("cases.created", { number: c.number }))
          // the next case starts from an empty form
          setForm(EMPTY)
          setCustomer(null)
          onOpenChange(false)
          void navigate({ to: "/cases/$caseId", params: { caseId: c.id } })
        },
      },
    )
  }
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={t("cases.newCase")}>
      <form onSubmit={submit} noValidate>
        <Field label={t("cases.subject")} error={error?.field("subject")}>
          {(p) => (
            <Input
              {...p}
              value={form.subject}
              onChange={(e) => setForm({ ...form, subject: e.target.value })}
              autoFocus
            />
          )}
        </Field>
        <div
          style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(120px, 1fr))", gap: 12 }}
        >
          <Field label={t("cases.type")} error={error?.field("type")}>
            {(p) => (
              <Select {...p} value={form.type} onChange={(e) => setForm({ ...form, type: e.target.value })}>
                <VocabOptions kind="type" />
              </Select>
            )}
          </Field>
          <Field label={t("cases.channel")} error={error?.field("channel")}>
            {(p) => (
              <Select
                {...p}
                value={form.channel}
                onChange={(e) => setForm({ ...form, channel: e.target.value })}
              >
                <CodeOptions codes={CHANNELS} ns="channels" />
              </Select>
            )}
          </Field>
          <Field label={t("cases.urgency")} error={error?.field("urgency")}>
            {(p) => (
              <Select
                {...p}
                value={form.urgency}
                onChange={(e) => setForm({ ...form, urgency: e.target.value })}
              >
                {["high", "medium", "low"].map((x) => (
                  <option key={x} value={x}>
                    {t(`levels.${x}`)}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <div
          style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(120px, 1fr))", gap: 12 }}
        >
          <Field label={t("cases.category")} error={error?.field("category")}>
            {(p) => (
              <Select
                {...p}
                value={form.category}
                onChange={(e) => setForm({ ...form, category: e.target.value })}
              >
                <option value="">{t("cases.record.noCategory")}</option>
                <VocabOptions kind="category" />
              </Select>
            )}
          </Field>
          <Field label={t("cases.tier")} error={error?.field("tier")}>
            {(p) => (
              <Select {...p} value={form.tier} onChange={(e) => setForm({ ...form, tier: e.target.value })}>
                {["L1", "L2", "L3"].map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label={t("cases.team")} error={error?.field("team")} hint={t("cases.teamHint")}>
            {(p) => (
              <Input {...p} value={form.team} onChange={(e) => setForm({ ...form, team: e.target.value })} />
            )}
          </Field>
        </div>
        <CustomerLookup value={customer} onChange={setCustomer} error={error?.field("customerId")} />
        {customer ? null : (
          <div style={{ display: "grid", gridTemplateColumns: "2fr 1fr", gap: 12 }}>
            <Field label={t("cases.newCustomer")} error={error?.field("customer")}>
              {(p) => (
                <Input
                  {...p}
                  value={form.customerName}
                  onChange={(e) => setForm({ ...form, customerName: e.target.value })}
                />
              )}
            </Field>
            <Field label={t("cases.segment")}>
              {(p) => (
                <Select
                  {...p}
                  value={form.segment}
                  onChange={(e) => setForm({ ...form, segment: e.target.value })}
                >
                  <CodeOptions codes={SEGMENTS} ns="segments" />
                </Select>
              )}
            </Field>
          </div>
        )}
        <Field label={t("cases.content")} error={error?.field("content")}>
          {(p) => (
            <textarea
              {...p}
              className="t-input"
              style={{ height: 80, padding: 8 }}
              value={form.content}
              onChange={(e) => setForm({ ...form, content: e.target.value })}
            />
          )}
        </Field>
        {error && !error.fieldErrors.length ? (
          <Callout tone="bad">{error.detail ?? error.title}</Callout>
        ) : null}
        <DialogActions>
          <Button onClick={() => onOpenChange(false)}>{t("common.cancel")}</Button>
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {t("common.create")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
