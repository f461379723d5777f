/**
 * The workflow engine and improvement cycles. A cycle is an instance of a workflow (PDCA, 8D,
 * DMAIC… contributed by plugins), linked to what triggered it: a compliance breach, a
 * control-chart signal, a complaint, a QA critical error, a risk, or a person's idea. The
 * workflow definition is copied onto the cycle when it opens, so later plugin changes never
 * alter a running cycle. Stages carry fields (JSON Schema), guards (required fields, approver
 * role), due dates; on hold and cancelled need a reason.
 *
 * @since 0.1.0
 */
import { type Contracts, type Db, Errors, Id, type Tenancy } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import type { CycleTable } from "./migrations/schema"
import { change, type Ex, processDb } from "./Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext
type Workflow = Contracts.WorkflowDefinition

/** What started a cycle. @category models @since 0.1.0 */
export interface Trigger {
  readonly kind: Contracts.TriggerKind
  readonly breachId?: string
  readonly standardId?: string
  readonly standardVersion?: number
  readonly requirementId?: string
  readonly targetId?: string
  readonly metric?: string
  readonly filter?: Readonly<Record<string, string>>
  readonly operator?: string
  readonly target?: number
  readonly value?: number | null
  readonly period?: { readonly from: string; readonly to: string }
  readonly caseId?: string
  readonly note?: string
}

/** A measurement of the triggering metric over a window. @category models @since 0.1.0 */
export interface Measurement {
  readonly from: string
  readonly to: string
  readonly value: number | null
  readonly numerator?: number | undefined
  readonly denominator?: number | undefined
  readonly n: number
}

const ROLE_RANK: Record<string, number> = {
  agent: 1,
  qa_analyst: 2,
  auditor: 0,
  supervisor: 3,
  admin: 4,
  owner: 5,
}

type CycleRow = Selectable<CycleTable>

const toCycle = (r: CycleRow) => ({
  id: r.id,
  number: r.number,
  workflowId: r.workflow_id,
  workflow: r.workflow,
  title: r.title,
  stage: r.stage,
  status: r.status,
  statusReason: r.status_reason,
  trigger: r.trigger,
  fields: r.fields,
  baseline: r.baseline,
  check: r.check_result,
  outcome: r.outcome,
  ownerId: r.owner_id,
  stageDueAt: r.stage_due_at,
  history: r.history,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  closedAt: r.closed_at,
})
export type Cycle = ReturnType<typeof toCycle>

const due = (stage: Workflow["stages"][number] | undefined, from: Date) =>
  stage?.dueInDays ? new Date(from.getTime() + stage.dueInDays * 86_400_000) : null

/** A workflow definition imported by the organisation as data. @category models @since 0.1.0 */
export interface LibraryWorkflow extends Workflow {
  readonly source: "library"
  readonly importedAt: Date
  readonly importedBy: string
}

/**
 * Store a workflow definition imported as data (already validated by the caller, e.g. with
 * `validateWorkflow` from @tenet/plugin-sdk). Importing the same id again replaces it; running
 * cycles keep the copy they opened with.
 * @category constructors
 * @since 0.1.0
 */
export const saveWorkflow = (db: Database, ctx: Ctx, workflow: Workflow) =>
  change(db, ctx, async ({ tx, audit, emit }) => {
    const before = await sql<{
      version: string
    }>`select version from process.workflow_library where org_id = ${ctx.orgId} and id = ${workflow.id} for update`.execute(
      tx,
    )
    const version = workflow.version ?? "1.0.0"
    await sql`insert into process.workflow_library (org_id, id, version, definition, imported_by)
      values (${ctx.orgId}, ${workflow.id}, ${version}, ${JSON.stringify({ ...workflow, version })}::json, ${ctx.actor.id})
      on conflict (org_id, id) do update set version = excluded.version, definition = excluded.definition, imported_at = now(), imported_by = excluded.imported_by`.execute(
      tx,
    )
    await audit({
      action: "workflow.imported",
      entityType: "workflow",
      entityId: workflow.id,
      before: before.rows[0] ?? null,
      after: { version },
    })
    await emit({
      type: "process.workflow.imported",
      aggregateType: "workflow",
      aggregateId: workflow.id,
      payload: { version, replaced: before.rows.length > 0 },
    })
    return { id: workflow.id, version, replaced: before.rows.length > 0 }
  })

/** The organisation's imported workflow definitions. @category constructors @since 0.1.0 */
export const listWorkflows = async (db: Database, orgId: string): Promise<LibraryWorkflow[]> =>
  (
    await processDb(db)
      .selectFrom("process.workflow_library")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("id")
      .execute()
  ).map((r) => ({
    ...r.definition,
    source: "library" as const,
    importedAt: r.imported_at,
    importedBy: r.imported_by,
  }))

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

const lock = async (tx: Ex, orgId: string, id: string) => {
  const r =
    await sql<CycleRow>`select * from process.cycle where org_id = ${orgId} and id = ${id} for update`.execute(
      tx,
    )
  if (!r.rows[0]) throw new Errors.NotFoundError({ entity: "cycle", id })
  return toCycle(r.rows[0])
}

