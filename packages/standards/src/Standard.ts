/**
 * The standard document (library format `tenet-standard/v1`, JSON or YAML): clauses in a
 * tree, requirements, and targets on registry metrics. Pure rules: validation with paths,
 * lifecycle transitions, diffs between versions, target evaluation.
 *
 * @since 0.1.0
 */
import type { Errors } from "@tenet/core"

/** @category models @since 0.1.0 */
export type Localized = Readonly<Partial<Record<"zh-CN" | "en", string>>>

/** @category models @since 0.1.0 */
export type Operator = ">=" | ">" | "<=" | "<"

/** A target on a metric. @category models @since 0.1.0 */
export interface Target {
  readonly id: string
  readonly metric: string
  readonly operator: Operator
  readonly value: number
  /** At risk when met but within this band of the target (e.g. 0.02 = 2 points for a rate). */
  readonly warningBand?: number
  /** Dimension filter, e.g. { type: "inquiry" }. */
  readonly filter?: Readonly<Record<string, string>>
  readonly rationale?: Localized
}

/** @category models @since 0.1.0 */
export interface Requirement {
  readonly id: string
  readonly title: Localized
  readonly text?: Localized
  readonly targets?: ReadonlyArray<Target>
}

/** @category models @since 0.1.0 */
export interface Clause {
  readonly id: string
  readonly title: Localized
  readonly requirements?: ReadonlyArray<Requirement>
  readonly clauses?: ReadonlyArray<Clause>
}

/** A standard as a library document. @category models @since 0.1.0 */
export interface StandardDocument {
  readonly format: "tenet-standard/v1"
  readonly id: string
  readonly version: string
  readonly title: Localized
  readonly locale?: ReadonlyArray<string>
  readonly provider?: string
  readonly copyright?: string
  readonly licence?: string
  readonly reviewCadenceDays?: number
  /** Open an improvement cycle of this workflow automatically for every breach (e.g. "pdca"). */
  readonly improvement?: { readonly autoOpen?: string }
  readonly clauses: ReadonlyArray<Clause>
}

/** @category models @since 0.1.0 */
export const STATUSES = ["draft", "in_review", "approved", "published", "superseded", "retired"] as const
/** @category models @since 0.1.0 */
export type Status = (typeof STATUSES)[number]

const FLOW: Readonly<Record<Status, ReadonlyArray<Status>>> = {
  draft: ["in_review", "retired"],
  in_review: ["approved", "draft"],
  approved: ["published", "draft"],
  published: ["retired"],
  superseded: ["retired"],
  retired: [],
}

/** Why a lifecycle step is refused, or undefined. @category constructors @since 0.1.0 */
export const refuseStep = (from: Status, to: Status): string | undefined =>
  FLOW[from].includes(to)
    ? undefined
    : `a ${from} version cannot become ${to}${to === "published" ? "; it is reviewed and approved first" : ""}`

