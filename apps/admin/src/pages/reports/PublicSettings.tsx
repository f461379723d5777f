import { useQuery } from "@tanstack/react-query"
import { Button, Callout, Card, Field, Input, Select, Skeleton, useToast } from "@tenet/ui"
import { type FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, getCurrentOrg } from "../../api/client"
import {
  type PublicSettings,
  usePublicSettings,
  useReportSchedules,
  useSavePublicSettings,
} from "../../api/reports"
import { useSession } from "../../session"
import { localized } from "./shared"

interface Kpi {
  standardId: string
  targetId: string
  requirementTitle: Record<string, string>
  metric: { name: Record<string, string>; code?: string }
}

export const PublicSettingsPage = () => {
  const { t, i18n } = useTranslation()
  const session = useSession()
  const settings = usePublicSettings()
  const schedules = useReportSchedules()
  const save = useSavePublicSettings()
  const toast = useToast()
  const kpis = useQuery({
    queryKey: ["reports", "kpi-choices", getCurrentOrg()],
    queryFn: () => {
      const to = new Date().toISOString()
      const from = new Date(Date.now() - 7 * 86_400_000).toISOString()
      return api<{ items: Kpi[] }>(`/api/v1/dashboard/kpis?from=${from}&to=${to}`)
    },
  })
  const [form, setForm] = useState<Omit<PublicSettings, "slug">>()
  useEffect(() => {
    if (settings.data && !form) {
      const { slug: _s, ...rest } = settings.data
      setForm(rest)
    }
  }, [settings.data, form])
  if (!form || !settings.data) return <Skeleton height={160} />
  const canManage = session.can("settings:manage")
  const error = save.error instanceof ApiError ? save.error : undefined
  const url = `${location.origin}/public/${settings.data.slug}/report`
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate(form, { onSuccess: () => toast(t("reports.saved")) })
  }
  return (
    <Card>
      <p className="t-hint">{t("reports.publicHint")}</p>
      <p>
        {t("reports.publicLink")}:{" "}
        <a href={`/public/${settings.data.slug}/report`} target="_blank" rel="noreferrer">
          {url}
        </a>
      </p>
      {!settings.data.enabled ? <Callout tone="warn">{t("reports.publicOff")}</Callout> : null}
      <form onSubmit={submit} noValidate>
        <fieldset disabled={!canManage} style={{ border: 0, padding: 0, margin: 0 }}>
          {error && !error.fieldErrors.length ? <Callout tone="bad">{error.text()}</Callout> : null}
          <label style={{ display: "flex", gap: 8, alignItems: "center", margin: "8px 0" }}>
            <input
              type="checkbox"
              checked={form.enabled}
              onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
            />
            {t("reports.publicEnabled")}
          </label>
          <Field label={t("reports.publicTitle")} error={error?.field("title")}>
            {(p) => (
              <Input
                {...p}
                value={form.title}
                onChange={(e) => setForm({ ...form, title: e.target.value })}
              />
            )}
          </Field>
          <Field label={t("reports.publicIntro")} error={error?.field("intro")}>
            {(p) => (
              <textarea
                {...p}
                className="t-input"
                rows={2}
                value={form.intro ?? ""}
                onChange={(e) => setForm({ ...form, intro: e.target.value || null })}
              />
            )}
          </Field>
          <div className="grid-2">
            <Field label={t("reports.publicPeriod")} error={error?.field("period")}>
              {(p) => (
                <Select
                  {...p}
                  value={form.period}
                  onChange={(e) => setForm({ ...form, period: e.target.value as PublicSettings["period"] })}
                >
                  {(["last_7_days", "last_30_days", "last_month"] as const).map((p) => (
                    <option key={p} value={p}>
                      {t(`reports.periods.${p}`)}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Field label={t("reports.publicSchedule")} error={error?.field("scheduleId")}>
              {(p) => (
                <Select
                  {...p}
                  value={form.scheduleId ?? ""}
                  onChange={(e) => setForm({ ...form, scheduleId: e.target.value || null })}
                >
                  <option value="">{t("reports.noSchedule")}</option>
                  {schedules.data?.items.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <fieldset style={{ border: 0, padding: 0 }}>
            <legend className="t-label">{t("reports.publicKpis")}</legend>
            {error?.field("kpis") ? <p className="t-error-text">{error.field("kpis")}</p> : null}
            {(kpis.data?.items ?? []).map((k) => {
              const key = `${k.standardId}/${k.targetId}`
              return (
                <label key={key} style={{ display: "flex", gap: 8, alignItems: "center", margin: "4px 0" }}>
                  <input
                    type="checkbox"
                    checked={form.kpis.includes(key)}
                    onChange={(e) =>
                      setForm({
                        ...form,
                        kpis: e.target.checked ? [...form.kpis, key] : form.kpis.filter((x) => x !== key),
                      })
                    }
                  />
                  {k.metric.code ? <code className="t-code">{k.metric.code}</code> : null}
                  {localized(k.metric.name, i18n.language)}
                  <span className="t-hint">{localized(k.requirementTitle, i18n.language)}</span>
                </label>
              )
            })}
          </fieldset>
          {canManage ? (
            <Button type="submit" variant="primary" disabled={save.isPending}>
              {t("reports.save")}
            </Button>
          ) : null}
        </fieldset>
      </form>
    </Card>
  )
}
