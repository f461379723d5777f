// Metric queries over raw case rows: dimensions, buckets, grouping and proportions with their interval.
import type { Contracts, Db } from "@tenet/core"
import { wilsonInterval } from "@tenet/stats"
import { type RawBuilder, sql } from "kysely"

type MetricQuery = Contracts.MetricQuery
type MetricValue = Contracts.MetricValue

export const DIMENSIONS = {
  channel: "c.channel",
  segment: "c.segment",
  priority: "c.priority",
  team: "c.team",
  agent: "c.owner_id",
  type: "c.type",
  category: "c.category",
} as const
export type Dim = keyof typeof DIMENSIONS

export const bucketExpr = (q: MetricQuery, col: RawBuilder<unknown>) =>
  q.bucket === "none"
    ? sql`null::text`
    : sql`to_char(date_trunc(${q.bucket}, ${col} at time zone ${q.timeZone}), 'YYYY-MM-DD')`

export const dims = (q: MetricQuery) => {
  // own properties only: "__proto__", "toString" or "constructor" are not dimensions
  for (const d of [...(q.groupBy ?? []), ...Object.keys(q.filter ?? {})])
    if (!Object.hasOwn(DIMENSIONS, d))
      throw new RangeError(`unknown dimension "${d}"; use ${Object.keys(DIMENSIONS).join(", ")}`)
  return (q.groupBy ?? []) as Dim[]
}

export const filters = (q: MetricQuery) =>
  Object.entries(q.filter ?? {}).map(([k, v]) => sql`${sql.raw(DIMENSIONS[k as Dim])} = ${v}`)

export const groupSelect = (groupBy: Dim[]) =>
  groupBy.length
    ? sql`, ${sql.join(groupBy.map((d) => sql`coalesce(${sql.raw(DIMENSIONS[d])}, '—') as ${sql.id(`dim_${d}`)}`))}`
    : sql``
export const groupBySql = (groupBy: Dim[]) =>
  groupBy.length ? sql`, ${sql.join(groupBy.map((d) => sql.id(`dim_${d}`)))}` : sql``

/**
 * A metric query's row: its local bucket ("YYYY-MM-DD", null for no bucket) and one `dim_<name>`
 * column per grouping dimension, besides the query's own columns.
 */
export type MetricRow = { readonly bucket: string | null } & {
  readonly [dim: `dim_${string}`]: string | null
}
/** int8 counts and numeric percentiles: a number, a bigint past 2^53, numeric as a string. */
export type Count = number | bigint | string
export type RatioRow = MetricRow & { readonly num: Count; readonly den: Count }

export const dimsOf = (row: Record<string, unknown>, groupBy: Dim[]) =>
  groupBy.length ? Object.fromEntries(groupBy.map((d) => [d, String(row[`dim_${d}`])])) : undefined

export const proportion = (row: RatioRow, groupBy: Dim[]): MetricValue => {
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

export const run = async <R extends MetricRow>(
  db: Db.Database,
  q: MetricQuery,
  build: (w: RawBuilder<unknown>, g: Dim[]) => RawBuilder<R>,
  shape: (row: R, g: Dim[]) => MetricValue,
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
  return r.rows.map((row) => shape(row, g))
}
