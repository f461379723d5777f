// Workforce metrics: forecast accuracy (wMAPE over the intervals that have passed) and forecast surges warned of.
import type { Contracts, Db } from "@tenet/core"
import { type RawBuilder, sql } from "kysely"

type MetricDefinition = Contracts.MetricDefinition
type MetricQuery = Contracts.MetricQuery
const L = (zh: string, en: string) => ({ "zh-CN": zh, en })

const DIMS = { channel: "f.channel", team: "f.team" } as const
type Dim = keyof typeof DIMS

const parts = (q: MetricQuery) => {
  for (const d of [...(q.groupBy ?? []), ...Object.keys(q.filter ?? {})])
    if (!Object.hasOwn(DIMS, d)) throw new RangeError(`unknown dimension "${d}"; use channel, team`)
  const g = (q.groupBy ?? []) as Dim[]
  const filter = Object.entries(q.filter ?? {}).map(([k, v]) => sql`and ${sql.raw(DIMS[k as Dim])} = ${v}`)
  const select = g.length
    ? sql`, ${sql.join(g.map((d) => sql`${sql.raw(DIMS[d])} as ${sql.id(`dim_${d}`)}`))}`
    : sql``
  const group = g.length ? sql`, ${sql.join(g.map((d) => sql.id(`dim_${d}`)))}` : sql``
  return { g, filter: sql.join(filter, sql` `), select, group }
}
const bucket = (q: MetricQuery, col: RawBuilder<unknown>) =>
  q.bucket === "none"
    ? sql`null::text`
    : sql`to_char(date_trunc(${q.bucket}, ${col} at time zone ${q.timeZone}), 'YYYY-MM-DD')`
const shape = (row: Record<string, unknown>, g: Dim[]) => ({
  ...(row.bucket ? { bucket: String(row.bucket) } : {}),
  ...(g.length ? { dimensions: Object.fromEntries(g.map((d) => [d, String(row[`dim_${d}`])])) } : {}),
})

/**
 * The kept forecasts of `minutes`-long intervals starting in [from, to) with the arrivals each interval
 * got (columns channel, team, interval_start, forecast, lower, upper, actual). The arrivals are counted
 * in one pass over the cases of the range, bucketed on the forecasts' interval grid (local midnight plus
 * whole intervals: one phase, two around a DST change that is not a whole interval) and joined on
 * (channel, team, start) — not counted per forecast with a subquery each, which took seconds for four
 * weeks of 30-minute forecasts of the demo's queues.
 * @since 0.3.0
 */
export const forecastsWithActuals = (o: {
  readonly orgId: string
  readonly minutes: number
  readonly from: Date
  readonly to: Date
  readonly where?: RawBuilder<unknown> | undefined
}) => {
  const size = o.minutes * 60
  return sql`(
    with w as (
      select w.channel, w.team, w.interval_start, w.forecast, w.lower, w.upper,
        (extract(epoch from w.interval_start)::bigint % ${size}::bigint)::int as phase
      from process.workforce_forecast w
      where w.org_id = ${o.orgId} and w.interval_minutes = ${o.minutes}
        and w.interval_start >= ${o.from} and w.interval_start < ${o.to} ${o.where ?? sql``}
    ),
    -- the grid's phases: one, or two when a DST change in the range is not a whole interval (a
    -- two-row union, not a distinct, so that the planner does not expect hundreds of phases, cost the
    -- query above the JIT threshold and spend a second compiling it)
    ph as (select min(phase) as phase from w union select max(phase) from w),
    a as (
      select c.channel, coalesce(c.team, '') as team, ph.phase,
        to_timestamp(floor((extract(epoch from c.received_at) - ph.phase) / ${size}) * ${size} + ph.phase) as start,
        count(*)::int as n
      from process.case c cross join ph
      where c.org_id = ${o.orgId} and c.received_at >= ${o.from}
        and c.received_at < ${new Date(o.to.getTime() + size * 1000)}
      group by 1, 2, 3, 4
    )
    select w.channel, w.team, w.interval_start, w.forecast, w.lower, w.upper, coalesce(a.n, 0) as actual
    from w left join a on a.channel = w.channel and a.team = w.team and a.phase = w.phase
      and a.start = w.interval_start
  )`
}

