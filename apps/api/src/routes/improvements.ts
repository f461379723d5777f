import { basename, dirname, isAbsolute, sep } from "node:path"
import { Contracts, type Db, Errors, Tenancy } from "@tenet/core"
import { validateWorkflow } from "@tenet/plugin-sdk"
import type { PluginHost } from "@tenet/plugin-sdk/host"
import { Improvement } from "@tenet/process"
import { Standard, Standards } from "@tenet/standards"
import { twoProportionTest } from "@tenet/stats"
import { Schema } from "effect"
import { endpoint } from "../http/endpoint"
import { registry } from "../registry"

import { DateTime, NonEmpty, NonEmptyShort, ShortText } from "./schemas"

const OpenBody = Schema.Struct({
  workflowId: NonEmptyShort,
  title: Schema.optionalKey(ShortText),
  breachId: Schema.optionalKey(ShortText),
  kind: Schema.optionalKey(Schema.Literals(Contracts.TRIGGER_KINDS)),
  note: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "OpenCycle" })
const FieldsBody = Schema.Struct({ values: Schema.Record(Schema.String, Schema.Unknown) }).annotate({
  identifier: "CycleFields",
})
const MoveBody = Schema.Struct({ to: NonEmptyShort, note: Schema.optionalKey(Schema.String) }).annotate({
  identifier: "CycleMove",
})
const StatusBody = Schema.Struct({
  status: Schema.Literals(["on_hold", "active", "cancelled"]),
  reason: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "CycleStatus" })
const CheckBody = Schema.Struct({
  from: Schema.optionalKey(DateTime),
  to: Schema.optionalKey(DateTime),
}).annotate({ identifier: "CycleCheck" })
const ActBody = Schema.Struct({
  decision: Schema.Literals(["standardize", "adjust", "abandon"]).annotate({
    message: "must be standardize, adjust or abandon",
  }),
  targetValue: Schema.optionalKey(Schema.Finite),
  reason: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "CycleAct" })

const WorkflowImportBody = Schema.Struct({
  format: Schema.Literals(["json", "yaml"]).annotate({ message: "must be json or yaml" }),
  text: NonEmpty,
}).annotate({ identifier: "WorkflowImport" })

/** The workflows an organisation can run: those of loaded plugins, then those it imported as data. */
export const workflowsOf = async (db: Db.Database, orgId: string, plugins: PluginHost) => [
  ...plugins.workflows().map((w) => ({ ...w, source: "plugin" as const })),
  ...(await Improvement.listWorkflows(db, orgId)),
]

const findWorkflow = async (db: Db.Database, orgId: string, plugins: PluginHost, id: string) => {
  const workflow = (await workflowsOf(db, orgId, plugins)).find((w) => w.id === id)
  if (!workflow)
    throw new Errors.ValidationError({
      message: "unknown workflow",
      issues: [
        {
          path: ["workflowId"],
          message: `no loaded plugin or imported library has workflow "${id}"`,
          code: "unknownWorkflow",
          params: { value: id },
        },
      ],
    })
  return workflow
}

/** The document with one target's value changed (a new document; the given one is left as it is). */
const withTargetValue = (
  doc: Standard.StandardDocument,
  requirementId: string,
  targetId: string,
  value: number | undefined,
): Standard.StandardDocument => {
  if (value === undefined) return doc
  const clause = (cl: Standard.Clause): Standard.Clause => ({
    ...cl,
    ...(cl.requirements
      ? {
          requirements: cl.requirements.map((r) =>
            r.id === requirementId && r.targets
              ? { ...r, targets: r.targets.map((tg) => (tg.id === targetId ? { ...tg, value } : tg)) }
              : r,
          ),
        }
      : {}),
    ...(cl.clauses ? { clauses: cl.clauses.map(clause) } : {}),
  })
  return { ...doc, clauses: doc.clauses.map(clause) }
}

const measure = async (
  db: Db.Database,
  orgId: string,
  metric: string,
  filter: Record<string, string>,
  from: Date,
  to: Date,
): Promise<Improvement.Measurement> => {
  const def = registry.get(metric)
  if (!def) throw new Errors.NotFoundError({ entity: "metric", id: metric })
  const [v] = await def.compute({ orgId, from, to, timeZone: "Asia/Shanghai", bucket: "none", filter }, db)
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    value: v?.value ?? null,
    numerator: v?.numerator,
    denominator: v?.denominator,
    n: v?.n ?? 0,
  }
}

/** Open a cycle answering a breach: the trigger names the target, the baseline is measured over the breach's period. */
export const openCycleFromBreach = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  plugins: PluginHost,
  input: { breachId: string; workflowId: string; title?: string | undefined },
) => {
  const workflow = await findWorkflow(db, ctx.orgId, plugins, input.workflowId)
  const breach = (await Standards.listBreaches(db, ctx.orgId)).find((b) => b.id === input.breachId)
  if (!breach)
    throw new Errors.ValidationError({
      message: "unknown breach",
      issues: [{ path: ["breachId"], message: "no such breach in this organisation", code: "unknownBreach" }],
    })
  if (breach.status !== "open")
    throw new Errors.ConflictError({
      message: `breach ${breach.id} is already answered by cycle ${breach.cycleId}`,
      field: "breachId",
      code: "breachAnswered",
    })
  const version = await Standards.getVersion(db, ctx.orgId, breach.standardId, breach.version)
  const req = Standard.requirements(version.document).find(
    (r) => r.requirement.id === breach.requirementId,
  )?.requirement
  const baseline = await measure(
    db,
    ctx.orgId,
    breach.metric,
    breach.filter,
    new Date(breach.from),
    new Date(breach.to),
  )
  const cycle = await Improvement.openCycle(db, ctx, {
    workflow,
    title:
      input.title ?? `${breach.requirementId} ${req?.title?.["zh-CN"] ?? req?.title?.en ?? breach.metric}`,
    trigger: {
      kind: "kpi_breach",
      breachId: breach.id,
      standardId: breach.standardId,
      standardVersion: breach.version,
      requirementId: breach.requirementId,
      targetId: breach.targetId,
      metric: breach.metric,
      filter: breach.filter,
      operator: breach.operator,
      target: breach.target,
      value: breach.value,
      period: { from: new Date(breach.from).toISOString(), to: new Date(breach.to).toISOString() },
    },
    baseline,
  })
  await Standards.answerBreach(db, ctx, breach.id, cycle.id)
  return cycle
}

