// Metrics from the daily rollups (when they answer the query), their state asked once per request.
import type { Contracts, Db } from "@tenet/core"
import { sql } from "kysely"
import * as Rollups from "../Rollups"
import { dims, dimsOf, groupBySql, proportion, type RatioRow } from "./query"

type MetricQuery = Contracts.MetricQuery
type MetricValue = Contracts.MetricValue

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
 * What a rollup query reads, when the rollups answer the query (built in its time zone, whole local
 * days, none stale); undefined otherwise.
 */
const rollupScope = async (db: Db.Database, q: MetricQuery) => {
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
  return { g, bucket, select, table, where }
}

/**
 * The same proportion from the daily rollups, when they are built in the query's time zone and
 * the query covers whole local days; undefined otherwise (the caller reads raw rows).
 */
export const fromRollup = async (
  db: Db.Database,
  q: MetricQuery,
  num: string,
  den: string,
): Promise<MetricValue[] | undefined> => {
  const scope = await rollupScope(db, q)
  if (!scope) return undefined
  const { g, bucket, select, table, where } = scope
  const r =
    await sql<RatioRow>`select ${bucket} as bucket ${select}, sum(${sql.ref(`r.${num}`)})::int as num, sum(${sql.ref(`r.${den}`)})::int as den
    from ${table} r where ${where} group by 1 ${groupBySql(g)} order by 1 nulls first ${groupBySql(g)}`.execute(
      db.kysely,
    )
  return r.rows.map((row) => proportion(row, g))
}

/**
 * A percentile (`p`: 0.5 for the median) of a duration from the rollups' sketches (`column`:
 * `fr_hist` or `res_hist`), merged over the query's days and dimensions; undefined when the rollups
 * do not answer the query. Within 1 % (+1 s) of `percentile_cont` over the raw rows.
 */
export const percentileFromRollup = async (
  db: Db.Database,
  q: MetricQuery,
  column: "fr_hist" | "res_hist",
  p: number,
): Promise<MetricValue[] | undefined> => {
  const scope = await rollupScope(db, q)
  if (!scope) return undefined
  const { g, bucket, select, table, where } = scope
  const r = await sql<
    { bucket: string | null; b: string; n: number } & Record<string, unknown>
  >`select ${bucket} as bucket ${select}, e.key as b, sum(e.value::int)::int as n
    from ${table} r cross join lateral jsonb_each_text(${sql.ref(`r.${column}`)}) e
    where ${where} group by 1 ${groupBySql(g)}, e.key order by 1 nulls first ${groupBySql(g)}`.execute(
    db.kysely,
  )
  // the rows of one bucket and combination of dimensions are adjacent (ordered by them)
  const groups = new Map<string, { row: (typeof r.rows)[number]; bins: Array<[number, number]> }>()
  for (const row of r.rows) {
    const key = JSON.stringify([row.bucket, ...g.map((d) => row[`dim_${d}`])])
    let group = groups.get(key)
    if (!group) {
      group = { row, bins: [] }
      groups.set(key, group)
    }
    group.bins.push([Number(row.b), Number(row.n)])
  }
  return [...groups.values()].map(({ row, bins }) => {
    const { value, n } = Rollups.sketchPercentile(bins, p)
    return {
      ...(row.bucket ? { bucket: row.bucket } : {}),
      ...(g.length ? { dimensions: dimsOf(row, g)! } : {}),
      value: value === null ? null : Math.round(value),
      n,
    }
  })
}
