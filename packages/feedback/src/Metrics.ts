/**
 * The feedback module's metrics (catalogue CX-01…CX-05 and the seed's "survey within 24 h of
 * resolution"), each value with its numerator, denominator, n and interval, by day/week/month and
 * by channel, segment, team, agent and case type. Computed from the raw rows (indexed by org and
 * time); rollups for very long histories are later work.
 *
 * @since 0.1.0
 */
import type { Contracts, Db } from "@tenet/core"
import { meanIntervalFromSummary, npsInterval, wilsonInterval } from "@tenet/stats"
import { type RawBuilder, sql } from "kysely"

type MetricQuery = Contracts.MetricQuery
type MetricValue = Contracts.MetricValue

/** Dimensions, as columns of both `feedback.response` and `feedback.invitation`. @category models @since 0.1.0 */
export const DIMENSIONS: Readonly<Record<string, string>> = {
  channel: "channel",
  segment: "segment",
  team: "team",
  agent: "agent_id",
  type: "case_type",
}
/** Dimensions of feedback items and complaints. @category models @since 0.1.0 */
export const ITEM_DIMENSIONS: Readonly<Record<string, string>> = {
  channel: "channel",
  urgency: "urgency",
  kind: "kind",
  cause: "cause_code",
}

const TABLE_DIMENSIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "feedback.response": DIMENSIONS,
  "feedback.invitation": DIMENSIONS,
  "feedback.item": ITEM_DIMENSIONS,
}

const L = (zh: string, en: string) => ({ "zh-CN": zh, en })

const dimsOf = (q: MetricQuery, map: Readonly<Record<string, string>>): string[] => {
  for (const d of [...(q.groupBy ?? []), ...Object.keys(q.filter ?? {})])
    if (!Object.hasOwn(map, d))
      throw new RangeError(`unknown dimension "${d}"; use ${Object.keys(map).join(", ")}`)
  return [...(q.groupBy ?? [])]
}

type Row = { bucket: string | null; [k: `dim_${string}`]: string | null } & Record<string, unknown>

/** Run an aggregate over a table's rows of the period, grouped by bucket and dimensions. */
const aggregate = async (
  db: Db.Database,
  q: MetricQuery,
  table: "feedback.response" | "feedback.invitation" | "feedback.item",
  timeCol: string,
  where: RawBuilder<unknown>,
  select: RawBuilder<unknown>,
): Promise<Row[]> => {
  const map = TABLE_DIMENSIONS[table]!
  const g = dimsOf(q, map)
  const col = sql.ref(`t.${timeCol}`)
  const bucket =
    q.bucket === "none"
      ? sql`null::text`
      : sql`to_char(date_trunc(${q.bucket}, ${col} at time zone ${q.timeZone}), 'YYYY-MM-DD')`
  const dimSel = g.map((d) => sql`coalesce(${sql.ref(`t.${map[d]}`)}, '—') as ${sql.id(`dim_${d}`)}`)
  const filters = Object.entries(q.filter ?? {}).map(([k, v]) => sql`and ${sql.ref(`t.${map[k]}`)} = ${v}`)
  const r =
    await sql<Row>`select ${bucket} as bucket ${g.length ? sql`, ${sql.join(dimSel)}` : sql``}, ${select}
    from ${sql.table(table)} t
    where t.org_id = ${q.orgId} and ${col} >= ${q.from} and ${col} < ${q.to} and ${where} ${sql.join(filters, sql` `)}
    group by 1 ${g.length ? sql`, ${sql.join(g.map((_, i) => sql.raw(String(i + 2))))}` : sql``}
    order by 1 ${g.length ? sql`, ${sql.join(g.map((_, i) => sql.raw(String(i + 2))))}` : sql``}`.execute(
      db.kysely,
    )
  return r.rows
}

const base = (row: Row, q: MetricQuery) => {
  const g = [...(q.groupBy ?? [])]
  return {
    ...(row.bucket ? { bucket: row.bucket } : {}),
    ...(g.length ? { dimensions: Object.fromEntries(g.map((d) => [d, String(row[`dim_${d}`])])) } : {}),
  }
}

const share = (row: Row, q: MetricQuery): MetricValue => {
  const num = Number(row.num)
  const den = Number(row.den)
  if (den === 0) return { ...base(row, q), value: null, numerator: 0, denominator: 0, n: 0 }
  const w = wilsonInterval(num, den)
  return {
    ...base(row, q),
    value: num / den,
    numerator: num,
    denominator: den,
    n: den,
    interval: { lower: w.lower, upper: w.upper, confidence: 0.95 },
  }
}

const scored = (kind: "csat" | "nps" | "ces") => sql`t.score_kind = ${kind} and t.score is not null`

