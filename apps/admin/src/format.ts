import { useTranslation } from "react-i18next"
import { useSession } from "./session"

/** Dates and numbers through Intl, in the person's language and the organisation's time zone. */
export const useFormat = () => {
  const { i18n } = useTranslation()
  const session = useSession()
  const timeZone = session.org?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone
  const locale = i18n.language
  return {
    timeZone,
    dateTime: (value: string | Date | null | undefined) =>
      value
        ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(
            new Date(value),
          )
        : "—",
    date: (value: string | Date | null | undefined) =>
      value
        ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(value))
        : "—",
    number: (n: number) => new Intl.NumberFormat(locale).format(n),
  }
}

/** Durations (seconds) and relative times through Intl, in the person's language. */
export const useDurations = () => {
  const { i18n } = useTranslation()
  const locale = i18n.language
  const duration = (seconds: number) => {
    const s = Math.abs(seconds)
    const [value, unit] =
      s >= 86_400 * 2
        ? [s / 86_400, "day"]
        : s >= 3600
          ? [s / 3600, "hour"]
          : [s > 0 && s < 60 ? 1 : Math.round(s / 60), "minute"]
    return new Intl.NumberFormat(locale, {
      style: "unit",
      unit,
      unitDisplay: "short",
      maximumFractionDigits: 1,
    }).format(value)
  }
  const relative = (iso: string | null) => {
    if (!iso) return ""
    const diff = (new Date(iso).getTime() - Date.now()) / 1000
    const abs = Math.abs(diff)
    const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" })
    if (abs < 3600) return rtf.format(Math.round(diff / 60), "minute")
    if (abs < 86_400 * 2) return rtf.format(Math.round(diff / 3600), "hour")
    return rtf.format(Math.round(diff / 86_400), "day")
  }
  return { duration, relative }
}
