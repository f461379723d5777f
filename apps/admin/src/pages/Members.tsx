import {
  Badge,
  Button,
  Card,
  ConfirmDialog,
  DataTable,
  Dialog,
  DialogActions,
  dataTableColumns,
  Field,
  Input,
  Select,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError } from "../api/client"
import {
  useChangeRole,
  useInvitations,
  useInvite,
  useMembers,
  useRemoveMember,
  useRevokeInvitation,
  useRolesMeta,
} from "../api/hooks"
import { type Member, ROLES, type Role } from "../api/types"
import { ExportLinks } from "../components/ExportLinks"
import { FormError, RoleField, ShownOnce } from "../components/Grant"
import { useFormat } from "../format"
import { useSession } from "../session"
import { exportUrlOf, useExportLabels, useTableLabels } from "./table-labels"

const col = dataTableColumns<Member>()

export const MembersPage = () => {
  const { t } = useTranslation()
  const exportLabels = useExportLabels()
  const session = useSession()
  const fmt = useFormat()
  const members = useMembers()
  const canManage = session.can("members:manage")
  const invitations = useInvitations(canManage)
  const changeRole = useChangeRole()
  const remove = useRemoveMember()
  const revokeInvitation = useRevokeInvitation()
  const toast = useToast()
  const labels = useTableLabels()
  const [inviteOpen, setInviteOpen] = useState(false)
  const [confirm, setConfirm] = useState<Member>()
  const grantable = ROLES.filter((r) => r !== "owner" || session.org?.role === "owner")
  const columns = useMemo(
    () =>
      col.columns([
        col.accessor("name", { header: t("members.name"), enableSorting: false }),
        col.accessor("email", { header: t("members.email"), enableSorting: false }),
        col.accessor("role", {
          header: t("members.role"),
          enableSorting: false,
          cell: (info) => {
            const m = info.row.original
            if (
              !canManage ||
              m.userId === session.me?.user.id ||
              (m.role === "owner" && session.org?.role !== "owner")
            )
              return <Badge tone={m.role === "owner" ? "accent" : undefined}>{t(`roles.${m.role}`)}</Badge>
            return (
              <Select
                aria-label={t("members.changeRole", { name: m.name })}
                value={m.role}
                onChange={(e) =>
                  changeRole.mutate(
                    { userId: m.userId, role: e.target.value as Role },
                    {
                      onSuccess: () =>
                        toast(t("members.roleChanged", { name: m.name, role: t(`roles.${e.target.value}`) })),
                      onError: (err) => toast((err as Error).message, "bad"),
                    },
                  )
                }
              >
                {grantable.map((r) => (
                  <option key={r} value={r}>
                    {t(`roles.${r}`)}
                  </option>
                ))}
              </Select>
            )
          },
        }),
        col.accessor("joinedAt", {
          header: t("members.joined"),
          enableSorting: false,
          cell: (info) => fmt.date(info.getValue()),
        }),
        col.display({
          id: "actions",
          header: t("members.actions"),
          cell: (info) =>
            canManage && info.row.original.userId !== session.me?.user.id ? (
              <Button size="sm" variant="danger" onClick={() => setConfirm(info.row.original)}>
                {t("common.remove")}
              </Button>
            ) : info.row.original.userId === session.me?.user.id ? (
              <span className="t-hint">({t("common.you")})</span>
            ) : null,
        }),
      ]),
    [t, canManage, session, fmt, changeRole, toast, grantable],
  )
  return (
    <>
      <div className="toolbar">
        <p style={{ margin: 0, color: "var(--text-2)" }}>
          {t("members.description", { name: session.org?.name ?? "" })}
        </p>
        {canManage ? (
          <Button variant="primary" onClick={() => setInviteOpen(true)}>
            {t("members.invite")}
          </Button>
        ) : null}
      </div>
      <DataTable
        id="members"
        caption={t("members.title")}
        exportUrl={exportUrlOf("/api/v1/members")}
        columns={columns}
        rows={members.data?.items}
        getRowId={(m) => m.userId}
        loading={members.isLoading}
        error={members.isError ? (members.error as Error).message : undefined}
        onRetry={() => void members.refetch()}
        total={members.data?.items.length}
        empty={t("members.empty")}
        labels={labels}
      />
      {canManage ? (
        <div style={{ marginTop: 24 }}>
          <Card title={t("members.invitations")}>
            <ExportLinks
              url="/api/v1/invitations"
              columns={[
                ["email", t("members.email")],
                ["role", t("members.role"), exportLabels("roles") ?? {}],
                ["expiresAt", t("members.expires")],
              ]}
            />
            {invitations.data?.items.length ? (
              <table className="t-table">
                <thead>
                  <tr>
                    <th scope="col">{t("members.email")}</th>
                    <th scope="col">{t("members.role")}</th>
                    <th scope="col">{t("members.expires")}</th>
                    <th scope="col">{t("members.actions")}</th>
                  </tr>
                </thead>
                <tbody>
                  {invitations.data.items.map((i) => (
                    <tr key={i.id}>
                      <td>{i.email}</td>
                      <td>{t(`roles.${i.role}`)}</td>
                      <td>{fmt.dateTime(i.expiresAt)}</td>
                      <td>
                        <Button size="sm" variant="danger" onClick={() => revokeInvitation.mutate(i.id)}>
                          {t("common.revoke")}
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="t-hint">{t("members.noInvitations")}</p>
            )}
          </Card>
        </div>
      ) : null}
      <div style={{ marginTop: 24 }}>
        <RoleMatrix />
      </div>
      <InviteDialog open={inviteOpen} onOpenChange={setInviteOpen} grantable={grantable} />
      <ConfirmDialog
        open={Boolean(confirm)}
        title={t("common.remove")}
        confirmLabel={t("common.remove")}
        cancelLabel={t("common.cancel")}
        onCancel={() => setConfirm(undefined)}
        onConfirm={() =>
          confirm &&
          remove.mutate(confirm.userId, {
            onSuccess: () => toast(t("members.removed", { name: confirm.name })),
            onError: (e) => toast((e as Error).message, "bad"),
            onSettled: () => setConfirm(undefined),
          })
        }
      >
        {t("members.removeConfirm", { name: confirm?.name ?? "" })}
      </ConfirmDialog>
    </>
  )
}

const InviteDialog = ({
  open,
  onOpenChange,
  grantable,
}: {
  open: boolean
  onOpenChange: (o: boolean) => void
  grantable: Role[]
}) => {
  const { t } = useTranslation()
  const invite = useInvite()
  const [email, setEmail] = useState("")
  const [role, setRole] = useState<Role>("agent")
  const error = invite.error instanceof ApiError ? invite.error : undefined
  const close = (o: boolean) => {
    if (!o) {
      invite.reset()
      setEmail("")
    }
    onOpenChange(o)
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    invite.mutate({ email, role })
  }
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={t("members.inviteTitle")}
      description={t("members.inviteDescription")}
    >
      {invite.data ? (
        <ShownOnce
          value={invite.data.url}
          testId="invitation-url"
          note={<p className="t-label">{t("members.inviteLink", { email: invite.data.invitation.email })}</p>}
          onClose={() => close(false)}
        />
      ) : (
        <form onSubmit={submit} noValidate>
          <Field label={t("members.email")} error={error?.field("email")}>
            {(p) => (
              <Input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
            )}
          </Field>
          <RoleField
            label={t("members.role")}
            role={role}
            onChange={setRole}
            grantable={grantable}
            error={error}
          />
          <FormError error={error} />
          <DialogActions>
            <Button onClick={() => close(false)}>{t("common.cancel")}</Button>
            <Button type="submit" variant="primary" disabled={invite.isPending}>
              {t("members.invite")}
            </Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  )
}

const RoleMatrix = () => {
  const { t } = useTranslation()
  const meta = useRolesMeta()
  if (!meta.data) return null
  const modules = meta.data.modules
  return (
    <Card title={t("members.roleMatrix")}>
      <div style={{ overflowX: "auto" }}>
        <table className="role-matrix">
          <thead>
            <tr>
              <th scope="col">{t("members.role")}</th>
              {modules.map((m) => (
                <th key={m} scope="col">
                  {t(`permModules.${m}`, { defaultValue: m })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {meta.data.roles.map((r) => (
              <tr key={r.role}>
                <th scope="row" title={t(`roleHelp.${r.role}`)}>
                  {t(`roles.${r.role}`)}
                </th>
                {modules.map((m) => {
                  const level = r.permissions.includes(`${m}:manage`)
                    ? "manage"
                    : r.permissions.includes(`${m}:write`)
                      ? "write"
                      : r.permissions.includes(`${m}:read`)
                        ? "read"
                        : "none"
                  return (
                    <td key={m}>
                      {level === "none" ? (
                        <>
                          <span aria-hidden>—</span>
                          <span className="t-visually-hidden">{t("permLevels.none")}</span>
                        </>
                      ) : (
                        <Badge tone={level === "manage" ? "accent" : level === "write" ? "ok" : undefined}>
                          {t(`permLevels.${level}`)}
                        </Badge>
                      )}
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  )
}
