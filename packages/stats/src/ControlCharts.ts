/**
 * Control charts and special-cause signals: p-chart, Laney p′-chart, XmR, Western Electric
 * rules 1–4. Formulas: domain.md §D6.
 *
 * @since 0.1.0
 */
import { checkFinite, fail, mean } from "./internal"

/** @category models @since 0.1.0 */
export interface ChartPoint {
  readonly p: number
  readonly lcl: number
  readonly ucl: number
}

const checkSubgroups = (subgroups: ReadonlyArray<{ readonly count: number; readonly n: number }>) => {
  if (!Array.isArray(subgroups) || subgroups.length === 0)
    fail("subgroups must have at least one { count, n }")
  subgroups.forEach((s, i) => {
    if (!Number.isInteger(s.n) || s.n < 1) fail(`subgroups[${i}].n must be a whole number ≥ 1, got ${s.n}`)
    if (!Number.isInteger(s.count) || s.count < 0 || s.count > s.n)
      fail(`subgroups[${i}].count must be a whole number between 0 and n (${s.n}), got ${s.count}`)
  })
}

/**
 * p-chart: CL = p̄ = Σx/Σn; limits p̄ ± 3√(p̄(1−p̄)/nᵢ), LCL floored at 0 and UCL capped at 1.
 * @category constructors
 * @since 0.1.0
 */
export const pChart = (subgroups: ReadonlyArray<{ readonly count: number; readonly n: number }>) => {
  checkSubgroups(subgroups)
  const center = subgroups.reduce((s, g) => s + g.count, 0) / subgroups.reduce((s, g) => s + g.n, 0)
  const points: ChartPoint[] = subgroups.map((g) => {
    const sigma = Math.sqrt((center * (1 - center)) / g.n)
    return { p: g.count / g.n, lcl: Math.max(0, center - 3 * sigma), ucl: Math.min(1, center + 3 * sigma) }
  })
  return { center, points }
}

/**
 * Laney p′-chart for large subgroups (over-dispersion): zᵢ = (pᵢ − p̄)/σ_pᵢ, σ_z = MR̄(z)/1.128,
 * limits p̄ ± 3·σ_pᵢ·σ_z (LCL floored at 0).
 * @category constructors
 * @since 0.1.0
 */
export const laneyPChart = (subgroups: ReadonlyArray<{ readonly count: number; readonly n: number }>) => {
  checkSubgroups(subgroups)
  if (subgroups.length < 2) fail("a Laney chart needs at least 2 subgroups (it uses moving ranges)")
  const center = subgroups.reduce((s, g) => s + g.count, 0) / subgroups.reduce((s, g) => s + g.n, 0)
  const sig = subgroups.map((g) => Math.sqrt((center * (1 - center)) / g.n))
  const z = subgroups.map((g, i) => (sig[i]! === 0 ? 0 : (g.count / g.n - center) / sig[i]!))
  const mr = z.slice(1).map((v, i) => Math.abs(v - z[i]!))
  const sigmaZ = mean(mr) / 1.128
  const points: ChartPoint[] = subgroups.map((g, i) => ({
    p: g.count / g.n,
    lcl: Math.max(0, center - 3 * sig[i]! * sigmaZ),
    ucl: Math.min(1, center + 3 * sig[i]! * sigmaZ),
  }))
  return { center, sigmaZ, points }
}

/**
 * XmR (individuals and moving range): X limits x̄ ± 2.66·MR̄; MR upper limit 3.267·MR̄.
 * @category constructors
 * @since 0.1.0
 */
export const xmrChart = (values: ReadonlyArray<number>) => {
  checkFinite(values, "values")
  if (values.length < 2) fail("an XmR chart needs at least 2 values")
  const center = mean(values)
  const mr = values.slice(1).map((v, i) => Math.abs(v - values[i]!))
  const movingRangeCenter = mean(mr)
  return {
    center,
    lcl: center - 2.66 * movingRangeCenter,
    ucl: center + 2.66 * movingRangeCenter,
    movingRangeCenter,
    movingRangeUcl: 3.267 * movingRangeCenter,
  }
}

/** @category models @since 0.1.0 */
export interface Signal {
  /** Index of the point that completes the pattern. */
  readonly index: number
  /**
   * 1: a point beyond 3σ; 2: 2 of 3 in a row beyond 2σ on one side; 3: 4 of 5 in a row beyond
   * 1σ on one side; 4: 8 in a row on one side of the centre.
   */
  readonly rule: 1 | 2 | 3 | 4
}

/**
 * Western Electric rules 1–4 over values with a known centre and sigma. A signal should open an
 * investigation, not just an alert.
 * @category constructors
 * @since 0.1.0
 */
export const westernElectricSignals = (
  values: ReadonlyArray<number>,
  options: { readonly center: number; readonly sigma: number },
): Signal[] => {
  checkFinite(values, "values")
  const { center, sigma } = options
  if (!Number.isFinite(center)) fail(`center must be a finite number, got ${center}`)
  if (!(sigma > 0)) fail(`sigma must be > 0, got ${sigma}`)
  const z = values.map((v) => (v - center) / sigma)
  const out: Signal[] = []
  const window = (i: number, size: number, need: number, beyond: number) => {
    if (i + 1 < size) return false
    const w = z.slice(i + 1 - size, i + 1)
    const last = z[i]!
    if (Math.abs(last) <= beyond) return false // the completing point must itself be part of the pattern
    const side = Math.sign(last)
    return w.filter((x) => Math.sign(x) === side && Math.abs(x) > beyond).length >= need
  }
  for (let i = 0; i < z.length; i++) {
    if (Math.abs(z[i]!) > 3) out.push({ index: i, rule: 1 })
    if (window(i, 3, 2, 2)) out.push({ index: i, rule: 2 })
    if (window(i, 5, 4, 1)) out.push({ index: i, rule: 3 })
    if (i >= 7) {
      const w = z.slice(i - 7, i + 1)
      if (w.every((x) => x > 0) || w.every((x) => x < 0)) out.push({ index: i, rule: 4 })
    }
  }
  return out
}
