/** Calibration statistics: agreement between evaluators (alpha, kappa) and with a master. @since 0.5.0 */
import { cohensKappa, fleissKappa, krippendorffAlpha } from "@tenet/stats"

/** Calibration results. @category models @since 0.1.0 */
export interface CalibrationStats {
  /** Krippendorff's alpha (interval) on the total scores. */
  readonly alpha: number | null
  /** Fleiss' kappa on pass/fail calls (every evaluator scored every item). */
  readonly passFailKappa: number | null
  readonly evaluators: ReadonlyArray<{
    readonly evaluator: string
    /** Mean of (score − reference score): + is lenient, − is strict. */
    readonly bias: number
    /** Share of items within ±tolerance points of the reference. */
    readonly withinTolerance: number
    /** Cohen's kappa of pass/fail calls against the reference. */
    readonly kappa: number | null
    /** Share of items where the evaluator's critical-error call matches the reference's (with `critical`). */
    readonly criticalAgreement?: number | null
    /** Below `minWithin` on scores, or on critical-error calls. */
    readonly flagged: boolean
  }>
  readonly reference: "master" | "consensus"
  /** Fleiss' kappa on the critical-error calls (did the case have one?), with `critical`. */
  readonly criticalKappa?: number | null
}

/**
 * Calibration statistics for scores `scores[evaluator][item]` (null where missing): alpha on
 * scores, kappa on pass/fail, and each evaluator's bias and agreement against the master
 * evaluator (or the consensus mean). Evaluators below `minWithin` agreement are flagged.
 * @category constructors
 * @since 0.1.0
 */
export const calibrationStats = (input: {
  readonly scores: Readonly<Record<string, ReadonlyArray<number | null>>>
  readonly passMark: number
  readonly master?: string | undefined
  readonly tolerance?: number
  readonly minWithin?: number
  /** Whether each evaluator called a critical error on each item (null where missing). */
  readonly critical?: Readonly<Record<string, ReadonlyArray<boolean | null>>>
}): CalibrationStats => {
  const evaluators = Object.keys(input.scores)
  const matrix = evaluators.map((e) => input.scores[e]!)
  const items = Math.max(0, ...matrix.map((r) => r.length))
  const tolerance = input.tolerance ?? 5
  const minWithin = input.minWithin ?? 0.8
  const alpha = evaluators.length >= 2 ? safe(() => krippendorffAlpha(matrix, "interval").alpha) : null
  const pass = (v: number | null) => (v === null ? null : v >= input.passMark ? "pass" : "fail")
  const complete = Array.from({ length: items }, (_, i) =>
    matrix.every((r) => r[i] !== null && r[i] !== undefined),
  )
  const fleissRows = Array.from({ length: items }, (_, i) => i)
    .filter((i) => complete[i])
    .map((i) => {
      const p = matrix.filter((r) => (r[i] as number) >= input.passMark).length
      return [p, evaluators.length - p]
    })
  const passFailKappa =
    fleissRows.length >= 2 && evaluators.length >= 2 ? safe(() => fleissKappa(fleissRows).kappa) : null
  const reference = Array.from({ length: items }, (_, i) => {
    if (input.master && input.scores[input.master]) return input.scores[input.master]![i] ?? null
    const vals = matrix.map((r) => r[i]).filter((v): v is number => v !== null && v !== undefined)
    return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null
  })
  // critical-error calls: agreement between all evaluators, and each one's against the master (or
  // the majority, a tie counting as an error called)
  const calls = input.critical
  const callOf = (e: string, i: number) => calls?.[e]?.[i] ?? null
  const criticalRows = calls
    ? Array.from({ length: items }, (_, i) => evaluators.map((e) => callOf(e, i)))
        .filter((row) => row.every((v) => v !== null))
        .map((row) => {
          const yes = row.filter(Boolean).length
          return [yes, row.length - yes]
        })
    : []
  const criticalKappa =
    criticalRows.length >= 2 && evaluators.length >= 2 ? safe(() => fleissKappa(criticalRows).kappa) : null
  const referenceCall = (i: number): boolean | null => {
    if (input.master && calls?.[input.master]) return callOf(input.master, i)
    const made = evaluators.map((e) => callOf(e, i)).filter((v): v is boolean => v !== null)
    return made.length ? made.filter(Boolean).length * 2 >= made.length : null
  }
  const criticalAgreementOf = (e: string) => {
    const pairs = Array.from({ length: items }, (_, i) => [callOf(e, i), referenceCall(i)] as const).filter(
      (p): p is readonly [boolean, boolean] => p[0] !== null && p[1] !== null,
    )
    return pairs.length ? pairs.filter(([a, b]) => a === b).length / pairs.length : null
  }
  return {
    alpha,
    passFailKappa,
    ...(calls ? { criticalKappa } : {}),
    reference: input.master ? "master" : "consensus",
    evaluators: evaluators
      .filter((e) => e !== input.master)
      .map((e) => {
        const pairs = input.scores[e]!.map((v, i) => [v, reference[i]] as const).filter(
          (p): p is readonly [number, number] => p[0] !== null && p[1] !== null,
        )
        const bias = pairs.length ? pairs.reduce((s, [a, b]) => s + (a - b), 0) / pairs.length : 0
        const within = pairs.length
          ? pairs.filter(([a, b]) => Math.abs(a - b) <= tolerance).length / pairs.length
          : 0
        const kappa =
          pairs.length >= 2
            ? safe(
                () =>
                  cohensKappa(
                    pairs.map(([a]) => pass(a)!),
                    pairs.map(([, b]) => pass(b)!),
                  ).kappa,
              )
            : null
        const criticalAgreement = calls ? criticalAgreementOf(e) : null
        return {
          evaluator: e,
          bias: Math.round(bias * 10) / 10,
          withinTolerance: within,
          kappa,
          ...(calls ? { criticalAgreement } : {}),
          flagged: within < minWithin || (criticalAgreement !== null && criticalAgreement < minWithin),
        }
      }),
  }
}

const safe = (f: () => number): number | null => {
  try {
    const v = f()
    return Number.isFinite(v) ? v : null
  } catch {
    return null
  }
}
