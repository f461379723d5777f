/**
 * A queue's staffing plan, computed without the database: forecast arrivals per interval from its
 * history (@tenet/workforce's seasonal-profile model), the agents its model and target need, the agents
 * the shifts schedule, and the gap — with what-if changes to target, handling time, shrinkage and volume.
 *
 * @since 0.3.0
 */
import {
  agentsForChat,
  agentsForErlangA,
  agentsForServiceLevel,
  type DayType,
  deferredWorkload,
  erlangA,
  erlangCPerformance,
  forecastVolume,
} from "@tenet/workforce"
import type { StaffingModel } from "../migrations/schema"

/** A queue's staffing settings. @category models @since 0.3.0 */
export interface QueueSettings {
  readonly channel: string
  /** "" for cases without a team */
  readonly team: string
  readonly model: StaffingModel
  readonly targetLevel: number
  readonly targetSeconds: number
  readonly ahtSeconds: number
  readonly patienceSeconds: number | null
  readonly concurrency: number
  readonly shrinkage: number
  /** Warn when the need exceeds scheduled capacity by more than this share (0.15 = 15 %). */
  readonly surgeThreshold: number
  /** Whether the settings were saved (false: defaults for the channel). */
  readonly saved: boolean
}

/** What-if changes applied to every queue of a plan. @category models @since 0.3.0 */
export interface WhatIf {
  readonly targetLevel?: number | undefined
  readonly targetSeconds?: number | undefined
  /** Handling time × this factor (1.1 = 10 % longer). */
  readonly ahtFactor?: number | undefined
  readonly shrinkage?: number | undefined
  /** Volume + this share (0.2 = 20 % more). */
  readonly volumeChange?: number | undefined
}

/**
 * The fewest cases with a recorded handling time for a queue's measured average to replace its
 * configured handling time (below it, a mean of a handful of cases swings too much to staff on).
 * @since 0.3.0
 */
export const MIN_AHT_SAMPLE = 30

/** The handling time a plan used: measured from the case history (with its sample) or the queue's setting. @category models @since 0.3.0 */
export interface Handling {
  /** Seconds used, before a what-if factor. */
  readonly seconds: number
  readonly source: "history" | "settings"
  /** Cases the measured mean rests on (0: none recorded). */
  readonly n: number
  /** The measured mean, even when too few cases to use it (null: none recorded). */
  readonly measuredSeconds: number | null
  /** The queue's configured handling time (the fallback). */
  readonly configuredSeconds: number
}

/** The handling time to plan with: the measured mean once `MIN_AHT_SAMPLE` cases record one. @category constructors @since 0.3.0 */
export const handlingFor = (
  q: QueueSettings,
  measured: { readonly seconds: number; readonly n: number } | undefined,
): Handling => {
  const usable =
    measured !== undefined &&
    measured.n >= MIN_AHT_SAMPLE &&
    Number.isFinite(measured.seconds) &&
    measured.seconds > 0
  return {
    seconds: usable ? Math.round(measured.seconds) : q.ahtSeconds,
    source: usable ? "history" : "settings",
    n: measured?.n ?? 0,
    measuredSeconds: measured && Number.isFinite(measured.seconds) ? Math.round(measured.seconds) : null,
    configuredSeconds: q.ahtSeconds,
  }
}

/** One interval of a queue's plan. @category models @since 0.3.0 */
export interface PlanInterval {
  readonly date: string
  readonly slot: number
  readonly forecast: number
  readonly lower: number
  readonly upper: number
  /** Agents needed on the queue (before shrinkage). */
  readonly required: number
  /** Agents to schedule: required ÷ (1 − shrinkage). */
  readonly requiredScheduled: number
  readonly scheduled: number
  /** scheduled − requiredScheduled (negative: short). */
  readonly gap: number
  /** Service level the scheduled agents are expected to give (null for deferred work). */
  readonly projectedServiceLevel: number | null
}

/** @category models @since 0.3.0 */
export interface QueuePlan {
  readonly queue: QueueSettings
  /** The handling time planned with (measured or configured) and its sample. */
  readonly handling: Handling
  readonly intervals: ReadonlyArray<PlanInterval>
  /** The history the forecast rests on (arrivals). */
  readonly historyTotal: number
  readonly dispersion: number
  readonly trendPerDay: number
}

