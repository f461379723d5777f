// The computations behind the process metrics: SLA attainment, durations, shares and the backlog.
import type { Contracts, Db } from "@tenet/core"
import { type RawBuilder, sql } from "kysely"
import { OPEN_STATUSES } from "../Case"
import {
  bucketExpr,
  type Count,
  dims,
  dimsOf,
  filters,
  groupBySql,
  groupSelect,
  type MetricRow,
  proportion,
  type RatioRow,
  run,
} from "./query"
import { fromRollup, percentileFromRollup } from "./rollup"

type MetricQuery = Contracts.MetricQuery
type MetricValue = Contracts.MetricValue

const ROLLUP_OF: Record<string, [string, string]> = {
  first_response: ["fr_met", "fr_due"],
  initial_record: ["rec_met", "rec_due"],
  resolution: ["res_met", "res_due"],
}

/** How many case ids a value's evidence keeps (the total is always counted). */
export const EVIDENCE_LIMIT = 500

/** The cases of the period (and filter) counted against a value, oldest intake first. */
const evidenceOf = async (
  db: Db.Database,
  q: MetricQuery,
  source: RawBuilder<unknown>,
  against: RawBuilder<unknown>,
): Promise<Contracts.MetricEvidence> => {
  dims(q)
  const w = sql.join(
    [
      sql`c.org_id = ${q.orgId}`,
      sql`c.received_at >= ${q.from}`,
      sql`c.received_at < ${q.to}`,
      ...filters(q),
      against,
    ],
    sql` and `,
  )
  const r = await sql<{ id: string; total: Count }>`select c.id, count(*) over () as total ${source}
    where ${w} order by c.received_at, c.id limit ${EVIDENCE_LIMIT}`.execute(db.kysely)
  return { caseIds: r.rows.map((x) => x.id), total: r.rows.length ? Number(r.rows[0]!.total) : 0 }
}

/** The cases whose clock of a target breached (the value's failures). */
export const attainmentEvidence = (target: string) => (db: Db.Database, q: MetricQuery) =>
  evidenceOf(
    db,
    q,
    sql`from process.case c join process.sla_clock k on k.org_id = c.org_id and k.case_id = c.id and k.target = ${target} and k.seq = 1`,
    sql`k.status = 'breached'`,
  )

/** The cases of a share counted against it (a condition over case columns). */
export const shareEvidence = (against: RawBuilder<unknown>) => (db: Db.Database, q: MetricQuery) =>
  evidenceOf(db, q, sql`from process.case c`, against)

/** SLA attainment of a target: met ÷ (met + breached). */
export const attainment = (target: string) => async (db: Db.Database, q: MetricQuery) =>
  (await fromRollup(db, q, ...ROLLUP_OF[target]!)) ??
  run(
    db,
    q,
    (w, g) => sql<RatioRow>`select ${bucketExpr(q, sql`c.received_at`)} as bucket ${groupSelect(g)},
        count(*) filter (where k.status = 'met') as num, count(*) filter (where k.status in ('met', 'breached')) as den
      from process.case c join process.sla_clock k on k.org_id = c.org_id and k.case_id = c.id and k.target = ${target} and k.seq = 1
      where ${w} group by 1 ${groupBySql(g)} order by 1 nulls first ${groupBySql(g)}`,
    proportion,
  )

/** Median / p90 of elapsed business seconds of a target. */
export const duration = (target: string, p: number) => async (db: Db.Database, q: MetricQuery) =>
  // from the rollups' sketches when they answer the query (within 1 % + 1 s), else raw rows
  (await percentileFromRollup(db, q, target === "first_response" ? "fr_hist" : "res_hist", p)) ??
  run(
    db,
    q,
    (w, g) => sql<
      MetricRow & { readonly v: Count | null; readonly n: Count }
    >`select ${bucketExpr(q, sql`c.received_at`)} as bucket ${groupSelect(g)},
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
export const share =
  (num: RawBuilder<unknown>, den: RawBuilder<unknown>, rollup: [string, string]) =>
  async (db: Db.Database, q: MetricQuery) =>
    (await fromRollup(db, q, ...rollup)) ??
    run(
      db,
      q,
      (w, g) => sql<RatioRow>`select ${bucketExpr(q, sql`c.received_at`)} as bucket ${groupSelect(g)},
        count(*) filter (where ${num}) as num, count(*) filter (where ${den}) as den
      from process.case c where ${w} group by 1 ${groupBySql(g)} order by 1 nulls first ${groupBySql(g)}`,
      proportion,
    )

/** Open cases past their resolution due time as of the end of the period (or now), and their Average Time Late. */
export const backlog =
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
    const r = await sql<
      MetricRow & { readonly late: Count; readonly open: Count; readonly atl: Count | null }
    >`select null as bucket ${groupSelect(g)},
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
