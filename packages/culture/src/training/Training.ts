/**
 * Training: courses (formats), sessions and attendance, assignments with a due date, assessments
 * (a quiz scored against the pass mark, or a practical scored by a supervisor) and completion
 * records; plans generated from the gap analysis (seed 002 §4.4). Passing a course may complete a
 * certification's requirements (`Certification.grantIfQualified`).
 *
 * @since 0.1.0
 */
import { Errors, Id, Tenancy } from "@tenet/core"
import { grantIfQualified } from "../certification/Certification"
import { addDays, type Ctx, type CultureDb, change, type Database, isoDate, tables } from "../db"
import { personGaps } from "../framework/Framework"
import type { AssessmentKind, AssignmentSource, CourseFormat } from "../migrations/schema"

/** @category models @since 0.1.0 */
export const FORMATS: ReadonlyArray<CourseFormat> = [
  "e_learning",
  "classroom",
  "role_play",
  "drill",
  "case_study",
  "seminar",
  "external",
]

/** @category models @since 0.1.0 */
export interface CourseInput {
  readonly id: string
  readonly title: { readonly "zh-CN": string; readonly en: string }
  readonly format: CourseFormat
  readonly skillIds?: ReadonlyArray<string> | undefined
  readonly assessment: AssessmentKind
  readonly passMark?: number | undefined
  readonly durationMinutes?: number | undefined
}

/** Create or change a course. @category constructors @since 0.1.0 */
export const saveCourse = async (db: Database, ctx: Ctx, input: CourseInput) => {
  const issues: Errors.FieldIssue[] = []
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(input.id))
    issues.push({ path: ["id"], message: "lowercase letters, digits, _ and -", code: "invalidId" })
  if (!FORMATS.includes(input.format))
    issues.push({ path: ["format"], message: `one of ${FORMATS.join(", ")}`, code: "invalidEnum" })
  if (
    input.assessment !== "none" &&
    (input.passMark === undefined || input.passMark < 0 || input.passMark > 100)
  )
    issues.push({
      path: ["passMark"],
      message: "an assessed course needs a pass mark from 0 to 100",
      code: "required",
    })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid course", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    const row = {
      title_zh: input.title["zh-CN"],
      title_en: input.title.en,
      format: input.format,
      skill_ids: JSON.stringify(input.skillIds ?? []),
      assessment: input.assessment,
      pass_mark: input.assessment === "none" ? null : String(input.passMark),
      duration_minutes: input.durationMinutes ?? 60,
    }
    await tx
      .insertInto("culture.course")
      .values({ org_id: ctx.orgId, id: input.id, ...row })
      .onConflict((oc) => oc.columns(["org_id", "id"]).doUpdateSet(row))
      .execute()
    await audit({ action: "culture.course_saved", entityType: "course", entityId: input.id, after: input })
    return input
  })
}

/** Every course. @category getters @since 0.1.0 */
export const listCourses = async (db: Database, orgId: string) =>
  (
    await tables(db)
      .selectFrom("culture.course")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("id")
      .execute()
  ).map((r) => ({
    id: r.id,
    title: { "zh-CN": r.title_zh, en: r.title_en },
    format: r.format,
    skillIds: r.skill_ids,
    assessment: r.assessment,
    passMark: r.pass_mark === null ? null : Number(r.pass_mark),
    durationMinutes: r.duration_minutes,
  }))

/** Schedule a session of a course. @category constructors @since 0.1.0 */
export const addSession = async (
  db: Database,
  ctx: Ctx,
  input: { courseId: string; startsAt: Date; endsAt: Date; location?: string | undefined },
) => {
  if (input.endsAt <= input.startsAt)
    throw new Errors.ValidationError({
      message: "invalid session",
      issues: [{ path: ["endsAt"], message: "after the start", code: "invalidValue" }],
    })
  return change(db, ctx, async ({ tx, audit }) => {
    await course(tx, ctx.orgId, input.courseId)
    const id = Id.make("tses")
    await tx
      .insertInto("culture.session")
      .values({
        org_id: ctx.orgId,
        id,
        course_id: input.courseId,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        location: input.location ?? null,
      })
      .execute()
    await audit({
      action: "culture.session_added",
      entityType: "course",
      entityId: input.courseId,
      after: { id, ...input },
    })
    return { id }
  })
}

/** Record who registered for, attended or missed a session. @category constructors @since 0.1.0 */
export const recordAttendance = async (
  db: Database,
  ctx: Ctx,
  sessionId: string,
  entries: ReadonlyArray<{ userId: string; status: "registered" | "attended" | "absent" }>,
) =>
  change(db, ctx, async ({ tx, audit }) => {
    const s = await tx
      .selectFrom("culture.session")
      .select("id")
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", sessionId)
      .executeTakeFirst()
    if (!s) throw new Errors.NotFoundError({ entity: "session", id: sessionId })
    for (const e of entries)
      await tx
        .insertInto("culture.attendance")
        .values({ org_id: ctx.orgId, session_id: sessionId, user_id: e.userId, status: e.status })
        .onConflict((oc) => oc.columns(["org_id", "session_id", "user_id"]).doUpdateSet({ status: e.status }))
        .execute()
    await audit({
      action: "culture.attendance_recorded",
      entityType: "session",
      entityId: sessionId,
      after: { entries },
    })
    return { sessionId, recorded: entries.length }
  })

