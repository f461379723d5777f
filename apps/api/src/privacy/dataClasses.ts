/**
 * The personal data the API's own modules store (core's audit chain, iam, notify), and every
 * module's declarations registered together (`registerDataClasses`, called where modules are wired).
 */
import { DataClasses } from "@tenet/core"
import { PersonalData as CulturePersonalData } from "@tenet/culture"
import { PersonalData as FeedbackPersonalData } from "@tenet/feedback"
import { PersonalData as ProcessPersonalData } from "@tenet/process"
import { PersonalData as RiskPersonalData } from "@tenet/risk"
import { PersonalData as StandardsPersonalData } from "@tenet/standards"
import { SIGN_IN_LOG } from "../iam/sessions"

const { MINIMUM, MINIMUM_REASON } = DataClasses
const SECURITY = { "zh-CN": "安全审计与追溯", en: "security audit and accountability" }
const ACCOUNT = { "zh-CN": "账号与登录", en: "accounts and sign-in" }
const NOTIFY = { "zh-CN": "向员工发送通知", en: "telling staff what needs them" }

/** Core's, iam's and notify's classes. */
export const apiDataClasses: ReadonlyArray<DataClasses.DataClass> = [
  {
    id: "core.audit_log",
    module: "core",
    name: { "zh-CN": "审计日志", en: "Audit log" },
    description: {
      "zh-CN": "谁在何时改了什么（含修改前后的内容），哈希链防篡改",
      en: "Who changed what and when (before and after), hash-chained against tampering",
    },
    table: "core.audit_log",
    key: ["seq"],
    columns: ["actor_id", "before", "after"],
    category: "general",
    subjects: "staff",
    purposes: [SECURITY],
    basis: "legal_duty",
    retention: { minDays: MINIMUM.securityLog, maxDays: null, minimumReason: MINIMUM_REASON.securityLog },
    ageColumn: "at",
    purge: { kind: "anonymise", columns: {} },
  },
  {
    id: "iam.users",
    module: "iam",
    name: { "zh-CN": "用户账号", en: "User accounts" },
    description: { "zh-CN": "员工的姓名、邮箱与语言", en: "Staff names, e-mail addresses and language" },
    table: "iam.user",
    key: ["id"],
    columns: ["email", "name"],
    category: "general",
    subjects: "staff",
    purposes: [ACCOUNT],
    basis: "hr_management",
    retention: { minDays: MINIMUM.none, maxDays: null },
    ageColumn: "updated_at",
    global: true,
    purge: { kind: "anonymise", columns: { name: "redacted" } },
  },
  {
    id: "iam.sign_in_attempts",
    module: "iam",
    name: { "zh-CN": "登录记录", en: "Sign-in attempts" },
    description: { "zh-CN": "登录邮箱、来源地址与结果", en: "Sign-in e-mail, source address and outcome" },
    table: "iam.sign_in_attempt",
    key: ["email", "at"],
    columns: ["email", "ip", "user_agent"],
    category: "general",
    subjects: "staff",
    purposes: [SECURITY],
    basis: "legal_duty",
    // purged by iam's daily job (instance-wide), not per organisation
    retention: {
      minDays: SIGN_IN_LOG.MIN_DAYS,
      maxDays: SIGN_IN_LOG.MAX_DAYS,
      minimumReason: MINIMUM_REASON.securityLog,
    },
    ageColumn: "at",
    global: true,
    purge: { kind: "delete" },
  },
  {
    id: "iam.invitations",
    module: "iam",
    name: { "zh-CN": "成员邀请", en: "Member invitations" },
    description: { "zh-CN": "受邀人的邮箱", en: "The invitee's e-mail address" },
    table: "iam.invitation",
    key: ["id"],
    columns: ["email"],
    category: "general",
    subjects: "staff",
    purposes: [ACCOUNT],
    basis: "hr_management",
    retention: { minDays: MINIMUM.none, maxDays: 365 },
    ageColumn: "created_at",
    purge: { kind: "delete" },
  },
  {
    id: "notify.emails",
    module: "notify",
    name: { "zh-CN": "邮件发送记录", en: "E-mail log" },
    description: {
      "zh-CN": "发出的邮件：收件地址、标题与正文",
      en: "E-mails sent: address, subject and body",
    },
    table: "notify.email",
    key: ["id"],
    columns: ["to_address", "subject", "text_body", "html_body"],
    category: "general",
    subjects: "staff",
    purposes: [NOTIFY],
    basis: "hr_management",
    retention: { minDays: MINIMUM.securityLog, maxDays: 365, minimumReason: MINIMUM_REASON.securityLog },
    ageColumn: "created_at",
    purge: { kind: "delete" },
  },
  {
    id: "notify.notifications",
    module: "notify",
    name: { "zh-CN": "站内通知", en: "In-app notifications" },
    description: { "zh-CN": "发给员工的通知及其参数", en: "Notifications to staff and their parameters" },
    table: "notify.notification",
    key: ["id"],
    columns: ["user_id", "params", "title"],
    category: "general",
    subjects: "staff",
    purposes: [NOTIFY],
    basis: "hr_management",
    retention: { minDays: MINIMUM.none, maxDays: 365 },
    ageColumn: "created_at",
    purge: { kind: "delete" },
  },
]

/** Every module's declarations, in the order of the module list. */
export const moduleDataClasses: ReadonlyArray<{
  readonly dataClasses: ReadonlyArray<DataClasses.DataClass>
  readonly notPersonal: ReadonlyArray<DataClasses.NotPersonal>
}> = [
  { dataClasses: apiDataClasses, notPersonal: [] },
  ProcessPersonalData,
  StandardsPersonalData,
  CulturePersonalData,
  RiskPersonalData,
  FeedbackPersonalData,
]

/** Register every module's data classes with core's registry (once per process; idempotent). */
export const registerDataClasses = () => {
  for (const m of moduleDataClasses) DataClasses.register(m.dataClasses, m.notPersonal)
}
