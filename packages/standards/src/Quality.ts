/**
 * Quality monitoring (transaction monitoring, domain.md §B1, §C QLT-*, §D1, §D5): scorecards
 * with sections and weighted criteria on binary or 3/4/5-point scales, N/A, critical errors by
 * family with auto-fail; sampling plans that are statistically valid per programme with a
 * minimum per agent; calibration statistics. Pure functions.
 *
 * @since 0.1.0
 */

import type { Errors } from "@tenet/core"

export { type CalibrationStats, calibrationStats } from "./quality/calibration"
export { drawSample, type SamplingPlan, samplingPlan } from "./quality/sampling"

/** @category models @since 0.1.0 */
export const FAMILIES = ["customer", "business", "compliance"] as const
/** @category models @since 0.1.0 */
export type Family = (typeof FAMILIES)[number]
/** @category models @since 0.1.0 */
export type Scale = "binary" | "3" | "4" | "5"

/** @category models @since 0.1.0 */
export interface Criterion {
  readonly id: string
  readonly name: Readonly<Partial<Record<"zh-CN" | "en", string>>>
  readonly weight: number
  readonly scale: Scale
  /** A criterion answered at its lowest point is an error of this family. */
  readonly critical?: Family
  /** A critical error fails the whole evaluation (score 0). */
  readonly autoFail?: boolean
  readonly naAllowed?: boolean
}
/** @category models @since 0.1.0 */
export interface Section {
  readonly id: string
  readonly name: Readonly<Partial<Record<"zh-CN" | "en", string>>>
  readonly criteria: ReadonlyArray<Criterion>
}
/** @category models @since 0.1.0 */
export interface ScorecardDefinition {
  readonly sections: ReadonlyArray<Section>
  readonly passMark: number
  /**
   * Open an improvement cycle of this workflow (e.g. "pdca") for every evaluation with a critical
   * error, of the given families (all when none are given). Calibration evaluations never do.
   */
  readonly improvement?: { readonly autoOpen?: string; readonly families?: ReadonlyArray<Family> }
}

const MAX: Record<Scale, number> = { binary: 1, "3": 3, "4": 4, "5": 5 }
const MIN: Record<Scale, number> = { binary: 0, "3": 1, "4": 1, "5": 1 }

/** All criteria in order. @category constructors @since 0.1.0 */
export const criteria = (d: ScorecardDefinition): Criterion[] => d.sections.flatMap((s) => s.criteria)

/** Validate a scorecard definition (paths in the issues). @category constructors @since 0.1.0 */
export const validateScorecard = (d: ScorecardDefinition): Errors.FieldIssue[] => {
  const issues: Errors.FieldIssue[] = []
  if (!Array.isArray(d?.sections) || d.sections.length === 0)
    return [
      { path: ["definition", "sections"], message: "add at least one section", code: "atLeastOneSection" },
    ]
  if (!(typeof d.passMark === "number" && d.passMark >= 0 && d.passMark <= 100))
    issues.push({
      path: ["definition", "passMark"],
      message: "must be between 0 and 100",
      code: "between",
      params: { min: 0, max: 100 },
    })
  const imp = d.improvement
  if (imp !== undefined) {
    if (typeof imp !== "object" || imp === null)
      issues.push({ path: ["definition", "improvement"], message: "must be an object", code: "invalidValue" })
    else {
      if (imp.autoOpen !== undefined && (typeof imp.autoOpen !== "string" || !imp.autoOpen.trim()))
        issues.push({
          path: ["definition", "improvement", "autoOpen"],
          message: "must be a workflow id such as pdca",
          code: "required",
        })
      if (imp.families !== undefined)
        (Array.isArray(imp.families) ? imp.families : [imp.families]).forEach((f: unknown, k: number) => {
          if (!(FAMILIES as readonly unknown[]).includes(f))
            issues.push({
              path: ["definition", "improvement", "families", String(k)],
              message: "must be customer, business or compliance",
              code: "oneOf",
              params: { values: "customer, business, compliance" },
            })
        })
    }
  }
  const ids = new Set<string>()
  for (const [i, s] of d.sections.entries())
    (s.criteria ?? []).forEach((c: Criterion, j: number) => {
      const p = ["definition", "sections", String(i), "criteria", String(j)]
      if (!c.id || ids.has(c.id))
        issues.push({ path: [...p, "id"], message: "each criterion needs a unique id", code: "uniqueId" })
      ids.add(c.id)
      if (!(c.weight > 0)) issues.push({ path: [...p, "weight"], message: "must be > 0", code: "positive" })
      if (!(c.scale in MAX))
        issues.push({
          path: [...p, "scale"],
          message: "must be binary, 3, 4 or 5",
          code: "oneOf",
          params: { values: "binary, 3, 4, 5" },
        })
      if (c.critical && !(FAMILIES as readonly string[]).includes(c.critical))
        issues.push({
          path: [...p, "critical"],
          message: "must be customer, business or compliance",
          code: "oneOf",
          params: { values: "customer, business, compliance" },
        })
    })
  return issues
}

/** Answers: criterion id → point on its scale, or null for N/A. @category models @since 0.1.0 */
export type Answers = Readonly<Record<string, number | null>>

/**
 * An answer `score` cannot use: a criterion not answered, N/A where it is not allowed, or a value
 * outside its scale. A `RangeError` with the criterion's id.
 * @category errors
 * @since 0.5.0
 */
