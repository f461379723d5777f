/**
 * Workforce planning's HTTP API: staffing plans per queue and interval (with what-if), queue settings,
 * forecast accuracy, surge warnings and shifts.
 */
import { Shifts } from "@tenet/core"
import { Metrics, Workforce } from "@tenet/process"
import { endpoint } from "../http/endpoint"
import {
  AccuracyQuery,
  PlanQuery,
  QueueBody,
  ShiftBody,
  ShiftQuery,
  SurgeCheckBody,
} from "./workforce/schemas"

const tag = "Workforce"
const minutes = (s: "15" | "30" | "60" | undefined) => (s ? (Number(s) as 15 | 30 | 60) : undefined)

export const workforceEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/workforce/plan",
    // the plan's table: every interval of every queue, the queue named on each row
    exportable: {
      rows: (a) => {
        const plan = a as {
          intervalMinutes: number
          queues: ReadonlyArray<{
            queue: { channel: string; team: string }
            intervals: ReadonlyArray<{ slot: number }>
          }>
        }
        const time = (slot: number) => {
          const m = slot * plan.intervalMinutes
          return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`
        }
        return plan.queues.flatMap((q) =>
          q.intervals.map((i) => ({
            channel: q.queue.channel,
            team: q.queue.team,
            time: time(i.slot),
            ...i,
          })),
        )
      },
    },
    operationId: "getWorkforcePlan",
    summary:
      "Staffing plan per queue (channel × team) and interval: forecast with its interval, required, scheduled and gap; what-if by targetLevel, targetSeconds, ahtFactor, shrinkage, volumeChange",
    tag,
    access: "workforce:read",
    query: PlanQuery,
    handler: async (c, { ctx, query }) => {
      const whatIf = {
        targetLevel: query.targetLevel,
        targetSeconds: query.targetSeconds,
        ahtFactor: query.ahtFactor,
        shrinkage: query.shrinkage,
        volumeChange: query.volumeChange,
      }
      const any = Object.values(whatIf).some((v) => v !== undefined)
      return Workforce.plan(c.get("db"), ctx.orgId, {
        intervalMinutes: minutes(query.intervalMinutes),
        horizonDays: query.horizonDays,
        historyDays: query.historyDays,
        channel: query.channel,
        team: query.team,
        whatIf: any ? whatIf : undefined,
      })
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/workforce/queues",
    exportable: true,
    operationId: "listWorkforceQueues",
    summary: "Queues (channel × team) with their staffing settings: saved, or the channel's defaults",
    tag,
    access: "workforce:read",
    handler: async (c, { ctx }) => ({ items: await Workforce.listQueues(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "put",
    path: "/api/v1/workforce/queues",
    operationId: "saveWorkforceQueue",
    summary:
      "Save a queue's staffing model, service-level target, handling time, patience, concurrency, shrinkage and surge threshold",
    tag,
    access: "workforce:manage",
    body: QueueBody,
    handler: async (c, { ctx, body }) => Workforce.saveQueue(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/workforce/accuracy",
    operationId: "getWorkforceAccuracy",
    summary:
      "Forecast accuracy: wMAPE per day (the process.forecast_accuracy metric), a summary per queue interval, per queue day and per day with the Poisson floor of each, and each kept forecast with its actual, per queue or (detail=total) summed over the queues",
    tag,
    access: "workforce:read",
    query: AccuracyQuery,
    handler: async (c, { ctx, query }) => {
      const db = c.get("db")
      const from = new Date(query.from)
      const to = new Date(query.to)
      const intervalMinutes = minutes(query.intervalMinutes) ?? 30
      const def = Metrics.metrics.find((m) => m.id === "process.forecast_accuracy")
      const filter = {
        ...(query.channel !== undefined ? { channel: query.channel } : {}),
        ...(query.team !== undefined ? { team: query.team } : {}),
      }
      const { timeZone } = await Workforce.localToday(db, ctx.orgId)
      const daily = def
        ? await def.compute(
            { orgId: ctx.orgId, from, to, timeZone, bucket: "day", filter, params: { intervalMinutes } },
            db,
          )
        : []
      const intervals = await Workforce.forecastVsActual(db, ctx.orgId, {
        from,
        to,
        intervalMinutes,
        channel: query.channel,
        team: query.team,
        total: query.detail === "total",
      })
      // the same errors at three levels, each with the floor chance alone sets at these volumes
      const summary = await Workforce.accuracySummary(db, ctx.orgId, {
        from,
        to,
        intervalMinutes,
        channel: query.channel,
        team: query.team,
      })
      return { timeZone, intervalMinutes, daily, summary, intervals }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/workforce/surges",
    operationId: "listWorkforceSurges",
    summary: "Surges warned of: forecast need above scheduled capacity by the queue's threshold",
    tag,
    access: "workforce:read",
    handler: async (c, { ctx }) => ({ items: await Workforce.surgeLog(c.get("db"), ctx.orgId) }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/workforce/surges/check",
    operationId: "checkWorkforceSurges",
    summary:
      "Look ahead for surges now: each new one notifies supervisors and emits process.workforce.surge_forecast",
    tag,
    access: "workforce:write",
    body: SurgeCheckBody,
    handler: async (c, { ctx, body }) => ({
      items: await Workforce.checkSurges(c.get("db"), ctx, { lookaheadHours: body.lookaheadHours }),
    }),
  }),
  endpoint({
    method: "get",
    path: "/api/v1/workforce/shifts",
    exportable: true,
    operationId: "listShifts",
    summary: "Shifts: weekly working patterns of people for teams",
    tag,
    access: "workforce:read",
    query: ShiftQuery,
    handler: async (c, { ctx, query }) => ({
      items: await Shifts.list(c.get("db"), ctx.orgId, query.teamId),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/workforce/shifts",
    operationId: "saveShift",
    summary: "Add a shift (or change one, with its id)",
    tag,
    access: "workforce:write",
    body: ShiftBody,
    status: 201,
    handler: async (c, { ctx, body }) => Shifts.save(c.get("db"), ctx, body),
  }),
  endpoint({
    method: "delete",
    path: "/api/v1/workforce/shifts/{id}",
    operationId: "deleteShift",
    summary: "Remove a shift",
    tag,
    access: "workforce:write",
    handler: async (c, { ctx, params }) => {
      await Shifts.remove(c.get("db"), ctx, params.id!)
      return { deleted: true }
    },
  }),
]
