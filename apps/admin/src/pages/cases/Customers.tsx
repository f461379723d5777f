/** Customers: the server-driven list and one customer with their cases. */
import { Badge, Button, DataTable, dataTableColumns, Input, Select } from "@tenet/ui"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { type CustomerRow, useCustomers } from "../../api/process"
import { useSession } from "../../session"
import { ConsentHistory } from "../privacy/ConsentHistory"
import { exportUrlOf, keysetTableProps, useTableLabels } from "../table-labels"
import { CustomerDialog } from "./CustomerDialog"
import { CodeOptions, SEGMENTS } from "./shared"

const ccol = dataTableColumns<CustomerRow>()

export const CustomersPage = () => {
  const { t } = useTranslation()
  const labels = useTableLabels()
  const [q, setQ] = useState("")
  const [applied, setApplied] = useState<{ q?: string | undefined; segment?: string | undefined }>({})
  const [cursors, setCursors] = useState<string[]>([])
  const page = useCustomers({ ...applied, limit: "25", cursor: cursors.at(-1) })
  const [consentsOf, setConsentsOf] = useState<string | null>(null)
  const session = useSession()
  const canWrite = session.can("cases:write")
  const [editing, setEditing] = useState<CustomerRow | "new" | null>(null)
  const columns = useMemo(
    () =>
      ccol.columns([
        ccol.accessor("name", { header: t("customers.name"), enableSorting: false }),
        ccol.accessor("externalId", {
          header: t("customers.externalId"),
          enableSorting: false,
          cell: (i) => i.getValue() ?? "—",
        }),
        ccol.accessor("segment", {
          header: t("cases.segment"),
          enableSorting: false,
          cell: (i) => (
            <Badge tone={i.getValue() === "vip" ? "accent" : undefined}>
              {t(`segments.${i.getValue()}`)}
            </Badge>
          ),
        }),
        ccol.accessor("valueTier", {
          header: t("customers.valueTier"),
          enableSorting: false,
          cell: (i) => i.getValue() ?? "—",
        }),
        ccol.accessor("dedicatedTeam", {
          header: t("customers.dedicatedTeam"),
          enableSorting: false,
          cell: (i) => i.getValue() ?? "—",
        }),
        ccol.accessor("cases", { header: t("customers.cases"), enableSorting: false }),
        ccol.display({
          id: "edit",
          header: t("customers.edit"),
          cell: (i) =>
            canWrite ? (
              <Button size="sm" onClick={() => setEditing(i.row.original)}>
                {t("customers.edit")}
              </Button>
            ) : null,
        }),
        ccol.display({
          id: "consents",
          header: t("privacy.consents.title"),
          cell: (i) => (
            <Button size="sm" onClick={() => setConsentsOf(i.row.original.id)}>
              {t("privacy.consents.title")}
            </Button>
          ),
        }),
      ]),
    [t, canWrite],
  )
  return (
    <>
      <DataTable
        id="customers"
        caption={t("customers.title")}
        exportUrl={exportUrlOf("/api/v1/process/customers", applied)}
        columns={columns}
        getRowId={(c) => c.id}
        {...keysetTableProps(page, cursors, setCursors)}
        empty={t("customers.empty")}
        labels={labels}
        toolbar={
          <>
            <form
              onSubmit={(e) => {
                e.preventDefault()
                setCursors([])
                setApplied((a) => ({ ...a, ...(q ? { q } : { q: undefined }) }))
              }}
              style={{ display: "flex", gap: 6 }}
            >
              <Input
                aria-label={t("customers.search")}
                placeholder={t("customers.search")}
                value={q}
                onChange={(e) => setQ(e.target.value)}
              />
              <Button type="submit" size="sm">
                {t("common.search")}
              </Button>
            </form>
            <Select
              aria-label={t("cases.segment")}
              value={applied.segment ?? ""}
              onChange={(e) => {
                setCursors([])
                setApplied((a) => ({ ...a, segment: e.target.value || undefined }))
              }}
            >
              <option value="">{t("customers.anySegment")}</option>
              <CodeOptions codes={SEGMENTS} ns="segments" />
            </Select>
            {canWrite ? (
              <Button size="sm" variant="primary" onClick={() => setEditing("new")}>
                {t("customers.new")}
              </Button>
            ) : null}
          </>
        }
      />
      {consentsOf ? <ConsentHistory customerId={consentsOf} /> : null}
      <CustomerDialog
        open={editing !== null}
        onOpenChange={(o) => (o ? undefined : setEditing(null))}
        customer={editing === "new" || editing === null ? undefined : editing}
      />
    </>
  )
}
