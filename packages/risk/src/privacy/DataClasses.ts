/**
 * The personal data the risk module stores (the data-class contract of `@tenet/core`): the
 * incident register, continuity plan contacts, and privacy's own records — subject requests,
 * the consent ledger and restrictions.
 *
 * @since 0.7.0
 */
import { DataClasses } from "@tenet/core"

const { MINIMUM, MINIMUM_REASON } = DataClasses
const PRIVACY = { "zh-CN": "履行个人信息保护义务", en: "meeting personal information protection duties" }

/** @category constructors @since 0.7.0 */
export const dataClasses: ReadonlyArray<DataClasses.DataClass> = [
  {
    id: "risk.incidents",
    module: "risk",
    name: { "zh-CN": "事件登记", en: "Incident register" },
    description: {
      "zh-CN": "安全与服务事件的描述、受影响的工单与经验教训",
      en: "Security and service incidents: description, affected cases, lessons",
    },
    table: "risk.incident",
    key: ["id"],
    columns: ["title", "affected_cases", "lessons"],
    category: "general",
    subjects: "customer",
    purposes: [{ "zh-CN": "事件处置与通知义务", en: "incident response and notification duties" }],
    basis: "legal_duty",
    retention: { minDays: MINIMUM.assessment, maxDays: null, minimumReason: MINIMUM_REASON.assessment },
    ageColumn: "created_at",
    purge: { kind: "anonymise", columns: { affected_cases: "empty_json_array" } },
  },
  {
    id: "risk.plan_contacts",
    module: "risk",
    name: { "zh-CN": "应急联系人", en: "Continuity contacts" },
    description: { "zh-CN": "应急预案中的员工联系人", en: "Staff contacts in contingency plans" },
    table: "risk.plan",
    key: ["id"],
    columns: ["contacts"],
    category: "general",
    subjects: "staff",
    purposes: [{ "zh-CN": "业务连续性", en: "business continuity" }],
    basis: "hr_management",
    retention: { minDays: MINIMUM.none, maxDays: null },
    ageColumn: "updated_at",
    purge: { kind: "anonymise", columns: { contacts: "empty_json_array" } },
  },
  {
    id: "risk.subject_requests",
    module: "risk",
    name: { "zh-CN": "个人信息权利请求", en: "Data-subject requests" },
    description: {
      "zh-CN": "客户行使查阅、更正、删除、限制处理等权利的请求及其处理结果",
      en: "Requests to access, correct, delete or restrict, and what was done",
    },
    table: "risk.privacy_request",
    key: ["id"],
    columns: ["customer_id", "details", "corrections", "verification"],
    category: "general",
    subjects: "customer",
    purposes: [PRIVACY],
    basis: "legal_duty",
    retention: { minDays: MINIMUM.assessment, maxDays: 5 * 365, minimumReason: MINIMUM_REASON.assessment },
    ageColumn: "received_at",
    where: "t.closed_at is not null",
    customer: { column: "customer_id" },
    purge: {
      kind: "anonymise",
      columns: {
        customer_id: "redacted",
        details: "empty_text",
        corrections: "empty_json_object",
        verification: "null",
      },
    },
  },
  {
    id: "risk.consents",
    module: "risk",
    name: { "zh-CN": "同意记录", en: "Consent ledger" },
    description: {
      "zh-CN": "客户对服务联系、调查与营销的同意或撤回，含记录人和告知版本",
      en: "A customer's consent or withdrawal for service contact, surveys and marketing, who recorded it and the notice version",
    },
    table: "risk.privacy_consent",
    key: ["id"],
    columns: ["customer_id", "channel", "granted"],
    category: "general",
    subjects: "customer",
    purposes: [PRIVACY],
    basis: "legal_duty",
    retention: { minDays: MINIMUM.assessment, maxDays: null, minimumReason: MINIMUM_REASON.assessment },
    ageColumn: "recorded_at",
    customer: { column: "customer_id" },
    purge: { kind: "delete" },
  },
  {
    id: "risk.restrictions",
    module: "risk",
    name: { "zh-CN": "限制处理", en: "Restrictions" },
    description: { "zh-CN": "要求限制处理的客户", en: "Customers who asked to restrict processing" },
    table: "risk.privacy_restriction",
    key: ["customer_id"],
    columns: ["customer_id"],
    category: "general",
    subjects: "customer",
    purposes: [PRIVACY],
    basis: "legal_duty",
    retention: { minDays: MINIMUM.none, maxDays: null },
    ageColumn: "since",
    customer: { column: "customer_id" },
    purge: { kind: "delete" },
  },
]

/** @category constructors @since 0.7.0 */
export const notPersonal: ReadonlyArray<DataClasses.NotPersonal> = []