/**
 * Sessions (for one course when given), latest first, each with its attendance: who registered,
 * attended or missed it, and the counts.
 * @category getters
 * @since 0.7.0
 */
export const listSessions = async (db: Database, orgId: string, options: { courseId?: string } = {}) => {
  const t = tables(db)
  const sessions = await t
    .selectFrom("culture.session as s")
    .innerJoin("culture.course as c", (j) =>
      j.onRef("c.org_id", "=", "s.org_id").onRef("c.id", "=", "s.course_id"),
    )
    .select(["s.id", "s.course_id", "c.title_zh", "c.title_en", "s.starts_at", "s.ends_at", "s.location"])
    .where("s.org_id", "=", orgId)
    .$if(Boolean(options.courseId), (q) => q.where("s.course_id", "=", options.courseId!))
    .orderBy("s.starts_at", "desc")
    .orderBy("s.id")
    .limit(500)
    .execute()
  const attendance = sessions.length
    ? await t
        .selectFrom("culture.attendance")
        .select(["session_id", "user_id", "status"])
        .where("org_id", "=", orgId)
        .where(
          "session_id",
          "in",
          sessions.map((x) => x.id),
        )
        .orderBy("user_id")
        .execute()
    : []
  return sessions.map((x) => {
    const entries = attendance
      .filter((a) => a.session_id === x.id)
      .map((a) => ({ userId: a.user_id, status: a.status }))
    const count = (status: string) => entries.filter((e) => e.status === status).length
    return {
      id: x.id,
      courseId: x.course_id,
      title: { "zh-CN": x.title_zh, en: x.title_en },
      startsAt: x.starts_at,
      endsAt: x.ends_at,
      location: x.location,
      attendance: entries,
      registered: count("registered"),
      attended: count("attended"),
      absent: count("absent"),
    }
  })
}

const course = async (tx: CultureDb, orgId: string, id: string) => {
  const c = await tx
    .selectFrom("culture.course")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!c) throw new Errors.NotFoundError({ entity: "course", id })
  return c
}

/**
 * Assign a course to a person, due in `dueDays`. Idempotent per (person, course, source, sourceRef):
 * assigning the same again returns the existing assignment (`created: false`).
 * @category constructors
 * @since 0.1.0
 */
export const assignIn = async (
  tx: CultureDb,
  orgId: string,
  input: { userId: string; courseId: string; source: AssignmentSource; sourceRef?: string; dueOn: string },
) => {
  await course(tx, orgId, input.courseId)
  const id = Id.make("tasg")
  const inserted = await tx
    .insertInto("culture.assignment")
    .values({
      org_id: orgId,
      id,
      user_id: input.userId,
      course_id: input.courseId,
      source: input.source,
      source_ref: input.sourceRef ?? "",
      due_on: input.dueOn,
      status: "assigned",
    })
    .onConflict((oc) => oc.columns(["org_id", "user_id", "course_id", "source", "source_ref"]).doNothing())
    .returning("id")
    .executeTakeFirst()
  return { id: inserted?.id ?? null, created: Boolean(inserted) }
}

/** Assign a course by hand. @category constructors @since 0.1.0 */
export const assignCourse = async (
  db: Database,
  ctx: Ctx,
  input: { userId: string; courseId: string; dueOn: string },
) =>
  change(db, ctx, async ({ tx, audit, emit }) => {
    const r = await assignIn(tx, ctx.orgId, { ...input, source: "manual", sourceRef: Id.make("ref") })
    await audit({
      action: "culture.course_assigned",
      entityType: "person",
      entityId: input.userId,
      after: { ...input, id: r.id },
    })
    await emit({
      type: "culture.training.assigned",
      aggregateType: "person",
      aggregateId: input.userId,
      payload: { ...input, id: r.id },
    })
    return r
  })

/**
 * A training plan from the gap analysis: each course that trains an area where the person is
 * below the required level is assigned (once per plan key), due in `dueDays`.
 * @category constructors
 * @since 0.1.0
 */