/** The defaults of a channel's queue before anyone saves settings. @category constructors @since 0.3.0 */
export const defaultsFor = (channel: string, team: string): QueueSettings => {
  const base = {
    channel,
    team,
    patienceSeconds: null,
    concurrency: 1,
    shrinkage: 0.3,
    surgeThreshold: 0.15,
    saved: false,
  }
  if (/phone|voice|call|电话/i.test(channel))
    return {
      ...base,
      model: "erlang_a",
      targetLevel: 0.8,
      targetSeconds: 20,
      ahtSeconds: 300,
      patienceSeconds: 120,
    }
  if (/chat|im|wechat|微信|在线/i.test(channel))
    return { ...base, model: "chat", targetLevel: 0.8, targetSeconds: 60, ahtSeconds: 600, concurrency: 2 }
  return { ...base, model: "deferred", targetLevel: 0.9, targetSeconds: 4 * 3600, ahtSeconds: 480 }
}

/** Settings with the what-if applied. @category constructors @since 0.3.0 */
export const applyWhatIf = (q: QueueSettings, w: WhatIf | undefined): QueueSettings =>
  w
    ? {
        ...q,
        targetLevel: w.targetLevel ?? q.targetLevel,
        targetSeconds: w.targetSeconds ?? q.targetSeconds,
        ahtSeconds: q.ahtSeconds * (w.ahtFactor ?? 1),
        shrinkage: w.shrinkage ?? q.shrinkage,
      }
    : q

/**
 * The agents one interval needs under a queue's model. Arrivals (means, so fractional) are taken to a
 * tenth of an arrival — no staffing answer turns on less — so that intervals with the same load share one
 * search.
 */
const requiredFor = (q: QueueSettings, mean: number, intervalSeconds: number, cache: Map<number, number>) => {
  const key = Math.round(mean * 10)
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const arrivals = key / 10
  const target = { level: q.targetLevel, seconds: q.targetSeconds }
  const base = { arrivals, intervalSeconds, ahtSeconds: q.ahtSeconds, target }
  const agents =
    arrivals <= 0
      ? 0
      : q.model === "erlang_a"
        ? agentsForErlangA({ ...base, patienceSeconds: q.patienceSeconds ?? 120 }).agents
        : q.model === "chat"
          ? agentsForChat({ ...base, concurrency: q.concurrency }).agents
          : agentsForServiceLevel(base).agents
  cache.set(key, agents)
  return agents
}

const projected = (q: QueueSettings, arrivals: number, available: number, intervalSeconds: number) => {
  if (q.model === "deferred") return null
  if (arrivals <= 0) return 1
  const agents = Math.floor(available * (q.model === "chat" ? q.concurrency : 1) + 1e-9)
  const common = {
    agents,
    arrivals,
    intervalSeconds,
    ahtSeconds: q.ahtSeconds,
    targetSeconds: q.targetSeconds,
  }
  return q.model === "erlang_a"
    ? erlangA({ ...common, patienceSeconds: q.patienceSeconds ?? 120 }).serviceLevel
    : erlangCPerformance(common).serviceLevel
}

/** A queue's forecast and need, before the schedule is laid against it. @category models @since 0.3.0 */
export interface QueueNeed {
  readonly queue: QueueSettings
  readonly handling: Handling
  readonly points: ReadonlyArray<{
    date: string
    slot: number
    forecast: number
    lower: number
    upper: number
  }>
  readonly required: ReadonlyArray<number>
  readonly intervalSeconds: number
  readonly historyTotal: number
  readonly dispersion: number
  readonly trendPerDay: number
}

/**
 * Forecast a queue and the agents it needs: `history` holds arrivals per interval for whole local days
 * from `historyStart`; the horizon starts the day after.
 * @category constructors
 * @since 0.3.0
 */
