// Changes to cycles: open, save stage fields, move, hold/resume/cancel, record measurements.
import { type Contracts, type Db, Errors, Id, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { change } from "../Store"
import { type Cycle, type CycleRow, due, lock, type Measurement, type Trigger, toCycle } from "./cycle"
import { checkFields, moveRefusal } from "./rules"

type Database = Db.Database
type Ctx = Tenancy.OrgContext
type Workflow = Contracts.WorkflowDefinition

/** Open a cycle at the workflow's first stage. @category constructors @since 0.1.0 */
export const openCycle = async (
  db: Database,
  ctx: Ctx,
  input: {
    workflow: Workflow
    title: string
    trigger: Trigger
    ownerId?: string | undefined
    baseline?: Measurement | undefined
  },
) => {
  if (!input.title?.trim())
    throw new Errors.ValidationError({
      message: "invalid cycle",
      issues: [{ path: ["title"], message: "must not be empty", code: "required" }],
    })
  if (!input.workflow.triggers.includes(input.trigger.kind))
    throw new Errors.ValidationError({
      message: "invalid cycle",
      issues: [
        {
          path: ["trigger", "kind"],
          message: `workflow ${input.workflow.id} does not start from ${input.trigger.kind}`,
          code: "workflowTrigger",
          params: { workflow: input.workflow.id, trigger: input.trigger.kind },
        },
      ],
    })
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const id = Id.make("cyc")
    const n = await sql<{
      n: number
    }>`select coalesce(max(number), 0)::int + 1 as n from process.cycle where org_id = ${ctx.orgId}`.execute(
      tx,
    )
    const first = input.workflow.stages[0]!
    const now = new Date()
    const r =
      await sql<CycleRow>`insert into process.cycle (org_id, id, number, workflow_id, workflow, title, stage, status, trigger, baseline, owner_id, stage_due_at, history)
      values (${ctx.orgId}, ${id}, ${n.rows[0]!.n}, ${input.workflow.id}, ${JSON.stringify(input.workflow)}::json, ${input.title.trim()}, ${first.id}, 'active',
        ${JSON.stringify(input.trigger)}::jsonb, ${input.baseline ? JSON.stringify(input.baseline) : null}::jsonb, ${input.ownerId ?? ctx.actor.id},
        ${due(first, now)}, ${JSON.stringify([{ at: now.toISOString(), by: ctx.actor.id, from: null, to: first.id, note: `opened from ${input.trigger.kind}` }])}::jsonb)
      returning *`.execute(tx)
    await audit({
      action: "cycle.opened",
      entityType: "cycle",
      entityId: id,
      after: { workflow: input.workflow.id, trigger: input.trigger },
    })
    await emit({
      type: "process.cycle.opened",
      aggregateType: "cycle",
      aggregateId: id,
      payload: {
        workflow: input.workflow.id,
        trigger: input.trigger.kind,
        breachId: input.trigger.breachId ?? null,
      },
    })
    return toCycle(r.rows[0]!)
  })
}
/** Save values of the current stage's fields. @category constructors @since 0.1.0 */
export const saveFields = async (db: Database, ctx: Ctx, id: string, values: Record<string, unknown>) =>
  change(db, ctx, async ({ tx, audit }) => {
    const c = await lock(tx, ctx.orgId, id)
    if (c.status !== "active")
      throw new Errors.ConflictError({
        message: `the cycle is ${c.status}`,
        field: "values",
        code: "cycleStatus",
        params: { status: c.status },
      })
    const stage = c.workflow.stages.find((s) => s.id === c.stage)!
    const issues = checkFields(stage.fields, values)
    if (issues.length) throw new Errors.ValidationError({ message: "invalid stage values", issues })
    const merged = { ...c.fields, [c.stage]: { ...(c.fields[c.stage] ?? {}), ...values } }
    await sql`update process.cycle set fields = ${JSON.stringify(merged)}::jsonb, updated_at = now() where org_id = ${ctx.orgId} and id = ${id}`.execute(
      tx,
    )
    await audit({
      action: "cycle.fields_saved",
      entityType: "cycle",
      entityId: id,
      before: c.fields[c.stage] ?? {},
      after: merged[c.stage],
    })
    return { ...c, fields: merged }
  })
