import i18next from "i18next"
import { initReactI18next } from "react-i18next"
import { en } from "./en"
import { zhCN } from "./zh-CN"

export const LANGUAGES = [
  { code: "zh-CN", label: "简体中文" },
  { code: "en", label: "English" },
] as const
export type Language = (typeof LANGUAGES)[number]["code"]

const stored = typeof localStorage !== "undefined" ? localStorage.getItem("tenet.lang") : null
const initial: Language =
  stored === "en" || stored === "zh-CN" ? stored : navigator.language.startsWith("zh") ? "zh-CN" : "en"

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, "zh-CN": { translation: zhCN } },
  lng: initial,
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
})
document.documentElement.lang = initial

export const setLanguage = async (lang: Language) => {
  localStorage.setItem("tenet.lang", lang)
  document.documentElement.lang = lang
  await i18next.changeLanguage(lang)
}

export { i18next }