export const queueNeed = (input: {
  readonly queue: QueueSettings
  readonly history: ReadonlyArray<number>
  readonly historyStart: string
  readonly intervalsPerDay: number
  readonly horizonDays: number
  readonly dayType: (date: string) => DayType
  readonly whatIf?: WhatIf | undefined
  /** The queue's handling time measured from the case history; used from `MIN_AHT_SAMPLE` cases on. */
  readonly measuredAht?: { readonly seconds: number; readonly n: number } | undefined
}): QueueNeed => {
  const handling = handlingFor(input.queue, input.measuredAht)
  const q = applyWhatIf({ ...input.queue, ahtSeconds: handling.seconds }, input.whatIf)
  const volume = 1 + (input.whatIf?.volumeChange ?? 0)
  const intervalSeconds = 86_400 / input.intervalsPerDay
  const f = forecastVolume({
    history: input.history,
    intervalsPerDay: input.intervalsPerDay,
    startDate: input.historyStart,
    horizonDays: input.horizonDays,
    dayType: input.dayType,
  })
  const points = f.points.map((p) => ({
    ...p,
    forecast: p.forecast * volume,
    lower: p.lower * volume,
    upper: p.upper * volume,
  }))
  const deferred =
    q.model === "deferred"
      ? deferredWorkload({
          arrivals: points.map((p) => p.forecast),
          intervalSeconds,
          ahtSeconds: q.ahtSeconds,
          responseSeconds: q.targetSeconds,
        })
      : null
  const cache = new Map<number, number>()
  const required = points.map((p, i) =>
    deferred ? Math.ceil((deferred[i] as number) - 1e-9) : requiredFor(q, p.forecast, intervalSeconds, cache),
  )
  return {
    queue: q,
    handling,
    points,
    required,
    intervalSeconds,
    historyTotal: input.history.reduce((a, b) => a + b, 0),
    dispersion: f.dispersion,
    trendPerDay: f.trendPerDay,
  }
}

/** Lay the scheduled agents (per horizon interval; null: nobody) against a queue's need. @category constructors @since 0.3.0 */
export const withSchedule = (need: QueueNeed, scheduled: ArrayLike<number> | null): QueuePlan => {
  const q = need.queue
  const keep = 1 - q.shrinkage
  const intervals = need.points.map((p, i): PlanInterval => {
    const required = need.required[i] as number
    const s = scheduled ? (scheduled[i] ?? 0) : 0
    const requiredScheduled = required / keep
    return {
      ...p,
      required,
      requiredScheduled,
      scheduled: s,
      gap: s - requiredScheduled,
      projectedServiceLevel: projected(q, p.forecast, s * keep, need.intervalSeconds),
    }
  })
  return {
    queue: q,
    handling: need.handling,
    intervals,
    historyTotal: need.historyTotal,
    dispersion: need.dispersion,
    trendPerDay: need.trendPerDay,
  }
}

/**
 * A team's scheduled agents shared among its queues in each interval in proportion to what each
 * needs (equally when none needs anyone): one roster serves the team's channels.
 * @category constructors
 * @since 0.3.0
 */
export const shareSchedule = (
  needs: ReadonlyArray<QueueNeed>,
  teamScheduled: ArrayLike<number>,
): Float64Array[] => {
  const size = needs[0]?.required.length ?? 0
  const out = needs.map(() => new Float64Array(size))
  for (let i = 0; i < size; i++) {
    const total = needs.reduce((a, n) => a + (n.required[i] as number), 0)
    const s = teamScheduled[i] ?? 0
    needs.forEach((n, k) => {
      ;(out[k] as Float64Array)[i] = total > 0 ? (s * (n.required[i] as number)) / total : s / needs.length
    })
  }
  return out
}

/** Plan one queue from its history and its own schedule. @category constructors @since 0.3.0 */
export const planQueue = (
  input: Parameters<typeof queueNeed>[0] & { readonly scheduled: ArrayLike<number> | null },
): QueuePlan => withSchedule(queueNeed(input), input.scheduled)

/** A surge: consecutive intervals whose need exceeds scheduled capacity by more than the threshold. @category models @since 0.3.0 */
export interface Surge {
  readonly fromIndex: number
  /** exclusive */
  readonly toIndex: number
  readonly peakRequired: number
  readonly peakScheduled: number
}

/** The surges of a plan within its first `lookahead` intervals. @category getters @since 0.3.0 */
export const surges = (plan: QueuePlan, lookahead: number): Surge[] => {
  const out: Surge[] = []
  let current: { fromIndex: number; peakRequired: number; peakScheduled: number } | null = null
  const limit = Math.min(lookahead, plan.intervals.length)
  for (let i = 0; i <= limit; i++) {
    const p = i < limit ? plan.intervals[i] : undefined
    const short =
      p !== undefined && p.required > 0 && p.requiredScheduled > p.scheduled * (1 + plan.queue.surgeThreshold)
    if (short && p) {
      if (!current) current = { fromIndex: i, peakRequired: p.requiredScheduled, peakScheduled: p.scheduled }
      else if (p.requiredScheduled - p.scheduled > current.peakRequired - current.peakScheduled) {
        current.peakRequired = p.requiredScheduled
        current.peakScheduled = p.scheduled
      }
    } else if (current) {
      out.push({ ...current, toIndex: i })
      current = null
    }
  }
  return out
}
