import { type Contracts, type Db, Organizations, type Tenancy } from "@tenet/core"
import { testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Dispatch, Metrics, Responses, Rollups, Survey, Surveys } from "../src/index"
import { facts, openDb } from "./helpers"

let db: Db.Database
let orgId: string
let ctx: Tenancy.OrgContext
const TZ = "Asia/Shanghai"
// three whole local days in Shanghai
const from = new Date("2025-03-03T00:00:00+08:00")
const to = new Date("2025-03-06T00:00:00+08:00")
let n = 0

const response = async (o: {
  kind: "csat" | "nps" | "ces"
  score: number
  at: string
  channel?: string
  segment?: string | null
  team?: string
  agent?: string
}) => {
  n++
  await sql`insert into feedback.response (org_id, id, invitation_id, survey_id, survey_version, case_id, customer_key, locale,
      answers, score_kind, score, sentiment, comment, dimensions, case_type, channel, segment, team, agent_id, submitted_at)
    values (${orgId}, ${`fres_${n}`}, ${`finv_r${n}`}, 'srv_x', 1, ${`case_r${n}`}, null, 'zh-CN', '{"values":{}}', ${o.kind}, ${o.score},
      'neutral', null, '{}', 'inquiry', ${o.channel ?? "email"}, ${o.segment === undefined ? "retail" : o.segment},
      ${o.team ?? "support"}, ${o.agent ?? "usr_a"}, ${new Date(o.at)})`.execute(db.kysely)
}

const invitation = async (o: {
  source?: "dispatch" | "manual"
  status: "scheduled" | "sent" | "skipped" | "answered"
  skip?: string
  resolved?: string
  sent?: string
  channel?: string
  segment?: string | null
}) => {
  n++
  await sql`insert into feedback.invitation (org_id, id, source, case_id, rule_id, survey_id, survey_version, customer_id, customer_key,
      locale, status, skip_reason, case_type, channel, segment, team, agent_id, resolved_at, due_at, sent_at)
    values (${orgId}, ${`finv_${n}`}, ${o.source ?? "dispatch"}, ${`case_i${n}`}, null, 'srv_x', 1, null, null, 'zh-CN', ${o.status},
      ${o.skip ?? null}, 'inquiry', ${o.channel ?? "email"}, ${o.segment === undefined ? "retail" : o.segment}, 'support', 'usr_a',
      ${o.resolved ? new Date(o.resolved) : null}, ${new Date(o.resolved ?? o.sent ?? "2025-03-03T12:00:00+08:00")},
      ${o.sent ? new Date(o.sent) : null})`.execute(db.kysely)
}

const metric = (id: string) => Metrics.metrics.find((m) => m.id === id)!
const query = (over: Partial<Contracts.MetricQuery> = {}): Contracts.MetricQuery => ({
  orgId,
  from,
  to,
  timeZone: TZ,
  bucket: "none",
  ...over,
})
const both = async (id: string, q: Contracts.MetricQuery) => {
  const rolled = await metric(id).compute(q, db)
  const raw = await metric(id).compute({ ...q, params: { ...q.params, source: "raw" } }, db)
  return { rolled, raw }
}

const SERVED = [
  "feedback.csat",
  "feedback.dsat",
  "feedback.nps",
  "feedback.ces",
  "feedback.response_rate",
  "feedback.survey_within_24h",
]
const SHAPES: ReadonlyArray<Partial<Contracts.MetricQuery>> = [
  { bucket: "none" },
  { bucket: "day" },
  { bucket: "week" },
  { bucket: "month" },
  { bucket: "day", groupBy: ["channel"] },
  { bucket: "none", groupBy: ["segment"] },
  { bucket: "day", groupBy: ["team"] },
  { bucket: "none", groupBy: ["agent"] },
  { bucket: "day", groupBy: ["type"] },
  { bucket: "day", filter: { channel: "email" } },
  { bucket: "none", filter: { segment: "vip" }, groupBy: ["segment"] },
  // two dimensions: raw rows answer (still the same numbers)
  { bucket: "day", groupBy: ["channel", "segment"] },
]

