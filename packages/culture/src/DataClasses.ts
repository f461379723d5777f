/**
 * The personal data the culture module stores (the data-class contract of `@tenet/core`): people
 * data of staff and kudos (which may name a case).
 *
 * @since 0.7.0
 */
import { DataClasses } from "@tenet/core"

const { MINIMUM } = DataClasses
const HR = { "zh-CN": "员工培训、认证与激励", en: "staff training, certification and recognition" }

/** @category constructors @since 0.7.0 */
export const dataClasses: ReadonlyArray<DataClasses.DataClass> = [
  {
    id: "culture.people",
    module: "culture",
    name: { "zh-CN": "员工资料", en: "People data" },
    description: {
      "zh-CN": "员工显示名、语言与入离职日期",
      en: "Staff display names, languages and start and leave dates",
    },
    table: "culture.person",
    key: ["user_id"],
    columns: ["display_name", "languages"],
    category: "general",
    subjects: "staff",
    purposes: [HR],
    basis: "hr_management",
    retention: { minDays: MINIMUM.none, maxDays: 3 * 365 },
    ageColumn: "left_on",
    where: "t.left_on is not null",
    purge: { kind: "anonymise", columns: { display_name: "redacted", languages: "empty_json_array" } },
  },
  {
    id: "culture.kudos",
    module: "culture",
    name: { "zh-CN": "表扬", en: "Kudos" },
    description: {
      "zh-CN": "同事之间的表扬留言，可能引用工单",
      en: "Messages between colleagues, which may cite a case",
    },
    table: "culture.kudos",
    key: ["id"],
    columns: ["from_user", "to_user", "message", "case_id"],
    category: "general",
    subjects: "staff",
    purposes: [HR],
    basis: "hr_management",
    retention: { minDays: MINIMUM.none, maxDays: 3 * 365 },
    ageColumn: "created_at",
    customer: { column: "case_id", via: { table: "process.case", column: "customer_id" } },
    case: { column: "case_id" },
    purge: { kind: "delete" },
  },
  {
    id: "culture.coaching",
    module: "culture",
    name: { "zh-CN": "质检辅导任务", en: "Coaching tasks" },
    description: {
      "zh-CN": "质检低分后为员工生成的辅导任务，引用被评估的工单，附辅导备注",
      en: "Coaching raised for a member of staff after a low QA score, citing the evaluated case, with the coach's note",
    },
    table: "culture.coaching_task",
    key: ["id"],
    columns: ["user_id", "coach_id", "case_id", "note"],
    category: "general",
    subjects: "staff",
    purposes: [HR],
    basis: "hr_management",
    retention: { minDays: MINIMUM.none, maxDays: 3 * 365 },
    ageColumn: "created_at",
    customer: { column: "case_id", via: { table: "process.case", column: "customer_id" } },
    case: { column: "case_id" },
    purge: { kind: "delete" },
  },
  {
    id: "culture.incentives",
    module: "culture",
    name: { "zh-CN": "激励积分", en: "Incentive points" },
    description: {
      "zh-CN": "质检得分达到规则要求时给员工的积分，引用被评估的工单",
      en: "Points a rule awarded a member of staff for a QA evaluation, citing the evaluated case",
    },
    table: "culture.incentive_award",
    key: ["id"],
    columns: ["user_id", "case_id"],
    category: "general",
    subjects: "staff",
    purposes: [HR],
    basis: "hr_management",
    retention: { minDays: MINIMUM.none, maxDays: 3 * 365 },
    ageColumn: "awarded_at",
    customer: { column: "case_id", via: { table: "process.case", column: "customer_id" } },
    case: { column: "case_id" },
    purge: { kind: "delete" },
  },
]

/** @category constructors @since 0.7.0 */
export const notPersonal: ReadonlyArray<DataClasses.NotPersonal> = []
