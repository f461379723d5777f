import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { Metrics, Workforce } from "@tenet/process"
import { sql } from "kysely"
import { expect, it } from "vitest"
import { seedDemo } from "../src/demo"
import { MODULES } from "../src/modules"

it(`the demo's 90 days of cases give a two-week forecast a person can check (${testEngine()})`, {
  timeout: 600_000,
}, async () => {
  const db = await makeTestDatabase(MODULES.slice(1))
  try {
    const now = new Date()
    const { orgId } = await seedDemo(db, { days: 90, now })
    const p = await Workforce.plan(db, orgId, { intervalMinutes: 60, horizonDays: 14, now })
    expect(p.queues.length).toBeGreaterThan(3)
    // the forecast of all queues per day is near the history's average for that kind of day
    const history = await sql<{ n: number }>`select count(*)::int as n from process.case
      where org_id = ${orgId} and received_at >= ${new Date(now.getTime() - 28 * 86_400_000)}`.execute(
      db.kysely,
    )
    const perDayHistory = Number(history.rows[0]?.n) / 28
    const perDayForecast =
      p.queues.reduce((a, q) => a + q.intervals.reduce((b, i) => b + i.forecast, 0), 0) / 14
    expect(perDayForecast / perDayHistory).toBeGreaterThan(0.6)
    expect(perDayForecast / perDayHistory).toBeLessThan(1.6)
    // the demo backfills two weeks of kept forecasts: accuracy has a figure for each past day
    const acc = Metrics.metrics.find((m) => m.id === "process.forecast_accuracy")
    const daily = await acc?.compute(
      {
        orgId,
        from: new Date(now.getTime() - 15 * 86_400_000),
        to: now,
        timeZone: "Asia/Shanghai",
        bucket: "day",
        params: { intervalMinutes: 30 },
      },
      db,
    )
    expect(daily?.length).toBeGreaterThanOrEqual(14)
    expect(daily?.every((d) => d.n > 0 && (d.denominator ?? 0) > 0 && d.value !== null)).toBe(true)
    // read against chance: the demo's queues get a fraction of a case per 30-minute interval, so even an
    // exactly right forecast scores a high interval wMAPE (the Poisson floor); the forecast's own error is
    // what lies above it, and summed over a day the noise cancels
    const s = await Workforce.accuracySummary(db, orgId, {
      from: new Date(now.getTime() - 15 * 86_400_000),
      to: now,
      intervalMinutes: 30,
      now,
    })
    console.info(`demo forecast accuracy: ${JSON.stringify(s)}`)
    // the summary's interval level is the metric's figure over the same forecasts
    const metricErr = (daily ?? []).reduce((a, d) => a + (d.numerator ?? 0), 0)
    const metricActual = (daily ?? []).reduce((a, d) => a + (d.denominator ?? 0), 0)
    expect(s.interval.actual).toBe(metricActual)
    expect(s.interval.wmape).toBeCloseTo(metricErr / metricActual, 9)
    for (const l of [s.interval, s.queueDay, s.day]) {
      expect(l.wmape).not.toBeNull()
      expect(l.floor).not.toBeNull()
      expect(l.n).toBeGreaterThan(0)
    }
    expect(s.interval.floor!).toBeGreaterThan(1)
    expect(s.interval.wmape! / s.interval.floor!).toBeLessThan(1.25)
    expect(s.queueDay.wmape!).toBeLessThan(s.interval.wmape! * 0.6)
    expect(s.day.wmape!).toBeLessThan(0.35)
    // and the demo's resolved cases carry handling times: the busy queues plan on measured ones
    expect(p.queues.some((q) => q.handling.source === "history" && q.handling.n >= 30)).toBe(true)
    // the demo's shifts put people on the general and technical queues on working days
    const general = p.queues.filter((q) => q.queue.team === "general")
    expect(general.some((q) => q.intervals.some((i) => i.scheduled > 0))).toBe(true)
  } finally {
    await db.close()
  }
})
