/**
 * The risk module's sweeps on the durable scheduler: overdue reviews remind the risk's owner once per
 * risk and due date (`Outbox.once`), and accepted residual risks past their expiry go back to review.
 *
 * @since 0.1.0
 */
import { Change, type Jobs, Notifications, Outbox, Tenancy } from "@tenet/core"
import { type Database, tables } from "./store"
import * as Treatments from "./Treatments"

/** @category models @since 0.1.0 */
export const REVIEW_JOB = "risk.review-reminders"

/** Remind the owner of every open risk whose review is overdue, once per due date. @category constructors @since 0.1.0 */
export const remindReviews = async (db: Database, now = new Date()): Promise<number> => {
  const due = await tables(db)
    .selectFrom("risk.risk")
    .select(["org_id", "id", "number", "title", "owner_id", "next_review_at"])
    .where("status", "<>", "closed")
    .where("next_review_at", "<", now)
    .orderBy("org_id")
    .orderBy("next_review_at")
    .limit(1000)
    .execute()
  let n = 0
  for (const r of due) {
    const fresh = await Change.change(
      db,
      Tenancy.system(r.org_id, "risk-review-reminder"),
      async ({ tx, emit }) => {
        if (!(await Outbox.once(tx, REVIEW_JOB, `${r.org_id}:${r.id}:${r.next_review_at.toISOString()}`)))
          return false
        await emit(
          Notifications.requestEvent({
            kind: "risk.review_overdue",
            recipients: [{ type: "user", id: r.owner_id }],
            subject: { type: "risk", id: r.id },
            params: { number: r.number, dueAt: r.next_review_at.toISOString() },
            title: {
              "zh-CN": `风险 R-${r.number} 已过评审日期：${r.title}`,
              en: `Risk R-${r.number} is overdue for review: ${r.title}`,
            },
          }),
        )
        return true
      },
    )
    if (fresh) n++
  }
  return n
}

/** The job handlers of the sweeps (the KRI sweep is `KriEvaluation.jobHandlers(registry)`). @category constructors @since 0.1.0 */
export const jobHandlers: Jobs.JobHandlers = {
  [REVIEW_JOB]: async (_job, db) => {
    await Treatments.expireAcceptances(db)
    await remindReviews(db)
  },
}
