/**
 * Completing and correcting a case's record after intake: subject, content, category, customer and
 * milestones. When the record becomes complete (what the organisation requires: customer, content,
 * classification), `recordedAt` is set and the initial-record clock stops then — met or late.
 *
 * @since 0.7.0
 */
import { type Db, Encryption, Errors, Redaction, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { recordComplete } from "../Case"
import { vocabularyIssues } from "../config/Vocabulary"
import type { Milestones } from "../migrations/schema"
import { FIELDS, openCase } from "../privacy/fields"
import * as Sla from "../Sla"
import { addEvent, change, loadSettings, loadVocabulary, lockCase } from "../Store"
import { refreshSummary, updateClocks } from "./clocks"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

/** What `updateCase` may change. @category models @since 0.7.0 */
export interface CasePatch {
  readonly subject?: string | undefined
  readonly content?: string | undefined
  readonly category?: string | null | undefined
  readonly customerId?: string | undefined
  readonly milestones?:
    | ReadonlyArray<{ name: string; due?: string | undefined; doneAt?: string | null | undefined }>
    | undefined
  /** The version the caller read: refused when the case changed meanwhile. */
  readonly expectedVersion?: number | undefined
}

const isInstant = (s: string) => !Number.isNaN(new Date(s).getTime()) && /^\d{4}-\d{2}-\d{2}T/.test(s)

/** Field-level checks of a milestone list, each issue with its path. @category constructors @since 0.7.0 */
export const milestoneIssues = (
  milestones: CasePatch["milestones"],
  prefix: ReadonlyArray<string | number> = ["milestones"],
): Errors.FieldIssue[] => {
  const issues: Errors.FieldIssue[] = []
  if (!milestones) return issues
  if (milestones.length > 50)
    issues.push({
      path: [...prefix],
      message: "at most 50 milestones",
      code: "maxItems",
      params: { max: 50 },
    })
  milestones.forEach((m, i) => {
    if (!m?.name?.trim())
      issues.push({ path: [...prefix, i, "name"], message: "must not be empty", code: "required" })
    else if (m.name.length > 200)
      issues.push({
        path: [...prefix, i, "name"],
        message: "must be at most 200 characters",
        code: "maxLength",
        params: { max: 200 },
      })
    for (const f of ["due", "doneAt"] as const) {
      const v = m?.[f]
      if (v !== undefined && v !== null && !(typeof v === "string" && isInstant(v)))
        issues.push({ path: [...prefix, i, f], message: "must be a date-time", code: "dateTime" })
    }
  })
  return issues
}

/** The milestones as stored (names trimmed, instants normalised). */
export const normaliseMilestones = (milestones: NonNullable<CasePatch["milestones"]>): Milestones =>
  milestones.map((m) => ({
    name: m.name.trim(),
    ...(m.due ? { due: new Date(m.due).toISOString() } : {}),
    ...(m.doneAt !== undefined ? { doneAt: m.doneAt ? new Date(m.doneAt).toISOString() : null } : {}),
  }))

/**
 * Change a case's record. The category must be in the organisation's vocabulary and the customer
 * one of its customers. The first change that makes the record complete stops the initial-record
 * clock (late when past its target).
 * @category constructors
 * @since 0.7.0
 */
export const updateCase = async (
  db: Database,
  ctx: Ctx,
  caseId: string,
  patch: CasePatch,
  options: { now?: Date } = {},
) => {
  const now = options.now ?? new Date()
  const issues: Errors.FieldIssue[] = []
  if (patch.subject !== undefined && !patch.subject.trim())
    issues.push({ path: ["subject"], message: "must not be empty", code: "required" })
  issues.push(...milestoneIssues(patch.milestones))
  return change(db, ctx, async ({ tx, audit }) => {
    if (patch.category)
      issues.push(...vocabularyIssues({ category: patch.category }, await loadVocabulary(tx, ctx.orgId)))
    if (patch.customerId !== undefined) {
      const found =
        await sql`select 1 from process.customer where org_id = ${ctx.orgId} and id = ${patch.customerId}`.execute(
          tx,
        )
      if (found.rows.length === 0)
        issues.push({
          path: ["customerId"],
          message: "no such customer in this organisation",
          code: "unknownCustomer",
        })
    }
    if (issues.length) throw new Errors.ValidationError({ message: "invalid case", issues })
    const c = await lockCase(tx, ctx.orgId, caseId)
    if (patch.expectedVersion !== undefined && patch.expectedVersion !== c.version)
      throw new Errors.ConflictError({
        message: `the case changed meanwhile (now version ${c.version}); reload and try again`,
        field: "version",
        code: "changedMeanwhile",
        params: { version: c.version },
      })
    const cipher = await Encryption.cipherFor(tx, ctx.orgId)
    const contentBefore = cipher.open(FIELDS.caseContent, c.content)
    const after = {
      subject: patch.subject !== undefined ? Redaction.redact(patch.subject.trim()).text : c.subject,
      content: patch.content !== undefined ? Redaction.redact(patch.content).text : contentBefore,
      category: patch.category !== undefined ? patch.category || null : c.category,
      customerId: patch.customerId ?? c.customerId,
      milestones: patch.milestones ? normaliseMilestones(patch.milestones) : c.milestones,
    }
    const settings = await loadSettings(tx, ctx.orgId)
    const completes =
      c.recordedAt === null && recordComplete(after, settings.recordRequires) && c.status !== "closed"
    const segment =
      after.customerId !== c.customerId
        ? ((
            await sql<{
              segment: string
            }>`select segment from process.customer where org_id = ${ctx.orgId} and id = ${after.customerId}`.execute(
              tx,
            )
          ).rows[0]?.segment ?? c.segment)
        : c.segment
    await sql`update process.case set subject = ${after.subject}, content = ${cipher.seal(FIELDS.caseContent, after.content)},
      category = ${after.category}, customer_id = ${after.customerId}, segment = ${segment},
      milestones = ${JSON.stringify(after.milestones)}::jsonb,
      recorded_at = ${completes ? now : c.recordedAt}, version = version + 1, updated_at = now()
      where org_id = ${ctx.orgId} and id = ${caseId}`.execute(tx)
    if (completes) {
      await updateClocks(tx, ctx.orgId, c, (clock, p) =>
        clock.target === "initial_record" && !clock.stoppedAt
          ? { ...clock, ...Sla.stop(p.calendar, clock, now) }
          : clock,
      )
      await refreshSummary(tx, ctx.orgId, caseId, now)
    }
    const changed = (Object.keys(patch) as Array<keyof CasePatch>).filter((k) => k !== "expectedVersion")
    await addEvent(tx, ctx.orgId, caseId, {
      kind: completes ? "record_completed" : "record_updated",
      at: now,
      direction: "internal",
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      data: { fields: changed },
    })
    await audit({
      action: "case.updated",
      entityType: "case",
      entityId: caseId,
      // no personal text in the audit chain: the fields changed, the classification, the customer's id
      before: {
        category: c.category,
        customerId: c.customerId,
        milestones: c.milestones,
        recordedAt: c.recordedAt,
      },
      after: {
        fields: changed,
        category: after.category,
        customerId: after.customerId,
        milestones: after.milestones,
        recordedAt: completes ? now : c.recordedAt,
      },
    })
    return openCase(cipher, await lockCase(tx, ctx.orgId, caseId))
  })
}
