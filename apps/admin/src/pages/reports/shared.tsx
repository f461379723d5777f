import { useQuery } from "@tanstack/react-query"
import { Field, Input, Select } from "@tenet/ui"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../../api/client"
import type { CadenceFields } from "../../api/reports"
import { TabbedSection } from "../../components/TabbedSection"

export const ReportsLayout = () => {
  const { t } = useTranslation()
  const tabs = [
    { to: "/reports", key: "schedules" },
    { to: "/reports/files", key: "files" },
    { to: "/reports/compliance", key: "compliance" },
    { to: "/reports/reviews", key: "reviews" },
    { to: "/reports/public", key: "public" },
  ] as const
  return (
    <TabbedSection
      title={t("reports.title")}
      description={t("reports.description")}
      tabs={tabs.map((tab) => ({ to: tab.to, label: t(`reports.tabs.${tab.key}`) }))}
    />
  )
}

/** "Every Monday at 06:00" in the reader's language. */
export const useCadenceText = () => {
  const { t } = useTranslation()
  return (c: { frequency: string; time: string; weekday?: number | null; monthDay?: number | null }) =>
    t(`reports.cadenceText_${c.frequency}`, {
      time: c.time,
      weekday: c.weekday ? t(`reports.weekdays.${c.weekday}`) : "",
      day: c.monthDay ?? "",
    })
}

export const useStandardsList = () =>
  useQuery({
    queryKey: ["standards", getCurrentOrg()],
    queryFn: () => api<{ items: Array<{ id: string; title: Record<string, string> }> }>("/api/v1/standards"),
  })

export const localized = (text: Record<string, string> | string | undefined, lang: string) =>
  typeof text === "string" ? text : (text?.[lang] ?? text?.en ?? text?.["zh-CN"] ?? "")

/** Frequency, local time, weekday or day of the month: the fields of a schedule. */
export const CadenceEditor = ({
  value,
  onChange,
  error,
}: {
  value: CadenceFields
  onChange: (v: CadenceFields) => void
  error: (field: string) => string | undefined
}) => {
  const { t } = useTranslation()
  return (
    <div className="grid-2">
      <Field label={t("reports.frequency")} error={error("frequency")}>
        {(p) => (
          <Select
            {...p}
            value={value.frequency}
            onChange={(e) => onChange({ ...value, frequency: e.target.value as CadenceFields["frequency"] })}
          >
            {(["daily", "weekly", "monthly"] as const).map((f) => (
              <option key={f} value={f}>
                {t(`reports.frequencies.${f}`)}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <Field label={t("reports.time")} error={error("time")}>
        {(p) => (
          <Input
            {...p}
            type="time"
            value={value.time}
            onChange={(e) => onChange({ ...value, time: e.target.value })}
          />
        )}
      </Field>
      {value.frequency === "weekly" ? (
        <Field label={t("reports.weekday")} error={error("weekday")}>
          {(p) => (
            <Select
              {...p}
              value={String(value.weekday ?? 1)}
              onChange={(e) => onChange({ ...value, weekday: Number(e.target.value) })}
            >
              {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                <option key={d} value={d}>
                  {t(`reports.weekdays.${d}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
      ) : null}
      {value.frequency === "monthly" ? (
        <Field label={t("reports.monthDay")} error={error("monthDay")}>
          {(p) => (
            <Input
              {...p}
              type="number"
              min={1}
              max={28}
              value={value.monthDay ?? 1}
              onChange={(e) => onChange({ ...value, monthDay: Number(e.target.value) })}
            />
          )}
        </Field>
      ) : null}
    </div>
  )
}

/** The fields a schedule sends: weekday only when weekly, day of month only when monthly. */
export const cadenceBody = (c: CadenceFields): CadenceFields => ({
  frequency: c.frequency,
  time: c.time,
  ...(c.frequency === "weekly" ? { weekday: c.weekday ?? 1 } : {}),
  ...(c.frequency === "monthly" ? { monthDay: c.monthDay ?? 1 } : {}),
  ...(c.enabled !== undefined ? { enabled: c.enabled } : {}),
})

export const fileSize = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1048576).toFixed(1)} MB`
