/**
 * Staffing for channels that are not a single voice queue: chat (an agent holds several conversations),
 * deferred work (e-mail, web forms: the work only has to be done within a response target), and
 * shrinkage (the share of paid time not available for the queue: breaks, training, absence).
 *
 * @since 0.1.0
 */
import { agentsForServiceLevel, type ErlangCResult, type ServiceTarget } from "./Erlang"
import { checkFraction, checkNonNegative, checkPositive, fail } from "./internal"

/**
 * Chat with concurrency: each agent is `concurrency` servers, so Erlang C is solved for conversation
 * slots and agents = ⌈slots ÷ concurrency⌉. `ahtSeconds` is the handling time of one conversation as
 * measured at that concurrency (conversations are slower when an agent holds several).
 * @since 0.1.0
 */
export const agentsForChat = (input: {
  readonly arrivals: number
  readonly intervalSeconds: number
  readonly ahtSeconds: number
  readonly concurrency: number
  readonly target: ServiceTarget
}): ErlangCResult & { readonly slots: number } => {
  if (!(Number.isInteger(input.concurrency) && input.concurrency >= 1))
    fail("concurrency", `must be a whole number ≥ 1, got ${input.concurrency}`)
  const slots = agentsForServiceLevel(input)
  const agents = Math.ceil(slots.agents / input.concurrency)
  return {
    ...slots,
    slots: slots.agents,
    agents,
    occupancy: agents === 0 ? 0 : Math.min(1, slots.traffic / (agents * input.concurrency)),
  }
}

/**
 * Deferred work (e-mail, forms): work that arrives in an interval may be spread over the intervals of
 * its response target, so each interval needs the average workload of the last ⌈response ÷ interval⌉
 * intervals (arrivals × handling time ÷ interval length), divided by the occupancy planned for the work
 * (a response target of 0 s, or one shorter than an interval, spreads over the arrival's own interval).
 * Returns fractional agents per interval (round up when rostering).
 * @since 0.1.0
 */
export const deferredWorkload = (input: {
  readonly arrivals: ReadonlyArray<number>
  readonly intervalSeconds: number
  readonly ahtSeconds: number
  readonly responseSeconds: number
  /** Planned occupancy for deferred work, default 0.85. */
  readonly occupancy?: number
}): ReadonlyArray<number> => {
  checkPositive(input.intervalSeconds, "intervalSeconds")
  checkPositive(input.ahtSeconds, "ahtSeconds")
  // 0: due at once, done within the interval it arrives in
  checkNonNegative(input.responseSeconds, "responseSeconds")
  const occupancy = input.occupancy ?? 0.85
  if (!(occupancy > 0 && occupancy <= 1)) fail("occupancy", `must be in (0, 1], got ${occupancy}`)
  input.arrivals.forEach((a, i) => {
    checkNonNegative(a, `arrivals[${i}]`)
  })
  const window = Math.max(1, Math.ceil(input.responseSeconds / input.intervalSeconds))
  const out: number[] = []
  let rolling = 0
  for (let i = 0; i < input.arrivals.length; i++) {
    rolling += input.arrivals[i] as number
    if (i >= window) rolling -= input.arrivals[i - window] as number
    out.push((rolling * input.ahtSeconds) / (window * input.intervalSeconds * occupancy))
  }
  return out
}

/** Agents to schedule so that `required` remain after shrinkage: required ÷ (1 − shrinkage). @since 0.1.0 */
export const withShrinkage = (required: number, shrinkage: number) =>
  checkNonNegative(required, "required") / (1 - checkFraction(shrinkage, "shrinkage"))

/** Agents available to the queue from those scheduled: scheduled × (1 − shrinkage). @since 0.1.0 */
export const availableAfterShrinkage = (scheduled: number, shrinkage: number) =>
  checkNonNegative(scheduled, "scheduled") * (1 - checkFraction(shrinkage, "shrinkage"))
