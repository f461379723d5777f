import { type Db, Organizations, Shifts, Teams } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { poissonFloor, wmape } from "@tenet/workforce"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Cases, Config, Metrics, processMigrations, Workforce } from "../src/index"

let db: Db.Database
let ctx: { orgId: string; actor: { type: "user"; id: string } }
const HOUR = 3_600_000
// "now" is 2026-03-02 00:30 in Shanghai (UTC+8): the history is the 28 days before.
const now = new Date("2026-03-01T16:30:00Z")
const day0 = Date.parse("2026-02-01T16:00:00Z") // 2026-02-02 00:00 local, a Monday
const arrivalsAt: Date[] = []

beforeAll(async () => {
  db = await makeTestDatabase([processMigrations])
  const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "WFM Co", slug: "wfm-co" })
  ctx = { orgId: org.id, actor: { type: "user", id: "usr_planner" } }
  await Config.ensureDefaults(db, ctx)
  await Teams.save(db, ctx, { id: "technical", name: { "zh-CN": "技术支持", en: "Technical" } })
  // 09:00–12:00 local: 3 calls an hour on weekdays, 1 on weekends, for 28 days
  for (let d = 0; d < 28; d++) {
    const weekend = d % 7 >= 5
    for (let h = 9; h < 12; h++)
      for (let k = 0; k < (weekend ? 1 : 3); k++)
        arrivalsAt.push(new Date(day0 + d * 24 * HOUR + h * HOUR + k * 600_000))
  }
  await Cases.createCases(
    db,
    ctx,
    arrivalsAt.map((receivedAt, i) => ({
      input: { type: "inquiry", channel: "phone", team: "technical", subject: `call ${i}`, receivedAt },
    })),
    { now },
  )
  await Shifts.save(db, ctx, {
    teamId: "technical",
    userId: "usr_a",
    weekdays: [1, 2, 3, 4, 5],
    startTime: "09:00",
    endTime: "11:00",
    validFrom: "2026-01-01",
  })
}, 120_000)
afterAll(async () => {
  await db.close()
})

describe("shifts (core)", () => {
  it("count the share of each interval they cover, overnight shifts included", () => {
    const s = Shifts.scheduledPerInterval(
      [
        {
          id: "a",
          teamId: "t",
          userId: "u",
          weekdays: [1],
          startTime: "08:30",
          endTime: "10:00",
          validFrom: "2026-01-01",
          validTo: null,
          offOnHolidays: true,
        },
        {
          id: "b",
          teamId: "t",
          userId: "v",
          weekdays: [1],
          startTime: "23:00",
          endTime: "01:00",
          validFrom: "2026-01-01",
          validTo: null,
          offOnHolidays: true,
        },
      ],
      { from: "2026-03-02", days: 2, intervalMinutes: 60 },
    ).get("t") as Float64Array
    expect([...s.slice(7, 11)]).toEqual([0, 0.5, 1, 0])
    expect(s[23]).toBe(1)
    expect(s[24]).toBe(1) // Tuesday 00:00–01:00, from Monday's night shift
  })
})

