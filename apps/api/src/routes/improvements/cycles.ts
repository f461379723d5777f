/**
 * Improvement cycles' schemas and the operations the routes and the outbox share: the workflows an
 * organisation can run, opening a cycle from a breach, measuring a target's metric.
 */
import { basename, dirname, isAbsolute, sep } from "node:path"
import { Contracts, type Db, Errors, type Tenancy } from "@tenet/core"
import type { PluginHost } from "@tenet/plugin-sdk/host"
import { Improvement } from "@tenet/process"
import { Standard, Standards } from "@tenet/standards"
import { Schema } from "effect"
import { orgTimeZone } from "../../http/org-zone"
import { registry } from "../../registry"
import { DateTime, NonEmpty, NonEmptyShort, ShortText } from "../schemas"

export const OpenBody = Schema.Struct({
  workflowId: NonEmptyShort,
  title: Schema.optionalKey(ShortText),
  breachId: Schema.optionalKey(ShortText),
  kind: Schema.optionalKey(Schema.Literals(Contracts.TRIGGER_KINDS)),
  note: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "OpenCycle" })
export const FieldsBody = Schema.Struct({ values: Schema.Record(Schema.String, Schema.Unknown) }).annotate({
  identifier: "CycleFields",
})
export const MoveBody = Schema.Struct({
  to: NonEmptyShort,
  note: Schema.optionalKey(Schema.String),
}).annotate({
  identifier: "CycleMove",
})
export const StatusBody = Schema.Struct({
  status: Schema.Literals(["on_hold", "active", "cancelled"]),
  reason: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "CycleStatus" })
export const CheckBody = Schema.Struct({
  from: Schema.optionalKey(DateTime),
  to: Schema.optionalKey(DateTime),
}).annotate({ identifier: "CycleCheck" })
export const ActBody = Schema.Struct({
  decision: Schema.Literals(["standardize", "adjust", "abandon"]).annotate({
    message: "must be standardize, adjust or abandon",
  }),
  targetValue: Schema.optionalKey(Schema.Finite),
  reason: Schema.optionalKey(Schema.String),
}).annotate({ identifier: "CycleAct" })

export const WorkflowImportBody = Schema.Struct({
  format: Schema.Literals(["json", "yaml"]).annotate({ message: "must be json or yaml" }),
  text: NonEmpty,
}).annotate({ identifier: "WorkflowImport" })

/** The workflows an organisation can run: those of loaded plugins, then those it imported as data. */
export const workflowsOf = async (db: Db.Database, orgId: string, plugins: PluginHost) => [
  ...plugins.workflows().map((w) => ({ ...w, source: "plugin" as const })),
  ...(await Improvement.listWorkflows(db, orgId)),
]

export const findWorkflow = async (db: Db.Database, orgId: string, plugins: PluginHost, id: string) => {
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
export const withTargetValue = (
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

export const measure = async (
  db: Db.Database,
  orgId: string,
  metric: string,
  filter: Record<string, string>,
  from: Date,
  to: Date,
): Promise<Improvement.Measurement> => {
  const def = registry.get(metric)
  if (!def) throw new Errors.NotFoundError({ entity: "metric", id: metric })
  const timeZone = await orgTimeZone(db, orgId)
  const [v] = await def.compute({ orgId, from, to, timeZone, bucket: "none", filter }, db)
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
  input: {
    breachId: string
    workflowId: string
    title?: string | undefined
    /** What the cycle answers: a KPI breach (default), or the customer's voice (a satisfaction target). */
    kind?: "kpi_breach" | "complaint" | undefined
  },
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
      kind: input.kind ?? "kpi_breach",
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
export const withoutServerPaths = <T>(entry: T, source: string): T => {
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