/** Every requirement with its clause path. @category constructors @since 0.1.0 */
export const requirements = (doc: StandardDocument): Array<{ clause: string; requirement: Requirement }> => {
  const out: Array<{ clause: string; requirement: Requirement }> = []
  const walk = (clauses: ReadonlyArray<Clause>) => {
    for (const c of clauses) {
      for (const r of c.requirements ?? []) out.push({ clause: c.id, requirement: r })
      walk(c.clauses ?? [])
    }
  }
  walk(doc.clauses)
  return out
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** Validate a document; each issue has a path. `knownMetric` checks metric ids against the registry. @category constructors @since 0.1.0 */
export const validate = (doc: unknown, knownMetric: (id: string) => boolean): Errors.FieldIssue[] => {
  const issues: Errors.FieldIssue[] = []
  const d = doc as StandardDocument
  if (typeof doc !== "object" || doc === null)
    return [{ path: [], message: "expected a standard document", code: "standardDocument" }]
  if (d.format !== "tenet-standard/v1")
    issues.push({
      path: ["format"],
      message: 'must be "tenet-standard/v1"',
      code: "oneOf",
      params: { values: "tenet-standard/v1" },
    })
  if (typeof d.id !== "string" || !ID.test(d.id))
    issues.push({
      path: ["id"],
      message: "must be 1–64 letters, digits, dots, dashes or underscores",
      code: "documentId",
    })
  if (typeof d.version !== "string" || !d.version)
    issues.push({ path: ["version"], message: 'must be a version label, e.g. "1.0"', code: "versionLabel" })
  if (!d.title || (!d.title["zh-CN"] && !d.title.en))
    issues.push({ path: ["title"], message: "needs a title in zh-CN or en", code: "title" })
  if (
    d.reviewCadenceDays !== undefined &&
    !(Number.isInteger(d.reviewCadenceDays) && d.reviewCadenceDays > 0)
  )
    issues.push({
      path: ["reviewCadenceDays"],
      message: "must be a whole number of days > 0",
      code: "positiveDays",
    })
  if (!Array.isArray(d.clauses)) {
    issues.push({ path: ["clauses"], message: "must be a list of clauses", code: "clauseList" })
    return issues
  }
  const seen = new Set<string>()
  const walk = (clauses: ReadonlyArray<Clause>, path: Array<string | number>) => {
    clauses.forEach((c, i) => {
      const p = [...path, i]
      if (typeof c.id !== "string" || !ID.test(c.id))
        issues.push({ path: [...p, "id"], message: "each clause needs an id", code: "required" })
      if (!c.title || (!c.title["zh-CN"] && !c.title.en))
        issues.push({ path: [...p, "title"], message: "needs a title in zh-CN or en", code: "title" })
      ;(c.requirements ?? []).forEach((r, j) => {
        const rp = [...p, "requirements", j]
        if (typeof r.id !== "string" || !ID.test(r.id))
          issues.push({ path: [...rp, "id"], message: "each requirement needs an id", code: "required" })
        else if (seen.has(r.id))
          issues.push({
            path: [...rp, "id"],
            message: `requirement id "${r.id}" is used twice`,
            code: "usedTwice",
            params: { value: String(r.id) },
          })
        else seen.add(r.id)
        if (!r.title || (!r.title["zh-CN"] && !r.title.en))
          issues.push({ path: [...rp, "title"], message: "needs a title in zh-CN or en", code: "title" })
        const tids = new Set<string>()
        ;(r.targets ?? []).forEach((t, k) => {
          const tp = [...rp, "targets", k]
          if (typeof t.id !== "string" || !t.id || tids.has(t.id))
            issues.push({
              path: [...tp, "id"],
              message: "each target needs an id unique in its requirement",
              code: "uniqueId",
            })
          tids.add(t.id)
          if (typeof t.metric !== "string" || !knownMetric(t.metric))
            issues.push({
              path: [...tp, "metric"],
              message: `unknown metric "${String(t.metric)}"`,
              code: "unknownMetric",
              params: { value: String(t.metric) },
            })
          if (![">=", ">", "<=", "<"].includes(t.operator))
            issues.push({
              path: [...tp, "operator"],
              message: "must be >=, >, <= or <",
              code: "oneOf",
              params: { values: ">=, >, <=, <" },
            })
          if (typeof t.value !== "number" || !Number.isFinite(t.value))
            issues.push({ path: [...tp, "value"], message: "must be a number", code: "number" })
          if (t.warningBand !== undefined && !(typeof t.warningBand === "number" && t.warningBand >= 0))
            issues.push({
              path: [...tp, "warningBand"],
              message: "must be a number ≥ 0",
              code: "nonNegative",
            })
        })
      })
      walk(c.clauses ?? [], [...p, "clauses"])
    })
  }
  walk(d.clauses, ["clauses"])
  return issues
}

/** @category models @since 0.1.0 */
export type TargetStatus = "met" | "at_risk" | "breached" | "no_data"

/** Compare a value to a target: met, at risk (met but within the warning band), or breached. @category constructors @since 0.1.0 */
export const judge = (
  t: Pick<Target, "operator" | "value" | "warningBand">,
  value: number | null,
  n: number,
): TargetStatus => {
  if (value === null || n === 0) return "no_data"
  const ok =
    t.operator === ">="
      ? value >= t.value
      : t.operator === ">"
        ? value > t.value
        : t.operator === "<="
          ? value <= t.value
          : value < t.value
  if (!ok) return "breached"
  const band = t.warningBand ?? 0
  if (band > 0) {
    const margin = t.operator.startsWith(">") ? value - t.value : t.value - value
    if (margin <= band) return "at_risk"
  }
  return "met"
}

/** One change between two versions. @category models @since 0.1.0 */
export interface DiffEntry {
  readonly kind: "added" | "removed" | "changed"
  readonly what: "requirement" | "target"
  readonly requirement: string
  readonly target?: string
  readonly before?: unknown
  readonly after?: unknown
}

/** Key-order-independent JSON (documents read back from jsonb have their keys reordered). */
const stable = (v: unknown): string =>
  v === null || typeof v !== "object"
    ? JSON.stringify(v ?? null)
    : Array.isArray(v)
      ? `[${v.map(stable).join(",")}]`
      : `{${Object.keys(v as object)
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
          .join(",")}}`

/** A readable diff: requirements and targets added, removed or changed. @category constructors @since 0.1.0 */
export const diff = (a: StandardDocument, b: StandardDocument): DiffEntry[] => {
  const ra = new Map(requirements(a).map((x) => [x.requirement.id, x.requirement]))
  const rb = new Map(requirements(b).map((x) => [x.requirement.id, x.requirement]))
  const out: DiffEntry[] = []
  const strip = (r: Requirement) => stable({ title: r.title, text: r.text })
  for (const [id, r] of rb) {
    const old = ra.get(id)
    if (!old) {
      out.push({ kind: "added", what: "requirement", requirement: id, after: r.title })
      continue
    }
    if (strip(old) !== strip(r))
      out.push({
        kind: "changed",
        what: "requirement",
        requirement: id,
        before: { title: old.title, text: old.text },
        after: { title: r.title, text: r.text },
      })
    const ta = new Map((old.targets ?? []).map((t) => [t.id, t]))
    const tb = new Map((r.targets ?? []).map((t) => [t.id, t]))
    for (const [tid, t] of tb) {
      const o = ta.get(tid)
      if (!o) out.push({ kind: "added", what: "target", requirement: id, target: tid, after: t })
      else if (stable(o) !== stable(t))
        out.push({ kind: "changed", what: "target", requirement: id, target: tid, before: o, after: t })
    }
    for (const [tid, t] of ta)
      if (!tb.has(tid)) out.push({ kind: "removed", what: "target", requirement: id, target: tid, before: t })
  }
  for (const [id, r] of ra)
    if (!rb.has(id)) out.push({ kind: "removed", what: "requirement", requirement: id, before: r.title })
  return out
}
