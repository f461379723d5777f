/** A case's customer: name, contacts and external id, masked for roles without pi:read, with an audited reveal. */
import { Badge, Button, Input, useToast } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { type CaseCustomer, useRevealCustomer } from "../../api/process"
import { useSession } from "../../session"

export const CustomerPii = ({ customer }: { customer: CaseCustomer }) => {
  const { t } = useTranslation()
  const session = useSession()
  const toast = useToast()
  const reveal = useRevealCustomer()
  const [reason, setReason] = useState("")
  const [shown, setShown] = useState<CaseCustomer | null>(null)
  const c = shown ?? customer
  return (
    <div style={{ display: "flex", flexDirection: "column", gap: 4 }}>
      <span>
        {c.name} · {t(`segments.${c.segment}`)}{" "}
        {customer.masked && !shown ? <Badge title={t("pii.maskedHelp")}>{t("pii.masked")}</Badge> : null}
      </span>
      {(c.contacts ?? []).map((x) => (
        <span key={`${x.channel}:${x.value}`} className="t-hint">
          {t(`channels.${x.channel}`, { defaultValue: x.channel })}: {x.value}
        </span>
      ))}
      {c.externalId ? (
        <span className="t-hint">
          {t("customers.externalId")}: {c.externalId}
        </span>
      ) : null}
      {customer.masked && !shown && session.can("pi:write") ? (
        <form
          style={{ display: "flex", gap: 6, marginTop: 4 }}
          onSubmit={(e) => {
            e.preventDefault()
            reveal.mutate(
              { id: customer.id, ...(reason.trim() ? { reason: reason.trim() } : {}) },
              {
                onSuccess: (r) => {
                  setShown(r)
                  toast(t("pii.revealed"))
                },
                onError: () => toast(t("pii.revealFailed")),
              },
            )
          }}
        >
          <Input
            aria-label={t("pii.reason")}
            placeholder={t("pii.reason")}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <Button type="submit" size="sm" disabled={reveal.isPending}>
            {t("pii.reveal")}
          </Button>
        </form>
      ) : null}
    </div>
  )
}
