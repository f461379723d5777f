/**
 * Metrics that join feedback with process (so the API defines them): complaints per 1,000 cases
 * (CX-06), with the Wilson interval of the underlying proportion scaled to ‰.
 */
import { makeCalendar } from "@tenet/calendar"
import type { Contracts, Db } from "@tenet/core"
import { wilsonInterval } from "@tenet/stats"
import { sql } from "kysely"

const bucketOf = (q: Contracts.MetricQuery, col: string) =>
  q.bucket === "none"
    ? sql`null::text`
    : sql`to_char(date_trunc(${q.bucket}, ${sql.ref(col)} at time zone ${q.timeZone}), 'YYYY-MM-DD')`

export const complaintsPerThousand: Contracts.MetricDefinition = {
  id: "feedback.complaints_per_1000_cases",
  code: "CX-06",
  module: "feedback",
  name: { "zh-CN": "每千件个案投诉数", en: "Complaints per 1,000 cases" },
  description: {
    "zh-CN": "本期收到的投诉数除以本期受理的个案数，乘以 1000。",
    en: "Complaints received in the period per 1,000 cases received in the period.",
  },
  unit: "count",
  direction: "lower_is_better",
  kind: "proportion",
  dimensions: [],
  compute: async (q, db) => {
    if ((q.groupBy ?? []).length || Object.keys(q.filter ?? {}).length)
      throw new RangeError("feedback.complaints_per_1000_cases has no dimensions")
    const r = await sql<{ bucket: string | null; complaints: number; cases: number }>`
      with c as (select ${bucketOf(q, "k.received_at")} as bucket, count(*)::int as cases from process.case k
          where k.org_id = ${q.orgId} and k.received_at >= ${q.from} and k.received_at < ${q.to} group by 1),
        f as (select ${bucketOf(q, "i.received_at")} as bucket, count(*)::int as complaints from feedback.item i
          where i.org_id = ${q.orgId} and i.kind = 'complaint' and i.received_at >= ${q.from} and i.received_at < ${q.to} group by 1)
      select coalesce(c.bucket, f.bucket) as bucket, coalesce(f.complaints, 0) as complaints, coalesce(c.cases, 0) as cases
      from c full join f on coalesce(c.bucket, '') = coalesce(f.bucket, '') order by 1`.execute(db.kysely)
    return r.rows.map((row) => {
      const base = row.bucket ? { bucket: row.bucket } : {}
      if (row.cases === 0) return { ...base, value: null, numerator: row.complaints, denominator: 0, n: 0 }
      const w = wilsonInterval(Math.min(row.complaints, row.cases), row.cases)
      return {
        ...base,
        value: (1000 * row.complaints) / row.cases,
        numerator: row.complaints,
        denominator: row.cases,
        n: row.cases,
        interval: { lower: 1000 * w.lower, upper: 1000 * w.upper, confidence: 0.95 },
      }
    })
  },
}

/** The organisation's service calendar: the calendar of its first active SLA policy (undefined without one). */
export const orgCalendar = async (db: Db.Database, orgId: string) => {
  const r = await sql<{ spec: Parameters<typeof makeCalendar>[0] }>`select cal.spec from process.sla_policy p
    join process.calendar cal on cal.org_id = p.org_id and cal.id = p.definition->>'calendarId'
    where p.org_id = ${orgId} and p.active order by p.position, p.id limit 1`.execute(db.kysely)
  return r.rows[0] ? makeCalendar(r.rows[0].spec) : undefined
}