describe("plan", () => {
  it("forecasts the queue, the need and the scheduled agents, and keeps the forecasts", async () => {
    const p = await Workforce.plan(db, ctx.orgId, {
      intervalMinutes: 60,
      historyDays: 28,
      horizonDays: 2,
      now,
    })
    expect(p.from).toBe("2026-03-02")
    const q = p.queues.find((x) => x.queue.channel === "phone" && x.queue.team === "technical")
    if (!q) throw new Error("no queue")
    expect(q.queue.model).toBe("erlang_a")
    expect(q.historyTotal).toBe(arrivalsAt.length)
    const at10 = q.intervals[10]
    if (!at10) throw new Error("no interval")
    // Monday 10:00: about 3 calls an hour, AHT 300 s → a fraction of an Erlang; one agent scheduled
    expect(at10.forecast).toBeGreaterThan(2)
    expect(at10.forecast).toBeLessThan(4)
    expect(at10.required).toBeGreaterThanOrEqual(1)
    expect(at10.scheduled).toBe(1)
    expect(at10.gap).toBeCloseTo(1 - at10.required / 0.7, 9)
    expect(q.intervals[3]?.forecast ?? 1).toBeLessThan(0.5)
    expect(p.starts[0]).toBe("2026-03-01T16:00:00.000Z")
  })
  it("what-if: 50 % more volume needs at least as many agents", async () => {
    const base = await Workforce.plan(db, ctx.orgId, {
      intervalMinutes: 60,
      historyDays: 28,
      horizonDays: 1,
      now,
    })
    const more = await Workforce.plan(db, ctx.orgId, {
      intervalMinutes: 60,
      historyDays: 28,
      horizonDays: 1,
      now,
      whatIf: { volumeChange: 0.5, ahtFactor: 2 },
    })
    const b = base.queues[0]?.intervals[10]
    const m = more.queues[0]?.intervals[10]
    expect(m?.forecast).toBeCloseTo((b?.forecast ?? 0) * 1.5, 9)
    expect(m?.required ?? 0).toBeGreaterThanOrEqual(b?.required ?? 0)
  })
})

describe("forecast accuracy metric", () => {
  it("equals wMAPE computed from the raw arrivals", async () => {
    // forecasts for Friday 27 Feb 08:00–13:00 local, as if made the day before
    const starts = [8, 9, 10, 11, 12].map((h) => new Date(day0 + 25 * 24 * HOUR + h * HOUR))
    const forecast = [0.5, 2, 4, 3.5, 1]
    await db.kysely
      .withTables<{
        "process.workforce_forecast": {
          org_id: string
          channel: string
          team: string
          interval_minutes: number
          interval_start: Date
          forecast: number
          lower: number
          upper: number
        }
      }>()
      .insertInto("process.workforce_forecast")
      .values(
        starts.map((s, i) => ({
          org_id: ctx.orgId,
          channel: "phone",
          team: "technical",
          interval_minutes: 60,
          interval_start: s,
          forecast: forecast[i] as number,
          lower: 0,
          upper: 9,
        })),
      )
      .execute()
    const actual = starts.map(
      (s) => arrivalsAt.filter((a) => a >= s && a.getTime() < s.getTime() + HOUR).length,
    )
    expect(actual).toEqual([0, 3, 3, 3, 0])
    const raw = wmape(actual, forecast)
    const def = Metrics.metrics.find((m) => m.id === "process.forecast_accuracy")
    if (!def) throw new Error("metric not registered")
    const values = await def.compute(
      {
        orgId: ctx.orgId,
        from: new Date(day0 + 25 * 24 * HOUR),
        to: new Date(day0 + 26 * 24 * HOUR),
        timeZone: "Asia/Shanghai",
        bucket: "day",
        groupBy: ["channel"],
        params: { intervalMinutes: 60 },
      },
      db,
    )
    expect(values).toHaveLength(1)
    expect(values[0]?.value).toBeCloseTo(raw.wmape as number, 12)
    expect(values[0]?.denominator).toBe(raw.actualTotal)
    expect(values[0]?.n).toBe(5)
    expect(values[0]?.bucket).toBe("2026-02-27")
    expect(values[0]?.dimensions).toEqual({ channel: "phone" })

    // the summary: the same error per interval, and per day (forecasts and arrivals summed first), each
    // with the Poisson floor of its forecasts
    const summary = await Workforce.accuracySummary(db, ctx.orgId, {
      from: new Date(day0 + 25 * 24 * HOUR),
      to: new Date(day0 + 26 * 24 * HOUR),
      intervalMinutes: 60,
      now,
    })
    expect(summary.interval).toMatchObject({ actual: 9, forecast: 11, n: 5 })
    expect(summary.interval.wmape).toBeCloseTo(raw.wmape as number, 12)
    expect(summary.interval.floor).toBeCloseTo(poissonFloor(forecast) as number, 12)
    // one queue, one day: |9 − 11| ÷ 9
    for (const l of [summary.queueDay, summary.day]) {
      expect(l).toMatchObject({ actual: 9, forecast: 11, n: 1 })
      expect(l.wmape).toBeCloseTo(2 / 9, 12)
      expect(l.floor).toBeCloseTo(poissonFloor([11]) as number, 12)
    }
  })
})