/** A plugin's entry with its absolute source folder (and the server's working folder) named relatively. */
const withoutServerPaths = <T>(entry: T, source: string): T => {
  let text = JSON.stringify(entry)
  const swap = (from: string, to: string) => {
    if (from.length > 1)
      text = text.split(JSON.stringify(from).slice(1, -1)).join(JSON.stringify(to).slice(1, -1))
  }
  if (isAbsolute(source)) {
    swap(source, basename(source))
    swap(dirname(source) + sep, "")
  }
  swap(process.cwd() + sep, "")
  swap(process.cwd(), ".")
  return JSON.parse(text) as T
}

export const improvementEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/plugins",
    operationId: "listPlugins",
    summary: "Loaded and refused plugins, their contributions, handlers and errors",
    tag: "Plugins",
    access: "plugins:read",
    handler: async (c, { ctx, auth }) => {
      const installed = new Set((await Standards.listStandards(c.get("db"), ctx.orgId)).map((s) => s.key))
      // where plugins live on the server is for those who manage them: others see folder names
      const showPaths = Tenancy.can(auth.role, "plugins:manage")
      return {
        items: c
          .get("plugins")
          .plugins.map(({ plugin: _p, ...rest }) =>
            showPaths ? rest : withoutServerPaths(rest, rest.source),
          ),
        standards: c
          .get("plugins")
          .standards()
          .map(({ plugin, document }) => {
            // a plugin's standards were checked against the standard document schema when it loaded
            const doc = document as Standard.StandardDocument
            return {
              plugin,
              id: doc.id,
              version: doc.version,
              title: doc.title,
              installed: installed.has(doc.id),
            }
          }),
      }
    },
  }),
  endpoint({
    method: "post",
    path: "/api/v1/plugins/{id}/standards/{standard}/install",
    operationId: "installPluginStandard",
    summary: "Import a standard contributed by a plugin into this organisation (as a draft)",
    tag: "Plugins",
    access: "standards:manage",
    status: 201,
    handler: async (c, { ctx, params }) => {
      const s = c
        .get("plugins")
        .standards()
        .find(
          (x) => x.plugin === params.id && (x.document as Standard.StandardDocument).id === params.standard,
        )
      if (!s)
        throw new Errors.NotFoundError({ entity: "plugin standard", id: `${params.id}/${params.standard}` })
      return Standards.importLibrary(c.get("db"), ctx, registry, s.document)
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/improvements/workflows",
    operationId: "listWorkflows",
    summary:
      "Improvement workflows: contributed by plugins (source plugin) and imported as data (source library)",
    tag: "Improvements",
    access: "improvements:read",
    handler: async (c, { ctx }) => ({ items: await workflowsOf(c.get("db"), ctx.orgId, c.get("plugins")) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/improvements/workflows/import",
    operationId: "importWorkflow",
    summary:
      "Import a workflow definition as data (JSON or YAML, no code); importing the same id again replaces it for new cycles",
    tag: "Improvements",
    access: "improvements:manage",
    body: WorkflowImportBody,
    status: 201,
    handler: async (c, { ctx, body }) => {
      const doc = Standards.parseLibrary(body.text, body.format) as Record<string, unknown>
      const issues = validateWorkflow(doc)
      if (issues.length)
        throw new Errors.ValidationError({
          message: "invalid workflow",
          issues: issues.map((i) => ({
            path: ["document", ...i.path],
            message: i.reason,
            code: "workflowDocument",
            params: { detail: i.reason },
          })),
        })
      const taken = c
        .get("plugins")
        .workflows()
        .find((w) => w.id === doc.id)
      if (taken)
        throw new Errors.ValidationError({
          message: "invalid workflow",
          issues: [
            {
              path: ["document", "id"],
              message: `"${taken.id}" is contributed by plugin ${taken.plugin}; choose another id`,
              code: "idTaken",
              params: { value: taken.id, plugin: taken.plugin },
            },
          ],
        })
      return Improvement.saveWorkflow(c.get("db"), ctx, doc as unknown as Contracts.WorkflowDefinition)
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/improvements/cycles",
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
    summary: "A cycle with its workflow, stage fields, trigger, baseline, check, outcome and history",
    tag: "Improvements",
    access: "improvements:read",
    handler: async (c, { ctx, params }) => Improvement.getCycle(c.get("db"), ctx.orgId, params.id!),
  }),
  endpoint({
    method: "patch",
    path: "/api/v1/improvements/cycles/{id}/fields",
    operationId: "saveCycleFields",
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
