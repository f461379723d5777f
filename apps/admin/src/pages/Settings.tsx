import { Button, Callout, Card, Field, Input, Select, Skeleton, useToast } from "@tenet/ui"
import { type FormEvent, useEffect, useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api } from "../api/client"
import { useOrg, useUpdateOrg } from "../api/hooks"
import type { Locale, UpdateOrganization } from "../api/types"
import { TabbedSection } from "../components/TabbedSection"
import { useFormat } from "../format"
import { useSession } from "../session"

export const SettingsLayout = () => {
  const { t } = useTranslation()
  const tabs = [
    { to: "/settings", key: "organization" },
    { to: "/settings/members", key: "members" },
    { to: "/settings/api-keys", key: "apiKeys" },
    { to: "/settings/audit", key: "audit" },
    { to: "/settings/workforce", key: "workforce" },
    { to: "/settings/sso", key: "sso" },
    { to: "/settings/account", key: "account" },
  ] as const
  return (
    <TabbedSection
      title={t("nav.settings")}
      tabs={tabs.map((tab) => ({ to: tab.to, label: t(`settingsNav.${tab.key}`) }))}
    />
  )
}

const timeZones = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf: (k: string) => string[] }).supportedValuesOf("timeZone")
  } catch {
    return ["Asia/Shanghai", "UTC"]
  }
})()

export const OrganizationSettings = () => {
  const { t } = useTranslation()
  const org = useOrg()
  const session = useSession()
  const update = useUpdateOrg()
  const toast = useToast()
  const fmt = useFormat()
  const [form, setForm] = useState<UpdateOrganization>({ name: "", timeZone: "", locale: "zh-CN" })
  useEffect(() => {
    if (org.data) setForm({ name: org.data.name, timeZone: org.data.timeZone, locale: org.data.locale })
  }, [org.data])
  const zones = useMemo(
    () => (form.timeZone && !timeZones.includes(form.timeZone) ? [form.timeZone, ...timeZones] : timeZones),
    [form.timeZone],
  )
  const canEdit = session.can("settings:manage")
  const error = update.error instanceof ApiError ? update.error : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate(form, { onSuccess: () => toast(t("common.saved")) })
  }
  if (!org.data)
    return (
      <Card>
        {org.isError ? <Callout tone="bad">{t("common.errorTitle")}</Callout> : <Skeleton height={120} />}
      </Card>
    )
  return (
    <div className="grid-2">
      <Card title={t("org.title")}>
        <p className="t-hint">{t("org.description", { name: org.data.name })}</p>
        <form onSubmit={submit}>
          <fieldset disabled={!canEdit || update.isPending} style={{ border: 0, padding: 0, margin: 0 }}>
            <Field label={t("org.name")} error={error?.field("name")}>
              {(p) => (
                <Input
                  {...p}
                  value={form.name}
                  onChange={(e) => setForm({ ...form, name: e.target.value })}
                />
              )}
            </Field>
            <Field label={t("org.timeZone")} hint={t("org.timeZoneHint")} error={error?.field("timeZone")}>
              {(p) => (
                <Select
                  {...p}
                  value={form.timeZone}
                  onChange={(e) => setForm({ ...form, timeZone: e.target.value })}
                >
                  {zones.map((z) => (
                    <option key={z} value={z}>
                      {z}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={t("org.locale")} error={error?.field("locale")}>
              {(p) => (
                <Select
                  {...p}
                  value={form.locale}
                  onChange={(e) => setForm({ ...form, locale: e.target.value as Locale })}
                >
                  <option value="zh-CN">简体中文</option>
                  <option value="en">English</option>
                </Select>
              )}
            </Field>
            {!canEdit ? <Callout>{t("common.forbidden")}</Callout> : null}
            {error && !error.fieldErrors.length ? (
              <Callout tone="bad">{error.detail ?? error.title}</Callout>
            ) : null}
            <Button type="submit" variant="primary">
              {update.isPending ? t("common.saving") : t("common.save")}
            </Button>
          </fieldset>
        </form>
      </Card>
      <Card title={t("settingsNav.organization")}>
        <dl className="kv">
          <dt>{t("org.slug")}</dt>
          <dd>
            <code className="t-code">{org.data.slug}</code>
          </dd>
          <dt>ID</dt>
          <dd>
            <code className="t-code">{org.data.id}</code>
          </dd>
          <dt>{t("org.created")}</dt>
          <dd>{fmt.dateTime(org.data.createdAt)}</dd>
        </dl>
      </Card>
    </div>
  )
}

/** Your own account: change the password (every other session ends), sign out everywhere else. */
export const AccountSettings = () => {
  const { t } = useTranslation()
  const toast = useToast()
  const [form, setForm] = useState({ currentPassword: "", newPassword: "" })
  const [error, setError] = useState<ApiError | undefined>()
  const [busy, setBusy] = useState<"password" | "others" | undefined>()
  const changePassword = async (e: FormEvent) => {
    e.preventDefault()
    setBusy("password")
    setError(undefined)
    try {
      await api("/api/v1/auth/password", { method: "POST", body: form })
      setForm({ currentPassword: "", newPassword: "" })
      toast(t("account.passwordChanged"))
    } catch (err) {
      if (err instanceof ApiError) setError(err)
      else toast(t("errors.network"))
    } finally {
      setBusy(undefined)
    }
  }
  const signOutOthers = async () => {
    setBusy("others")
    try {
      const r = await api<{ ended: number }>("/api/v1/auth/sign-out-others", { method: "POST" })
      toast(t("account.signedOutOthers", { count: r.ended }))
    } catch (err) {
      toast(err instanceof ApiError ? err.text() : t("errors.network"))
    } finally {
      setBusy(undefined)
    }
  }
  return (
    <div className="grid-2">
      <Card title={t("account.passwordTitle")}>
        <p className="t-hint">{t("account.passwordHint")}</p>
        <form onSubmit={changePassword}>
          <fieldset disabled={busy !== undefined} style={{ border: 0, padding: 0, margin: 0 }}>
            <Field label={t("account.currentPassword")} error={error?.field("currentPassword")}>
              {(p) => (
                <Input
                  {...p}
                  type="password"
                  autoComplete="current-password"
                  value={form.currentPassword}
                  onChange={(e) => setForm({ ...form, currentPassword: e.target.value })}
                />
              )}
            </Field>
            <Field label={t("account.newPassword")} error={error?.field("newPassword")}>
              {(p) => (
                <Input
                  {...p}
                  type="password"
                  autoComplete="new-password"
                  value={form.newPassword}
                  onChange={(e) => setForm({ ...form, newPassword: e.target.value })}
                />
              )}
            </Field>
            {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
            <Button type="submit" variant="primary">
              {busy === "password" ? t("common.saving") : t("account.changePassword")}
            </Button>
          </fieldset>
        </form>
      </Card>
      <Card title={t("account.sessionsTitle")}>
        <p className="t-hint">{t("account.sessionsHint")}</p>
        <Button
          onClick={() => void signOutOthers()}
          disabled={busy !== undefined}
          data-testid="sign-out-others"
        >
          {t("account.signOutOthers")}
        </Button>
      </Card>
    </div>
  )
}