describe("surges", () => {
  it("are warned of once, with an event and a notification", async () => {
    // Tuesday's 11:00 has calls but no shift (the shift ends 11:00): short by more than 15 %
    const first = await Workforce.checkSurges(db, ctx, { now, lookaheadHours: 48 })
    expect(first.length).toBeGreaterThan(0)
    expect(first.some((s) => s.startsAt === "2026-03-02T03:00:00.000Z")).toBe(true)
    const again = await Workforce.checkSurges(db, ctx, { now, lookaheadHours: 48 })
    expect(again).toEqual([])
    const events = await db.kysely
      .selectFrom("core.outbox_event")
      .select(["type"])
      .where("org_id", "=", ctx.orgId)
      .where("type", "in", [Workforce.SURGE_EVENT, "core.notification.requested"])
      .execute()
    expect(events.filter((e) => e.type === Workforce.SURGE_EVENT)).toHaveLength(first.length)
    const count = Metrics.metrics.find((m) => m.id === "process.forecast_surges")
    const v = await count?.compute(
      {
        orgId: ctx.orgId,
        from: new Date(0),
        to: new Date(Date.now() + HOUR),
        timeZone: "Asia/Shanghai",
        bucket: "none",
      },
      db,
    )
    expect(v?.[0]?.value).toBe(first.length)
  })
})

describe("handling time from the case history", () => {
  const opts = { intervalMinutes: 60, historyDays: 28, horizonDays: 1, now } as const
  const phone = (p: Workforce.Plan) => {
    const q = p.queues.find((x) => x.queue.channel === "phone" && x.queue.team === "technical")
    if (!q) throw new Error("no queue")
    return q
  }
  it("is the setting until enough resolved cases record one, then their mean, with the sample size", async () => {
    const before = phone(await Workforce.plan(db, ctx.orgId, opts))
    expect(before.handling).toEqual({
      seconds: 300,
      source: "settings",
      n: 0,
      measuredSeconds: null,
      configuredSeconds: 300,
    })
    const ids = (
      await db.kysely
        .selectFrom("process.case" as never)
        .select(["id" as never])
        .where("org_id" as never, "=", ctx.orgId as never)
        .orderBy("received_at" as never)
        .limit(Workforce.MIN_AHT_SAMPLE)
        .execute()
    ).map((r) => (r as { id: string }).id)
    const at = { now: new Date(now.getTime() - 2 * HOUR) }
    // work recorded on the way is added up: 200 s while in progress, 700 s more when resolved
    await Cases.transition(db, ctx, ids[0] as string, { to: "in_progress", handleSeconds: 200 }, at)
    await Cases.transition(db, ctx, ids[0] as string, { to: "resolved", handleSeconds: 700 }, at)
    for (const [i, id] of ids.slice(1, -1).entries())
      await Cases.transition(db, ctx, id, { to: "resolved", handleSeconds: i % 2 ? 600 : 900 }, at)
    // 29 cases: measured but too few to plan on
    const few = phone(await Workforce.plan(db, ctx.orgId, opts))
    const sum29 = 900 + [...Array(28).keys()].reduce((a, i) => a + (i % 2 ? 600 : 900), 0)
    expect(few.handling.source).toBe("settings")
    expect(few.handling.n).toBe(29)
    expect(few.handling.measuredSeconds).toBe(Math.round(sum29 / 29))
    await Cases.transition(db, ctx, ids.at(-1) as string, { to: "resolved", handleSeconds: 900 }, at)
    const after = phone(await Workforce.plan(db, ctx.orgId, opts))
    const mean = Math.round((sum29 + 900) / 30)
    expect(after.handling).toEqual({
      seconds: mean,
      source: "history",
      n: 30,
      measuredSeconds: mean,
      configuredSeconds: 300,
    })
    expect(after.queue.ahtSeconds).toBe(mean)
    // more than twice the handling time: Monday 10:00 needs more agents than with the setting
    const i10 = 10
    expect(after.intervals[i10]?.forecast).toBeCloseTo(before.intervals[i10]?.forecast ?? -1, 9)
    expect(after.intervals[i10]?.required ?? 0).toBeGreaterThan(before.intervals[i10]?.required ?? 0)
    // the what-if factor applies to the measured time
    const slower = phone(await Workforce.plan(db, ctx.orgId, { ...opts, whatIf: { ahtFactor: 2 } }))
    expect(slower.queue.ahtSeconds).toBe(mean * 2)
    // the queue list shows the same
    const listed = (await Workforce.listQueues(db, ctx.orgId, 28, now)).find(
      (q) => q.channel === "phone" && q.team === "technical",
    )
    expect(listed?.handling.source).toBe("history")
    expect(listed?.handling.n).toBe(30)
  })
  it("refuses a handling time that is not whole seconds from 1 to 86400", async () => {
    const c = (
      await Cases.createCases(db, ctx, [{ input: { type: "inquiry", channel: "phone", subject: "x" } }], {
        now,
      })
    )[0]
    for (const handleSeconds of [0, -5, 1.5, 86_401, Number.NaN])
      await expect(
        Cases.transition(db, ctx, c?.id as string, { to: "resolved", handleSeconds }, { now }),
      ).rejects.toMatchObject({ issues: [{ path: ["handleSeconds"] }] })
  })
})

