/**
 * Inter-rater agreement for QA calibration: Cohen's kappa (plain and weighted), Fleiss'
 * kappa, Krippendorff's alpha. Formulas: domain.md §D5.
 *
 * @since 0.1.0
 */
import { fail } from "./internal"

type Rating = string | number

/** @category models @since 0.1.0 */
export interface KappaResult {
  readonly kappa: number
  /** Observed agreement (weighted: 1 − observed disagreement). */
  readonly observed: number
  /** Agreement expected by chance. */
  readonly expected: number
}

const order = (values: ReadonlyArray<Rating>): Rating[] =>
  [...new Set(values)].sort((a, b) =>
    typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b)),
  )

/**
 * Cohen's kappa for two raters over the same items. Nominal by default; `weights: "linear"`
 * (|i−j|) or `"quadratic"` ((i−j)²) for ordinal scales, using the categories' order.
 * @category constructors
 * @since 0.1.0
 */
export const cohensKappa = (
  ratingsA: ReadonlyArray<Rating>,
  ratingsB: ReadonlyArray<Rating>,
  options: { readonly weights?: "linear" | "quadratic" } = {},
): KappaResult => {
  if (!Array.isArray(ratingsA) || !Array.isArray(ratingsB)) fail("ratingsA and ratingsB must be arrays")
  if (ratingsA.length !== ratingsB.length)
    fail(
      `ratingsA has ${ratingsA.length} items and ratingsB ${ratingsB.length}; they must rate the same items`,
    )
  if (ratingsA.length === 0) fail("no items rated")
  const cats = order([...ratingsA, ...ratingsB])
  const k = cats.length
  const idx = new Map(cats.map((c, i) => [c, i]))
  const n = ratingsA.length
  const o = Array.from({ length: k }, () => new Array<number>(k).fill(0))
  ratingsA.forEach((a, i) => {
    o[idx.get(a)!]![idx.get(ratingsB[i]!)!]! += 1 / n
  })
  const ra = o.map((row) => row.reduce((s, x) => s + x, 0))
  const rb = cats.map((_, j) => o.reduce((s, row) => s + row[j]!, 0))
  const w = (i: number, j: number) =>
    options.weights === "linear"
      ? Math.abs(i - j)
      : options.weights === "quadratic"
        ? (i - j) ** 2
        : i === j
          ? 0
          : 1
  let dObs = 0
  let dExp = 0
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      dObs += w(i, j) * o[i]![j]!
      dExp += w(i, j) * ra[i]! * rb[j]!
    }
  if (dExp === 0) return { kappa: 1, observed: 1, expected: 1 }
  if (!options.weights)
    return { kappa: (1 - dObs - (1 - dExp)) / dExp, observed: 1 - dObs, expected: 1 - dExp }
  return { kappa: 1 - dObs / dExp, observed: 1 - dObs, expected: 1 - dExp }
}

/**
 * Fleiss' kappa: `counts[item][category]` = raters who put the item in the category; every item
 * must have the same number of raters.
 * @category constructors
 * @since 0.1.0
 */
export const fleissKappa = (
  counts: ReadonlyArray<ReadonlyArray<number>>,
): { readonly kappa: number; readonly observed: number; readonly expected: number } => {
  if (!Array.isArray(counts) || counts.length === 0) fail("counts must have at least one item")
  const k = counts[0]!.length
  const m = counts[0]!.reduce((a, b) => a + b, 0)
  counts.forEach((row, i) => {
    if (row.length !== k) fail(`counts[${i}] has ${row.length} categories; counts[0] has ${k}`)
    row.forEach((c, j) => {
      if (!Number.isInteger(c) || c < 0) fail(`counts[${i}][${j}] must be a whole number ≥ 0, got ${c}`)
    })
    const sum = row.reduce((a, b) => a + b, 0)
    if (sum !== m) fail(`counts[${i}] has ${sum} ratings; every item needs the same number of raters (${m})`)
  })
  if (m < 2) fail("each item needs at least 2 raters")
  const N = counts.length
  const P = counts.map((row) => (row.reduce((s, c) => s + c * c, 0) - m) / (m * (m - 1)))
  const Pbar = P.reduce((a, b) => a + b, 0) / N
  const pj = Array.from({ length: k }, (_, j) => counts.reduce((s, row) => s + row[j]!, 0) / (N * m))
  const Pe = pj.reduce((s, p) => s + p * p, 0)
  return { kappa: Pe === 1 ? 1 : (Pbar - Pe) / (1 - Pe), observed: Pbar, expected: Pe }
}