export class AnswerError extends RangeError {
  readonly _tag = "AnswerError" as const
  override readonly name = "AnswerError"
  constructor(
    readonly criterion: string,
    message: string,
  ) {
    super(message)
  }
}

/** @category models @since 0.1.0 */
export interface Score {
  /** Weighted score 0–100 over answered criteria (N/A removed); 0 when auto-failed. */
  readonly score: number
  readonly raw: number
  readonly autoFailed: boolean
  readonly passed: boolean
  readonly criticalErrors: Readonly<Record<Family, boolean>>
  readonly nonCriticalErrors: number
  readonly opportunities: number
}

/**
 * Score an evaluation: Σ wᵢ·sᵢ ÷ Σ wᵢ with each answer normalised to 0–1 on its scale and N/A
 * removed (QLT-06); a critical criterion at its lowest point is an error of its family; an
 * auto-fail critical error sets the score to 0. Throws on answers outside a scale.
 * @category constructors
 * @since 0.1.0
 */
export const score = (d: ScorecardDefinition, answers: Answers): Score => {
  let wsum = 0
  let acc = 0
  let autoFailed = false
  let nonCritical = 0
  let opportunities = 0
  const critical: Record<Family, boolean> = { customer: false, business: false, compliance: false }
  for (const c of criteria(d)) {
    // own properties only: a criterion "toString" is not answered by Object.prototype
    const a = Object.hasOwn(answers, c.id) ? answers[c.id] : undefined
    if (a === undefined) throw new AnswerError(c.id, `criterion ${c.id} is not answered`)
    if (a === null) {
      if (!c.naAllowed) throw new AnswerError(c.id, `criterion ${c.id} cannot be N/A`)
      continue
    }
    if (!Number.isInteger(a) || a < MIN[c.scale] || a > MAX[c.scale])
      throw new AnswerError(
        c.id,
        `criterion ${c.id}: ${a} is outside its scale (${MIN[c.scale]}–${MAX[c.scale]})`,
      )
    const s = (a - MIN[c.scale]) / (MAX[c.scale] - MIN[c.scale])
    wsum += c.weight
    acc += c.weight * s
    opportunities++
    const error = a === MIN[c.scale]
    if (error && c.critical) {
      critical[c.critical] = true
      if (c.autoFail) autoFailed = true
    } else if (error) nonCritical++
  }
  const raw = wsum === 0 ? 100 : (acc / wsum) * 100
  const finalScore = autoFailed ? 0 : raw
  return {
    score: Math.round(finalScore * 10) / 10,
    raw: Math.round(raw * 10) / 10,
    autoFailed,
    passed: finalScore >= d.passMark,
    criticalErrors: critical,
    nonCriticalErrors: nonCritical,
    opportunities,
  }
}

/**
 * Each criterion's answer as a 0–1 fraction of its scale (the lowest point 0, the highest 1), null
 * for N/A; criteria not answered are left out. For answers `score` accepted.
 * @category constructors
 * @since 0.7.0
 */
export const criterionResults = (d: ScorecardDefinition, answers: Answers): Record<string, number | null> => {
  const out: Record<string, number | null> = {}
  for (const c of criteria(d)) {
    const a = Object.hasOwn(answers, c.id) ? answers[c.id] : undefined
    if (a === undefined) continue
    out[c.id] = a === null ? null : (a - MIN[c.scale]) / (MAX[c.scale] - MIN[c.scale])
  }
  return out
}

/** A starting scorecard (customer-service call/chat), to copy and adapt. @category constructors @since 0.1.0 */
export const defaultScorecard = (): ScorecardDefinition => ({
  passMark: 85,
  sections: [
    {
      id: "open",
      name: { "zh-CN": "开场与核身", en: "Opening and verification" },
      criteria: [
        {
          id: "greeting",
          name: { "zh-CN": "规范问候", en: "Greeting as standard" },
          weight: 1,
          scale: "binary",
        },
        {
          id: "identity",
          name: { "zh-CN": "按规定核实身份", en: "Identity verified as required" },
          weight: 2,
          scale: "binary",
          critical: "compliance",
          autoFail: true,
        },
      ],
    },
    {
      id: "resolve",
      name: { "zh-CN": "问题处理", en: "Resolution" },
      criteria: [
        {
          id: "understand",
          name: { "zh-CN": "准确理解需求", en: "Understood the need" },
          weight: 2,
          scale: "5",
        },
        {
          id: "correct",
          name: { "zh-CN": "解决方案正确完整", en: "Correct and complete resolution" },
          weight: 3,
          scale: "binary",
          critical: "customer",
          autoFail: true,
        },
        {
          id: "record",
          name: { "zh-CN": "工单记录与分类正确", en: "Case recorded and coded correctly" },
          weight: 1,
          scale: "binary",
          critical: "business",
        },
      ],
    },
    {
      id: "manner",
      name: { "zh-CN": "沟通", en: "Communication" },
      criteria: [
        {
          id: "tone",
          name: { "zh-CN": "语气专业、亲切", en: "Professional, warm tone" },
          weight: 1,
          scale: "4",
        },
        {
          id: "next",
          name: { "zh-CN": "告知后续步骤", en: "Next steps explained" },
          weight: 1,
          scale: "binary",
          naAllowed: true,
        },
      ],
    },
  ],
})
