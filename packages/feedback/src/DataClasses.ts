/**
 * The personal data the feedback module stores (the data-class contract of `@tenet/core`):
 * survey invitations and responses, complaints and other feedback, opt-outs.
 *
 * @since 0.7.0
 */
import { DataClasses } from "@tenet/core"
import { FIELDS } from "./Privacy"

const { MINIMUM, MINIMUM_REASON } = DataClasses

const SURVEY = { "zh-CN": "满意度调查", en: "satisfaction surveys" }
const COMPLAINT = { "zh-CN": "投诉与建议处理", en: "handling complaints and suggestions" }
const THREE_YEARS = 3 * 365

/** @category constructors @since 0.7.0 */
export const dataClasses: ReadonlyArray<DataClasses.DataClass> = [
  {
    id: "feedback.invitations",
    module: "feedback",
    name: { "zh-CN": "调查邀请", en: "Survey invitations" },
    description: {
      "zh-CN": "向客户发出的调查邀请及其地址",
      en: "Surveys asked of a customer and where they were sent",
    },
    table: "feedback.invitation",
    key: ["id"],
    columns: ["customer_id", "customer_key", "email"],
    category: "general",
    subjects: "customer",
    purposes: [SURVEY],
    basis: "consent",
    retention: {
      minDays: MINIMUM.communication,
      maxDays: THREE_YEARS,
      minimumReason: MINIMUM_REASON.communication,
    },
    ageColumn: "created_at",
    customer: { column: "customer_id" },
    case: { column: "case_id" },
    purge: { kind: "anonymise", columns: { customer_id: "null", customer_key: "null", email: "null" } },
  },
  {
    id: "feedback.responses",
    module: "feedback",
    name: { "zh-CN": "调查回复", en: "Survey responses" },
    description: { "zh-CN": "客户的评分、回答与留言", en: "The customer's scores, answers and comment" },
    table: "feedback.response",
    key: ["id"],
    columns: ["customer_key", "answers", "comment"],
    sealed: [
      { column: "answers", fields: [FIELDS.why] },
      { column: "comment", fields: [FIELDS.comment] },
    ],
    category: "general",
    subjects: "customer",
    purposes: [SURVEY],
    basis: "consent",
    retention: {
      minDays: MINIMUM.communication,
      maxDays: THREE_YEARS,
      minimumReason: MINIMUM_REASON.communication,
    },
    ageColumn: "submitted_at",
    customer: { column: "customer_key" },
    case: { column: "case_id" },
    purge: { kind: "anonymise", columns: { customer_key: "null", comment: "null" } },
  },
  {
    id: "feedback.complaints",
    module: "feedback",
    name: { "zh-CN": "投诉、建议与表扬", en: "Complaints, suggestions and praise" },
    description: {
      "zh-CN": "客户反映的问题、诉求、答复与处理决定",
      en: "What the customer raised, the remedy sought, the reply and the decision",
    },
    table: "feedback.item",
    key: ["id"],
    columns: ["customer_key", "summary", "details", "reply", "remedy_sought", "remedy_offered", "decision"],
    sealed: [{ column: "details", fields: [FIELDS.details] }],
    category: "general",
    subjects: "customer",
    purposes: [COMPLAINT],
    basis: "contract",
    retention: {
      minDays: MINIMUM.communication,
      maxDays: THREE_YEARS,
      minimumReason: MINIMUM_REASON.communication,
    },
    ageColumn: "received_at",
    where: "t.closed_at is not null",
    customer: { column: "customer_key" },
    case: { column: "case_id" },
    purge: {
      kind: "anonymise",
      columns: {
        customer_key: "null",
        summary: "redacted",
        details: "empty_text",
        reply: "null",
        remedy_sought: "null",
        remedy_offered: "null",
        decision: "null",
      },
    },
  },
  {
    id: "feedback.opt_outs",
    module: "feedback",
    name: { "zh-CN": "退订记录", en: "Survey opt-outs" },
    description: { "zh-CN": "不再接受调查的客户", en: "Customers who are never asked again" },
    table: "feedback.opt_out",
    key: ["customer_key"],
    columns: ["customer_key"],
    category: "general",
    subjects: "customer",
    purposes: [SURVEY],
    basis: "legal_duty",
    // kept as long as it must be honoured
    retention: { minDays: MINIMUM.none, maxDays: null },
    ageColumn: "at",
    customer: { column: "customer_key" },
    purge: { kind: "delete" },
  },
]

/** @category constructors @since 0.7.0 */
export const notPersonal: ReadonlyArray<DataClasses.NotPersonal> = []
