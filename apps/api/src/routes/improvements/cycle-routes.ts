import { Errors } from "@tenet/core"
import { Improvement } from "@tenet/process"
import { Standard, Standards } from "@tenet/standards"
import { twoProportionTest } from "@tenet/stats"
import { Schema } from "effect"
import { endpoint } from "../../http/endpoint"
import { registry } from "../../registry"
import {
  ActBody,
  CheckBody,
  FieldsBody,
  findWorkflow,
  MoveBody,
  measure,
  OpenBody,
  openCycleFromBreach,
  StatusBody,
  withTargetValue,
} from "./cycles"

export const cycleEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/improvements/cycles",
    exportable: true,
    operationId: "listCycles",
    summary: "Improvement cycles",
    tag: "Improvements",
    access: "improvements:read",
    query: Schema.Struct({
      status: Schema.optionalKey(Schema.Literals(["active", "on_hold", "cancelled", "closed"])),
    }),
    handler: async (c, { ctx, query }) => ({
      items: await Improvement.listCycles(c.get("db"), ctx.orgId, query.status),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/improvements/cycles",
    operationId: "openCycle",
    summary:
      "Open a cycle — from a breach (one click: the baseline is captured from the breach's period) or from an idea",
    tag: "Improvements",
    access: "improvements:write",
    body: OpenBody,
    status: 201,
    handler: async (c, { ctx, body }) => {
      const db = c.get("db")
      const workflow = await findWorkflow(db, ctx.orgId, c.get("plugins"), body.workflowId)
      if (body.breachId)
        return openCycleFromBreach(db, ctx, c.get("plugins"), {
          breachId: body.breachId,
          workflowId: body.workflowId,
          title: body.title,
        })
      return Improvement.openCycle(db, ctx, {
        workflow,
        title: body.title ?? "",
        trigger: { kind: body.kind ?? "idea", ...(body.note ? { note: body.note } : {}) },
      })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/improvements/cycles/{id}",
    operationId: "getCycle",
    etag: true,
    summary: "A cycle with its workflow, stage fields, trigger, baseline, check, outcome and history",
    tag: "Improvements",
    access: "improvements:read",
    handler: async (c, { ctx, params }) => Improvement.getCycle(c.get("db"), ctx.orgId, params.id!),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/improvements/cycles/{id}/fields",
    operationId: "saveCycleFields",
    ifMatch: "getCycle",
    summary: "Save values of the current stage's fields (checked against the stage's JSON Schema)",
    tag: "Improvements",
    access: "improvements:write",
    body: FieldsBody,
    handler: async (c, { ctx, params, body }) =>
      Improvement.saveFields(c.get("db"), ctx, params.id!, body.values),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/improvements/cycles/{id}/moves",
    operationId: "moveCycle",
    ifMatch: "getCycle",
    summary: "Move to another stage (guards: required fields, approver role)",
    tag: "Improvements",
    access: "improvements:write",
    body: MoveBody,
    handler: async (c, { ctx, params, body }) =>
      Improvement.move(c.get("db"), ctx, params.id!, body.to, body.note),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/improvements/cycles/{id}/status",
    operationId: "setCycleStatus",
    summary: "Put on hold, resume, or cancel (with a reason)",
    tag: "Improvements",
    access: "improvements:write",
    body: StatusBody,
    handler: async (c, { ctx, params, body }) =>
      Improvement.setStatus(c.get("db"), ctx, params.id!, body.status, body.reason),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/improvements/cycles/{id}/check",
    operationId: "checkCycle",
    summary:
      "Re-measure the triggering metric after the change against the baseline, with the two-proportion test",
    tag: "Improvements",
    access: "improvements:write",
    body: CheckBody,
    handler: async (c, { ctx, params, body }) => {
      const db = c.get("db")
      const cycle = await Improvement.getCycle(db, ctx.orgId, params.id!)
      if (!cycle.trigger.metric || !cycle.baseline)
        throw new Errors.ConflictError({
          message: "this cycle has no triggering metric to re-measure; record the check in the stage fields",
          field: "metric",
          code: "noMetricToMeasure",
        })
      const doAt =
        cycle.history.find((h) => h.from !== null && h.to !== cycle.workflow.stages[0]!.id)?.at ??
        cycle.createdAt.toISOString()
      const from = body.from ? new Date(body.from) : new Date(doAt)
      const to = body.to ? new Date(body.to) : new Date()
      const after = await measure(db, ctx.orgId, cycle.trigger.metric, cycle.trigger.filter ?? {}, from, to)
      const def = registry.get(cycle.trigger.metric)!
      const b = cycle.baseline
      let test: { statistic: number; pValue: number; difference: number } | null = null
      if (
        def.kind === "proportion" &&
        b.denominator &&
        after.denominator &&
        after.numerator !== undefined &&
        b.numerator !== undefined
      )
        test = twoProportionTest(after.numerator, after.denominator, b.numerator, b.denominator)
      const better = def.direction === "lower_is_better" ? -1 : 1
      const delta = after.value !== null && b.value !== null ? after.value - b.value : null
      const meetsTarget =
        after.value !== null && cycle.trigger.operator && cycle.trigger.target !== undefined
          ? Standard.judge(
              { operator: cycle.trigger.operator as never, value: cycle.trigger.target },
              after.value,
              after.n,
            ) !== "breached"
          : null
      const improved = delta !== null && delta * better > 0 && (test ? test.pValue < 0.05 : true)
      const verdict =
        after.n === 0
          ? "no_data"
          : improved && meetsTarget
            ? "worked"
            : improved
              ? "improved_not_at_target"
              : "not_shown"
      return Improvement.record(db, ctx, params.id!, "check_result", {
        baseline: b,
        after,
        test,
        delta,
        meetsTarget,
        verdict,
        metric: { id: def.id, name: def.name, unit: def.unit, direction: def.direction },
      })
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/improvements/cycles/{id}/act",
    operationId: "actOnCycle",
    summary:
      "Act: standardize (a draft of the next standard version with the new target, linked to this cycle), adjust (another round), or abandon (with a reason)",
    tag: "Improvements",
    access: "improvements:write",
    body: ActBody,
    handler: async (c, { ctx, params, body }) => {
      const db = c.get("db")
      const cycle = await Improvement.getCycle(db, ctx.orgId, params.id!)
      if (body.decision === "abandon") {
        if (!body.reason?.trim())
          throw new Errors.ValidationError({
            message: "a reason is required",
            issues: [{ path: ["reason"], message: "say why the cycle is abandoned", code: "reasonAbandon" }],
          })
        await Improvement.record(db, ctx, cycle.id, "outcome", { decision: "abandon", reason: body.reason })
        return Improvement.setStatus(db, ctx, cycle.id, "cancelled", body.reason)
      }
      if (body.decision === "adjust")
        return Improvement.record(db, ctx, cycle.id, "outcome", { decision: "adjust" })
      const t = cycle.trigger
      if (!t.standardId || !t.requirementId || !t.targetId)
        throw new Errors.ConflictError({
          message: "this cycle was not started from a standard's target; standardise by editing the standard",
          field: "decision",
          code: "notFromStandard",
        })
      const published = await Standards.publishedVersion(db, ctx.orgId, t.standardId)
      const base = published ?? (await Standards.getVersion(db, ctx.orgId, t.standardId, t.standardVersion!))
      const parts = String(base.label).split(".")
      const doc: Standard.StandardDocument = {
        ...withTargetValue(base.document, t.requirementId, t.targetId, body.targetValue),
        version:
          parts.length > 1
            ? `${parts.slice(0, -1).join(".")}.${Number(parts.at(-1)) + 1 || 1}`
            : `${base.label}.1`,
      }
      const draft = await Standards.createDraft(db, ctx, registry, t.standardId, {
        fromVersion: base.version,
        document: doc,
        cycleId: cycle.id,
      })
      return Improvement.record(db, ctx, cycle.id, "outcome", {
        decision: "standardize",
        draft: { standardId: t.standardId, version: draft.version, label: doc.version, diff: draft.diff },
      })
    },
  }),
]
