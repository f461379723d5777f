/**
 * Notification templates for incidents, in both languages: the facts PIPL Art. 57 and GDPR Art. 33 ask
 * for (categories of data, cause, possible harm, what was done, what people can do, a contact), filled
 * from the incident. The text is a draft a person reviews and sends.
 *
 * @since 0.1.0
 */
import type { Regime } from "./Severity"

/** What a notice says. @category models @since 0.1.0 */
export interface NoticeFacts {
  readonly number: number
  readonly title: string
  readonly detectedAt: string
  readonly startedAt: string
  readonly severity: string
  readonly affectedCustomers: number
  readonly dataCategories: ReadonlyArray<string>
  readonly cause: string
  readonly harm: string
  readonly remedies: string
  readonly advice: string
  readonly contact: string
  /** The zone the notice's times are written in (the organisation's); UTC when absent. */
  readonly timeZone?: string
}

/** What each data category is called in a notice. */
const CATEGORY: Record<string, { "zh-CN": string; en: string }> = {
  contact: { "zh-CN": "联系方式", en: "contact details" },
  account: { "zh-CN": "账户信息", en: "account data" },
  case_content: { "zh-CN": "服务记录内容", en: "service case content" },
  biometric: { "zh-CN": "生物识别信息", en: "biometric data" },
  religion: { "zh-CN": "宗教信仰", en: "religious beliefs" },
  identity_number: { "zh-CN": "身份证件号码", en: "identity numbers" },
  health: { "zh-CN": "医疗健康信息", en: "health data" },
  financial: { "zh-CN": "金融账户信息", en: "financial account data" },
  location: { "zh-CN": "行踪轨迹", en: "location data" },
  minor: { "zh-CN": "不满十四周岁未成年人的个人信息", en: "personal data of children under 14" },
}

/** An instant as a reader of the notice writes it: local date and time with the zone named. */
export const formatInstant = (iso: string, lang: "zh-CN" | "en", timeZone = "UTC"): string => {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const text = new Intl.DateTimeFormat(lang === "zh-CN" ? "zh-CN" : "en-GB", {
    timeZone,
    year: "numeric",
    month: lang === "zh-CN" ? "numeric" : "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(d)
  return `${text} (${timeZone})`
}

const SEVERITY: Record<string, { "zh-CN": string; en: string }> = {
  general: { "zh-CN": "一般", en: "general" },
  relatively_major: { "zh-CN": "较大", en: "relatively major" },
  major: { "zh-CN": "重大", en: "major" },
  especially_major: { "zh-CN": "特别重大", en: "especially major" },
}

/** The draft of a notice in one language. @category constructors @since 0.1.0 */
export const render = (
  regime: Regime,
  notice: string,
  lang: "zh-CN" | "en",
  f: NoticeFacts,
): { subject: string; body: string } => {
  const sev = SEVERITY[f.severity]?.[lang] ?? f.severity
  const cats = f.dataCategories.length
    ? f.dataCategories.map((c) => CATEGORY[c]?.[lang] ?? c).join(lang === "zh-CN" ? "、" : ", ")
    : lang === "zh-CN"
      ? "无"
      : "none"
  const startedAt = formatInstant(f.startedAt, lang, f.timeZone)
  const detectedAt = formatInstant(f.detectedAt, lang, f.timeZone)
  if (lang === "zh-CN") {
    const to = regime === "cn" ? "网信部门" : "数据保护监管机构"
    const kind = notice === "summary" ? "总结报告" : "报告"
    return {
      subject: `【${sev}】网络安全事件${kind}：INC-${f.number} ${f.title}`,
      body: [
        `致${to}：`,
        `事件编号：INC-${f.number}；级别：${sev}。`,
        `发生时间：${startedAt}；发现时间：${detectedAt}。`,
        `涉及个人信息种类：${cats}；影响人数：${f.affectedCustomers}。`,
        `原因：${f.cause}`,
        `可能造成的危害：${f.harm}`,
        `已采取的补救措施：${f.remedies}`,
        `个人可采取的减轻危害措施：${f.advice}`,
        `联系方式：${f.contact}`,
      ].join("\n"),
    }
  }
  const to = regime === "cn" ? "the Cyberspace Administration" : "the supervisory authority"
  const kind = notice === "summary" ? "summary report" : "incident report"
  return {
    subject: `[${sev}] Security incident ${kind}: INC-${f.number} ${f.title}`,
    body: [
      `To ${to}:`,
      `Incident INC-${f.number}; severity: ${sev}.`,
      `Started: ${startedAt}; detected: ${detectedAt}.`,
      `Categories of personal data: ${cats}; people affected: ${f.affectedCustomers}.`,
      `Cause: ${f.cause}`,
      `Possible harm: ${f.harm}`,
      `Remedial steps taken: ${f.remedies}`,
      `What individuals can do: ${f.advice}`,
      `Contact: ${f.contact}`,
    ].join("\n"),
  }
}
