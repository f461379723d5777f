/** The workforce screens' data: the shapes the API returns and the queries that read them. */
import { useQuery } from "@tanstack/react-query"
import { api, getCurrentOrg } from "../../api/client"

export interface QueueSettings {
  channel: string
  team: string
  model: "erlang_c" | "erlang_a" | "chat" | "deferred"
  targetLevel: number
  targetSeconds: number
  ahtSeconds: number
  patienceSeconds: number | null
  concurrency: number
  shrinkage: number
  surgeThreshold: number
  saved: boolean
}
export interface PlanInterval {
  date: string
  slot: number
  forecast: number
  lower: number
  upper: number
  required: number
  requiredScheduled: number
  scheduled: number
  gap: number
  projectedServiceLevel: number | null
}
export interface Handling {
  seconds: number
  source: "history" | "settings"
  n: number
  measuredSeconds: number | null
  configuredSeconds: number
}
/** The fewest resolved cases with a handling time for the measured mean to be planned with (the API's MIN_AHT_SAMPLE). */
export const MIN_AHT_SAMPLE = 30
export interface QueuePlan {
  queue: QueueSettings
  handling: Handling
  intervals: PlanInterval[]
  historyTotal: number
  dispersion: number
  trendPerDay: number
}
export interface Plan {
  timeZone: string
  intervalMinutes: number
  from: string
  horizonDays: number
  historyFrom: string
  historyDays: number
  starts: string[]
  queues: QueuePlan[]
}
export interface WhatIf {
  volumeChange?: number | undefined
  ahtFactor?: number | undefined
  shrinkage?: number | undefined
  targetLevel?: number | undefined
  targetSeconds?: number | undefined
}
export interface AccuracyValue {
  bucket?: string
  value: number | null
  numerator?: number
  denominator?: number
  n: number
}
export interface AccuracyLevel {
  wmape: number | null
  floor: number | null
  actual: number
  forecast: number
  n: number
}
export interface Accuracy {
  timeZone: string
  intervalMinutes: number
  daily: AccuracyValue[]
  summary: { interval: AccuracyLevel; queueDay: AccuracyLevel; day: AccuracyLevel }
  intervals: Array<{
    channel?: string
    team?: string
    start: string
    forecast: number
    lower: number
    upper: number
    actual: number
  }>
}

const org = () => getCurrentOrg()
export const queueKey = (q: { channel: string; team: string }) => `${q.channel}/${q.team}`

/** The plan's query: its interval, horizon and what-if changes. */
export const planParams = (intervalMinutes: number, horizonDays: number, whatIf: WhatIf) => {
  const params = new URLSearchParams({
    intervalMinutes: String(intervalMinutes),
    horizonDays: String(horizonDays),
  })
  for (const [k, v] of Object.entries(whatIf))
    if (v !== undefined && Number.isFinite(v)) params.set(k, String(v))
  return params
}
export const usePlan = (intervalMinutes: number, horizonDays: number, whatIf: WhatIf) => {
  const params = planParams(intervalMinutes, horizonDays, whatIf)
  return useQuery({
    queryKey: ["workforce", "plan", org(), params.toString()],
    queryFn: () => api<Plan>(`/api/v1/workforce/plan?${params}`),
  })
}
export const useAccuracy = (from: string, to: string, intervalMinutes: number) =>
  useQuery({
    queryKey: ["workforce", "accuracy", org(), from, to, intervalMinutes],
    queryFn: () =>
      api<Accuracy>(
        `/api/v1/workforce/accuracy?${new URLSearchParams({ from, to, intervalMinutes: String(intervalMinutes), detail: "total" })}`,
      ),
  })
