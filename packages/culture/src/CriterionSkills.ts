/**
 * QA criteria mapped to skills. A supervisor maps a scorecard criterion (by its id, on any
 * scorecard) to a skill or knowledge area of the competency framework; a course's page then shows,
 * for each skill the course teaches, the mapped criteria's results (0–1 fractions of their scales)
 * in the N days before and after each completion, with n and Welch's test. The results come from a
 * source the caller gives (the API reads them from standards), so culture reads no other module.
 *
 * @since 0.7.0
 */
import { Errors } from "@tenet/core"
import { type Ctx, change, type Database, tables } from "./db"
import { type Comparison, courseEffectiveness, type Samples } from "./Effectiveness"
import { currentFramework } from "./framework/Framework"

/** @category models @since 0.7.0 */
export interface Mapping {
  readonly criterionId: string
  readonly skillId: string
}

const CRITERION = /^[\p{L}\p{N}][\p{L}\p{N}_.:-]{0,199}$/u

/**
 * Map a criterion to a skill of the current framework, or remove its mapping (`skillId` null).
 * An unknown skill (or no framework) is refused naming `skillId`.
 * @category constructors
 * @since 0.7.0
 */
export const setMapping = async (
  db: Database,
  ctx: Ctx,
  input: { criterionId: string; skillId: string | null },
): Promise<Mapping | null> => {
  if (!CRITERION.test(input.criterionId))
    throw new Errors.ValidationError({
      message: "invalid mapping",
      issues: [{ path: ["criterionId"], message: "letters, digits, _ . : and -", code: "invalidId" }],
    })
  if (input.skillId !== null) {
    const framework = await currentFramework(db, ctx.orgId)
    if (!framework?.areas.some((a) => a.id === input.skillId))
      throw new Errors.ValidationError({
        message: "invalid mapping",
        issues: [
          { path: ["skillId"], message: "not an area of the competency framework", code: "unknownArea" },
        ],
      })
  }
  return change(db, ctx, async ({ tx, audit }) => {
    const before = await tx
      .selectFrom("culture.criterion_skill")
      .select("skill_id")
      .where("org_id", "=", ctx.orgId)
      .where("criterion_id", "=", input.criterionId)
      .executeTakeFirst()
    if (input.skillId === null)
      await tx
        .deleteFrom("culture.criterion_skill")
        .where("org_id", "=", ctx.orgId)
        .where("criterion_id", "=", input.criterionId)
        .execute()
    else
      await tx
        .insertInto("culture.criterion_skill")
        .values({ org_id: ctx.orgId, criterion_id: input.criterionId, skill_id: input.skillId })
        .onConflict((oc) =>
          oc
            .columns(["org_id", "criterion_id"])
            .doUpdateSet({ skill_id: input.skillId!, updated_at: new Date() }),
        )
        .execute()
    await audit({
      action: "culture.criterion_skill_set",
      entityType: "criterion_skill",
      entityId: input.criterionId,
      before: before ? { skillId: before.skill_id } : null,
      after: { skillId: input.skillId },
    })
    return input.skillId === null ? null : { criterionId: input.criterionId, skillId: input.skillId }
  })
}

/** Every mapping. @category getters @since 0.7.0 */
export const mappings = async (db: Database, orgId: string): Promise<Mapping[]> =>
  (
    await tables(db)
      .selectFrom("culture.criterion_skill")
      .select(["criterion_id", "skill_id"])
      .where("org_id", "=", orgId)
      .orderBy("criterion_id")
      .execute()
  ).map((r) => ({ criterionId: r.criterion_id, skillId: r.skill_id }))

/** A criterion's results for a person in a window (0–1 fractions). @category models @since 0.7.0 */
export type CriterionSamples = (
  orgId: string,
  userId: string,
  criterionId: string,
  from: Date,
  to: Date,
) => Promise<ReadonlyArray<number>>

/**
 * For each criterion mapped to a skill the course teaches: its results before and after each
 * completion of the course (`days` each side), pooled, with n and Welch's test.
 * @category getters
 * @since 0.7.0
 */
export const courseCriteriaEffectiveness = async (
  db: Database,
  orgId: string,
  courseId: string,
  samples: CriterionSamples,
  days = 30,
): Promise<ReadonlyArray<Mapping & Comparison & { readonly people: number }>> => {
  const course = await tables(db)
    .selectFrom("culture.course")
    .select("skill_ids")
    .where("org_id", "=", orgId)
    .where("id", "=", courseId)
    .executeTakeFirst()
  if (!course) throw new Errors.NotFoundError({ entity: "course", id: courseId })
  const taught = new Set(course.skill_ids)
  const out: Array<Mapping & Comparison & { people: number }> = []
  for (const m of (await mappings(db, orgId)).filter((x) => taught.has(x.skillId))) {
    const one: Samples = (o, userId, from, to) => samples(o, userId, m.criterionId, from, to)
    out.push({ ...m, ...(await courseEffectiveness(db, orgId, courseId, one, days)) })
  }
  return out
}
