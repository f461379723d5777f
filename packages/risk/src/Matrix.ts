/**
 * Risk matrices as data: likelihood × impact from 3×3 to 5×5, each cell scored likelihood × impact
 * and placed in a named, coloured band (low, medium, high, very high or an organisation's own), in both
 * languages. Everything here is pure: validation, scoring, banding and the heat map's cells.
 *
 * @since 0.1.0
 */
import type { Contracts } from "@tenet/core"

type Localized = Contracts.Localized

/** A likelihood or impact level (1-based by position). @category models @since 0.1.0 */
export interface Level {
  readonly name: Localized
  readonly description?: Localized | undefined
}
/** How serious a band is, whatever the organisation calls it (the metrics count `high` and `very_high`). @category models @since 0.1.0 */
export type BandSeverity = "low" | "medium" | "high" | "very_high"
/** A band: scores `min`…`max` inclusive. @category models @since 0.1.0 */
export interface Band {
  readonly id: string
  readonly name: Localized
  readonly colour: string
  readonly severity: BandSeverity
  readonly min: number
  readonly max: number
}
/** A matrix. @category models @since 0.1.0 */
export interface MatrixDefinition {
  readonly id: string
  readonly name: Localized
  readonly likelihood: ReadonlyArray<Level>
  readonly impact: ReadonlyArray<Level>
  readonly bands: ReadonlyArray<Band>
}
/** A problem with a matrix, at a path inside it. @category models @since 0.1.0 */
export interface Issue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
  readonly code: string
}

/** The sizes a matrix may have on each axis. @category models @since 0.1.0 */
export const SIZES = [3, 4, 5] as const
const COLOUR = /^#[0-9a-fA-F]{6}$/
const SEVERITIES: ReadonlyArray<BandSeverity> = ["low", "medium", "high", "very_high"]

/** The score of a cell. @category constructors @since 0.1.0 */
export const score = (likelihood: number, impact: number): number => likelihood * impact

/**
 * Everything wrong with a matrix: sizes outside 3–5, names missing a language, bad colours, and
 * bands that leave a score of the matrix uncovered or cover it twice.
 * @category guards
 * @since 0.1.0
 */
export const validate = (m: MatrixDefinition): Issue[] => {
  const issues: Issue[] = []
  const named = (v: Localized | undefined, path: ReadonlyArray<string | number>) => {
    if (
      !v ||
      typeof v["zh-CN"] !== "string" ||
      !v["zh-CN"].trim() ||
      typeof v.en !== "string" ||
      !v.en.trim()
    )
      issues.push({ path, message: "needs a name in zh-CN and en", code: "localized" })
  }
  if (typeof m.id !== "string" || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(m.id))
    issues.push({ path: ["id"], message: "must be lower-case letters, digits, . _ -", code: "id" })
  named(m.name, ["name"])
  for (const axis of ["likelihood", "impact"] as const) {
    const levels = m[axis]
    if (!Array.isArray(levels) || !(SIZES as readonly number[]).includes(levels.length)) {
      issues.push({ path: [axis], message: "must have 3, 4 or 5 levels", code: "size" })
      continue
    }
    levels.forEach((l, i) => {
      named(l?.name, [axis, i, "name"])
    })
  }
  if (!Array.isArray(m.bands) || m.bands.length === 0) {
    issues.push({ path: ["bands"], message: "needs at least one band", code: "required" })
    return issues
  }
  const ids = new Set<string>()
  m.bands.forEach((b, i) => {
    if (typeof b.id !== "string" || !b.id)
      issues.push({ path: ["bands", i, "id"], message: "required", code: "required" })
    else if (ids.has(b.id))
      issues.push({ path: ["bands", i, "id"], message: `duplicate band ${b.id}`, code: "duplicate" })
    else ids.add(b.id)
    named(b.name, ["bands", i, "name"])
    if (typeof b.colour !== "string" || !COLOUR.test(b.colour))
      issues.push({ path: ["bands", i, "colour"], message: "must be #rrggbb", code: "colour" })
    if (!SEVERITIES.includes(b.severity))
      issues.push({
        path: ["bands", i, "severity"],
        message: "must be low, medium, high or very_high",
        code: "severity",
      })
    if (!Number.isInteger(b.min) || !Number.isInteger(b.max) || b.min < 1 || b.max < b.min)
      issues.push({
        path: ["bands", i],
        message: "min and max must be whole scores, min ≤ max",
        code: "range",
      })
  })
  if (issues.length > 0 || !Array.isArray(m.likelihood) || !Array.isArray(m.impact)) return issues
  // every score a cell can take is in exactly one band
  for (const s of cellScores(m)) {
    const hits = m.bands.filter((b) => s >= b.min && s <= b.max)
    if (hits.length !== 1)
      issues.push({
        path: ["bands"],
        message: hits.length === 0 ? `no band covers score ${s}` : `score ${s} is in ${hits.length} bands`,
        code: hits.length === 0 ? "gap" : "overlap",
      })
  }
  return issues
}

/** The distinct scores the cells of a matrix take, ascending. @category constructors @since 0.1.0 */
export const cellScores = (m: MatrixDefinition): number[] => {
  const s = new Set<number>()
  for (let l = 1; l <= m.likelihood.length; l++) for (let i = 1; i <= m.impact.length; i++) s.add(score(l, i))
  return [...s].sort((a, b) => a - b)
}

/** Whether a likelihood and impact are on the matrix. @category guards @since 0.1.0 */
export const onMatrix = (m: MatrixDefinition, likelihood: number, impact: number): boolean =>
  Number.isInteger(likelihood) &&
  Number.isInteger(impact) &&
  likelihood >= 1 &&
  impact >= 1 &&
  likelihood <= m.likelihood.length &&
  impact <= m.impact.length

