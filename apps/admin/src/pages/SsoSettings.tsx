/** Settings → Single sign-on: the organisation's OpenID provider (settings:manage). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Button, Callout, Card, Field, Input, Select, Skeleton, useToast } from "@tenet/ui"
import { type FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api } from "../api/client"
import { ROLES, type Role } from "../api/types"
import { useSession } from "../session"

interface SsoSettings {
  displayName: string
  issuer: string
  clientId: string
  clientSecretSet: boolean
  scopes: string
  allowedDomains: string[]
  roleClaim: string
  roleMap: Array<{ value: string; role: Role }>
  defaultRole: Role
  enabled: boolean
  passwordSignIn: boolean
}

const EMPTY = {
  displayName: "",
  issuer: "",
  clientId: "",
  clientSecret: "",
  scopes: "openid email profile",
  allowedDomains: "",
  roleClaim: "groups",
  roleMap: "",
  defaultRole: "agent" as Role,
  enabled: true,
  passwordSignIn: true,
}

const MAPPABLE = ROLES.filter((r) => r !== "owner")

/** "value = role" lines → rules; the first bad line's number, or the rules. */
const parseRoleMap = (text: string): { rules: SsoSettings["roleMap"] } | { badLine: number } => {
  const rules: SsoSettings["roleMap"] = []
  const lines = text.split("\n")
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (!line) continue
    const at = line.lastIndexOf("=")
    const value = line.slice(0, at).trim()
    const role = line.slice(at + 1).trim() as Role
    if (at < 1 || !value || role === "owner" || !ROLES.includes(role)) return { badLine: i + 1 }
    rules.push({ value, role })
  }
  return { rules }
}

export const SsoSettingsPage = () => {
  const { t } = useTranslation()
  const session = useSession()
  const toast = useToast()
  const qc = useQueryClient()
  const canEdit = session.can("settings:manage")
  const query = useQuery({
    queryKey: ["sso-settings", session.org?.orgId],
    queryFn: () => api<{ settings: SsoSettings | null }>("/api/v1/sso/settings"),
    enabled: canEdit,
  })
  const [form, setForm] = useState(EMPTY)
  const [mapError, setMapError] = useState<string | undefined>()
  const stored = query.data?.settings
  useEffect(() => {
    if (stored)
      setForm({
        ...stored,
        clientSecret: "",
        allowedDomains: stored.allowedDomains.join(", "),
        roleMap: stored.roleMap.map((r) => `${r.value} = ${r.role}`).join("\n"),
      })
  }, [stored])
  const save = useMutation({
    mutationFn: (body: unknown) => api("/api/v1/sso/settings", { method: "PUT", body }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ["sso-settings"] })
      toast(t("common.saved"))
    },
  })
  const remove = useMutation({
    mutationFn: () => api("/api/v1/sso/settings", { method: "DELETE" }),
    onSuccess: async () => {
      setForm(EMPTY)
      await qc.invalidateQueries({ queryKey: ["sso-settings"] })
      toast(t("sso.removed"))
    },
  })
  const error = save.error instanceof ApiError ? save.error : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const parsed = parseRoleMap(form.roleMap)
    if ("badLine" in parsed) return setMapError(t("sso.roleMapInvalid", { line: parsed.badLine }))
    setMapError(undefined)
    const { clientSecret, ...rest } = form
    save.mutate({
      ...rest,
      ...(clientSecret ? { clientSecret } : {}),
      allowedDomains: form.allowedDomains.split(/[\s,]+/).filter(Boolean),
      roleMap: parsed.rules,
    })
  }
  if (!canEdit) return <Callout tone="bad">{t("common.errorTitle")}</Callout>
  if (query.isPending) return <Skeleton height={200} />
  const origin = window.location.origin
  const text = (key: keyof typeof EMPTY, label: string, hint?: string, type = "text") => (
    <Field label={label} hint={hint} error={error?.field(key)}>
      {(p) => (
        <Input
          {...p}
          type={type}
          value={String(form[key])}
          onChange={(e) => setForm({ ...form, [key]: e.target.value })}
          data-testid={`sso-${key}`}
        />
      )}
    </Field>
  )
  return (
    <Card title={t("sso.title")}>
      <p className="t-hint">{t("sso.description")}</p>
      <p className="t-hint">
        {t("sso.redirectUri")}: <code>{origin}/api/v1/auth/sso/callback</code>
        {session.org ? (
          <>
            <br />
            {t("sso.signInLink")}: <code>{`${origin}/sign-in?org=${session.org.slug}`}</code>
          </>
        ) : null}
      </p>
      {!stored ? <p className="t-hint">{t("sso.none")}</p> : null}
      <form onSubmit={submit} noValidate>
        {text("displayName", t("sso.displayName"))}
        {text("issuer", t("sso.issuer"))}
        {text("clientId", t("sso.clientId"))}
        {text(
          "clientSecret",
          t("sso.clientSecret"),
          stored ? t("sso.clientSecretKept") : undefined,
          "password",
        )}
        {text("scopes", t("sso.scopes"))}
        {text("allowedDomains", t("sso.allowedDomains"), t("sso.allowedDomainsHint"))}
        {text("roleClaim", t("sso.roleClaim"), t("sso.roleClaimHint"))}
        <Field
          label={t("sso.roleMap")}
          hint={t("sso.roleMapHint")}
          error={mapError ?? error?.field("roleMap")}
        >
          {(p) => (
            <textarea
              {...p}
              className="t-input"
              style={{ height: 80, padding: 8 }}
              value={form.roleMap}
              onChange={(e) => setForm({ ...form, roleMap: e.target.value })}
              data-testid="sso-roleMap"
            />
          )}
        </Field>
        <Field label={t("sso.defaultRole")} error={error?.field("defaultRole")}>
          {(p) => (
            <Select
              {...p}
              value={form.defaultRole}
              onChange={(e) => setForm({ ...form, defaultRole: e.target.value as Role })}
            >
              {MAPPABLE.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <label style={{ display: "flex", gap: 8, alignItems: "center", marginBottom: 8 }}>
          <input
            type="checkbox"
            checked={form.enabled}
            onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
          />
          {t("sso.enabled")}
        </label>
        <label style={{ display: "flex", gap: 8, alignItems: "center", marginBottom: 12 }}>
          <input
            type="checkbox"
            checked={form.passwordSignIn}
            onChange={(e) => setForm({ ...form, passwordSignIn: e.target.checked })}
          />
          {t("sso.passwordSignIn")}
        </label>
        {error && !error.fieldErrors.length ? (
          <div style={{ marginBottom: 12 }}>
            <Callout tone="bad">{error.text()}</Callout>
          </div>
        ) : null}
        <div style={{ display: "flex", gap: 8 }}>
          <Button type="submit" variant="primary" disabled={save.isPending}>
            {t("sso.save")}
          </Button>
          {stored ? (
            <Button type="button" disabled={remove.isPending} onClick={() => remove.mutate()}>
              {t("sso.remove")}
            </Button>
          ) : null}
        </div>
      </form>
    </Card>
  )
}