/** wMAPE = Σ|actual − forecast| ÷ Σ actual over the kept forecasts of intervals that have ended. */
const accuracy = async (q: MetricQuery, db: Db.Database) => {
  const { g, filter, select, group } = parts(q)
  const minutes = Number(q.params?.intervalMinutes ?? 30)
  if (![15, 30, 60].includes(minutes)) throw new RangeError("intervalMinutes must be 15, 30 or 60")
  const r = await sql<
    Record<string, unknown> & { bucket: string | null; err: number; actual: number; n: number }
  >`
    select ${bucket(q, sql`f.interval_start`)} as bucket ${select},
      sum(abs(f.actual - f.forecast))::float8 as err, sum(f.actual)::float8 as actual, count(*)::int as n
    from ${forecastsWithActuals({
      orgId: q.orgId,
      minutes,
      from: q.from,
      to: q.to,
      where: sql`and w.interval_start + make_interval(mins => w.interval_minutes) <= now()`,
    })} f
    where true ${filter}
    group by 1 ${group}
    order by 1 ${group}`.execute(db.kysely)
  return r.rows.map((row) => {
    const err = Number(row.err)
    const actual = Number(row.actual)
    return {
      ...shape(row, g),
      value: actual > 0 ? err / actual : null,
      numerator: err,
      denominator: actual,
      n: Number(row.n),
    }
  })
}

/** Surges warned of, by the interval they start in. */
const surgeCount = async (q: MetricQuery, db: Db.Database) => {
  const { g, filter, select, group } = parts(q)
  const r = await sql<Record<string, unknown> & { bucket: string | null; n: number }>`
    select ${bucket(q, sql`f.starts_at`)} as bucket ${select}, count(*)::int as n
    from process.workforce_surge f
    where f.org_id = ${q.orgId} and f.raised_at >= ${q.from} and f.raised_at < ${q.to} ${filter}
    group by 1 ${group}
    order by 1 ${group}`.execute(db.kysely)
  return r.rows.map((row) => ({ ...shape(row, g), value: Number(row.n), n: Number(row.n) }))
}

/** @since 0.3.0 */
export const workforceMetrics: ReadonlyArray<MetricDefinition> = [
  {
    id: "process.forecast_accuracy",
    module: "process",
    name: L("预测准确度（wMAPE）", "Forecast accuracy (wMAPE)"),
    description: L(
      "已过去时段的来量预测误差：Σ|实际−预测| ÷ Σ实际，按预测所在时段计；越低越好。",
      "Volume forecast error over intervals that have passed: Σ|actual − forecast| ÷ Σ actual, by the interval forecast; lower is better.",
    ),
    unit: "percent",
    direction: "lower_is_better",
    kind: "index",
    dimensions: Object.keys(DIMS),
    parameters: {
      intervalMinutes: {
        name: L("时段长度（分钟）", "Interval length (minutes)"),
        type: "number",
        default: 30,
      },
    },
    compute: accuracy,
  },
  {
    id: "process.forecast_surges",
    module: "process",
    name: L("人力缺口预警数", "Staffing surges warned of"),
    description: L(
      "预测需求超出排班能力（超过队列阈值）而提前发出的预警次数，可作为风险 KRI 的数据源。",
      "Warnings raised ahead because forecast need exceeded scheduled capacity by the queue's threshold; a source for risk KRIs.",
    ),
    unit: "count",
    direction: "lower_is_better",
    kind: "count",
    dimensions: Object.keys(DIMS),
    compute: surgeCount,
  },
]
