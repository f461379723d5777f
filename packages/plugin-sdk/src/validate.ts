import { Contracts, DataClasses } from "@tenet/core"
import { Library } from "@tenet/risk"
import semver from "semver"
import type { Plugin } from "./index"

/** One problem with a plugin: which plugin, which field, why. */
export interface PluginIssue {
  readonly plugin: string
  readonly field: string
  readonly reason: string
}

export const formatIssue = (i: PluginIssue) => `plugin ${i.plugin}: ${i.field}: ${i.reason}`

const ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/
const STAGE_ID = /^[a-z][a-z0-9_]*$/

const TRIGGERS: ReadonlyArray<string> = Contracts.TRIGGER_KINDS

/** One problem with a workflow definition: where (a path into the document) and why. */
export interface WorkflowIssue {
  readonly path: ReadonlyArray<string | number>
  readonly reason: string
}

const dotted = (path: ReadonlyArray<string | number>) =>
  path.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("")

/**
 * Check a workflow definition, contributed by a plugin or imported as a data-only document:
 * kebab-case id, a version, a name, at least two uniquely named stages with a terminal one,
 * stage fields as JSON Schema objects, guards naming real fields, transitions between known
 * stages, and known triggers.
 * @category guards
 * @since 0.1.0
 */
export const validateWorkflow = (value: unknown): WorkflowIssue[] => {
  const issues: WorkflowIssue[] = []
  const add = (path: ReadonlyArray<string | number>, reason: string) => issues.push({ path, reason })
  const w = value as Contracts.WorkflowDefinition
  if (typeof w !== "object" || w === null || Array.isArray(w))
    return [
      { path: [], reason: "must be an object with id, version, name, stages, transitions and triggers" },
    ]
  if (typeof w.id !== "string" || !ID.test(w.id)) add(["id"], "must be kebab-case")
  if (w.version !== undefined && typeof w.version !== "string")
    add(["version"], 'must be a string such as "1.0.0"')
  if (!w.name?.en && !w.name?.["zh-CN"]) add(["name"], "needs a name in zh-CN or en")
  if (!Array.isArray(w.triggers) || w.triggers.length === 0)
    add(["triggers"], `must list at least one of ${TRIGGERS.join(", ")}`)
  else
    w.triggers.forEach((t, j) => {
      if (!TRIGGERS.includes(t)) add(["triggers", j], `unknown trigger "${t}"; one of ${TRIGGERS.join(", ")}`)
    })
  if (!Array.isArray(w.stages) || w.stages.length < 2) {
    add(["stages"], "needs at least two stages")
    return issues
  }
  const ids = new Set<string>()
  w.stages.forEach((s, j) => {
    if (typeof s?.id !== "string" || !STAGE_ID.test(s.id) || ids.has(s.id))
      add(["stages", j, "id"], "must be a unique snake_case id")
    ids.add(s?.id)
    if (!s?.name?.en && !s?.name?.["zh-CN"]) add(["stages", j, "name"], "needs a name in zh-CN or en")
    if (
      s?.fields !== undefined &&
      (typeof s.fields !== "object" || (s.fields as { type?: string }).type !== "object")
    )
      add(["stages", j, "fields"], 'must be a JSON Schema with type "object"')
    for (const r of s?.guard?.required ?? [])
      if (!(s.fields as { properties?: Record<string, unknown> })?.properties?.[r])
        add(["stages", j, "guard", "required"], `"${r}" is not one of the stage's fields`)
  })
  if (!Array.isArray(w.transitions)) add(["transitions"], "must be a list of { from, to }")
  else
    w.transitions.forEach((t, j) => {
      if (!ids.has(t?.from)) add(["transitions", j, "from"], `unknown stage "${t?.from}"`)
      if (!ids.has(t?.to)) add(["transitions", j, "to"], `unknown stage "${t?.to}"`)
    })
  if (!w.stages.some((s) => s?.terminal)) add(["stages"], "needs a terminal stage")
  return issues
}

