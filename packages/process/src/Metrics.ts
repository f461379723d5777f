/**
 * Process metrics for the registry (domain.md §C, SVC-04 … SVC-12): each per period (local
 * day, week or month in the query's time zone) and by channel, segment, priority, team, agent
 * or type, with numerator and denominator, n, and the Wilson 95 % interval for proportions.
 * Cases are attributed to the period in which they were received.
 *
 * @since 0.1.0
 */
import type { Contracts, Db } from "@tenet/core"
import { wilsonInterval } from "@tenet/stats"
import { type RawBuilder, sql } from "kysely"
import { OPEN_STATUSES } from "./Case"
import * as Rollups from "./Rollups"

type MetricDefinition = Contracts.MetricDefinition
type MetricQuery = Contracts.MetricQuery
type MetricValue = Contracts.MetricValue

const DIMENSIONS = {
  channel: "c.channel",
  segment: "c.segment",
  priority: "c.priority",
  team: "c.team",
  agent: "c.owner_id",
  type: "c.type",
  category: "c.category",
} as const
type Dim = keyof typeof DIMENSIONS

const bucketExpr = (q: MetricQuery, col: RawBuilder<unknown>) =>
  q.bucket === "none"
    ? sql`null::text`
    : sql`to_char(date_trunc(${q.bucket}, ${col} at time zone ${q.timeZone}), 'YYYY-MM-DD')`

const dims = (q: MetricQuery) => {
  // own properties only: "__proto__", "toString" or "constructor" are not dimensions
  for (const d of [...(q.groupBy ?? []), ...Object.keys(q.filter ?? {})])
    if (!Object.hasOwn(DIMENSIONS, d))
      throw new RangeError(`unknown dimension "${d}"; use ${Object.keys(DIMENSIONS).join(", ")}`)
  return (q.groupBy ?? []) as Dim[]
}

const filters = (q: MetricQuery) =>
  Object.entries(q.filter ?? {}).map(([k, v]) => sql`${sql.raw(DIMENSIONS[k as Dim])} = ${v}`)

const groupSelect = (groupBy: Dim[]) =>
  groupBy.length
    ? sql`, ${sql.join(groupBy.map((d) => sql`coalesce(${sql.raw(DIMENSIONS[d])}, '—') as ${sql.id(`dim_${d}`)}`))}`
    : sql``
const groupBySql = (groupBy: Dim[]) =>
  groupBy.length ? sql`, ${sql.join(groupBy.map((d) => sql.id(`dim_${d}`)))}` : sql``

const dimsOf = (row: Record<string, unknown>, groupBy: Dim[]) =>
  groupBy.length ? Object.fromEntries(groupBy.map((d) => [d, String(row[`dim_${d}`])])) : undefined

const proportion = (row: any, groupBy: Dim[]): MetricValue => {
  const num = Number(row.num)
  const den = Number(row.den)
  const base = {
    ...(row.bucket ? { bucket: row.bucket } : {}),
    ...(groupBy.length ? { dimensions: dimsOf(row, groupBy)! } : {}),
  }
  if (den === 0) return { ...base, value: null, numerator: 0, denominator: 0, n: 0 }
  const w = wilsonInterval(num, den)
  return {
    ...base,
    value: num / den,
    numerator: num,
    denominator: den,
    n: den,
    interval: { lower: w.lower, upper: w.upper, confidence: 0.95 },
  }
}

const run = async (
  db: Db.Database,
  q: MetricQuery,
  build: (w: RawBuilder<unknown>, g: Dim[]) => RawBuilder<any>,
  shape: (row: any, g: Dim[]) => MetricValue,
) => {
  const g = dims(q)
  const w = sql.join(
    [
      sql`c.org_id = ${q.orgId}`,
      sql`c.received_at >= ${q.from}`,
      sql`c.received_at < ${q.to}`,
      ...filters(q),
    ],
    sql` and `,
  )
  const r = await build(w, g).execute(db.kysely)
  return (r.rows as any[]).map((row) => shape(row, g))
}

const ROLLUP_COLUMNS: Record<string, string> = {
  channel: "r.channel",
  segment: "r.segment",
  priority: "r.priority",
  team: "r.team",
  agent: "r.agent",
  type: "r.type",
  category: "r.category",
}

