/**
 * Erlang B and C (M/M/n and M/M/n/n queues): probability of wait, service level, average speed of
 * answer, occupancy and the agents a target needs. Erlang B is computed with the recursion
 * B(k) = A·B(k−1) / (k + A·B(k−1)), which never forms A^n or n! and so stays finite and accurate for
 * thousands of agents; Erlang C follows from it as C = n·B / (n − A·(1 − B)).
 *
 * @since 0.1.0
 */
import { checkAgents, checkNonNegative, checkPositive, checkProbability, fail } from "./internal"

/** Offered traffic in Erlangs: arrivals × handling time ÷ interval length. @since 0.1.0 */
export const trafficIntensity = (arrivals: number, ahtSeconds: number, intervalSeconds: number) =>
  (checkNonNegative(arrivals, "arrivals") * checkPositive(ahtSeconds, "ahtSeconds")) /
  checkPositive(intervalSeconds, "intervalSeconds")

/** Erlang B: probability that an arrival is blocked with `agents` servers and no queue. @since 0.1.0 */
export const erlangB = (agents: number, traffic: number) => {
  checkAgents(agents)
  checkNonNegative(traffic, "traffic")
  let b = 1
  for (let k = 1; k <= agents; k++) b = (traffic * b) / (k + traffic * b)
  return b
}

const cFromB = (agents: number, traffic: number, b: number) =>
  agents <= traffic ? 1 : (agents * b) / (agents - traffic * (1 - b))

/** Erlang C: probability that an arrival waits (1 when agents ≤ traffic: the queue grows without bound). @since 0.1.0 */
export const erlangC = (agents: number, traffic: number) => cFromB(agents, traffic, erlangB(agents, traffic))

/** The performance of an M/M/n queue. @since 0.1.0 */
export interface ErlangCResult {
  readonly agents: number
  /** Offered traffic in Erlangs. */
  readonly traffic: number
  readonly probabilityOfWait: number
  /** Share of arrivals answered within the target time. */
  readonly serviceLevel: number
  /** Average speed of answer (mean wait over all arrivals), seconds. */
  readonly averageSpeedOfAnswer: number
  /** traffic ÷ agents (capped at 1). */
  readonly occupancy: number
}

/** A service-level target: `level` of arrivals answered within `seconds` (e.g. 0.8 in 20 s). @since 0.1.0 */
export interface ServiceTarget {
  readonly level: number
  readonly seconds: number
}

const performance = (
  agents: number,
  traffic: number,
  b: number,
  ahtSeconds: number,
  targetSeconds: number,
): ErlangCResult => {
  // no traffic: nobody waits, whatever the agents (0 agents included: not an unstable queue)
  if (traffic === 0)
    return { agents, traffic, probabilityOfWait: 0, serviceLevel: 1, averageSpeedOfAnswer: 0, occupancy: 0 }
  const c = cFromB(agents, traffic, b)
  const stable = agents > traffic
  return {
    agents,
    traffic,
    probabilityOfWait: c,
    serviceLevel: stable ? 1 - c * Math.exp((-(agents - traffic) * targetSeconds) / ahtSeconds) : 0,
    averageSpeedOfAnswer: stable ? (c * ahtSeconds) / (agents - traffic) : Number.POSITIVE_INFINITY,
    occupancy: agents === 0 ? 1 : Math.min(1, traffic / agents),
  }
}

/**
 * Erlang C performance of `agents` for arrivals in an interval: SL(t) = 1 − C·e^{−(n−A)t/AHT},
 * ASA = C·AHT/(n−A), occupancy = A/n.
 * @since 0.1.0
 */
export const erlangCPerformance = (input: {
  readonly agents: number
  readonly arrivals: number
  readonly intervalSeconds: number
  readonly ahtSeconds: number
  readonly targetSeconds: number
}): ErlangCResult => {
  const traffic = trafficIntensity(input.arrivals, input.ahtSeconds, input.intervalSeconds)
  checkNonNegative(input.targetSeconds, "targetSeconds")
  return performance(
    input.agents,
    traffic,
    erlangB(input.agents, traffic),
    input.ahtSeconds,
    input.targetSeconds,
  )
}

/**
 * The fewest agents that meet a service-level target (and, where given, a maximum average speed of
 * answer and a maximum occupancy). Searches upward from ⌊A⌋+1, updating Erlang B one step at a time.
 * @since 0.1.0
 */
export const agentsForServiceLevel = (input: {
  readonly arrivals: number
  readonly intervalSeconds: number
  readonly ahtSeconds: number
  readonly target: ServiceTarget
  readonly maxAverageSpeedOfAnswer?: number
  readonly maxOccupancy?: number
}): ErlangCResult => {
  const traffic = trafficIntensity(input.arrivals, input.ahtSeconds, input.intervalSeconds)
  checkProbability(input.target.level, "target.level")
  checkNonNegative(input.target.seconds, "target.seconds")
  if (input.maxOccupancy !== undefined && !(input.maxOccupancy > 0 && input.maxOccupancy <= 1))
    fail("maxOccupancy", `must be in (0, 1], got ${input.maxOccupancy}`)
  if (input.maxAverageSpeedOfAnswer !== undefined)
    checkNonNegative(input.maxAverageSpeedOfAnswer, "maxAverageSpeedOfAnswer")
  if (traffic === 0)
    return {
      agents: 0,
      traffic,
      probabilityOfWait: 0,
      serviceLevel: 1,
      averageSpeedOfAnswer: 0,
      occupancy: 0,
    }
  let b = 1
  let n = 0
  const start = Math.floor(traffic) + 1
  for (; n < start; ) {
    n++
    b = (traffic * b) / (n + traffic * b)
  }
  for (let guard = 0; guard < 1_000_000; guard++) {
    const p = performance(n, traffic, b, input.ahtSeconds, input.target.seconds)
    const ok =
      p.serviceLevel >= input.target.level &&
      (input.maxAverageSpeedOfAnswer === undefined ||
        p.averageSpeedOfAnswer <= input.maxAverageSpeedOfAnswer) &&
      (input.maxOccupancy === undefined || p.occupancy <= input.maxOccupancy)
    if (ok) return p
    n++
    b = (traffic * b) / (n + traffic * b)
  }
  return fail("target", "cannot be met")
}
