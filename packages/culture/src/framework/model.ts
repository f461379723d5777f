/**
 * A competency framework as data: proficiency levels with behavioural descriptions, the skill and
 * knowledge areas (seed 002 §2.3), and the level each role or queue requires. Importable as YAML or
 * JSON; `parseFramework` names the path of every problem.
 *
 * @since 0.1.0
 */
import { Errors } from "@tenet/core"
import { parse as parseYaml } from "yaml"

/** Text in both languages. @category models @since 0.1.0 */
export interface Text2 {
  readonly "zh-CN": string
  readonly en: string
}

/** @category models @since 0.1.0 */
export interface ProficiencyLevel {
  readonly level: number
  readonly name: Text2
  /** What a person at this level does (behavioural description). */
  readonly behaviour: Text2
}

/** @category models @since 0.1.0 */
export interface Area {
  readonly id: string
  readonly kind: "skill" | "knowledge"
  readonly name: Text2
}

/** The level a role (a team level) or a queue (a team) requires in an area. @category models @since 0.1.0 */
export interface Requirement {
  readonly area: string
  readonly level: number
  readonly role?: string | undefined
  readonly queue?: string | undefined
}

/** @category models @since 0.1.0 */
export interface FrameworkDocument {
  readonly id: string
  readonly name: Text2
  readonly levels: ReadonlyArray<ProficiencyLevel>
  readonly areas: ReadonlyArray<Area>
  readonly requirements: ReadonlyArray<Requirement>
}

type Issue = Errors.FieldIssue
const obj = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const text2 = (u: unknown, path: ReadonlyArray<string | number>, issues: Issue[]): Text2 => {
  if (!obj(u)) {
    issues.push({ path, message: "must have zh-CN and en", code: "required" })
    return { "zh-CN": "", en: "" }
  }
  for (const lang of ["zh-CN", "en"])
    if (typeof u[lang] !== "string" || !(u[lang] as string).trim())
      issues.push({ path: [...path, lang], message: "required", code: "required" })
  return { "zh-CN": String(u["zh-CN"] ?? ""), en: String(u.en ?? "") }
}

/**
 * Check a framework given as a value; throws a ValidationError naming every bad path.
 * @category constructors
 * @since 0.1.0
 */
export const checkFramework = (u: unknown): FrameworkDocument => {
  const issues: Issue[] = []
  if (!obj(u))
    throw new Errors.ValidationError({
      message: "invalid framework",
      issues: [{ path: [], message: "must be an object", code: "invalidType" }],
    })
  const id = typeof u.id === "string" && /^[a-z0-9][a-z0-9_-]{0,63}$/.test(u.id) ? u.id : ""
  if (!id) issues.push({ path: ["id"], message: "lowercase letters, digits, _ and -", code: "invalidId" })
  const name = text2(u.name, ["name"], issues)
  const list = (key: string) => {
    if (!Array.isArray(u[key]) || !(u[key] as unknown[]).length) {
      issues.push({ path: [key], message: "must be a non-empty list", code: "required" })
      return []
    }
    return u[key] as unknown[]
  }
  const levels = list("levels").map((l, i): ProficiencyLevel => {
    const p = ["levels", i]
    if (!obj(l)) {
      issues.push({ path: p, message: "must be an object", code: "invalidType" })
      return { level: 0, name: { "zh-CN": "", en: "" }, behaviour: { "zh-CN": "", en: "" } }
    }
    if (l.level !== i + 1)
      issues.push({
        path: [...p, "level"],
        message: `must be ${i + 1} (levels count from 1)`,
        code: "invalidValue",
      })
    return {
      level: i + 1,
      name: text2(l.name, [...p, "name"], issues),
      behaviour: text2(l.behaviour, [...p, "behaviour"], issues),
    }
  })
  const seen = new Set<string>()
  const areas = list("areas").map((a, i): Area => {
    const p = ["areas", i]
    if (!obj(a)) {
      issues.push({ path: p, message: "must be an object", code: "invalidType" })
      return { id: "", kind: "skill", name: { "zh-CN": "", en: "" } }
    }
    const aid = typeof a.id === "string" && /^[a-z0-9][a-z0-9_.-]{0,63}$/.test(a.id) ? a.id : ""
    if (!aid)
      issues.push({ path: [...p, "id"], message: "lowercase letters, digits, _ . and -", code: "invalidId" })
    else if (seen.has(aid))
      issues.push({ path: [...p, "id"], message: `duplicate area ${aid}`, code: "duplicate" })
    seen.add(aid)
    if (a.kind !== "skill" && a.kind !== "knowledge")
      issues.push({ path: [...p, "kind"], message: "must be skill or knowledge", code: "invalidEnum" })
    return {
      id: aid,
      kind: a.kind === "knowledge" ? "knowledge" : "skill",
      name: text2(a.name, [...p, "name"], issues),
    }
  })
  const requirements = (Array.isArray(u.requirements) ? u.requirements : []).map(
    (r: unknown, i): Requirement => {
      const p = ["requirements", i]
      if (!obj(r)) {
        issues.push({ path: p, message: "must be an object", code: "invalidType" })
        return { area: "", level: 0 }
      }
      if (typeof r.area !== "string" || !seen.has(r.area))
        issues.push({
          path: [...p, "area"],
          message: "must name an area of the framework",
          code: "unknownArea",
        })
      if (typeof r.level !== "number" || !Number.isInteger(r.level) || r.level < 1 || r.level > levels.length)
        issues.push({
          path: [...p, "level"],
          message: `must be a level from 1 to ${levels.length}`,
          code: "invalidValue",
        })
      if (r.role === undefined && r.queue === undefined)
        issues.push({ path: [...p], message: "names a role or a queue", code: "required" })
      return {
        area: String(r.area),
        level: Number(r.level),
        ...(typeof r.role === "string" ? { role: r.role } : {}),
        ...(typeof r.queue === "string" ? { queue: r.queue } : {}),
      }
    },
  )
  if (issues.length) throw new Errors.ValidationError({ message: "invalid framework", issues })
  return { id, name, levels, areas, requirements }
}

/**
 * Parse a framework file (YAML or JSON, YAML being a superset); a syntax error names its line.
 * @category constructors
 * @since 0.1.0
 */
export const parseFramework = (text: string): FrameworkDocument => {
  let value: unknown
  try {
    value = parseYaml(text)
  } catch (e) {
    throw new Errors.ValidationError({
      message: "invalid framework file",
      issues: [{ path: [], message: (e as Error).message, code: "syntax" }],
    })
  }
  return checkFramework(value)
}