/** What a closed cycle tells: its title, owner, the check's verdict and the lessons written in its stages. */
const closing = (c: Cycle) => {
  const lessons = Object.values(c.fields ?? {})
    .map((f) => (f && typeof f === "object" ? (f as Record<string, unknown>).lessons : undefined))
    .filter((l): l is string => typeof l === "string" && l.trim().length > 0)
  const verdict = (c.check as { verdict?: unknown } | null)?.verdict
  return {
    title: c.title,
    ownerId: c.ownerId,
    verdict: typeof verdict === "string" ? verdict : null,
    lessons: lessons.join("\n\n"),
  }
}

/** Move a cycle along its workflow (backward moves allowed where the workflow has them). @category constructors @since 0.1.0 */
export const move = async (db: Database, ctx: Ctx, id: string, to: string, note?: string) =>
  change(db, ctx, async ({ tx, audit, emit }) => {
    const c = await lock(tx, ctx.orgId, id)
    const refusal = moveRefusal(c, to, ctx.actor.role, note)
    if (refusal) throw new Errors.ConflictError({ ...refusal, field: "to" })
    const target = c.workflow.stages.find((s) => s.id === to)!
    const now = new Date()
    const history = [
      ...c.history,
      { at: now.toISOString(), by: ctx.actor.id, from: c.stage, to, ...(note ? { note } : {}) },
    ]
    await sql`update process.cycle set stage = ${to}, status = ${target.terminal ? "closed" : "active"}, closed_at = ${target.terminal ? now : null},
        stage_due_at = ${due(target, now)}, history = ${JSON.stringify(history)}::jsonb, updated_at = now()
      where org_id = ${ctx.orgId} and id = ${id}`.execute(tx)
    await audit({
      action: "cycle.moved",
      entityType: "cycle",
      entityId: id,
      before: { stage: c.stage },
      after: { stage: to, note: note ?? null },
    })
    await emit({
      type: target.terminal ? "process.cycle.closed" : "process.cycle.moved",
      aggregateType: "cycle",
      aggregateId: id,
      // a closed cycle tells what it learned (culture proposes a lesson and, with a verified effect, an award)
      payload: target.terminal ? { from: c.stage, to, ...closing(c) } : { from: c.stage, to },
    })
    return lock(tx, ctx.orgId, id)
  })

/** Put on hold, resume, or cancel (hold and cancel need a reason). @category constructors @since 0.1.0 */
export const setStatus = async (
  db: Database,
  ctx: Ctx,
  id: string,
  status: "on_hold" | "active" | "cancelled",
  reason?: string,
) => {
  if (status !== "active" && !reason?.trim())
    throw new Errors.ValidationError({
      message: "a reason is required",
      issues: [
        {
          path: ["reason"],
          message: `say why the cycle is ${status === "on_hold" ? "put on hold" : "cancelled"}`,
          code: status === "on_hold" ? "reasonOnHold" : "reasonCancel",
        },
      ],
    })
  return change(db, ctx, async ({ tx, audit }) => {
    const c = await lock(tx, ctx.orgId, id)
    if (c.status === "closed" || c.status === "cancelled")
      throw new Errors.ConflictError({
        message: `the cycle is ${c.status}`,
        field: "status",
        code: "cycleStatus",
        params: { status: c.status },
      })
    const history = [
      ...c.history,
      {
        at: new Date().toISOString(),
        by: ctx.actor.id,
        from: c.stage,
        to: c.stage,
        note: `${status}${reason ? `: ${reason}` : ""}`,
      },
    ]
    await sql`update process.cycle set status = ${status}, status_reason = ${reason ?? null}, history = ${JSON.stringify(history)}::jsonb, updated_at = now()
      where org_id = ${ctx.orgId} and id = ${id}`.execute(tx)
    await audit({
      action: `cycle.${status}`,
      entityType: "cycle",
      entityId: id,
      before: { status: c.status },
      after: { status, reason: reason ?? null },
    })
    return lock(tx, ctx.orgId, id)
  })
}

/** Record the baseline, the Check result or the outcome. @category constructors @since 0.1.0 */
export const record = async (
  db: Database,
  ctx: Ctx,
  id: string,
  what: "baseline" | "check_result" | "outcome",
  value: unknown,
) =>
  change(db, ctx, async ({ tx, audit }) => {
    const c = await lock(tx, ctx.orgId, id)
    await sql`update process.cycle set ${sql.ref(what)} = ${JSON.stringify(value)}::jsonb, updated_at = now() where org_id = ${ctx.orgId} and id = ${id}`.execute(
      tx,
    )
    await audit({
      action: `cycle.${what}_recorded`,
      entityType: "cycle",
      entityId: id,
      before: c[what === "check_result" ? "check" : what] ?? null,
      after: value,
    })
    return lock(tx, ctx.orgId, id)
  })
