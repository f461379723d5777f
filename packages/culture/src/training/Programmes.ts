/**
 * Training programmes (seed 002 §4.4): an ordered set of courses — new-hire onboarding, a
 * complaints track — that people are enrolled in. Enrolling assigns each course the person has
 * neither passed nor open (source `programme`, due in the programme's days); a person's progress is
 * the programme's courses they have passed, whatever assigned them.
 *
 * @since 0.7.0
 */
import { Errors } from "@tenet/core"
import { addDays, type Ctx, change, type Database, isoDate, tables } from "../db"
import { assignIn } from "./Training"

/** @category models @since 0.7.0 */
export interface ProgrammeInput {
  readonly id: string
  readonly name: { readonly "zh-CN": string; readonly en: string }
  /** The courses, in the order they are taken. */
  readonly courseIds: ReadonlyArray<string>
  /** Days from enrolment to each course's due date (1–365, 30 by default). */
  readonly dueDays?: number | undefined
}

/** @category models @since 0.7.0 */
export interface Programme {
  readonly id: string
  readonly name: { readonly "zh-CN": string; readonly en: string }
  readonly courseIds: ReadonlyArray<string>
  readonly dueDays: number
  /** Each enrolled person and the programme's courses they have passed. */
  readonly enrolled: ReadonlyArray<{
    readonly userId: string
    readonly enrolledAt: Date
    readonly passed: ReadonlyArray<string>
    readonly complete: boolean
  }>
}

const KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/

/**
 * Create or change a programme; an unknown course, a course listed twice, no course or due days
 * outside 1–365 are refused, each naming its field.
 * @category constructors
 * @since 0.7.0
 */
export const saveProgramme = async (db: Database, ctx: Ctx, input: ProgrammeInput) => {
  const issues: Errors.FieldIssue[] = []
  if (!KEY.test(input.id))
    issues.push({ path: ["id"], message: "lowercase letters, digits, _ and -", code: "invalidId" })
  for (const lang of ["zh-CN", "en"] as const)
    if (!input.name[lang]?.trim())
      issues.push({ path: ["name", lang], message: "required", code: "required" })
  if (!input.courseIds.length)
    issues.push({ path: ["courseIds"], message: "at least one course", code: "required" })
  input.courseIds.forEach((c, i) => {
    if (input.courseIds.indexOf(c) !== i)
      issues.push({ path: ["courseIds", i], message: "listed twice", code: "duplicate" })
  })
  const dueDays = input.dueDays ?? 30
  if (!(Number.isInteger(dueDays) && dueDays >= 1 && dueDays <= 365))
    issues.push({ path: ["dueDays"], message: "from 1 to 365 days", code: "invalidValue" })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid programme", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const known = new Set(
      (
        await tx
          .selectFrom("culture.course")
          .select("id")
          .where("org_id", "=", ctx.orgId)
          .where("id", "in", [...input.courseIds])
          .execute()
      ).map((r) => r.id),
    )
    const unknown = input.courseIds.flatMap((c, i) =>
      known.has(c) ? [] : [{ path: ["courseIds", i], message: "no such course", code: "unknownCourse" }],
    )
    if (unknown.length) throw new Errors.ValidationError({ message: "invalid programme", issues: unknown })
    const values = {
      name_zh: input.name["zh-CN"].trim(),
      name_en: input.name.en.trim(),
      course_ids: JSON.stringify(input.courseIds),
      due_days: dueDays,
    }
    await tx
      .insertInto("culture.programme")
      .values({ org_id: ctx.orgId, id: input.id, ...values })
      .onConflict((oc) => oc.columns(["org_id", "id"]).doUpdateSet(values))
      .execute()
    await audit({
      action: "culture.programme_saved",
      entityType: "programme",
      entityId: input.id,
      after: { ...input, dueDays },
    })
    return { id: input.id, name: input.name, courseIds: input.courseIds, dueDays }
  })
}

/**
 * Enrol people in a programme: each is assigned the programme's courses they have neither passed
 * nor open, due `dueDays` after `at`. Enrolling someone again assigns only what is missing.
 * @category constructors
 * @since 0.7.0
 */
export const enrol = async (
  db: Database,
  ctx: Ctx,
  programmeId: string,
  userIds: ReadonlyArray<string>,
  at: Date = new Date(),
) =>
  change(db, ctx, async ({ tx, audit, emit }) => {
    const p = await tx
      .selectFrom("culture.programme")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", programmeId)
      .executeTakeFirst()
    if (!p) throw new Errors.NotFoundError({ entity: "programme", id: programmeId })
    const out: Array<{ userId: string; assigned: string[] }> = []
    for (const userId of new Set(userIds)) {
      await tx
        .insertInto("culture.programme_enrolment")
        .values({
          org_id: ctx.orgId,
          programme_id: programmeId,
          user_id: userId,
          enrolled_at: at,
          enrolled_by: ctx.actor.id,
        })
        .onConflict((oc) => oc.columns(["org_id", "programme_id", "user_id"]).doNothing())
        .execute()
      const held = new Set(
        (
          await tx
            .selectFrom("culture.assignment")
            .select("course_id")
            .where("org_id", "=", ctx.orgId)
            .where("user_id", "=", userId)
            .where("status", "in", ["passed", "assigned"])
            .execute()
        ).map((r) => r.course_id),
      )
      const assigned: string[] = []
      for (const courseId of p.course_ids) {
        if (held.has(courseId)) continue
        const r = await assignIn(tx, ctx.orgId, {
          userId,
          courseId,
          source: "programme",
          sourceRef: `${programmeId}:${at.toISOString()}`,
          dueOn: isoDate(addDays(at, p.due_days)),
        })
        if (r.created) assigned.push(courseId)
      }
      out.push({ userId, assigned })
      await audit({
        action: "culture.programme_enrolled",
        entityType: "person",
        entityId: userId,
        after: { programmeId, assigned },
      })
      if (assigned.length)
        await emit({
          type: "culture.training.assigned",
          aggregateType: "person",
          aggregateId: userId,
          payload: { programmeId, courseIds: assigned },
        })
    }
    return { programmeId, enrolled: out }
  })

/** Every programme with its enrolled people and their progress. @category getters @since 0.7.0 */
export const listProgrammes = async (db: Database, orgId: string): Promise<Programme[]> => {
  const t = tables(db)
  const [programmes, enrolments, passed] = await Promise.all([
    t.selectFrom("culture.programme").selectAll().where("org_id", "=", orgId).orderBy("id").execute(),
    t
      .selectFrom("culture.programme_enrolment")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("enrolled_at")
      .orderBy("user_id")
      .execute(),
    t
      .selectFrom("culture.assignment")
      .select(["user_id", "course_id"])
      .distinct()
      .where("org_id", "=", orgId)
      .where("status", "=", "passed")
      .execute(),
  ])
  const done = new Set(passed.map((r) => `${r.user_id}\u0000${r.course_id}`))
  return programmes.map((p) => ({
    id: p.id,
    name: { "zh-CN": p.name_zh, en: p.name_en },
    courseIds: p.course_ids,
    dueDays: p.due_days,
    enrolled: enrolments
      .filter((e) => e.programme_id === p.id)
      .map((e) => {
        const ok = p.course_ids.filter((c) => done.has(`${e.user_id}\u0000${c}`))
        return {
          userId: e.user_id,
          enrolledAt: e.enrolled_at,
          passed: ok,
          complete: ok.length === p.course_ids.length,
        }
      }),
  }))
}
