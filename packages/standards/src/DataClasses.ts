/**
 * The personal data the standards module stores (the data-class contract of `@tenet/core`):
 * quality evaluations of cases (QA notes).
 *
 * @since 0.7.0
 */
import { DataClasses } from "@tenet/core"

const { MINIMUM, MINIMUM_REASON } = DataClasses

/** @category constructors @since 0.7.0 */
export const dataClasses: ReadonlyArray<DataClasses.DataClass> = [
  {
    id: "standards.qa_notes",
    module: "standards",
    name: { "zh-CN": "质检评估", en: "QA evaluations" },
    description: {
      "zh-CN": "对工单的质检评分与评语；超过最长保存期限后删除",
      en: "Scores and notes on a case; deleted once past the maximum",
    },
    table: "standards.qa_evaluation",
    key: ["id"],
    columns: ["case_id", "answers"],
    category: "general",
    subjects: "customer",
    purposes: [{ "zh-CN": "服务质量评估与员工辅导", en: "service quality evaluation and coaching" }],
    basis: "contract",
    retention: { minDays: MINIMUM.assessment, maxDays: 5 * 365, minimumReason: MINIMUM_REASON.assessment },
    ageColumn: "evaluated_at",
    customer: { column: "case_id", via: { table: "process.case", column: "customer_id" } },
    case: { column: "case_id" },
    purge: { kind: "delete" },
  },
]

/** @category constructors @since 0.7.0 */
export const notPersonal: ReadonlyArray<DataClasses.NotPersonal> = []
