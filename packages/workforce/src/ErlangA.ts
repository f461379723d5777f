/**
 * Erlang A (M/M/n+M, Palm's queue with exponential patience): callers who wait longer than their
 * patience hang up. Computed from the birth–death chain's stationary distribution relative to state n
 * (states below n come from Erlang B: Σ_{k≤n} π_k/π_n = 1/B(n, A); above n each state is the previous
 * one × λ/(nμ + jθ), summed until the terms stop mattering), so no factorials or incomplete gamma
 * functions are formed. The service level — the share of arrivals answered within t — follows a waiting
 * caller through the queue (each position ahead clears at rate nμ + iθ, the caller leaves at rate θ) by
 * uniformisation of that small pure-death chain.
 *
 * @since 0.1.0
 */
import { agentsForServiceLevel, erlangB, type ServiceTarget, trafficIntensity } from "./Erlang"
import { checkAgents, checkNonNegative, checkPositive, checkProbability, fail } from "./internal"

/** The performance of an M/M/n+M queue. @since 0.1.0 */
export interface ErlangAResult {
  readonly agents: number
  readonly traffic: number
  /** Share of arrivals that find every agent busy. */
  readonly probabilityOfWait: number
  /** Share of arrivals that hang up before an answer. */
  readonly probabilityOfAbandon: number
  /** Share of arrivals answered within the target time. */
  readonly serviceLevel: number
  /** Mean time in queue over all arrivals (answered and abandoned), seconds. */
  readonly averageWait: number
  /** Answered traffic ÷ agents. */
  readonly occupancy: number
}

export interface ErlangAInput {
  readonly agents: number
  readonly arrivals: number
  readonly intervalSeconds: number
  readonly ahtSeconds: number
  /** Mean patience of a waiting customer, seconds. */
  readonly patienceSeconds: number
  readonly targetSeconds: number
}

// States past the point where they hold under 1e-14 of the mass change no result at 1e-9.
const TAIL = 1e-14
const MAX_STATES = 2_000_000

/** Relative stationary probabilities of the queue states n, n+1, … (π_{n+j}/π_n, j = 0…). */
const queueTail = (agents: number, lambda: number, mu: number, theta: number) => {
  const terms: number[] = [1]
  let term = 1
  let sum = 1
  for (let j = 1; j < MAX_STATES; j++) {
    term *= lambda / (agents * mu + j * theta)
    terms.push(term)
    sum += term
    if (term < TAIL * sum && agents * mu + j * theta > lambda) return terms
  }
  return fail("patienceSeconds", "is too long for this load (the queue does not settle)")
}

/** P(answered within t) for waiting arrivals distributed over queue positions by `weights`. */
const answeredWithin = (
  weights: ReadonlyArray<number>,
  agents: number,
  mu: number,
  theta: number,
  t: number,
) => {
  const size = weights.length
  const rateAhead = (i: number) => agents * mu + i * theta
  const uniform = rateAhead(size - 1) + theta
  // Poisson(Λt) mass beyond Λt + 9√(Λt) + 25 jumps is below 1e-15
  const steps = Math.ceil(uniform * t + 9 * Math.sqrt(uniform * t) + 25)
  let p = Float64Array.from(weights)
  let next = new Float64Array(size)
  let served = 0
  // Uniformisation: after k jumps of the Poisson(Λt) clock, `served` has the mass absorbed by service.
  let logPoisson = -uniform * t
  let absorbed = 0
  let tailWeight = 1
  for (let k = 0; k <= steps; k++) {
    const weight = Math.exp(logPoisson)
    tailWeight -= weight
    served += weight * absorbed
    // one jump
    absorbed += ((p[0] as number) * (agents * mu)) / uniform
    for (let i = 0; i < size; i++) {
      const stay = 1 - (rateAhead(i) + theta) / uniform
      const fromAbove = i + 1 < size ? ((p[i + 1] as number) * rateAhead(i + 1)) / uniform : 0
      next[i] = (p[i] as number) * stay + fromAbove
    }
    ;[p, next] = [next, p]
    logPoisson += Math.log((uniform * t) / (k + 1))
    // once (almost) no caller is still waiting, every later jump adds nothing
    let waiting = 0
    for (let i = 0; i < size; i++) waiting += p[i] as number
    if (waiting < 1e-16) {
      return served + Math.max(0, tailWeight) * absorbed
    }
  }
  return served + Math.max(0, tailWeight) * absorbed
}