beforeAll(async () => {
  db = await openDb()
  const org = await Organizations.create(
    db,
    { type: "system", id: "t" },
    { name: "Rollups", slug: "fb-rollups" },
  )
  orgId = org.id
  ctx = { orgId, actor: { type: "user", id: "usr_admin", role: "admin" } }
  await sql`update core.organization set time_zone = ${TZ} where id = ${orgId}`.execute(db.kysely)
  // day 1 (3 March, Shanghai): CSAT 5 4 2 (email, retail), 1 3 (chat, vip), 4 (chat, no segment)
  for (const score of [5, 4, 2]) await response({ kind: "csat", score, at: "2025-03-03T10:00:00+08:00" })
  for (const score of [1, 3])
    await response({ kind: "csat", score, at: "2025-03-03T11:00:00+08:00", channel: "chat", segment: "vip" })
  await response({ kind: "csat", score: 4, at: "2025-03-03T23:59:00+08:00", channel: "chat", segment: null })
  // day 2: CSAT 5 5 (email, team billing); NPS 10 9 8 6 0; CES 7 5 6 (chat)
  for (const score of [5, 5])
    await response({ kind: "csat", score, at: "2025-03-04T09:00:00+08:00", team: "billing", agent: "usr_b" })
  for (const score of [10, 9, 8, 6, 0])
    await response({ kind: "nps", score, at: "2025-03-04T10:00:00+08:00" })
  for (const score of [7, 5, 6])
    await response({ kind: "ces", score, at: "2025-03-04T12:00:00+08:00", channel: "chat" })
  // day 3: CSAT 3; and one answer at 01:00 on 6 March in Shanghai (still 5 March in UTC): outside the period
  await response({ kind: "csat", score: 3, at: "2025-03-05T00:00:00+08:00" })
  await response({ kind: "csat", score: 1, at: "2025-03-06T01:00:00+08:00" })
  // invitations sent: day 1 four (three answered), day 2 two (none answered)
  for (const status of ["answered", "answered", "answered", "sent"] as const)
    await invitation({ source: "manual", status, sent: "2025-03-03T09:00:00+08:00" })
  for (const status of ["sent", "sent"] as const)
    await invitation({
      source: "manual",
      status,
      sent: "2025-03-04T09:00:00+08:00",
      channel: "chat",
      segment: "vip",
    })
  // resolved on day 1: sent within the hour, sent 30 h later, sampled out (not counted), no address (counted), still scheduled
  const r1 = "2025-03-03T14:00:00+08:00"
  await invitation({ status: "sent", resolved: r1, sent: "2025-03-03T15:00:00+08:00" })
  await invitation({ status: "sent", resolved: r1, sent: "2025-03-04T20:00:00+08:00", channel: "phone" })
  await invitation({ status: "skipped", skip: "sampled_out", resolved: r1 })
  await invitation({ status: "skipped", skip: "no_address", resolved: r1 })
  await invitation({ status: "scheduled", resolved: r1 })
  const built = await Rollups.rebuild(db, orgId)
  expect(built.timeZone).toBe(TZ)
})
afterAll(async () => {
  await db.close()
})

