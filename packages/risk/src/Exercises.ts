/**
 * Exercises (drills) of contingency plans, recorded with their findings and follow-ups; each follow-up
 * is ticked done (who and when) or reopened on its own.
 *
 * @since 0.2.0
 */
import { Errors, Id } from "@tenet/core"
import type { Selectable } from "kysely"
import type { ExerciseTable, Finding } from "./migrations/schema"
import { planRow } from "./Plans"
import { actorOf, type Ctx, change, type Database, tables } from "./store"

const toExercise = (r: Selectable<ExerciseTable>) => ({
  id: r.id,
  planId: r.plan_id,
  kind: r.kind,
  heldAt: r.held_at.toISOString(),
  participants: r.participants,
  findings: r.findings,
  openFollowUps: r.findings.filter((f) => f.followUp && !f.done).length,
})

/** Record an exercise of a plan with its findings. @category constructors @since 0.1.0 */
export const recordExercise = async (
  db: Database,
  ctx: Ctx,
  planId: string,
  input: {
    kind: ExerciseTable["kind"]
    heldAt: Date
    participants: ReadonlyArray<string>
    findings: ReadonlyArray<Finding>
  },
) => {
  await planRow(db, ctx.orgId, planId)
  return change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .insertInto("risk.exercise")
      .values({
        org_id: ctx.orgId,
        id: Id.make("exr"),
        plan_id: planId,
        kind: input.kind,
        held_at: input.heldAt,
        participants: JSON.stringify(input.participants),
        findings: JSON.stringify(input.findings),
        created_by: actorOf(ctx),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "risk.exercise.recorded",
      entityType: "risk_exercise",
      entityId: row.id,
      after: toExercise(row),
    })
    return toExercise(row)
  })
}

/** Exercises, newest first. @category constructors @since 0.1.0 */
export const listExercises = async (db: Database, orgId: string, planId?: string) => {
  let q = tables(db).selectFrom("risk.exercise").selectAll().where("org_id", "=", orgId)
  if (planId) q = q.where("plan_id", "=", planId)
  return (await q.orderBy("held_at", "desc").limit(500).execute()).map(toExercise)
}

/**
 * Tick a finding's follow-up done (who and when are kept) or reopen it. The finding is named by its place
 * in the exercise's list (0 first); one without a follow-up cannot be ticked.
 * @category constructors
 * @since 0.2.0
 */
export const setFollowUp = async (
  db: Database,
  ctx: Ctx,
  exerciseId: string,
  finding: number,
  done: boolean,
  now = new Date(),
) =>
  change(db, ctx, async ({ tx, audit }) => {
    const row = await tx
      .selectFrom("risk.exercise")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", exerciseId)
      .forUpdate()
      .executeTakeFirst()
    if (!row) throw new Errors.NotFoundError({ entity: "risk_exercise", id: exerciseId })
    const f = row.findings[finding]
    if (!f?.followUp)
      throw new Errors.ValidationError({
        message: "invalid follow-up",
        issues: [
          {
            path: ["finding"],
            message: f ? "this finding has no follow-up" : `the exercise has no finding ${finding}`,
            code: f ? "noFollowUp" : "unknownFinding",
          },
        ],
      })
    const findings: Finding[] = row.findings.map((x, i) => {
      if (i !== finding) return x
      const { doneAt: _a, doneBy: _b, ...rest } = x
      return done
        ? { ...rest, done: true, doneAt: now.toISOString(), doneBy: actorOf(ctx) }
        : { ...rest, done: false }
    })
    const updated = await tx
      .updateTable("risk.exercise")
      .set({ findings: JSON.stringify(findings) })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", exerciseId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: done ? "risk.exercise.follow_up_done" : "risk.exercise.follow_up_reopened",
      entityType: "risk_exercise",
      entityId: exerciseId,
      before: { finding, done: f.done ?? false },
      after: { finding, done },
    })
    return toExercise(updated)
  })
