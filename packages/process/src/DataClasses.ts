/**
 * The personal data the process module stores (the data-class contract of `@tenet/core`):
 * customers, cases, their timelines (messages) and follow-ups.
 *
 * @since 0.7.0
 */
import { DataClasses } from "@tenet/core"
import { FIELDS } from "./privacy/fields"

const { MINIMUM, MINIMUM_REASON } = DataClasses

const SERVICE = { "zh-CN": "处理客户的服务请求", en: "handling the customer's service request" }
const QUALITY = { "zh-CN": "服务质量评估与改进", en: "service quality evaluation and improvement" }
const THREE_YEARS = 3 * 365

/** @category constructors @since 0.7.0 */
export const dataClasses: ReadonlyArray<DataClasses.DataClass> = [
  {
    id: "process.customers",
    module: "process",
    name: { "zh-CN": "客户资料", en: "Customer records" },
    description: {
      "zh-CN": "客户名称、外部编号和联系方式",
      en: "Customer name, external id and contact details",
    },
    table: "process.customer",
    key: ["id"],
    columns: ["name", "external_id", "contacts"],
    sealed: [
      { column: "name", fields: [FIELDS.name] },
      { column: "external_id", fields: [FIELDS.externalId] },
      { column: "contacts", fields: [FIELDS.contact] },
    ],
    category: "general",
    subjects: "customer",
    purposes: [SERVICE],
    basis: "contract",
    // kept while the relationship lasts; erased on request
    retention: { minDays: MINIMUM.none, maxDays: null },
    ageColumn: "updated_at",
    customer: { column: "id" },
    purge: {
      kind: "anonymise",
      columns: { name: "redacted", external_id: "null", contacts: "empty_json_array" },
    },
  },
  {
    id: "process.cases",
    module: "process",
    name: { "zh-CN": "服务工单", en: "Cases" },
    description: {
      "zh-CN": "工单主题、客户描述的内容与外部编号；清除后工单只保留匿名的统计字段",
      en: "Case subject, what the customer wrote and external id; a purged case keeps only anonymous fields for statistics",
    },
    table: "process.case",
    key: ["id"],
    columns: ["customer_id", "external_id", "subject", "content"],
    sealed: [{ column: "content", fields: [FIELDS.caseContent] }],
    category: "general",
    subjects: "customer",
    purposes: [SERVICE, QUALITY],
    basis: "contract",
    retention: {
      minDays: MINIMUM.communication,
      maxDays: THREE_YEARS,
      minimumReason: MINIMUM_REASON.communication,
    },
    ageColumn: "closed_at",
    where: "t.closed_at is not null",
    customer: { column: "customer_id" },
    case: { column: "id" },
    purge: {
      kind: "anonymise",
      columns: { customer_id: "null", external_id: "null", subject: "redacted", content: "empty_text" },
    },
  },
  {
    id: "process.case_messages",
    module: "process",
    name: { "zh-CN": "沟通记录", en: "Communication records" },
    description: {
      "zh-CN": "工单时间线上的消息、通话记录与参与人",
      en: "Messages, call notes and participants on a case's timeline",
    },
    table: "process.case_event",
    key: ["case_id", "seq"],
    columns: ["content", "participants"],
    sealed: [
      { column: "content", fields: [FIELDS.eventContent] },
      { column: "participants", fields: [FIELDS.participant] },
    ],
    category: "general",
    subjects: "customer",
    purposes: [SERVICE, QUALITY],
    basis: "contract",
    retention: {
      minDays: MINIMUM.communication,
      maxDays: THREE_YEARS,
      minimumReason: MINIMUM_REASON.communication,
    },
    ageColumn: "at",
    customer: { column: "case_id", via: { table: "process.case", column: "customer_id" } },
    case: { column: "case_id" },
    purge: { kind: "anonymise", columns: { content: "null", participants: "empty_json_array" } },
  },
  {
    id: "process.follow_ups",
    module: "process",
    name: { "zh-CN": "回访记录", en: "Follow-ups" },
    description: { "zh-CN": "回访的结果说明", en: "What a follow-up found" },
    table: "process.follow_up",
    key: ["id"],
    columns: ["outcome"],
    category: "general",
    subjects: "customer",
    purposes: [SERVICE],
    basis: "contract",
    retention: {
      minDays: MINIMUM.communication,
      maxDays: THREE_YEARS,
      minimumReason: MINIMUM_REASON.communication,
    },
    ageColumn: "created_at",
    customer: { column: "case_id", via: { table: "process.case", column: "customer_id" } },
    case: { column: "case_id" },
    purge: { kind: "anonymise", columns: { outcome: "null" } },
  },
]

/** @category constructors @since 0.7.0 */
export const notPersonal: ReadonlyArray<DataClasses.NotPersonal> = [
  { table: "process.sla_clock", reason: "service-level timings of a case: no content, no contact details" },
]