const responseShare =
  (kind: "csat" | "nps" | "ces", num: RawBuilder<unknown>) => async (q: MetricQuery, db: Db.Database) =>
    (
      await aggregate(
        db,
        q,
        "feedback.response",
        "submitted_at",
        scored(kind),
        sql`count(*) filter (where ${num})::int as num, count(*)::int as den`,
      )
    ).map((r) => share(r, q))

const nps = async (q: MetricQuery, db: Db.Database): Promise<MetricValue[]> =>
  (
    await aggregate(
      db,
      q,
      "feedback.response",
      "submitted_at",
      scored("nps"),
      sql`count(*) filter (where t.score >= 9)::int as p, count(*) filter (where t.score between 7 and 8)::int as m, count(*) filter (where t.score <= 6)::int as d`,
    )
  ).map((r) => {
    const counts = { promoters: Number(r.p), passives: Number(r.m), detractors: Number(r.d) }
    const n = counts.promoters + counts.passives + counts.detractors
    if (n === 0) return { ...base(r, q), value: null, n: 0 }
    const x = npsInterval(counts)
    return {
      ...base(r, q),
      value: x.nps,
      numerator: counts.promoters - counts.detractors,
      denominator: n,
      n,
      interval: { lower: x.lower, upper: x.upper, confidence: 0.95 },
    }
  })

const ces = async (q: MetricQuery, db: Db.Database): Promise<MetricValue[]> =>
  (
    await aggregate(
      db,
      q,
      "feedback.response",
      "submitted_at",
      scored("ces"),
      sql`count(*)::int as n, avg(t.score)::float8 as mean, coalesce(stddev_samp(t.score), 0)::float8 as sd, sum(t.score)::int as total`,
    )
  ).map((r) => {
    const n = Number(r.n)
    const mean = Number(r.mean)
    if (n < 2)
      return { ...base(r, q), value: n ? mean : null, numerator: Number(r.total ?? 0), denominator: n, n }
    const m = meanIntervalFromSummary({ mean, sd: Number(r.sd), n })
    return {
      ...base(r, q),
      value: mean,
      numerator: Number(r.total),
      denominator: n,
      n,
      interval: { lower: m.lower, upper: m.upper, confidence: 0.95 },
    }
  })

const responseRate = async (q: MetricQuery, db: Db.Database) =>
  (
    await aggregate(
      db,
      q,
      "feedback.invitation",
      "sent_at",
      sql`t.sent_at is not null`,
      sql`count(*) filter (where t.status = 'answered')::int as num, count(*)::int as den`,
    )
  ).map((r) => share(r, q))

/** Skips that are the organisation's choice (not a failure to send in time). */
const CHOSEN_SKIPS = ["sampled_out", "opted_out", "recently_surveyed"]

const within24h = async (q: MetricQuery, db: Db.Database) =>
  (
    await aggregate(
      db,
      q,
      "feedback.invitation",
      "resolved_at",
      sql`t.source = 'dispatch' and not (t.status = 'skipped' and t.skip_reason = any(${CHOSEN_SKIPS}::text[]))`,
      sql`count(*) filter (where t.sent_at is not null and t.sent_at <= t.resolved_at + interval '24 hours')::int as num, count(*)::int as den`,
    )
  ).map((r) => share(r, q))

const dimensions = Object.keys(DIMENSIONS)
const itemDimensions = Object.keys(ITEM_DIMENSIONS)

/** Complaints whose clock has ended, or is past due by the end of the query (a running clock is not judged yet). */
const complaintClock = (due: string, stop: string) => async (q: MetricQuery, db: Db.Database) =>
  (
    await aggregate(
      db,
      q,
      "feedback.item",
      "received_at",
      sql`t.kind = 'complaint' and (${sql.ref(`t.${stop}`)} is not null or ${sql.ref(`t.${due}`)} < least(now(), ${q.to}))`,
      sql`count(*) filter (where ${sql.ref(`t.${stop}`)} is not null and ${sql.ref(`t.${stop}`)} <= ${sql.ref(`t.${due}`)})::int as num, count(*)::int as den`,
    )
  ).map((r) => share(r, q))

const repeatRate = async (q: MetricQuery, db: Db.Database) =>
  (
    await aggregate(
      db,
      q,
      "feedback.item",
      "received_at",
      sql`t.kind = 'complaint'`,
      sql`count(*) filter (where t.repeat_of is not null)::int as num, count(*)::int as den`,
    )
  ).map((r) => share(r, q))

/** Items replied within 24 h of receipt, of those replied or older than 24 h (complaints: their decision). */
const repliedWithin24h = async (q: MetricQuery, db: Db.Database) =>
  (
    await aggregate(
      db,
      q,
      "feedback.item",
      "received_at",
      sql`(t.replied_at is not null or t.received_at + interval '24 hours' < least(now(), ${q.to}))`,
      sql`count(*) filter (where t.replied_at is not null and t.replied_at <= t.received_at + interval '24 hours')::int as num, count(*)::int as den`,
    )
  ).map((r) => share(r, q))