/** @category models @since 0.1.0 */
export type MeasurementLevel = "nominal" | "ordinal" | "interval" | "ratio"

/**
 * Krippendorff's alpha: `data[rater][unit]`, `null` (or undefined) where a rater did not rate a
 * unit. α = 1 − D_o/D_e over the coincidence matrix; units with fewer than two ratings are not
 * pairable and are left out. Accept α ≥ 0.800; 0.667–0.800 only tentatively.
 * @category constructors
 * @since 0.1.0
 */
export const krippendorffAlpha = (
  data: ReadonlyArray<ReadonlyArray<Rating | null | undefined>>,
  level: MeasurementLevel,
): { readonly alpha: number; readonly pairable: number } => {
  if (!Array.isArray(data) || data.length < 2) fail("data needs at least 2 raters (data[rater][unit])")
  if (!["nominal", "ordinal", "interval", "ratio"].includes(level))
    fail(`level must be nominal, ordinal, interval or ratio, got ${level}`)
  const units = Math.max(...data.map((r) => r.length))
  const numeric = level !== "nominal"
  const o = new Map<Rating, Map<Rating, number>>()
  const add = (c: Rating, k: Rating, w: number) => {
    let row = o.get(c)
    if (!row) {
      row = new Map()
      o.set(c, row)
    }
    row.set(k, (row.get(k) ?? 0) + w)
  }
  let pairable = 0
  for (let u = 0; u < units; u++) {
    const values: Rating[] = []
    data.forEach((rater, r) => {
      const v = rater[u]
      if (v === null || v === undefined) return
      if (numeric && (typeof v !== "number" || !Number.isFinite(v)))
        fail(`data[${r}][${u}] must be a number for the ${level} level, got ${String(v)}`)
      values.push(v)
    })
    const m = values.length
    if (m < 2) continue
    pairable += m
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) if (i !== j) add(values[i]!, values[j]!, 1 / (m - 1))
  }
  const cats = order([...o.keys()])
  if (cats.length === 0) fail("no unit has two or more ratings")
  const nc = new Map(cats.map((c) => [c, [...(o.get(c)?.values() ?? [])].reduce((a, b) => a + b, 0)]))
  const n = [...nc.values()].reduce((a, b) => a + b, 0)
  const rank = new Map(cats.map((c, i) => [c, i]))
  const delta2 = (c: Rating, k: Rating): number => {
    if (level === "nominal") return c === k ? 0 : 1
    const a = c as number
    const b = k as number
    if (level === "interval") return (a - b) ** 2
    if (level === "ratio") return a + b === 0 ? 0 : ((a - b) / (a + b)) ** 2
    const [lo, hi] =
      rank.get(c)! <= rank.get(k)! ? [rank.get(c)!, rank.get(k)!] : [rank.get(k)!, rank.get(c)!]
    let s = 0
    for (let g = lo; g <= hi; g++) s += nc.get(cats[g]!)!
    return (s - (nc.get(c)! + nc.get(k)!) / 2) ** 2
  }
  let Do = 0
  let De = 0
  for (const c of cats)
    for (const k of cats) {
      const d = delta2(c, k)
      Do += (o.get(c)?.get(k) ?? 0) * d
      De += nc.get(c)! * nc.get(k)! * d
    }
  Do /= n
  De /= n * (n - 1)
  return { alpha: De === 0 ? 1 : 1 - Do / De, pairable }
}

/** Landis–Koch band of a kappa. @category constructors @since 0.1.0 */
export const landisKoch = (
  kappa: number,
): "poor" | "slight" | "fair" | "moderate" | "substantial" | "almost_perfect" =>
  kappa < 0
    ? "poor"
    : kappa <= 0.2
      ? "slight"
      : kappa <= 0.4
        ? "fair"
        : kappa <= 0.6
          ? "moderate"
          : kappa <= 0.8
            ? "substantial"
            : "almost_perfect"
