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
        ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(value))
        : "—",
    date: (value: string | Date | null | undefined) =>
      value ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(value)) : "—",
    number: (n: number) => new Intl.NumberFormat(locale).format(n),
  }
}
