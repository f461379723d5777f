/** Creating or editing a customer: name, external id, segment, value tier, dedicated team, phone and e-mail. */
import { Button, Callout, Dialog, DialogActions, Field, Input, Select, useToast } from "@tenet/ui"
import { type FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../../api/client"
import { type CustomerRow, useSaveCustomer } from "../../api/process"
import { CodeOptions, SEGMENTS } from "./shared"

const empty = {
  name: "",
  externalId: "",
  segment: "new",
  valueTier: "",
  dedicatedTeam: "",
  phone: "",
  email: "",
}

export const CustomerDialog = ({
  open,
  onOpenChange,
  customer,
}: {
  open: boolean
  onOpenChange: (o: boolean) => void
  /** The customer to edit; a new one when absent. */
  customer?: CustomerRow | undefined
}) => {
  const { t } = useTranslation()
  const toast = useToast()
  const save = useSaveCustomer()
  const [form, setForm] = useState(empty)
  useEffect(() => {
    if (!open) return
    setForm(
      customer
        ? {
            ...empty,
            name: customer.name,
            externalId: customer.externalId ?? "",
            segment: customer.segment,
            valueTier: customer.valueTier ?? "",
            dedicatedTeam: customer.dedicatedTeam ?? "",
          }
        : empty,
    )
  }, [open, customer])
  const error = save.error instanceof ApiError ? save.error : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const contacts = [
      ...(form.phone.trim() ? [{ channel: "phone", value: form.phone.trim() }] : []),
      ...(form.email.trim() ? [{ channel: "email", value: form.email.trim() }] : []),
    ]
    save.mutate(
      {
        ...(customer ? { id: customer.id } : {}),
        name: form.name,
        segment: form.segment as (typeof SEGMENTS)[number],
        ...(form.externalId.trim() ? { externalId: form.externalId.trim() } : {}),
        ...(form.valueTier.trim() ? { valueTier: form.valueTier.trim() } : {}),
        ...(form.dedicatedTeam.trim() ? { dedicatedTeam: form.dedicatedTeam.trim() } : {}),
        ...(contacts.length ? { contacts } : {}),
      },
      {
        onSuccess: () => {
          toast(customer ? t("customers.updated") : t("customers.created"))
          onOpenChange(false)
        },
      },
    )
  }
  const text = (key: keyof typeof empty, label: string, field: string = key) => (
    <Field label={label} error={error?.field(field)}>
      {(p) => (
        <Input {...p} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
      )}
    </Field>
  )
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={customer ? t("customers.editTitle") : t("customers.new")}
    >
      <form onSubmit={submit} noValidate data-testid="customer-dialog">
        {text("name", t("customers.name"))}
        <div style={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 12 }}>
          {text("externalId", t("customers.externalId"))}
          <Field label={t("cases.segment")} error={error?.field("segment")}>
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
          {text("valueTier", t("customers.valueTier"))}
          {text("dedicatedTeam", t("customers.dedicatedTeam"))}
          {text("phone", t("customers.phone"), "contacts")}
          {text("email", t("customers.email"), "contacts")}
        </div>
        {customer ? <p className="t-hint">{t("customers.contactsHint")}</p> : null}
        {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
        <DialogActions>
          <Button onClick={() => onOpenChange(false)}>{t("common.cancel")}</Button>
          <Button type="submit" variant="primary" disabled={save.isPending}>
            {t("common.save")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
