/**
 * The starting catalogue of service-risk categories (seed 000 §6.1), in both languages, and the
 * built-in library that carries it with the standard matrices; and the matrices and categories an
 * organisation has installed (from that library, its own or a plugin's).
 *
 * @since 0.1.0
 */
import { type Contracts, Errors } from "@tenet/core"
import { importLibrary, type Library } from "./Library"
import * as Matrix from "./Matrix"
import { type Ctx, type Database, type Q, tables } from "./store"

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

/** A category an organisation has installed, with where it came from. @category models @since 0.2.0 */
export interface InstalledCategory extends Category {
  readonly source: string
}

/** A matrix of the organisation by id, or its default. @category constructors @since 0.1.0 */
export const matrixOf = async (
  on: Database | Q,
  orgId: string,
  id?: string,
): Promise<Matrix.MatrixDefinition> => {
  let q = ("selectFrom" in on ? on : tables(on))
    .selectFrom("risk.matrix")
    .select("definition")
    .where("org_id", "=", orgId)
  q = id ? q.where("id", "=", id) : q.where("is_default", "=", true)
  const r = await q.executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "risk_matrix", id: id ?? "(default)" })
  return r.definition
}
/** @category constructors @since 0.1.0 */
export const listMatrices = async (
  db: Database,
  orgId: string,
): Promise<Array<Matrix.MatrixDefinition & { isDefault: boolean; source: string }>> =>
  (
    await tables(db)
      .selectFrom("risk.matrix")
      .select(["definition", "is_default", "source"])
      .where("org_id", "=", orgId)
      .orderBy("id")
      .execute()
  ).map((r) => ({ ...r.definition, isDefault: r.is_default, source: r.source }))
/** @category constructors @since 0.1.0 */
export const listCategories = async (db: Database, orgId: string): Promise<InstalledCategory[]> =>
  (
    await tables(db)
      .selectFrom("risk.category")
      .select(["id", "name", "description", "source"])
      .where("org_id", "=", orgId)
      .orderBy("created_at")
      .orderBy("position")
      .execute()
  ).map((r) => ({ id: r.id, name: r.name, description: r.description ?? undefined, source: r.source }))

/**
 * Install Tenet's built-in library (seed 000 §6.1's categories and the standard matrices) for an
 * organisation that has no matrix yet, so its first risk can be rated without an import step.
 * @category constructors
 * @since 0.1.0
 */
export const ensureCatalogue = async (db: Database, ctx: Ctx): Promise<void> => {
  const any = await tables(db)
    .selectFrom("risk.matrix")
    .select("id")
    .where("org_id", "=", ctx.orgId)
    .limit(1)
    .executeTakeFirst()
  if (!any) await importLibrary(db, ctx, builtinLibrary(), "builtin")
}
