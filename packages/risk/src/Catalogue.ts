/**
 * The starting catalogue of service-risk categories (seed 000 §6.1), in both languages, and the
 * built-in library that carries it with the standard matrices.
 *
 * @since 0.1.0
 */
import type { Contracts } from "@tenet/core"
import type { Library } from "./Library"
import * as Matrix from "./Matrix"

/** A risk category. @category models @since 0.1.0 */
export interface Category {
  readonly id: string
  readonly name: Contracts.Localized
  readonly description?: Contracts.Localized | undefined
}

const c = (id: string, zh: string, en: string, dzh: string, den: string): Category => ({
  id,
  name: { "zh-CN": zh, en },
  description: { "zh-CN": dzh, en: den },
})

/** Seed 000 §6.1's service risks. @category models @since 0.1.0 */
export const SEED_CATEGORIES: ReadonlyArray<Category> = [
  c(
    "poor_communication",
    "沟通不畅",
    "Poor communication",
    "信息传达不及时、不准确或被客户误解",
    "Information reaches the customer late, wrong or misunderstood",
  ),
  c(
    "response_delay",
    "响应延迟",
    "Response delays",
    "首次响应或处理超出承诺时限",
    "First response or resolution later than promised",
  ),
  c(
    "quality_decline",
    "服务质量下降",
    "Quality decline",
    "答复准确性、专业性或一致性下降",
    "Answers lose accuracy, competence or consistency",
  ),
  c(
    "system_failure",
    "系统故障",
    "System failure",
    "客服系统、电话或工单平台不可用或出错",
    "Contact systems, telephony or the case platform fail",
  ),
  c(
    "service_interruption",
    "服务中断",
    "Service interruption",
    "一个或多个服务渠道中断",
    "One or more service channels stop",
  ),
  c(
    "demand_surge",
    "需求激增",
    "Demand surge",
    "来访量骤增超出人力与系统承载",
    "Contacts rise beyond staffing and system capacity",
  ),
  c(
    "data_leakage",
    "数据泄露",
    "Data leakage",
    "客户个人信息被泄露、篡改或丢失",
    "Customers' personal data leaked, altered or lost",
  ),
]

/** The library Tenet ships: the seed catalogue and the 3×3, 4×4 and 5×5 standard matrices. @category constructors @since 0.1.0 */
export const builtinLibrary = (): Library => ({
  format: "tenet-risk-library/v1",
  id: "tenet-service-risks",
  version: "1.0.0",
  name: { "zh-CN": "Tenet 服务风险基础库", en: "Tenet service-risk starter library" },
  matrices: [Matrix.standard(3), Matrix.standard(4), Matrix.standard(5)],
  categories: SEED_CATEGORIES,
})
