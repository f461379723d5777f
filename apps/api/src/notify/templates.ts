/**
 * The e-mail and in-app texts of each notification kind, in zh-CN and en. `{{name}}` takes a
 * parameter of the notification; a kind without a template (a plugin's) uses its own `title`.
 * Data, not logic: one entry per kind and language.
 */
export type MailLocale = "zh-CN" | "en"

interface Template {
  readonly title: string
  readonly body: string
}

export const TEMPLATES: Readonly<Record<MailLocale, Readonly<Record<string, Template>>>> = {
  en: {
    "sla.warning": {
      title: "Case #{{number}}: the {{target}} deadline is close",
      body: "The {{target}} target of case #{{number}} is due at {{dueAt}}. Act now to keep it.",
    },
    "sla.breached": {
      title: "Case #{{number}} breached its {{target}} target",
      body: "The {{target}} target of case #{{number}} was due at {{dueAt}} and has passed.",
    },
    "sla.escalated": {
      title: "Case #{{number}} escalated (level {{level}})",
      body: "Case #{{number}} reached escalation level {{level}} on its {{target}} target; the step is: {{action}}.",
    },
    "follow_up.overdue": {
      title: "Follow-up on case #{{number}} is overdue",
      body: "A follow-up on case #{{number}} was due and has not been done.",
    },
    "case.recurring_issue": {
      title: "Recurring issue: case #{{number}}",
      body: "The customer of case #{{number}} has contacted us {{contacts}} times about the same category.",
    },
    "standard.review_due": {
      title: "Standard {{key}} {{label}} is due for review",
      body: "Version {{label}} of standard {{key}} is due for review on {{nextReviewAt}}.",
    },
    "cycle.stage_due": {
      title: "Improvement #{{number}}: stage {{stage}} is overdue",
      body: 'The stage "{{stage}}" of improvement cycle #{{number}} ({{title}}) was due at {{dueAt}}.',
    },
    "certification.expiring": {
      title: "Your certification {{name}} expires on {{expiresAt}}",
      body: "Re-certify before {{expiresAt}} to keep working the queue it covers: the course is on your home page.",
    },
    "webhook.disabled": {
      title: "A webhook was disabled after repeated failures",
      body: "Tenet stopped sending events to {{url}}: {{reason}}. Fix the receiver, then enable the subscription again.",
    },
    "report.ready": {
      title: "Report ready: {{name}}",
      body: "The scheduled report {{name}} ({{format}}) has been produced. Open the link to download it (sign in first).",
    },
    test: {
      title: "Test notification",
      body: "This is a test notification from Tenet.",
    },
  },
  "zh-CN": {
    "sla.warning": {
      title: "工单 #{{number}}：{{target}}时限即将到期",
      body: "工单 #{{number}} 的{{target}}目标将于 {{dueAt}} 到期，请及时处理。",
    },
    "sla.breached": {
      title: "工单 #{{number}} 已违反{{target}}目标",
      body: "工单 #{{number}} 的{{target}}目标已于 {{dueAt}} 到期，已超时。",
    },
    "sla.escalated": {
      title: "工单 #{{number}} 已升级（第 {{level}} 级）",
      body: "工单 #{{number}} 的{{target}}目标已达到第 {{level}} 级升级，执行：{{action}}。",
    },
    "follow_up.overdue": {
      title: "工单 #{{number}} 的回访已逾期",
      body: "工单 #{{number}} 的回访已到期但尚未完成。",
    },
    "case.recurring_issue": {
      title: "重复问题：工单 #{{number}}",
      body: "工单 #{{number}} 的客户已就同一类别联系 {{contacts}} 次。",
    },
    "standard.review_due": {
      title: "标准 {{key}} {{label}} 即将到期评审",
      body: "标准 {{key}} 的 {{label}} 版本应于 {{nextReviewAt}} 评审。",
    },
    "cycle.stage_due": {
      title: "改进 #{{number}}：阶段「{{stage}}」已逾期",
      body: "改进循环 #{{number}}（{{title}}）的阶段「{{stage}}」已于 {{dueAt}} 到期。",
    },
    "certification.expiring": {
      title: "你的认证「{{name}}」将于 {{expiresAt}} 到期",
      body: "请在 {{expiresAt}} 前完成复证，以便继续处理该队列的工单；相关课程见“我的主页”。",
    },
    "webhook.disabled": {
      title: "Webhook 因多次失败已停用",
      body: "Tenet 已停止向 {{url}} 发送事件：{{reason}}。请修复接收端后重新启用该订阅。",
    },
    "report.ready": {
      title: "报表已生成：{{name}}",
      body: "定期报表「{{name}}」（{{format}}）已生成，请登录后点击链接下载。",
    },
    test: {
      title: "测试通知",
      body: "这是一条来自 Tenet 的测试通知。",
    },
  },
}

/** Words the templates insert, per language. */
const WORDS: Readonly<Record<MailLocale, Readonly<Record<string, string>>>> = {
  en: {
    first_response: "first response",
    initial_record: "initial record",
    next_reply: "next reply",
    resolution: "resolution",
    follow_up: "follow-up",
    notify: "notify",
    reassign: "reassign",
    raise_tier: "raise tier",
  },
  "zh-CN": {
    first_response: "首次响应",
    initial_record: "初始记录",
    next_reply: "下次回复",
    resolution: "解决",
    follow_up: "回访",
    notify: "通知",
    reassign: "改派",
    raise_tier: "升级层级",
  },
}

/** The e-mail frame around the text, per language. */
export const FRAME: Readonly<
  Record<MailLocale, { open: string; settings: string; digestTitle: string; digestIntro: string }>
> = {
  en: {
    open: "Open in Tenet",
    settings: "Change which notifications you receive by e-mail in Tenet → Notifications → Preferences.",
    digestTitle: "Your Tenet digest: {{count}} notifications",
    digestIntro: "Here is what happened since your last digest:",
  },
  "zh-CN": {
    open: "在 Tenet 中打开",
    settings: "可在 Tenet →「通知」→「偏好设置」中更改通过邮件接收的通知。",
    digestTitle: "Tenet 通知摘要：{{count}} 条通知",
    digestIntro: "以下是自上次摘要以来的动态：",
  },
}

export type Params = Readonly<Record<string, string | number | boolean | null>>

const formatDate = (iso: string, locale: MailLocale, timeZone: string) => {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(d)
}

/** Fill `{{name}}` from params: dates formatted in the language and zone, known words translated. */
export const interpolate = (text: string, params: Params, locale: MailLocale, timeZone: string) =>
  text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = params[name]
    if (v === undefined || v === null) return "—"
    const s = String(v)
    if (/At$/.test(name)) return formatDate(s, locale, timeZone)
    return WORDS[locale][s] ?? s
  })

/** The title and body of a notification in a language. */
export const render = (
  kind: string,
  params: Params,
  locale: MailLocale,
  timeZone: string,
  title?: { en: string; "zh-CN": string } | null,
) => {
  const t = TEMPLATES[locale][kind]
  if (!t) {
    const own = title?.[locale] ?? title?.en ?? kind
    return { title: interpolate(own, params, locale, timeZone), body: "" }
  }
  return {
    title: interpolate(t.title, params, locale, timeZone),
    body: interpolate(t.body, params, locale, timeZone),
  }
}

export const asLocale = (s: string | null | undefined): MailLocale =>
  s === "en" ? "en" : s === "zh-CN" ? "zh-CN" : "en"
