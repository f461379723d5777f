/**
 * Finding a customer by exact name, external id, phone or e-mail (the server searches blind indexes
 * when customer data is encrypted) and picking one.
 */
import { Button, Field, Input } from "@tenet/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { useCustomers } from "../../api/process"

export const CustomerLookup = ({
  value,
  onChange,
  error,
}: {
  value: { id: string; name: string } | null
  onChange: (c: { id: string; name: string } | null) => void
  error?: string | undefined
}) => {
  const { t } = useTranslation()
  const [q, setQ] = useState("")
  const [applied, setApplied] = useState("")
  const found = useCustomers({ q: applied, limit: "5" }, applied !== "")
  const search = () => setApplied(q.trim())
  return (
    <div data-testid="customer-lookup">
      <Field label={t("cases.customer")} error={error} hint={t("cases.lookup.hint")}>
        {(p) => (
          <div style={{ display: "flex", gap: 6 }}>
            <Input
              {...p}
              value={q}
              placeholder={value ? value.name : t("customers.search")}
              onChange={(e) => setQ(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault()
                  search()
                }
              }}
            />
            <Button size="sm" type="button" onClick={search}>
              {t("common.search")}
            </Button>
          </div>
        )}
      </Field>
      {value ? (
        <p style={{ margin: "0 0 8px" }}>
          {t("cases.lookup.selected")}: <strong>{value.name}</strong>{" "}
          <Button size="sm" type="button" onClick={() => onChange(null)}>
            {t("cases.lookup.clear")}
          </Button>
        </p>
      ) : null}
      {applied ? (
        <ul className="t-list" style={{ margin: "0 0 8px", paddingLeft: 16 }}>
          {(found.data?.items ?? []).map((c) => (
            <li key={c.id}>
              <Button
                size="sm"
                type="button"
                variant="ghost"
                onClick={() => {
                  onChange({ id: c.id, name: c.name })
                  setApplied("")
                  setQ("")
                }}
              >
                {c.name}
                {c.externalId ? ` · ${c.externalId}` : ""}
              </Button>
            </li>
          ))}
          {found.data && found.data.items.length === 0 ? (
            <li className="t-hint">{t("cases.lookup.none")}</li>
          ) : null}
        </ul>
      ) : null}
    </div>
  )
}