describe("extreme settings", () => {
  it("what the maths refuses is a validation error naming the field, not a crash", async () => {
    const o = { intervalMinutes: 60, historyDays: 28, horizonDays: 1, now } as const
    await expect(Workforce.plan(db, ctx.orgId, { ...o, whatIf: { targetLevel: 1 } })).rejects.toMatchObject({
      _tag: "ValidationError",
      issues: [{ path: ["targetLevel"] }],
    })
    for (const [whatIf, field] of [
      [{ shrinkage: 1 }, "shrinkage"],
      [{ ahtFactor: 0 }, "ahtFactor"],
      [{ volumeChange: -1 }, "volumeChange"],
      [{ targetSeconds: -1 }, "targetSeconds"],
      [{ targetLevel: Number.NaN }, "targetLevel"],
    ] as const)
      await expect(Workforce.plan(db, ctx.orgId, { ...o, whatIf })).rejects.toMatchObject({
        _tag: "ValidationError",
        issues: [{ path: [field] }],
      })
  })
  it("a queue's plan with nobody scheduled, no volume or a day-long interval is finite", () => {
    const queue = { ...Workforce.defaultsFor("phone", "x"), patienceSeconds: 1, targetSeconds: 0 }
    for (const [perDay, history] of [
      [24, new Array(14 * 24).fill(0)],
      [1, Array.from({ length: 14 }, (_, d) => 50 + d)],
      [96, Array.from({ length: 14 * 96 }, (_, i) => i % 7)],
    ] as const) {
      const p = Workforce.planQueue({
        queue,
        history,
        historyStart: "2026-02-02",
        intervalsPerDay: perDay,
        horizonDays: 2,
        dayType: () => "workday",
        scheduled: null,
      })
      expect(p.intervals).toHaveLength(2 * perDay)
      for (const i of p.intervals) {
        for (const v of [i.forecast, i.lower, i.upper, i.required, i.requiredScheduled, i.scheduled, i.gap])
          expect(Number.isFinite(v)).toBe(true)
        expect(i.scheduled).toBe(0)
        expect(i.gap).toBeCloseTo(-i.requiredScheduled, 9)
        // nobody scheduled: nobody answered when calls are expected, everyone when none are
        expect(i.projectedServiceLevel).toBe(i.forecast > 0 ? 0 : 1)
      }
    }
  })
})