/**
 * What one request (identified by its start, `params.freshAsOf`) has already asked: a dashboard's
 * many metrics then read the rollup state and the stale days once, not once each. Without a
 * request start nothing is kept. Entries go after a few seconds.
 */
const asked = new WeakMap<Db.Database, Map<string, Promise<unknown>>>()
const perRequest = <A>(
  db: Db.Database,
  freshAsOf: unknown,
  key: string,
  ask: () => Promise<A>,
): Promise<A> => {
  if (typeof freshAsOf !== "number") return ask()
  let m = asked.get(db)
  if (!m) {
    m = new Map()
    asked.set(db, m)
  }
  const k = `${freshAsOf}|${key}`
  const had = m.get(k)
  if (had) return had as Promise<A>
  const p = ask()
  m.set(k, p)
  const forget = () => m.delete(k)
  p.catch(forget)
  setTimeout(forget, 5_000).unref?.()
  return p
}

/**
 * The same proportion from the daily rollups, when they are built in the query's time zone and
 * the query covers whole local days; undefined otherwise (the caller reads raw rows).
 */
const fromRollup = async (
  db: Db.Database,
  q: MetricQuery,
  num: string,
  den: string,
): Promise<MetricValue[] | undefined> => {
  if (q.params?.source === "raw") return undefined
  const freshAsOf = q.params?.freshAsOf
  // one request computing many metrics (a dashboard: params.freshAsOf) asks these once
  const tz = await perRequest(db, freshAsOf, `tz|${q.orgId}`, () => Rollups.state(db.kysely, q.orgId))
  if (!tz || tz !== q.timeZone || !Rollups.wholeDays(q.from, q.to, tz)) return undefined
  // read your writes: days changed since the last refresh are recomputed first (usually none); a
  // caller computing several metrics for one request passes its start as params.freshAsOf (epoch ms)
  await Rollups.refreshDirty(db, q.orgId, typeof freshAsOf === "number" ? { freshAsOf } : {})
  const g = dims(q)
  const localDay = (d: Date) =>
    new Intl.DateTimeFormat("en-CA", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(d)
  const bucket =
    q.bucket === "none"
      ? sql`null::text`
      : q.bucket === "day"
        ? sql`to_char(r.day, 'YYYY-MM-DD')`
        : sql`to_char(date_trunc(${q.bucket}, r.day::timestamp), 'YYYY-MM-DD')`
  const used = [...new Set([...g, ...Object.keys(q.filter ?? {})])]
  // a day whose recomputation failed is still dirty: read raw rows rather than stale ones
  const stale = await perRequest(
    db,
    freshAsOf,
    `stale|${q.orgId}|${localDay(q.from)}|${localDay(q.to)}`,
    () => Rollups.hasStaleDays(db.kysely, q.orgId, localDay(q.from), localDay(q.to)),
  )
  if (stale) return undefined
  const days = [
    sql`r.org_id = ${q.orgId}`,
    sql`r.day >= ${localDay(q.from)}::date`,
    sql`r.day < ${localDay(q.to)}::date`,
  ]
  // at most one dimension: the per-dimension table (a few rows a day); otherwise the full cube
  const single = used.length <= 1
  const table = single ? sql`process.metric_rollup_dim` : sql`process.metric_rollup`
  const column = (d: string) => (single ? sql.ref("r.value") : sql.raw(ROLLUP_COLUMNS[d]!))
  const filters = Object.entries(q.filter ?? {}).map(
    ([k, v]) => sql`${column(k)} = ${Rollups.rollupKey(sql`${v}::text`)}`,
  )
  const where = sql.join(
    [...days, ...(single ? [sql`r.dim = ${used[0] ?? ""}`] : []), ...filters],
    sql` and `,
  )
  const select = g.length
    ? sql`, ${sql.join(g.map((d) => sql`${column(d)} as ${sql.id(`dim_${d}`)}`))}`
    : sql``
  const r =
    await sql<any>`select ${bucket} as bucket ${select}, sum(${sql.ref(`r.${num}`)})::int as num, sum(${sql.ref(`r.${den}`)})::int as den
    from ${table} r where ${where} group by 1 ${groupBySql(g)} order by 1 nulls first ${groupBySql(g)}`.execute(
      db.kysely,
    )
  return r.rows.map((row) => proportion(row, g))
}

const ROLLUP_OF: Record<string, [string, string]> = {
  first_response: ["fr_met", "fr_due"],
  initial_record: ["rec_met", "rec_due"],
  resolution: ["res_met", "res_due"],
}

/** SLA attainment of a target: met ÷ (met + breached). */
const attainment = (target: string) => async (db: Db.Database, q: MetricQuery) =>
  (await fromRollup(db, q, ...ROLLUP_OF[target]!)) ??
  run(
    db,
    q,
    (w, g) => sql`select ${bucketExpr(q, sql`c.received_at`)} as bucket ${groupSelect(g)},
        count(*) filter (where k.status = 'met') as num, count(*) filter (where k.status in ('met', 'breached')) as den
      from process.case c join process.sla_clock k on k.org_id = c.org_id and k.case_id = c.id and k.target = ${target} and k.seq = 1
      where ${w} group by 1 ${groupBySql(g)} order by 1 nulls first ${groupBySql(g)}`,
    proportion,
  )

/** Median / p90 of elapsed business seconds of a target. */
const duration = (target: string, p: number) => (db: Db.Database, q: MetricQuery) =>
  run(
    db,
    q,
    (w, g) => sql`select ${bucketExpr(q, sql`c.received_at`)} as bucket ${groupSelect(g)},
        percentile_cont(${p}) within group (order by k.elapsed_seconds) as v, count(*) as n
      from process.case c join process.sla_clock k on k.org_id = c.org_id and k.case_id = c.id and k.target = ${target}
        and k.seq = 1 and k.stopped_at is not null
      where ${w} group by 1 ${groupBySql(g)} order by 1 nulls first ${groupBySql(g)}`,
    (row, g) => ({
      ...(row.bucket ? { bucket: row.bucket } : {}),
      ...(g.length ? { dimensions: dimsOf(row, g)! } : {}),
      value: row.v === null ? null : Math.round(Number(row.v)),
      n: Number(row.n),
    }),
  )

/** A share of cases: num ÷ den over case columns (and the same from the rollup columns). */
const share =
  (num: RawBuilder<unknown>, den: RawBuilder<unknown>, rollup: [string, string]) =>
  async (db: Db.Database, q: MetricQuery) =>
    (await fromRollup(db, q, ...rollup)) ??
    run(
      db,
      q,
      (w, g) => sql`select ${bucketExpr(q, sql`c.received_at`)} as bucket ${groupSelect(g)},
        count(*) filter (where ${num}) as num, count(*) filter (where ${den}) as den
      from process.case c where ${w} group by 1 ${groupBySql(g)} order by 1 nulls first ${groupBySql(g)}`,
      proportion,
    )

const dimensions = Object.keys(DIMENSIONS)
const L = (zh: string, en: string) => ({ "zh-CN": zh, en })

/** Open cases past their resolution due time as of the end of the period (or now), and their Average Time Late. */
const backlog =
  (what: "count" | "atl") =>
  async (db: Db.Database, q: MetricQuery): Promise<MetricValue[]> => {
    const g = dims(q)
    const asOf = new Date(Math.min(q.to.getTime(), Date.now()))
    const w = sql.join(
      [
        sql`c.org_id = ${q.orgId}`,
        sql`c.status in (${sql.join(OPEN_STATUSES)})`,
        sql`c.received_at < ${asOf}`,
        ...filters(q),
      ],
      sql` and `,
    )
    const r = await sql<any>`select null as bucket ${groupSelect(g)},
      count(*) filter (where k.due_at < ${asOf}) as late, count(*) as open,
      avg(extract(epoch from (${asOf}::timestamptz - k.due_at))) filter (where k.due_at < ${asOf}) as atl
    from process.case c join process.sla_clock k on k.org_id = c.org_id and k.case_id = c.id and k.target = 'resolution' and k.stopped_at is null
    where ${w} group by 1 ${groupBySql(g)}`.execute(db.kysely)
    return r.rows.map((row) => ({
      ...(g.length ? { dimensions: dimsOf(row, g)! } : {}),
      value: what === "count" ? Number(row.late) : row.atl === null ? null : Math.round(Number(row.atl)),
      n: what === "count" ? Number(row.open) : Number(row.late),
      ...(what === "count" ? { numerator: Number(row.late), denominator: Number(row.open) } : {}),
    }))
  }

/**
 * The process module's metric definitions.
 * @category constructors
 * @since 0.1.0
 */
export const metrics: ReadonlyArray<MetricDefinition> = [
  {
    id: "process.first_response_time",
    code: "SVC-04",
    module: "process",
    name: L("首次响应时长（中位数）", "First response time (median)"),
    description: L(
      "从受理到首次回复的营业时间，按服务日历计算。",
      "Business time from intake to the first reply, on the service calendar.",
    ),
    unit: "seconds",
    direction: "lower_is_better",
    kind: "median",
    dimensions,
    compute: (q, db) => duration("first_response", 0.5)(db, q),
  },
  {
    id: "process.first_response_time_p90",
    code: "SVC-04",
    module: "process",
    name: L("首次响应时长（P90）", "First response time (P90)"),
    unit: "seconds",
    direction: "lower_is_better",
    kind: "percentile",
    dimensions,
    compute: (q, db) => duration("first_response", 0.9)(db, q),
  },
  {
    id: "process.first_response_sla",
    code: "SVC-05",
    module: "process",
    name: L("首次响应达标率", "First-response SLA attainment"),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions,
    compute: (q, db) => attainment("first_response")(db, q),
  },
  {
    id: "process.initial_record_timeliness",
    code: "SVC-06",
    module: "process",
    name: L("初始记录及时率", "Initial-record timeliness"),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions,
    compute: (q, db) => attainment("initial_record")(db, q),
  },
  {
    id: "process.resolution_time",
    code: "SVC-07",
    module: "process",
    name: L("解决时长（中位数）", "Resolution time (median)"),
    unit: "seconds",
    direction: "lower_is_better",
    kind: "median",
    dimensions,
    compute: (q, db) => duration("resolution", 0.5)(db, q),
  },
  {
    id: "process.resolution_time_p90",
    code: "SVC-07",
    module: "process",
    name: L("解决时长（P90）", "Resolution time (P90)"),
    unit: "seconds",
    direction: "lower_is_better",
    kind: "percentile",
    dimensions,
    compute: (q, db) => duration("resolution", 0.9)(db, q),
  },
  {
    id: "process.resolution_sla",
    code: "SVC-08",
    module: "process",
    name: L("解决时限达标率", "Resolution SLA attainment"),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions,
    compute: (q, db) => attainment("resolution")(db, q),
  },
  {
    id: "process.backlog",
    code: "SVC-09",
    module: "process",
    name: L("超时积压", "Backlog past due"),
    unit: "count",
    direction: "lower_is_better",
    kind: "count",
    dimensions,
    compute: (q, db) => backlog("count")(db, q),
  },
  {
    id: "process.average_time_late",
    code: "SVC-09",
    module: "process",
    name: L("平均超时时长（ATL）", "Average time late (ATL)"),
    unit: "seconds",
    direction: "lower_is_better",
    kind: "mean",
    dimensions,
    compute: (q, db) => backlog("atl")(db, q),
  },
  {
    id: "process.fcr",
    code: "SVC-10",
    module: "process",
    name: L("首次解决率（FCR）", "First-contact resolution (FCR)"),
    description: L(
      "首次联系且在重复窗口内未再就同一类别联系的比例。",
      "First contacts with no repeat contact on the same category within the window.",
    ),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions,
    compute: (q, db) =>
      share(
        sql`c.repeat_of is null and c.repeated_by is null and c.resolved_at is not null`,
        sql`c.repeat_of is null and c.resolved_at is not null`,
        ["fcr_num", "fcr_den"],
      )(db, q),
  },
  {
    id: "process.reopen_rate",
    code: "SVC-11",
    module: "process",
    name: L("重开率", "Reopen rate"),
    unit: "percent",
    direction: "lower_is_better",
    kind: "proportion",
    dimensions,
    compute: (q, db) =>
      share(sql`c.reopen_count > 0`, sql`c.resolved_at is not null or c.reopen_count > 0`, [
        "reopen_num",
        "reopen_den",
      ])(db, q),
  },
  {
    id: "process.escalation_rate",
    code: "SVC-12",
    module: "process",
    name: L("升级率", "Escalation rate"),
    unit: "percent",
    direction: "context",
    kind: "proportion",
    dimensions,
    compute: (q, db) => share(sql`c.escalation_level > 0`, sql`true`, ["escalated", "cases"])(db, q),
  },
]
