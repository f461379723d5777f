/**
 * The survey invitation e-mail in zh-CN and en (subject, text and HTML). It names the survey's
 * title only — nothing else of the organisation — and the link.
 *
 * @since 0.1.0
 */
import type { Contracts } from "@tenet/core"

/** @category models @since 0.1.0 */
export type Locale = "zh-CN" | "en"

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

const TEXT = {
  "zh-CN": {
    subject: (title: string) => `${title}：请告诉我们您的感受`,
    hello: "您好：",
    ask: "感谢您近期联系我们。我们想了解这次服务是否让您满意，只需一分钟。",
    button: "填写问卷",
    expires: (date: string) => `链接将于 ${date} 失效，且只能提交一次。`,
    optOut: "如不希望再收到此类问卷，可在问卷页面选择不再接收。",
  },
  en: {
    subject: (title: string) => `${title}: tell us how we did`,
    hello: "Hello,",
    ask: "Thank you for contacting us recently. We would like to know whether our service met your needs — it takes a minute.",
    button: "Answer the survey",
    expires: (date: string) => `The link works once and expires on ${date}.`,
    optOut: "If you would rather not receive surveys like this, you can say so on the survey page.",
  },
} as const

/**
 * The invitation e-mail.
 * @category constructors
 * @since 0.1.0
 */
export const invitationEmail = (input: {
  readonly locale: Locale
  readonly title: Contracts.Localized
  readonly link: string
  readonly expiresAt: Date
  readonly timeZone?: string | undefined
}) => {
  const t = TEXT[input.locale]
  const title = input.title[input.locale]
  const date = new Intl.DateTimeFormat(input.locale, {
    dateStyle: "long",
    timeZone: input.timeZone ?? "Asia/Shanghai",
  }).format(input.expiresAt)
  const subject = t.subject(title)
  const text = [t.hello, "", t.ask, "", `${t.button}: ${input.link}`, "", t.expires(date), t.optOut].join(
    "\n",
  )
  const html = `<!doctype html><html lang="${input.locale}"><body style="font-family: -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif; line-height: 1.6; color: #1a1a1a">
<p>${escapeHtml(t.hello)}</p><p>${escapeHtml(t.ask)}</p>
<p><a href="${escapeHtml(input.link)}" style="display: inline-block; padding: 10px 18px; background: #1d4ed8; color: #fff; border-radius: 6px; text-decoration: none">${escapeHtml(t.button)}</a></p>
<p style="color: #555; font-size: 13px">${escapeHtml(t.expires(date))}<br>${escapeHtml(t.optOut)}</p></body></html>`
  return { subject, text, html }
}
