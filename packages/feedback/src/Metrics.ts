/**
 * The feedback module's metrics (catalogue CX-01…CX-05 and the seed's "survey within 24 h of
 * resolution"), each value with its numerator, denominator, n and interval, by day/week/month and
 * by channel, segment, team, agent and case type. The survey metrics (CSAT, DSAT, NPS, CES,
 * response rate, survey within 24 h) are served from the daily rollups (`Rollups`) when those can
 * answer, with numbers identical to the raw rows; the item and complaint metrics read raw rows.
 *
 * @since 0.1.0
 */
import type { Contracts, Db } from "@tenet/core"
import { meanIntervalFromSummary, npsInterval, wilsonInterval } from "@tenet/stats"
import { type RawBuilder, sql } from "kysely"
import * as Rollups from "./Rollups"

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

/**
 * A metric served from the daily rollups when they can answer (Rollups.read), else from raw rows:
 * both select the same integer counts under the same names, mapped to values by one function, so
 * the two give identical numbers.
 */
const served =
  (
    raw: {
      readonly table: "feedback.response" | "feedback.invitation"
      readonly timeCol: string
      readonly where: RawBuilder<unknown>
      readonly select: RawBuilder<unknown>
    },
    rollup: { readonly select: RawBuilder<unknown>; readonly having: RawBuilder<unknown> },
    map: (row: Row, q: MetricQuery) => MetricValue,
  ) =>
  async (q: MetricQuery, db: Db.Database): Promise<MetricValue[]> => {
    const rows =
      ((await Rollups.read(db, q, rollup.select, rollup.having)) as Row[] | undefined) ??
      (await aggregate(db, q, raw.table, raw.timeCol, raw.where, raw.select))
    return rows.map((r) => map(r, q))
  }

const csatShare = (top: boolean) =>
  served(
    {
      table: "feedback.response",
      timeCol: "submitted_at",
      where: scored("csat"),
      select: sql`count(*) filter (where ${top ? sql`t.score >= 4` : sql`t.score <= 2`})::int as num, count(*)::int as den`,
    },
    {
      select: sql`sum(${sql.ref(top ? "r.csat_top" : "r.csat_bottom")})::int as num, sum(r.csat_n)::int as den`,
      having: sql`sum(r.csat_n) > 0`,
    },
    share,
  )

const nps = served(
  {
    table: "feedback.response",
    timeCol: "submitted_at",
    where: scored("nps"),
    select: sql`count(*) filter (where t.score >= 9)::int as p, count(*) filter (where t.score between 7 and 8)::int as m, count(*) filter (where t.score <= 6)::int as d`,
  },
  {
    select: sql`sum(r.nps_promoters)::int as p, sum(r.nps_passives)::int as m, sum(r.nps_detractors)::int as d`,
    having: sql`sum(r.nps_n) > 0`,
  },
  (r, q) => {
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
  },
)

/**
 * The CES mean and its t interval from n, the sum and the sum of squares (integers, so raw rows and
 * rollups give the same value to the last bit).
 */
export const cesFromSums = (n: number, total: number, sumsq: number) => {
  const mean = n ? total / n : null
  const sd = n >= 2 ? Math.sqrt(Math.max(0, (sumsq - (total * total) / n) / (n - 1))) : null
  return { mean, sd }
}

const ces = served(
  {
    table: "feedback.response",
    timeCol: "submitted_at",
    where: scored("ces"),
    select: sql`count(*)::int as n, sum(t.score)::float8 as total, sum(t.score * t.score)::float8 as sumsq`,
  },
  {
    select: sql`sum(r.ces_n)::int as n, sum(r.ces_sum)::float8 as total, sum(r.ces_sumsq)::float8 as sumsq`,
    having: sql`sum(r.ces_n) > 0`,
  },
  (r, q) => {
    const n = Number(r.n)
    const total = Number(r.total ?? 0)
    const { mean, sd } = cesFromSums(n, total, Number(r.sumsq ?? 0))
    if (n < 2 || sd === null) return { ...base(r, q), value: mean, numerator: total, denominator: n, n }
    const m = meanIntervalFromSummary({ mean: mean!, sd, n })
    return {
      ...base(r, q),
      value: mean,
      numerator: total,
      denominator: n,
      n,
      interval: { lower: m.lower, upper: m.upper, confidence: 0.95 },
    }
  },
)

const responseRate = served(
  {
    table: "feedback.invitation",
    timeCol: "sent_at",
    where: sql`t.sent_at is not null`,
    select: sql`count(*) filter (where t.status = 'answered')::int as num, count(*)::int as den`,
  },
  { select: sql`sum(r.answered)::int as num, sum(r.sent)::int as den`, having: sql`sum(r.sent) > 0` },
  share,
)

const within24h = served(
  {
    table: "feedback.invitation",
    timeCol: "resolved_at",
    where: sql`t.source = 'dispatch' and not (t.status = 'skipped' and t.skip_reason = any(${[...Rollups.CHOSEN_SKIPS]}::text[]))`,
    select: sql`count(*) filter (where t.sent_at is not null and t.sent_at <= t.resolved_at + interval '24 hours')::int as num, count(*)::int as den`,
  },
  { select: sql`sum(r.w24_num)::int as num, sum(r.w24_den)::int as den`, having: sql`sum(r.w24_den) > 0` },
  share,
)

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
    compute: csatShare(true),
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
    compute: csatShare(false),
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