/** Check a plugin value against the manifest rules and the running Tenet version. */
export const validatePlugin = (
  value: unknown,
  options: {
    readonly tenetVersion: string
    readonly source: string
    readonly knownMetric?: (id: string) => boolean
  },
): PluginIssue[] => {
  const p = value as Plugin
  const name = typeof p?.id === "string" && p.id ? p.id : options.source
  const issues: PluginIssue[] = []
  const add = (field: string, reason: string) => issues.push({ plugin: name, field, reason })
  if (typeof value !== "object" || value === null || p.$$type !== "@tenet/Plugin") {
    add(
      "(default export)",
      "is not a plugin: export default definePlugin({ id, version, engines: { tenet } })",
    )
    return issues
  }
  if (typeof p.id !== "string" || !ID.test(p.id))
    add("id", `must be kebab-case (a-z, 0-9 and single dashes), got ${JSON.stringify(p.id)}`)
  if (typeof p.version !== "string" || !semver.valid(p.version))
    add("version", `must be a semver version such as "1.0.0", got ${JSON.stringify(p.version)}`)
  const range = p.engines?.tenet
  if (typeof range !== "string" || !semver.validRange(range))
    add("engines.tenet", `must be a semver range such as "^0.1", got ${JSON.stringify(range)}`)
  else if (!semver.satisfies(options.tenetVersion, range, { includePrerelease: true }))
    add("engines.tenet", `requires Tenet ${range}, but this is Tenet ${options.tenetVersion}`)
  const c = p.contributes ?? {}
  c.workflows?.forEach((w, i) => {
    for (const issue of validateWorkflow(w))
      add(`contributes.workflows[${i}]${dotted(issue.path)}`, issue.reason)
  })
  c.metrics?.forEach((m, i) => {
    if (typeof m?.id !== "string" || !m.id.includes("."))
      add(`contributes.metrics[${i}].id`, 'must be namespaced, e.g. "my-plugin.handle_time"')
    if (typeof m?.compute !== "function") add(`contributes.metrics[${i}].compute`, "must be a function")
  })
  // a target names a metric of the registry or one the plugin contributes itself
  const own = new Set((c.metrics ?? []).map((m) => m?.id))
  const metricKnown = (id: unknown) =>
    typeof id === "string" && (own.has(id) || (options.knownMetric ? options.knownMetric(id) : true))
  type Clause = { clauses?: unknown; requirements?: unknown }
  const walkClauses = (clauses: unknown, path: string) => {
    if (!Array.isArray(clauses)) return
    clauses.forEach((cl: Clause, j) => {
      const at = `${path}.clauses[${j}]`
      if (Array.isArray(cl?.requirements))
        cl.requirements.forEach((r: { targets?: unknown }, k) => {
          if (Array.isArray(r?.targets))
            r.targets.forEach((t: { metric?: unknown }, l) => {
              if (!metricKnown(t?.metric))
                add(
                  `${at}.requirements[${k}].targets[${l}].metric`,
                  `unknown metric ${JSON.stringify(t?.metric)}; a metric of the registry or one this plugin contributes`,
                )
            })
        })
      walkClauses(cl?.clauses, at)
    })
  }
  c.standards?.forEach((s, i) => {
    const d = s as { format?: string; id?: string; clauses?: unknown }
    if (d?.format !== "tenet-standard/v1")
      add(`contributes.standards[${i}].format`, 'must be "tenet-standard/v1"')
    walkClauses(d?.clauses, `contributes.standards[${i}]`)
  })
  // scorecards and calendars are installed into an organisation (where their full rules apply):
  // here, that each has a name and the shape to install
  const uniqueNames = (kind: string, list: ReadonlyArray<{ name?: unknown }> | undefined) => {
    const seen = new Set<string>()
    list?.forEach((x, i) => {
      if (typeof x?.name !== "string" || !x.name.trim() || seen.has(x.name))
        add(`contributes.${kind}[${i}].name`, "must be a unique, non-empty name")
      else seen.add(x.name)
    })
  }
  uniqueNames("scorecards", c.scorecards)
  c.scorecards?.forEach((x, i) => {
    const d = x?.definition as { sections?: unknown; passMark?: unknown } | undefined
    if (typeof d !== "object" || d === null || !Array.isArray(d.sections) || d.sections.length === 0)
      add(`contributes.scorecards[${i}].definition.sections`, "add at least one section")
    else if (typeof d.passMark !== "number" || d.passMark < 0 || d.passMark > 100)
      add(`contributes.scorecards[${i}].definition.passMark`, "must be between 0 and 100")
  })
  uniqueNames("calendars", c.calendars)
  c.calendars?.forEach((x, i) => {
    const spec = x?.spec as { timeZone?: unknown; hours?: unknown } | undefined
    if (typeof spec !== "object" || spec === null || typeof spec.timeZone !== "string")
      add(`contributes.calendars[${i}].spec.timeZone`, "must be an IANA time zone")
    else if (typeof spec.hours !== "object" || spec.hours === null)
      add(`contributes.calendars[${i}].spec.hours`, "must give the opening hours per weekday")
  })
  c.riskLibraries?.forEach((doc, i) => {
    for (const issue of Library.validate(doc))
      add(
        `contributes.riskLibraries[${i}]${issue.path.length ? `.${Library.pathText(issue.path)}` : ""}`,
        issue.message,
      )
  })
  c.dataClasses?.forEach((d, i) => {
    if (typeof d?.id !== "string" || !d.id.startsWith(`${p.id}.`))
      add(`contributes.dataClasses[${i}].id`, `must be namespaced by the plugin, e.g. "${p.id}.notes"`)
    for (const problem of DataClasses.validate({ ...d, plugin: p.id }))
      add(`contributes.dataClasses[${i}]`, problem)
  })
  const names = new Set<string>()
  p.handlers?.forEach((h, i) => {
    if (typeof h?.name !== "string" || !h.name || names.has(h.name))
      add(`handlers[${i}].name`, "must be a unique name")
    names.add(h?.name)
    if (!Array.isArray(h?.events) || h.events.length === 0)
      add(`handlers[${i}].events`, "must list at least one event type")
    if (typeof h?.handle !== "function") add(`handlers[${i}].handle`, "must be a function")
  })
  return issues
}
