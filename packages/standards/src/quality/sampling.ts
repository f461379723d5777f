/** Sampling plans: statistically valid per programme, with a minimum per agent, and drawing the sample. @since 0.5.0 */
import { sampleSizeForProportion } from "@tenet/stats"

/** @category models @since 0.1.0 */
export interface SamplingPlan {
  readonly marginOfError: number
  readonly confidence: number
  /** Evaluations needed for the programme in the period (finite-population corrected). */
  readonly programme: number
  /** Per agent: at least the minimum, and the programme sample spread in proportion to volume. */
  readonly perAgent: Readonly<Record<string, number>>
  readonly total: number
}

/**
 * A sampling plan: n for the programme for ±marginOfError (p = 0.5 worst case unless given), with
 * the finite population correction, allocated to agents in proportion to their volume, and no
 * agent below `minPerAgent` (or their whole volume when smaller).
 * @category constructors
 * @since 0.1.0
 */
export const samplingPlan = (input: {
  readonly volumes: Readonly<Record<string, number>>
  readonly marginOfError: number
  readonly confidence?: number
  readonly p?: number
  readonly minPerAgent: number
}): SamplingPlan => {
  const population = Object.values(input.volumes).reduce((a, b) => a + b, 0)
  const confidence = input.confidence ?? 0.95
  const programme =
    population === 0
      ? 0
      : sampleSizeForProportion({
          marginOfError: input.marginOfError,
          confidence,
          ...(input.p !== undefined ? { p: input.p } : {}),
          population,
        })
  const perAgent: Record<string, number> = {}
  for (const [agent, volume] of Object.entries(input.volumes)) {
    const proportional = population === 0 ? 0 : Math.ceil((programme * volume) / population)
    perAgent[agent] = Math.min(volume, Math.max(proportional, input.minPerAgent))
  }
  return {
    marginOfError: input.marginOfError,
    confidence,
    programme,
    perAgent,
    total: Object.values(perAgent).reduce((a, b) => a + b, 0),
  }
}

/** Draw a random stratified sample (by agent) of ids, reproducibly from a seed. @category constructors @since 0.1.0 */
export const drawSample = <T extends { readonly id: string; readonly agent: string }>(
  candidates: ReadonlyArray<T>,
  plan: SamplingPlan,
  seed = 1,
): T[] => {
  let s = seed >>> 0 || 1
  const rand = () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
  const byAgent = new Map<string, T[]>()
  for (const c of candidates) byAgent.set(c.agent, [...(byAgent.get(c.agent) ?? []), c])
  const out: T[] = []
  for (const [agent, items] of byAgent) {
    const k = plan.perAgent[agent] ?? 0
    const pool = [...items]
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
    }
    out.push(...pool.slice(0, k))
  }
  return out
}
