import {
  Badge,
  Button,
  Callout,
  ConfirmDialog,
  DataTable,
  Dialog,
  DialogActions,
  dataTableColumns,
  Field,
  Input,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../api/client"
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from "../api/hooks"
import { type ApiKey, ROLES, type Role } from "../api/types"
import { FormError, RoleField, ShownOnce } from "../components/Grant"
import { useFormat } from "../format"
import { useSession } from "../session"
import { exportUrlOf, useTableLabels } from "./table-labels"

const col = dataTableColumns<ApiKey>()

export const ApiKeysPage = () => {
  const { t } = useTranslation()
  const session = useSession()
  const fmt = useFormat()
  const keys = useApiKeys()
  const revoke = useRevokeApiKey()
  const toast = useToast()
  const labels = useTableLabels()
  const canManage = session.can("apikeys:manage")
  const [createOpen, setCreateOpen] = useState(false)
  const [confirm, setConfirm] = useState<ApiKey>()
  const columns = useMemo(
    () =>
      col.columns([
        col.accessor("name", { header: t("apiKeys.name"), enableSorting: false }),
        col.accessor("prefix", {
          header: t("apiKeys.prefix"),
          enableSorting: false,
          cell: (info) => <code className="t-code">tnt_{info.getValue()}_…</code>,
        }),
        col.accessor("role", {
          header: t("apiKeys.role"),
          enableSorting: false,
          cell: (info) => t(`roles.${info.getValue()}`),
        }),
        col.accessor("createdAt", {
          header: t("apiKeys.createdAt"),
          enableSorting: false,
          cell: (info) => fmt.dateTime(info.getValue()),
        }),
        col.accessor("lastUsedAt", {
          header: t("apiKeys.lastUsed"),
          enableSorting: false,
          cell: (info) => (info.getValue() ? fmt.dateTime(info.getValue()) : t("common.never")),
        }),
        col.accessor("revokedAt", {
          header: t("apiKeys.status"),
          enableSorting: false,
          cell: (info) =>
            info.getValue() ? (
              <Badge tone="bad">✕ {t("apiKeys.revoked")}</Badge>
            ) : (
              <Badge tone="ok">● {t("apiKeys.active")}</Badge>
            ),
        }),
        col.display({
          id: "actions",
          header: "",
          cell: (info) =>
            canManage && !info.row.original.revokedAt ? (
              <Button size="sm" variant="danger" onClick={() => setConfirm(info.row.original)}>
                {t("common.revoke")}
              </Button>
            ) : null,
        }),
      ]),
    [t, fmt, canManage],
  )
  return (
    <>
      <div className="toolbar">
        <p style={{ margin: 0, color: "var(--text-2)" }}>{t("apiKeys.description")}</p>
        {canManage ? (
          <Button variant="primary" onClick={() => setCreateOpen(true)}>
            {t("apiKeys.create")}
          </Button>
        ) : null}
      </div>
      <DataTable
        id="api-keys"
        caption={t("apiKeys.title")}
        exportUrl={exportUrlOf("/api/v1/api-keys")}
        columns={columns}
        rows={keys.data?.items}
        getRowId={(k) => k.id}
        loading={keys.isLoading}
        error={keys.isError ? (keys.error as Error).message : undefined}
        onRetry={() => void keys.refetch()}
        total={keys.data?.items.length}
        empty={t("apiKeys.empty")}
        labels={labels}
      />
      <CreateKeyDialog open={createOpen} onOpenChange={setCreateOpen} />
      <ConfirmDialog
        open={Boolean(confirm)}
        title={t("common.revoke")}
        confirmLabel={t("common.revoke")}
        cancelLabel={t("common.cancel")}
        onCancel={() => setConfirm(undefined)}
        onConfirm={() =>
          confirm &&
          revoke.mutate(confirm.id, {
            onSuccess: () => toast(t("apiKeys.revokedToast", { name: confirm.name })),
            onSettled: () => setConfirm(undefined),
          })
        }
      >
        {t("apiKeys.revokeConfirm", { name: confirm?.name ?? "" })}
      </ConfirmDialog>
    </>
  )
}

const CreateKeyDialog = ({ open, onOpenChange }: { open: boolean; onOpenChange: (o: boolean) => void }) => {
  const { t } = useTranslation()
  const session = useSession()
  const create = useCreateApiKey()
  const [name, setName] = useState("")
  const [role, setRole] = useState<Role>("agent")
  const error = create.error instanceof ApiError ? create.error : undefined
  const grantable = ROLES.filter((r) => r !== "owner" || session.org?.role === "owner")
  const close = (o: boolean) => {
    if (!o) {
      create.reset()
      setName("")
    }
    onOpenChange(o)
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate({ name, role })
  }
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={create.data ? t("apiKeys.createdTitle") : t("apiKeys.create")}
    >
      {create.data ? (
        <ShownOnce
          value={create.data.secret}
          testId="api-key-secret"
          note={<Callout tone="warn">{t("apiKeys.createdBody")}</Callout>}
          onClose={() => close(false)}
        />
      ) : (
        <form onSubmit={submit} noValidate>
          <Field label={t("apiKeys.name")} hint={t("apiKeys.nameHint")} error={error?.field("name")}>
            {(p) => <Input {...p} value={name} onChange={(e) => setName(e.target.value)} autoFocus />}
          </Field>
          <RoleField
            label={t("apiKeys.role")}
            role={role}
            onChange={setRole}
            grantable={grantable}
            error={error}
          />
          <FormError error={error} />
          <DialogActions>
            <Button onClick={() => close(false)}>{t("common.cancel")}</Button>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              {t("common.create")}
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  )
}
