// Forecast accuracy at three levels (queue interval, queue day, all queues per day), each with the
// Poisson floor chance alone sets: what the accuracy page shows next to the metric.
import type { Db } from "@tenet/core"
import { poissonFloor, wmape } from "@tenet/workforce"
import { sql } from "kysely"
import { forecastsWithActuals } from "../metrics/workforce"
import * as Store from "./store"

type Database = Db.Database

/** Forecast accuracy at one level of aggregation, with the floor chance alone sets. @category models @since 0.9.0 */
export interface AccuracyLevel {
  /** Σ|actual − forecast| ÷ Σ actual; null when nothing arrived. */
  readonly wmape: number | null
  /**
   * The wMAPE an exactly right forecast would score on Poisson arrivals at these volumes (see
   * `poissonFloor` of @tenet/workforce): the forecast's wMAPE is read against it, not against zero.
   */
  readonly floor: number | null
  readonly actual: number
  readonly forecast: number
  /** Units compared (queue intervals, queue days, days). */
  readonly n: number
}

/** @category models @since 0.9.0 */
export interface AccuracySummary {
  /** Per queue and interval: what the plan staffs to. */
  readonly interval: AccuracyLevel
  /** Per queue and day: the forecast's volume, without the noise of quiet intervals. */
  readonly queueDay: AccuracyLevel
  /** All the queues (of the filter) together per day. */
  readonly day: AccuracyLevel
}

const level = (rows: ReadonlyArray<{ forecast: number; actual: number }>): AccuracyLevel => {
  const a = wmape(
    rows.map((r) => r.actual),
    rows.map((r) => r.forecast),
  )
  return {
    wmape: a.wmape,
    floor: poissonFloor(rows.map((r) => r.forecast)),
    actual: a.actualTotal,
    forecast: a.forecastTotal,
    n: a.n,
  }
}

const sumBy = <R extends { forecast: number; actual: number }>(
  rows: ReadonlyArray<R>,
  key: (r: R) => string,
) => {
  const m = new Map<string, { forecast: number; actual: number }>()
  for (const r of rows) {
    const e = m.get(key(r)) ?? { forecast: 0, actual: 0 }
    e.forecast += r.forecast
    e.actual += r.actual
    m.set(key(r), e)
  }
  return [...m.values()]
}

/**
 * Forecast accuracy over the kept forecasts of intervals that have ended, at three levels: per queue
 * and interval (the `process.forecast_accuracy` metric), per queue and local day, and all queues per
 * day — each with its Poisson floor. On a small centre an interval holds a fraction of a case, and
 * the interval wMAPE is mostly chance (a perfect forecast of 0.2 cases scores ~160 %): the daily
 * levels and the floor say how much of the error is the forecast's.
 * @category getters
 * @since 0.9.0
 */
export const accuracySummary = async (
  db: Database,
  orgId: string,
  o: {
    from: Date
    to: Date
    intervalMinutes: number
    channel?: string | undefined
    team?: string | undefined
    now?: Date | undefined
  },
): Promise<AccuracySummary> => {
  const { timeZone } = await Store.localToday(db, orgId, o.now ?? new Date())
  const where = sql.join(
    [
      sql`and w.interval_start + make_interval(mins => w.interval_minutes) <= ${o.now ?? new Date()}`,
      ...(o.channel !== undefined ? [sql`and w.channel = ${o.channel}`] : []),
      ...(o.team !== undefined ? [sql`and w.team = ${o.team}`] : []),
    ],
    sql` `,
  )
  const source = forecastsWithActuals({ orgId, minutes: o.intervalMinutes, from: o.from, to: o.to, where })
  const rows = (
    await sql<{ channel: string; team: string; day: string; forecast: number; actual: number }>`
      select f.channel, f.team, to_char(f.interval_start at time zone ${timeZone}, 'YYYY-MM-DD') as day,
        f.forecast::float8 as forecast, f.actual::int as actual
      from ${source} f`.execute(db.kysely)
  ).rows.map((r) => ({ ...r, forecast: Number(r.forecast), actual: Number(r.actual) }))
  return {
    interval: level(rows),
    queueDay: level(sumBy(rows, (r) => `${r.channel}\u0000${r.team}\u0000${r.day}`)),
    day: level(sumBy(rows, (r) => r.day)),
  }
}