/**
 * Erlang A performance of `agents` for the arrivals in an interval.
 * @since 0.1.0
 */
export const erlangA = (input: ErlangAInput): ErlangAResult => {
  checkAgents(input.agents)
  const traffic = trafficIntensity(input.arrivals, input.ahtSeconds, input.intervalSeconds)
  checkPositive(input.patienceSeconds, "patienceSeconds")
  checkNonNegative(input.targetSeconds, "targetSeconds")
  const n = input.agents
  if (traffic === 0)
    return {
      agents: n,
      traffic,
      probabilityOfWait: 0,
      probabilityOfAbandon: 0,
      serviceLevel: 1,
      averageWait: 0,
      occupancy: 0,
    }
  const lambda = input.arrivals / input.intervalSeconds
  const mu = 1 / input.ahtSeconds
  const theta = 1 / input.patienceSeconds
  // Σ_{k<n} π_k / π_n = 1/B − 1 (from the loss system with the same n and A); n = 0 has no such states.
  const below = n === 0 ? 0 : 1 / erlangB(n, traffic) - 1
  const tail = queueTail(n, lambda, mu, theta)
  let tailSum = 0
  let queueMean = 0
  for (let j = 0; j < tail.length; j++) {
    tailSum += tail[j] as number
    queueMean += j * (tail[j] as number)
  }
  const total = below + tailSum
  const probabilityOfWait = tailSum / total
  const meanQueue = queueMean / total
  const probabilityOfAbandon = (theta * meanQueue) / lambda
  const waitingServed =
    n === 0 || probabilityOfWait === 0
      ? 0
      : answeredWithin(
          tail.map((w) => w / total),
          n,
          mu,
          theta,
          input.targetSeconds,
        )
  return {
    agents: n,
    traffic,
    probabilityOfWait,
    probabilityOfAbandon,
    serviceLevel: 1 - probabilityOfWait + waitingServed,
    averageWait: meanQueue / lambda,
    occupancy: n === 0 ? 1 : Math.min(1, (traffic * (1 - probabilityOfAbandon)) / n),
  }
}

/**
 * The fewest agents for which Erlang A meets the target (and, where given, a maximum abandonment rate).
 * @since 0.1.0
 */
export const agentsForErlangA = (
  input: Omit<ErlangAInput, "agents" | "targetSeconds"> & {
    readonly target: ServiceTarget
    readonly maxAbandon?: number
  },
): ErlangAResult => {
  checkProbability(input.target.level, "target.level")
  if (input.maxAbandon !== undefined) checkProbability(input.maxAbandon, "maxAbandon")
  const meets = (r: ErlangAResult) =>
    r.serviceLevel >= input.target.level &&
    (input.maxAbandon === undefined || r.probabilityOfAbandon <= input.maxAbandon)
  const at = (n: number) => erlangA({ ...input, agents: n, targetSeconds: input.target.seconds })
  // Abandonment only helps, so Erlang C's answer meets the target whenever the abandonment cap allows:
  // search down from it (usually a step or two), or up from it when the cap needs more agents.
  let n = agentsForServiceLevel({ ...input, target: input.target }).agents
  let r = at(n)
  if (meets(r)) {
    for (; n > 0; n--) {
      const lower = at(n - 1)
      if (!meets(lower)) return r
      r = lower
    }
    return r
  }
  for (let guard = 0; guard < 1_000_000; guard++) {
    n++
    r = at(n)
    if (meets(r)) return r
  }
  return fail("target", "cannot be met")
}
