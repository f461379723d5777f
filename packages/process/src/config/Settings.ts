import { type Db, Errors, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import {
  LEVELS,
  PRIORITIES,
  type PriorityMatrix,
  RECORD_FIELDS,
  type ReturnVisit,
  validateReturnVisit,
} from "../Case"
import { change, loadSettings, processDb } from "../Store"
import { ensureDefaults } from "./Defaults"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

// ---------------------------------------------------------------------------
// settings
// ---------------------------------------------------------------------------

export const getSettings = (db: Database, orgId: string) => loadSettings(processDb(db), orgId)

export const updateSettings = async (
  db: Database,
  ctx: Ctx,
  patch: {
    priorityMatrix?: PriorityMatrix | undefined
    reopenWindowDays?: number | undefined
    repeatWindowDays?: number | undefined
    /** The policy a case that matches no policy gets. */
    defaultPolicyId?: string | undefined
    /** What makes an intake record complete (any of customer, content, category; none: complete at intake). */
    recordRequires?: ReadonlyArray<string> | undefined
    returnVisit?: ReturnVisit | undefined
  },
) => {
  const issues: Errors.FieldIssue[] = []
  if (patch.priorityMatrix)
    for (const u of LEVELS)
      for (const i of LEVELS)
        if (!(PRIORITIES as readonly string[]).includes(patch.priorityMatrix[u]?.[i] as string))
          issues.push({
            path: ["priorityMatrix", u, i],
            message: `must be one of ${PRIORITIES.join(", ")}`,
            code: "oneOf",
            params: { values: PRIORITIES.join(", ") },
          })
  for (const k of ["reopenWindowDays", "repeatWindowDays"] as const)
    if (patch[k] !== undefined && !(Number.isInteger(patch[k]) && patch[k]! >= 0 && patch[k]! <= 365))
      issues.push({
        path: [k],
        message: "must be a whole number of days between 0 and 365",
        code: "dayRange",
        params: { min: 0, max: 365 },
      })
  if (patch.recordRequires !== undefined)
    patch.recordRequires.forEach((f, i) => {
      if (!(RECORD_FIELDS as readonly string[]).includes(f))
        issues.push({
          path: ["recordRequires", i],
          message: `must be one of ${RECORD_FIELDS.join(", ")}`,
          code: "oneOf",
          params: { values: RECORD_FIELDS.join(", ") },
        })
    })
  if (patch.returnVisit !== undefined) issues.push(...validateReturnVisit(patch.returnVisit))
  if (patch.defaultPolicyId !== undefined) {
    const found =
      await sql`select 1 from process.sla_policy where org_id = ${ctx.orgId} and id = ${patch.defaultPolicyId}`.execute(
        db.kysely,
      )
    if (found.rows.length === 0)
      issues.push({
        path: ["defaultPolicyId"],
        message: "no such SLA policy in this organisation",
        code: "unknownPolicy",
      })
  }
  if (issues.length) throw new Errors.ValidationError({ message: "invalid settings", issues })
  await ensureDefaults(db, ctx)
  return change(db, ctx, async ({ tx, audit }) => {
    const before = await loadSettings(tx, ctx.orgId)
    const after = {
      priorityMatrix: patch.priorityMatrix ?? before.priorityMatrix,
      reopenWindowDays: patch.reopenWindowDays ?? before.reopenWindowDays,
      repeatWindowDays: patch.repeatWindowDays ?? before.repeatWindowDays,
      defaultPolicyId: patch.defaultPolicyId ?? before.defaultPolicyId,
      recordRequires: patch.recordRequires
        ? RECORD_FIELDS.filter((f) => patch.recordRequires!.includes(f))
        : before.recordRequires,
      returnVisit: patch.returnVisit
        ? {
            afterDays: patch.returnVisit.afterDays,
            everyDays: patch.returnVisit.everyDays,
            times: patch.returnVisit.times,
          }
        : before.returnVisit,
    }
    await sql`update process.settings set priority_matrix = ${JSON.stringify(after.priorityMatrix)}::jsonb,
      reopen_window_days = ${after.reopenWindowDays}, repeat_window_days = ${after.repeatWindowDays},
      default_policy_id = ${after.defaultPolicyId}, record_requires = ${JSON.stringify(after.recordRequires)}::jsonb,
      return_visit = ${JSON.stringify(after.returnVisit)}::jsonb, updated_at = now()
      where org_id = ${ctx.orgId}`.execute(tx)
    await audit({
      action: "process.settings_updated",
      entityType: "process_settings",
      entityId: ctx.orgId,
      before,
      after,
    })
    return after
  })
}