describe(`survey metrics from rollups (${testEngine()})`, () => {
  it("give the worked values", async () => {
    const one = async (id: string) => (await metric(id).compute(query(), db))[0]!
    // CSAT: 9 answers in the three days, 5 of them 4 or 5; DSAT: 2 (a 2 and a 1)
    expect(await one("feedback.csat")).toMatchObject({ value: 5 / 9, numerator: 5, denominator: 9, n: 9 })
    expect(await one("feedback.dsat")).toMatchObject({ value: 2 / 9, numerator: 2, n: 9 })
    // NPS: 2 promoters, 1 passive, 2 detractors of 5 → 0 points
    expect(await one("feedback.nps")).toMatchObject({ value: 0, numerator: 0, denominator: 5, n: 5 })
    // CES 7 5 6: mean 6, sd 1, t(0.975, 2) = 4.302653 → 6 ± 2.484138
    const ces = await one("feedback.ces")
    expect(ces).toMatchObject({ value: 6, numerator: 18, n: 3 })
    expect(ces.interval!.lower).toBeCloseTo(3.515862, 5)
    expect(ces.interval!.upper).toBeCloseTo(8.484138, 5)
    // response rate: 6 sent, 3 answered (the dispatched ones sent are not answered: 8 sent in all)
    expect(await one("feedback.response_rate")).toMatchObject({ numerator: 3, denominator: 8 })
    // within 24 h: 4 counted (sampled-out left out), 1 in time
    expect(await one("feedback.survey_within_24h")).toMatchObject({
      value: 0.25,
      numerator: 1,
      denominator: 4,
    })
    // by local day: the 23:59 answer is on 3 March, the 00:00 one on 5 March
    const byDay = await metric("feedback.csat").compute(query({ bucket: "day" }), db)
    expect(byDay.map((v) => [v.bucket, v.numerator, v.n])).toEqual([
      ["2025-03-03", 3, 6],
      ["2025-03-04", 2, 2],
      ["2025-03-05", 0, 1],
    ])
  })

  it("equal the raw rows for every metric, bucket, dimension and filter", async () => {
    for (const id of SERVED)
      for (const shape of SHAPES) {
        const { rolled, raw } = await both(id, query(shape))
        expect(rolled, `${id} ${JSON.stringify(shape)}`).toEqual(raw)
      }
    // a group with a missing value is keyed "—" in both
    const seg = await metric("feedback.csat").compute(query({ groupBy: ["segment"] }), db)
    expect(Object.fromEntries(seg.map((v) => [v.dimensions!.segment, v.n]))).toEqual({
      retail: 6,
      vip: 2,
      "—": 1,
    })
  })

  it("are what the metrics read (a row changed behind their back shows until its day is marked)", async () => {
    await sql`update feedback.response set score = 1 where org_id = ${orgId} and score_kind = 'nps' and score = 10`.execute(
      db.kysely,
    )
    const { rolled, raw } = await both("feedback.nps", query())
    expect(rolled[0]!.numerator).toBe(0)
    // 1 promoter, 1 passive, 3 detractors now
    expect(raw[0]!.numerator).toBe(-2)
    await Rollups.markDirtyAt(db.kysely, orgId, [new Date("2025-03-04T10:00:00+08:00")])
    const again = await both("feedback.nps", query())
    expect(again.rolled).toEqual(again.raw)
    expect(again.rolled[0]!.numerator).toBe(-2)
  })

  it("follow the writes of dispatch, sending and answering without a rebuild", async () => {
    const survey = await Surveys.createSurvey(db, ctx, { name: "CSAT", definition: Survey.csatTemplate() })
    await Surveys.publishSurvey(db, ctx, survey.id)
    const surveyId = survey.id
    await Dispatch.saveRule(db, ctx, {
      name: "all",
      surveyId,
      delayMinutes: 0,
      withinHours: 24,
      expiryDays: 14,
      caseTypes: [],
      channels: [],
      segments: [],
      teams: [],
      sampleRate: 1,
      capDays: 0,
      quietHours: false,
    })
    const resolved = new Date("2025-03-05T10:00:00+08:00")
    const tokens: string[] = []
    for (let i = 0; i < 3; i++)
      await Dispatch.planForResolvedCase(db, ctx, facts({ resolvedAt: resolved, calendar: undefined }), {
        now: resolved,
      })
    await Dispatch.sendDue(db, async (_tx, out) => void tokens.push(out.token), { now: resolved })
    expect(tokens).toHaveLength(3)
    for (const [i, token] of tokens.slice(0, 2).entries())
      await Responses.respond(
        db,
        token,
        { answers: { values: { overall: i === 0 ? 5 : 1 } } },
        new Date(resolved.getTime() + 3_600_000),
      )
    const day5 = query({ from: new Date("2025-03-05T00:00:00+08:00"), to })
    const csat = await both("feedback.csat", day5)
    expect(csat.rolled).toEqual(csat.raw)
    expect(csat.rolled[0]).toMatchObject({ numerator: 1, n: 3 })
    const rate = await both("feedback.response_rate", day5)
    expect(rate.rolled).toEqual(rate.raw)
    expect(rate.rolled[0]).toMatchObject({ numerator: 2, denominator: 3 })
    const w24 = await both("feedback.survey_within_24h", day5)
    expect(w24.rolled).toEqual(w24.raw)
    expect(w24.rolled[0]).toMatchObject({ numerator: 3, denominator: 3 })
    // nothing is left to refresh: the reads recomputed the marked days
    expect(await Rollups.refreshDirty(db, orgId)).toBe(0)
    for (const id of SERVED)
      for (const shape of SHAPES) {
        const { rolled, raw } = await both(id, query(shape))
        expect(rolled, `${id} ${JSON.stringify(shape)} after writes`).toEqual(raw)
      }
  })

  it("leave queries they cannot answer to the raw rows", async () => {
    // not whole local days, another time zone: the same numbers, from raw rows
    for (const q of [
      query({ from: new Date("2025-03-03T06:00:00+08:00") }),
      query({
        timeZone: "UTC",
        from: new Date("2025-03-03T00:00:00Z"),
        to: new Date("2025-03-06T00:00:00Z"),
      }),
    ]) {
      const { rolled, raw } = await both("feedback.csat", q)
      expect(rolled).toEqual(raw)
    }
    // a filter on the missing-value key matches nothing, as raw
    const { rolled } = await both("feedback.csat", query({ filter: { segment: "—" } }))
    expect(rolled).toEqual([])
    // a rebuild gives the rows the refreshes left
    const before =
      await sql`select * from feedback.metric_rollup where org_id = ${orgId} order by dim, day, value`.execute(
        db.kysely,
      )
    await Rollups.rebuild(db, orgId)
    const after =
      await sql`select * from feedback.metric_rollup where org_id = ${orgId} order by dim, day, value`.execute(
        db.kysely,
      )
    expect(after.rows).toEqual(before.rows)
  })
})
