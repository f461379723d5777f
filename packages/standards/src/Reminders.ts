/**
 * Review reminders: a published version whose review falls due within `REVIEW_NOTICE_DAYS` raises
 * `standards.review.due` once (per version and due date), so the notification centre tells the
 * organisation's owners and admins. The job runs on the durable scheduler; the event is recorded
 * once whichever process runs it (`Outbox.once` in the same transaction as the event).
 *
 * @since 0.5.0
 */
import { Change, type Db, type Jobs, type Notifications, Outbox, Tenancy } from "@tenet/core"
import { sql } from "kysely"

/** The job kind of the review reminder sweep. @category models @since 0.5.0 */
export const REVIEW_JOB = "standards.review-reminders"
/** Days before the due date a reminder is raised. @category models @since 0.5.0 */
export const REVIEW_NOTICE_DAYS = 7

/** The payload of `standards.review.due`. @category models @since 0.5.0 */
export interface ReviewDue {
  readonly standardId: string
  readonly key: string
  readonly version: number
  readonly label: string
  readonly nextReviewAt: string
}

/**
 * Raise `standards.review.due` for every version due within the notice, once each. Returns how many were raised.
 * @category constructors
 * @since 0.5.0
 */
export const remindReviews = async (db: Db.Database, now = new Date()): Promise<number> => {
  const due = await sql<{
    org_id: string
    standard_id: string
    key: string
    version: number
    label: string
    next_review_at: Date
  }>`select v.org_id, v.standard_id, s.key, v.version, v.label, v.next_review_at
    from standards.version v join standards.standard s on s.org_id = v.org_id and s.id = v.standard_id
    where v.status = 'published' and v.next_review_at is not null
      and v.next_review_at < ${new Date(now.getTime() + REVIEW_NOTICE_DAYS * 86_400_000)}
    order by v.org_id, v.next_review_at limit 1000`.execute(db.kysely)
  let raised = 0
  for (const r of due.rows) {
    const payload: ReviewDue = {
      standardId: r.standard_id,
      key: r.key,
      version: r.version,
      label: r.label,
      nextReviewAt: r.next_review_at.toISOString(),
    }
    const fresh = await Change.change(
      db,
      Tenancy.system(r.org_id, "review-reminder"),
      async ({ tx, emit }) => {
        const key = `${r.org_id}:${r.standard_id}:${r.version}:${payload.nextReviewAt}`
        if (!(await Outbox.once(tx, REVIEW_JOB, key))) return false
        await emit({
          type: "standards.review.due",
          aggregateType: "standard",
          aggregateId: r.standard_id,
          payload,
        })
        return true
      },
    )
    if (fresh) raised++
  }
  return raised
}

/** The job handlers of this module's reminders. @category constructors @since 0.5.0 */
export const reminderJobs: Jobs.JobHandlers = {
  [REVIEW_JOB]: async (_job, db) => {
    await remindReviews(db)
  },
}

/** The kind a review reminder is delivered as (see `Notifications.KINDS`). @category models @since 0.5.0 */
export const REVIEW_KIND: Notifications.Kind = "standard.review_due"