/** Check stage values against the stage's JSON Schema properties (types and enums). @category constructors @since 0.1.0 */
export const checkFields = (
  schema: Contracts.JsonSchema | undefined,
  values: Record<string, unknown>,
): Errors.FieldIssue[] => {
  const props = ((schema as { properties?: Record<string, { type?: string; enum?: unknown[] }> })
    ?.properties ?? {}) as Record<string, { type?: string; enum?: unknown[] }>
  const issues: Errors.FieldIssue[] = []
  for (const [k, v] of Object.entries(values)) {
    const p = Object.hasOwn(props, k) ? props[k] : undefined
    if (!p) {
      issues.push({ path: ["values", k], message: "is not a field of this stage", code: "notAStageField" })
      continue
    }
    if (v === null || v === "") continue
    if (p.type === "number" && typeof v !== "number")
      issues.push({ path: ["values", k], message: "must be a number", code: "number" })
    if (p.type === "string" && typeof v !== "string")
      issues.push({ path: ["values", k], message: "must be text", code: "text" })
    if (p.enum && !p.enum.includes(v))
      issues.push({
        path: ["values", k],
        message: `must be one of ${p.enum.join(", ")}`,
        code: "oneOf",
        params: { values: p.enum.join(", ") },
      })
  }
  return issues
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

/** Why moving to `to` is refused (text, code and values), or undefined. @category constructors @since 0.3.0 */
export const moveRefusal = (
  c: Cycle,
  to: string,
  role: string | undefined,
): { message: string; code: string; params: Record<string, string> } | undefined => {
  // a stage by its names in both languages, as the admin labels workflow parts ("计划 · Plan")
  const stageTitle = (id: string) => {
    const name = c.workflow.stages.find((x) => x.id === id)?.name
    return name ? [...new Set([name["zh-CN"], name.en].filter(Boolean))].join(" · ") || id : id
  }
  if (c.status !== "active")
    return {
      message: `the cycle is ${c.status}${c.statusReason ? ` (${c.statusReason})` : ""}`,
      code: "cycleStatus",
      params: { status: c.status },
    }
  if (!c.workflow.transitions.some((t) => t.from === c.stage && t.to === to))
    return {
      message: `a ${c.workflowId} cycle cannot go from ${c.stage} to ${to}`,
      code: "stageMoveNotAllowed",
      params: { from: stageTitle(c.stage), to: stageTitle(to) },
    }
  const stage = c.workflow.stages.find((s) => s.id === c.stage)!
  const forward =
    c.workflow.stages.findIndex((s) => s.id === to) > c.workflow.stages.findIndex((s) => s.id === c.stage)
  if (forward) {
    const missing = (stage.guard?.required ?? []).filter((f) => {
      const v = c.fields[c.stage]?.[f]
      return v === undefined || v === null || v === ""
    })
    if (missing.length)
      return {
        message: `fill in ${missing.join(", ")} before leaving ${c.stage}`,
        code: "stageFieldsMissing",
        params: { fields: missing.join(", "), stage: stageTitle(c.stage) },
      }
    const need = stage.guard?.approverRole
    if (need && (ROLE_RANK[role ?? ""] ?? 0) < (ROLE_RANK[need] ?? 0))
      return {
        message: `leaving ${c.stage} needs approval by a ${need} or above`,
        code: "stageNeedsApproval",
        params: { stage: stageTitle(c.stage), role: need },
      }
  }
  return undefined
}

/** Why moving to `to` is refused (its text), or undefined. @category constructors @since 0.1.0 */
export const refuseMove = (c: Cycle, to: string, role: string | undefined): string | undefined =>
  moveRefusal(c, to, role)?.message

/** Move a cycle along its workflow (backward moves allowed where the workflow has them). @category constructors @since 0.1.0 */
export const move = async (db: Database, ctx: Ctx, id: string, to: string, note?: string) =>
  change(db, ctx, async ({ tx, audit, emit }) => {
    const c = await lock(tx, ctx.orgId, id)
    const refusal = moveRefusal(c, to, ctx.actor.role)
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
      payload: { from: c.stage, to },
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

/** @category constructors @since 0.1.0 */
export const getCycle = async (db: Database, orgId: string, id: string) => {
  const r = await sql<CycleRow>`select * from process.cycle where org_id = ${orgId} and id = ${id}`.execute(
    db.kysely,
  )
  if (!r.rows[0]) throw new Errors.NotFoundError({ entity: "cycle", id })
  return toCycle(r.rows[0])
}

/** @category constructors @since 0.1.0 */
export const listCycles = async (db: Database, orgId: string, status?: string) =>
  (
    await sql<CycleRow>`select * from process.cycle where org_id = ${orgId} ${status ? sql`and status = ${status}` : sql``} order by updated_at desc limit 500`.execute(
      db.kysely,
    )
  ).rows.map(toCycle)