/** The feedback module's metric definitions. @category constructors @since 0.1.0 */
export const metrics: ReadonlyArray<Contracts.MetricDefinition> = [
  {
    id: "feedback.csat",
    code: "CX-01",
    module: "feedback",
    name: L("客户满意度（CSAT，满意率）", "Customer satisfaction (CSAT, top-2-box)"),
    description: L("1–5 分中选 4 或 5 分的回复占比。", "Share of responses scoring 4 or 5 on the 1–5 scale."),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions,
    compute: responseShare("csat", sql`t.score >= 4`),
  },
  {
    id: "feedback.dsat",
    code: "CX-02",
    module: "feedback",
    name: L("不满意率（DSAT）", "Dissatisfaction (DSAT, bottom-2-box)"),
    description: L("1–5 分中选 1 或 2 分的回复占比。", "Share of responses scoring 1 or 2 on the 1–5 scale."),
    unit: "percent",
    direction: "lower_is_better",
    kind: "proportion",
    dimensions,
    compute: responseShare("csat", sql`t.score <= 2`),
  },
  {
    id: "feedback.nps",
    code: "CX-03",
    module: "feedback",
    name: L("净推荐值（NPS）", "Net Promoter Score (NPS)"),
    description: L(
      "推荐者（9–10 分）占比减去贬损者（0–6 分）占比。",
      "Share of promoters (9–10) minus share of detractors (0–6).",
    ),
    unit: "points",
    direction: "higher_is_better",
    kind: "nps",
    dimensions,
    compute: nps,
  },
  {
    id: "feedback.ces",
    code: "CX-04",
    module: "feedback",
    name: L("客户费力度（CES，平均分）", "Customer effort (CES, mean)"),
    description: L("1–7 分的平均值，分数越高越省力。", "Mean on the 1–7 scale; higher is easier."),
    unit: "score",
    direction: "higher_is_better",
    kind: "mean",
    dimensions,
    compute: ces,
  },
  {
    id: "feedback.response_rate",
    code: "CX-05",
    module: "feedback",
    name: L("问卷回复率", "Survey response rate"),
    description: L(
      "本期发出的问卷中已回复的占比。",
      "Share of the surveys sent in the period that were answered.",
    ),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions,
    compute: responseRate,
  },
  {
    id: "feedback.survey_within_24h",
    module: "feedback",
    name: L("解决后 24 小时内发出问卷率", "Survey sent within 24 h of resolution"),
    description: L(
      "本期解决的个案中，在解决后 24 小时内发出问卷的占比（抽样未选中、已退订和近期已调查的不计入）。",
      "Share of the cases resolved in the period whose survey went out within 24 hours (cases left out by sampling, opt-out or the per-customer cap are not counted).",
    ),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions,
    compute: within24h,
  },
  {
    id: "feedback.complaint_ack_attainment",
    code: "CX-07",
    module: "feedback",
    name: L("投诉确认及时率", "Complaint acknowledgement attainment"),
    description: L(
      "投诉在 1 个工作日内确认的占比（时钟已结束或已逾期的投诉）。",
      "Share of complaints acknowledged within 1 business day (of those whose clock ended or ran out).",
    ),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions: itemDimensions,
    compute: complaintClock("ack_due_at", "acknowledged_at"),
  },
  {
    id: "feedback.complaint_response_attainment",
    code: "CX-07",
    module: "feedback",
    name: L("投诉答复及时率", "Complaint response attainment"),
    description: L(
      "投诉在期限内（紧急 24 小时，其余 15/30/60 天）告知处理决定的占比。",
      "Share of complaints whose decision was communicated in time (24 h when urgent, else 15/30/60 days).",
    ),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions: itemDimensions,
    compute: complaintClock("response_due_at", "responded_at"),
  },
  {
    id: "feedback.repeat_complaint_rate",
    code: "CX-09",
    module: "feedback",
    name: L("重复投诉率", "Repeat-complaint rate"),
    description: L(
      "同一客户 90 天内就同一原因再次投诉的占比。",
      "Share of complaints from a customer who complained about the same cause in the 90 days before.",
    ),
    unit: "percent",
    direction: "lower_is_better",
    kind: "proportion",
    dimensions: itemDimensions,
    compute: repeatRate,
  },
  {
    id: "feedback.replied_within_24h",
    module: "feedback",
    name: L("反馈 24 小时内答复率", "Feedback replied within 24 h"),
    description: L(
      "建议、表扬和投诉在收到后 24 小时内答复的占比（seed 000 §5.2）。",
      "Share of suggestions, praise and complaints answered within 24 hours of receipt (seed 000 §5.2).",
    ),
    unit: "percent",
    direction: "higher_is_better",
    kind: "proportion",
    dimensions: itemDimensions,
    compute: repliedWithin24h,
  },
]