export const planFromGaps = async (
  db: Database,
  ctx: Ctx,
  userId: string,
  options: { dueDays?: number; at?: Date } = {},
) => {
  const at = options.at ?? new Date()
  const gaps = await personGaps(db, ctx.orgId, userId, at)
  const courses = await listCourses(db, ctx.orgId)
  const picks = courses.filter((c) => c.skillIds.some((s) => gaps.some((g) => g.skillId === s)))
  return change(db, ctx, async ({ tx, audit }) => {
    const assigned: string[] = []
    for (const c of picks) {
      const r = await assignIn(tx, ctx.orgId, {
        userId,
        courseId: c.id,
        source: "plan",
        sourceRef: c.skillIds.filter((s) => gaps.some((g) => g.skillId === s)).join(","),
        dueOn: isoDate(addDays(at, options.dueDays ?? 30)),
      })
      if (r.created) assigned.push(c.id)
    }
    if (assigned.length)
      await audit({
        action: "culture.plan_generated",
        entityType: "person",
        entityId: userId,
        after: { gaps, assigned },
      })
    return { gaps, assigned }
  })
}

/**
 * Record the result of an assignment's assessment: a quiz score, a practical score (given by a
 * supervisor), or attendance alone for unassessed courses. Passed when the score reaches the pass mark.
 * @category constructors
 * @since 0.1.0
 */
export const complete = async (
  db: Database,
  ctx: Ctx,
  assignmentId: string,
  input: { score?: number | undefined; at?: Date | undefined },
) =>
  change(db, ctx, async ({ tx, audit, emit }) => {
    const a = await tx
      .selectFrom("culture.assignment")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", assignmentId)
      .forUpdate()
      .executeTakeFirst()
    if (!a) throw new Errors.NotFoundError({ entity: "assignment", id: assignmentId })
    if (a.status === "passed")
      throw new Errors.ConflictError({ message: "already passed", code: "alreadyCompleted" })
    const c = await course(tx, ctx.orgId, a.course_id)
    const issues: Errors.FieldIssue[] = []
    if (c.assessment !== "none" && (input.score === undefined || input.score < 0 || input.score > 100))
      issues.push({ path: ["score"], message: "a score from 0 to 100", code: "required" })
    if (issues.length) throw new Errors.ValidationError({ message: "invalid result", issues })
    if (c.assessment === "practical" && !(ctx.actor.role && Tenancy.can(ctx.actor.role, "culture:write")))
      throw new Errors.ForbiddenError({
        message: "a practical assessment is scored by a supervisor",
        permission: "culture:write",
      })
    if (
      c.assessment === "quiz" &&
      ctx.actor.type === "user" &&
      ctx.actor.id !== a.user_id &&
      !Tenancy.can(ctx.actor.role, "culture:write")
    )
      throw new Errors.ForbiddenError({
        message: "only the person or a supervisor records a quiz",
        permission: "culture:write",
      })
    const passed = c.assessment === "none" || (input.score ?? 0) >= Number(c.pass_mark)
    const at = input.at ?? new Date()
    await tx
      .updateTable("culture.assignment")
      .set({
        status: passed ? "passed" : "failed",
        score: input.score === undefined ? null : String(input.score),
        assessed_by: ctx.actor.id,
        completed_at: at,
      })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", assignmentId)
      .execute()
    const result = {
      id: assignmentId,
      userId: a.user_id,
      courseId: a.course_id,
      passed,
      score: input.score ?? null,
    }
    await audit({
      action: "culture.training_completed",
      entityType: "person",
      entityId: a.user_id,
      after: result,
    })
    await emit({
      type: "culture.training.completed",
      aggregateType: "person",
      aggregateId: a.user_id,
      payload: result,
    })
    const granted = passed ? await grantIfQualified(tx, ctx.orgId, a.user_id, at) : []
    if (granted.length) {
      await audit({
        action: "culture.certification_granted",
        entityType: "person",
        entityId: a.user_id,
        after: { granted },
      })
      await emit({
        type: "culture.certification.granted",
        aggregateType: "person",
        aggregateId: a.user_id,
        payload: { granted },
      })
    }
    return { ...result, granted }
  })

/** A person's assignments (training due and done). @category getters @since 0.1.0 */
export const assignmentsOf = async (db: Database, orgId: string, userId?: string) =>
  (
    await tables(db)
      .selectFrom("culture.assignment as a")
      .innerJoin("culture.course as c", (j) =>
        j.onRef("c.org_id", "=", "a.org_id").onRef("c.id", "=", "a.course_id"),
      )
      .select([
        "a.id",
        "a.user_id",
        "a.course_id",
        "c.title_zh",
        "c.title_en",
        "c.assessment",
        "a.source",
        "a.source_ref",
        "a.due_on",
        "a.status",
        "a.score",
        "a.completed_at",
      ])
      .where("a.org_id", "=", orgId)
      .$if(Boolean(userId), (q) => q.where("a.user_id", "=", userId!))
      .orderBy("a.due_on")
      .execute()
  ).map((r) => ({
    id: r.id,
    userId: r.user_id,
    courseId: r.course_id,
    title: { "zh-CN": r.title_zh, en: r.title_en },
    assessment: r.assessment,
    source: r.source,
    sourceRef: r.source_ref,
    dueOn: r.due_on,
    status: r.status,
    score: r.score === null ? null : Number(r.score),
    completedAt: r.completed_at,
  }))