/**
 * The band of a cell. Throws a `RangeError` for a cell off the matrix (callers validate first).
 * @category constructors
 * @since 0.1.0
 */
export const band = (m: MatrixDefinition, likelihood: number, impact: number): Band => {
  if (!onMatrix(m, likelihood, impact))
    throw new RangeError(
      `${likelihood}×${impact} is off the ${m.likelihood.length}×${m.impact.length} matrix`,
    )
  const s = score(likelihood, impact)
  const b = m.bands.find((x) => s >= x.min && s <= x.max)
  if (!b) throw new RangeError(`no band of matrix ${m.id} covers score ${s}`)
  return b
}

/** A rating placed on a matrix. @category models @since 0.1.0 */
export interface Rating {
  readonly likelihood: number
  readonly impact: number
  readonly score: number
  readonly band: string
  readonly severity: BandSeverity
  readonly colour: string
}
/** @category constructors @since 0.1.0 */
export const rate = (m: MatrixDefinition, likelihood: number, impact: number): Rating => {
  const b = band(m, likelihood, impact)
  return {
    likelihood,
    impact,
    score: score(likelihood, impact),
    band: b.id,
    severity: b.severity,
    colour: b.colour,
  }
}

/** One likelihood higher (capped at the top level). @category constructors @since 0.1.0 */
export const raise = (m: MatrixDefinition, likelihood: number, by = 1): number =>
  Math.min(m.likelihood.length, Math.max(1, likelihood + by))

/** A heat-map cell with the risks on it. @category models @since 0.1.0 */
export interface Cell {
  readonly likelihood: number
  readonly impact: number
  readonly score: number
  readonly band: string
  readonly colour: string
  readonly inherent: ReadonlyArray<string>
  readonly residual: ReadonlyArray<string>
}
/**
 * The heat map: every cell (likelihood descending, impact ascending, as it is drawn) with the ids of
 * the risks whose inherent and residual ratings sit on it.
 * @category constructors
 * @since 0.1.0
 */
export const heatMap = (
  m: MatrixDefinition,
  risks: ReadonlyArray<{
    readonly id: string
    readonly inherent: { readonly likelihood: number; readonly impact: number }
    readonly residual: { readonly likelihood: number; readonly impact: number }
  }>,
): Cell[] => {
  const cells: Cell[] = []
  for (let l = m.likelihood.length; l >= 1; l--)
    for (let i = 1; i <= m.impact.length; i++) {
      const b = band(m, l, i)
      cells.push({
        likelihood: l,
        impact: i,
        score: score(l, i),
        band: b.id,
        colour: b.colour,
        inherent: risks
          .filter((r) => r.inherent.likelihood === l && r.inherent.impact === i)
          .map((r) => r.id),
        residual: risks
          .filter((r) => r.residual.likelihood === l && r.residual.impact === i)
          .map((r) => r.id),
      })
    }
  return cells
}

const L = (zh: string, en: string): Localized => ({ "zh-CN": zh, en })
const COLOURS: Record<BandSeverity, string> = {
  low: "#2e7d32",
  medium: "#f9a825",
  high: "#ef6c00",
  very_high: "#c62828",
}
const BAND_NAMES: Record<BandSeverity, Localized> = {
  low: L("低", "Low"),
  medium: L("中", "Medium"),
  high: L("高", "High"),
  very_high: L("极高", "Very high"),
}
const LIKELIHOOD: Record<3 | 4 | 5, Localized[]> = {
  3: [L("不太可能", "Unlikely"), L("可能", "Possible"), L("很可能", "Likely")],
  4: [L("罕见", "Rare"), L("不太可能", "Unlikely"), L("很可能", "Likely"), L("几乎肯定", "Almost certain")],
  5: [
    L("罕见", "Rare"),
    L("不太可能", "Unlikely"),
    L("可能", "Possible"),
    L("很可能", "Likely"),
    L("几乎肯定", "Almost certain"),
  ],
}
const IMPACT: Record<3 | 4 | 5, Localized[]> = {
  3: [L("轻微", "Minor"), L("中等", "Moderate"), L("重大", "Major")],
  4: [L("轻微", "Minor"), L("中等", "Moderate"), L("重大", "Major"), L("严重", "Severe")],
  5: [
    L("可忽略", "Insignificant"),
    L("轻微", "Minor"),
    L("中等", "Moderate"),
    L("重大", "Major"),
    L("严重", "Severe"),
  ],
}
/** Score ranges of the built-in bands (low, medium, high, very high) per size. */
const RANGES: Record<3 | 4 | 5, ReadonlyArray<readonly [number, number]>> = {
  3: [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 9],
  ],
  4: [
    [1, 3],
    [4, 6],
    [7, 9],
    [10, 16],
  ],
  5: [
    [1, 4],
    [5, 9],
    [10, 16],
    [17, 25],
  ],
}

/**
 * The built-in square matrix of a size (3, 4 or 5), id `standard-NxN`.
 * @category constructors
 * @since 0.1.0
 */
export const standard = (size: 3 | 4 | 5): MatrixDefinition => ({
  id: `standard-${size}x${size}`,
  name: L(`${size}×${size} 标准矩阵`, `Standard ${size}×${size} matrix`),
  likelihood: LIKELIHOOD[size].map((name) => ({ name })),
  impact: IMPACT[size].map((name) => ({ name })),
  bands: SEVERITIES.map((s, i) => ({
    id: s,
    name: BAND_NAMES[s],
    colour: COLOURS[s],
    severity: s,
    min: RANGES[size][i]![0],
    max: RANGES[size][i]![1],
  })),
})
