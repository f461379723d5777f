/**
 * Mappings between requirements of different standards, so one metric serves several.
 *
 * @since 0.5.0
 */
import { Errors, Id } from "@tenet/core"
import { requirements } from "../Standard"
import { type Ctx, change, type Database, tables } from "./types"

/** @category models @since 0.1.0 */
export const RELATIONS = ["equal", "subset", "superset", "intersect"] as const

/**
 * The requirements of a standard's newest version (id, clause, title), for choosing what to map.
 * @category constructors
 * @since 0.1.0
 */
export const requirementsOfStandard = async (db: Database, orgId: string, standardId: string) => {
  const r = await tables(db)
    .selectFrom("standards.version")
    .select("document")
    .where("org_id", "=", orgId)
    .where("standard_id", "=", standardId)
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst()
  if (!r) return undefined
  return requirements(r.document).map(({ clause, requirement }) => ({
    id: requirement.id,
    clause,
    title: requirement.title,
  }))
}

/** Map a requirement of one standard to a requirement of another (so one metric serves several). @category constructors @since 0.1.0 */
export const createMapping = async (
  db: Database,
  ctx: Ctx,
  input: {
    fromStandard: string
    fromRequirement: string
    toStandard: string
    toRequirement: string
    relation: string
    strength: number
    rationale?: string | undefined
  },
) => {
  const issues: Errors.FieldIssue[] = []
  if (!(RELATIONS as readonly string[]).includes(input.relation))
    issues.push({
      path: ["relation"],
      message: `must be one of ${RELATIONS.join(", ")}`,
      code: "oneOf",
      params: { values: RELATIONS.join(", ") },
    })
  if (!(Number.isInteger(input.strength) && input.strength >= 0 && input.strength <= 10))
    issues.push({
      path: ["strength"],
      message: "must be a whole number from 0 to 10",
      code: "wholeRange",
      params: { min: 0, max: 10 },
    })
  for (const side of ["from", "to"] as const) {
    const standard = input[`${side}Standard`]
    const reqs = await requirementsOfStandard(db, ctx.orgId, standard)
    if (!reqs)
      issues.push({
        path: [`${side}Standard`],
        message: `no standard "${standard}" in this organisation`,
        code: "unknownStandard",
        params: { value: standard },
      })
    else if (!reqs.some((r) => r.id === input[`${side}Requirement`]))
      issues.push({
        path: [`${side}Requirement`],
        message: `no requirement "${input[`${side}Requirement`]}" in the newest version of that standard`,
        code: "unknownRequirement",
        params: { value: String(input[`${side}Requirement`]) },
      })
  }
  if (input.fromStandard === input.toStandard && input.fromRequirement === input.toRequirement)
    issues.push({
      path: ["toRequirement"],
      message: "a requirement cannot be mapped to itself",
      code: "selfMapping",
    })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid mapping", issues })
  const id = Id.make("map")
  await change(db, ctx, async ({ tx, audit }) => {
    await tx
      .insertInto("standards.mapping")
      .values({
        org_id: ctx.orgId,
        id,
        from_standard: input.fromStandard,
        from_requirement: input.fromRequirement,
        to_standard: input.toStandard,
        to_requirement: input.toRequirement,
        relation: input.relation,
        strength: input.strength,
        rationale: input.rationale ?? null,
      })
      .execute()
    await audit({ action: "mapping.created", entityType: "mapping", entityId: id, after: input })
  })
  return { id, ...input }
}

/** @category constructors @since 0.1.0 */
export const listMappings = async (db: Database, orgId: string) =>
  (
    await tables(db)
      .selectFrom("standards.mapping")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("created_at")
      .execute()
  ).map((r) => ({
    id: r.id,
    fromStandard: r.from_standard,
    fromRequirement: r.from_requirement,
    toStandard: r.to_standard,
    toRequirement: r.to_requirement,
    relation: r.relation,
    strength: r.strength,
    rationale: r.rationale,
  }))
