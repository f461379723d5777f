/**
 * Demo data: a published CSAT survey with its dispatch rule, and 90 days of invitations and
 * responses for the demo's resolved cases (given by the caller: process owns cases). Response rates
 * differ by segment (VIP customers answer more often, new customers less), so the post-stratified
 * value differs from the raw one; scores follow the dimensions, so the drivers show something.
 * Deterministic (a seeded generator).
 *
 * @since 0.1.0
 */
import type { Calendar } from "@tenet/calendar"
import { type Db, Encryption, Id, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { saveCause } from "./Causes"
import { rateHandling, type StepInput, step } from "./Complaints"
import * as Dispatch from "./Dispatch"
import { record, replyTo } from "./Items"
import type { Stage } from "./migrations/schema"
import { FIELDS, sealAnswers, sealText } from "./Privacy"
import { markDirtyAt } from "./Rollups"
import { csatTemplate, type Dimension } from "./Survey"
import * as Surveys from "./Surveys"
import { change } from "./store"

/** A resolved case of the demo. @category models @since 0.1.0 */
export interface DemoCase {
  readonly id: string
  readonly resolvedAt: Date
  readonly type: string
  readonly channel: string
  readonly segment: string | null
  readonly team: string | null
  readonly agentId: string | null
  readonly customerId: string | null
}

const RATE: Readonly<Record<string, number>> = { vip: 0.45, existing: 0.3, regular: 0.25, new: 0.15 }
const COMMENTS = [
  "等了好几天才有人回复，希望能更快一些。",
  "问题转了三次才解决，每次都要重新说明情况。",
  "客服态度不错，但问题没有彻底解决。",
  "The answer was wrong the first time.",
]

/**
 * Seed the demo's surveys; returns how many invitations and responses it wrote.
 * @category constructors
 * @since 0.1.0
 */
export const seedDemoFeedback = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  cases: ReadonlyArray<DemoCase>,
  options: { readonly now?: Date } = {},
): Promise<{ readonly invitations: number; readonly responses: number }> => {
  const survey = await Surveys.createSurvey(db, ctx, {
    name: "解决后满意度调查 / CSAT after resolution",
    definition: csatTemplate(),
  })
  await Surveys.publishSurvey(db, ctx, survey.id)
  const rule = await Dispatch.saveRule(db, ctx, {
    name: "解决后 1 小时 / 1 h after resolution",
    surveyId: survey.id,
    delayMinutes: Dispatch.DEFAULTS.delayMinutes,
    withinHours: Dispatch.DEFAULTS.withinHours,
    expiryDays: Dispatch.DEFAULTS.expiryDays,
    caseTypes: [],
    channels: [],
    segments: [],
    teams: [],
    sampleRate: 1,
    capDays: 0,
    quietHours: true,
  })
  let seed = 20_250_301
  const rnd = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0
    return seed / 2 ** 32
  }
  const invitations: Array<Record<string, unknown>> = []
  const responses: Array<Record<string, unknown>> = []
  for (const c of cases) {
    const segment = c.segment ?? "existing"
    // most surveys go out an hour after resolution; a few late ones (outside 24 h) keep the metric honest
    const late = rnd() < 0.04
    const sentAt = new Date(c.resolvedAt.getTime() + (late ? 30 : 1) * 3_600_000)
    const now = (options.now ?? new Date()).getTime()
    const wouldAnswer = rnd() < (RATE[segment] ?? 0.25)
    const answerAt = sentAt.getTime() + (0.2 + rnd() * 20) * 3_600_000
    // nothing happens after `now`: a survey not yet due waits for the dispatcher, an answer not yet given is not there
    if (sentAt.getTime() > now) continue
    const answered = wouldAnswer && answerAt <= now
    const id = Id.make("finv", sentAt.getTime())
    const answeredAt = answered ? new Date(answerAt) : null
    invitations.push({
      id,
      case_id: c.id,
      customer_id: c.customerId,
      customer_key: c.customerId,
      status: answered ? "answered" : "sent",
      case_type: c.type,
      channel: c.channel,
      segment,
      team: c.team,
      agent_id: c.agentId,
      resolved_at: c.resolvedAt.toISOString(),
      sent_at: sentAt.toISOString(),
      expires_at: new Date(sentAt.getTime() + 14 * 86_400_000).toISOString(),
      answered_at: answeredAt?.toISOString() ?? null,
    })
    if (!answered) continue
    // a latent satisfaction per response; VIP a little lower (higher expectations), chat a little higher
    const base =
      3.9 + (segment === "vip" ? -0.4 : segment === "new" ? 0.2 : 0) + (c.channel === "chat" ? 0.2 : 0)
    const speed = Math.max(1, Math.min(5, Math.round(base + (rnd() - 0.5) * 3)))
    const attitude = Math.max(1, Math.min(5, Math.round(base + 0.4 + (rnd() - 0.5) * 2)))
    const solving = Math.max(1, Math.min(5, Math.round(base + (rnd() - 0.5) * 3)))
    const overall = Math.max(
      1,
      Math.min(5, Math.round(0.5 * speed + 0.2 * attitude + 0.4 * solving - 0.4 + (rnd() - 0.5))),
    )
    const why = overall <= 2 ? COMMENTS[Math.floor(rnd() * COMMENTS.length)]! : null
    const dims: Partial<Record<Dimension, number>> = {
      response_speed: speed,
      attitude,
      problem_solving: solving,
    }
    responses.push({
      id: Id.make("fres", answeredAt!.getTime()),
      invitation_id: id,
      case_id: c.id,
      customer_key: c.customerId,
      answers: { values: { overall, speed, attitude, solving }, ...(why ? { why: { overall: why } } : {}) },
      score: overall,
      sentiment: overall >= 4 ? "positive" : overall <= 2 ? "negative" : "neutral",
      comment: why,
      dimensions: dims,
      case_type: c.type,
      channel: c.channel,
      segment,
      team: c.team,
      agent_id: c.agentId,
      submitted_at: answeredAt!.toISOString(),
    })
  }
  await change(db, ctx, async ({ tx, audit }) => {
    // free text is stored sealed, as a response submitted through the survey is
    const cipher = await Encryption.cipherFor(tx, ctx.orgId)
    const stored = responses.map((r) => ({
      ...r,
      comment: typeof r.comment === "string" ? sealText(cipher, FIELDS.comment, r.comment) : null,
      answers: sealAnswers(cipher, r.answers),
    }))
    for (let i = 0; i < invitations.length; i += 2000)
      await sql`insert into feedback.invitation (org_id, id, source, case_id, rule_id, survey_id, survey_version, customer_id, customer_key,
          locale, status, case_type, channel, segment, team, agent_id, resolved_at, due_at, sent_at, expires_at, answered_at)
        select ${ctx.orgId}, x.id, 'dispatch', x.case_id, ${rule.id}, ${survey.id}, 1, x.customer_id, x.customer_key, 'zh-CN', x.status,
          x.case_type, x.channel, x.segment, x.team, x.agent_id, x.resolved_at, x.sent_at, x.sent_at, x.expires_at, x.answered_at
        from json_to_recordset(${JSON.stringify(invitations.slice(i, i + 2000))}::json) as x(id text, case_id text, customer_id text,
          customer_key text, status text, case_type text, channel text, segment text, team text, agent_id text, resolved_at timestamptz,
          sent_at timestamptz, expires_at timestamptz, answered_at timestamptz)
        on conflict do nothing`.execute(tx)
    for (let i = 0; i < stored.length; i += 2000)
      await sql`insert into feedback.response (org_id, id, invitation_id, survey_id, survey_version, case_id, customer_key, locale, answers,
          score_kind, score, sentiment, comment, dimensions, case_type, channel, segment, team, agent_id, submitted_at)
        select ${ctx.orgId}, x.id, x.invitation_id, ${survey.id}, 1, x.case_id, x.customer_key, 'zh-CN', x.answers, 'csat', x.score,
          x.sentiment, x.comment, x.dimensions, x.case_type, x.channel, x.segment, x.team, x.agent_id, x.submitted_at
        from json_to_recordset(${JSON.stringify(stored.slice(i, i + 2000))}::json) as x(id text, invitation_id text, case_id text,
          customer_key text, answers jsonb, score int, sentiment text, comment text, dimensions jsonb, case_type text, channel text,
          segment text, team text, agent_id text, submitted_at timestamptz)
        on conflict do nothing`.execute(tx)
    // an organisation whose rollups are built recomputes the days written here
    await markDirtyAt(tx, ctx.orgId, [
      ...invitations.flatMap((i) => [i.resolved_at as string, i.sent_at as string]),
      ...responses.map((r) => r.submitted_at as string),
    ])
    await audit({
      action: "survey.demo_seeded",
      entityType: "survey",
      entityId: survey.id,
      after: { invitations: invitations.length, responses: responses.length },
    })
  })
  return { invitations: invitations.length, responses: responses.length }
}

/** A demo case a complaint (or another item) is about. @category models @since 0.2.0 */
export interface DemoItemCase {
  readonly id: string
  readonly receivedAt: Date
  readonly type: string
  readonly channel: string
  readonly category: string | null
  readonly customerId: string | null
}

const CAUSES: ReadonlyArray<{ cause: string; zh: string; en: string; parent?: string }> = [
  { cause: "service", zh: "服务流程", en: "Service process" },
  { cause: "wait", zh: "等待时间过长", en: "Long waits", parent: "service" },
  { cause: "callback", zh: "承诺回电未兑现", en: "Promised callback missed", parent: "service" },
  { cause: "delivery", zh: "配送", en: "Delivery" },
  { cause: "courier", zh: "快递员态度", en: "Courier attitude", parent: "delivery" },
  { cause: "billing", zh: "账单与扣款", en: "Billing" },
  { cause: "double_charge", zh: "重复扣款", en: "Double charge", parent: "billing" },
  { cause: "accuracy", zh: "答复准确性", en: "Accuracy of answers" },
  { cause: "wrong_answer", zh: "答复错误", en: "Wrong answer", parent: "accuracy" },
]

/** A complaint's cause and words by the case's category (process's demo categories). */
const BY_CATEGORY: Readonly<
  Record<string, { cause: string; summary: string; remedy: string; decision: string; remedyOffered: string }>
> = {
  service: {
    cause: "wait",
    summary: "客服电话排队 40 分钟无人接听",
    remedy: "希望有专人回电处理原问题",
    decision: "核实排队超时属实，已安排专人回电并处理原问题",
    remedyOffered: "专人回电，赠送 50 元服务券",
  },
  delivery: {
    cause: "courier",
    summary: "快递员送货时态度恶劣，包裹被扔在门口",
    remedy: "要求道歉并重新检查商品",
    decision: "已与配送商核实，对快递员进行处理",
    remedyOffered: "书面道歉，免费上门检测商品",
  },
  billing: {
    cause: "double_charge",
    summary: "同一订单被重复扣款两次",
    remedy: "立即退还多扣的款项",
    decision: "确认重复扣款，系统故障所致",
    remedyOffered: "3 个工作日内原路退款，并补偿 20 元",
  },
}
const FALLBACK = {
  cause: "callback",
  summary: "Promised callback never happened",
  remedy: "A call back today with an answer",
  decision: "The callback was missed; the agent has been coached",
  remedyOffered: "A callback from the team lead and a service credit",
}

/** How far a complaint of this age has come (older ones are closed; the newest just received). */
const stagesFor = (ageDays: number, i: number): ReadonlyArray<Stage> => {
  const all: Stage[] = [
    "acknowledged",
    "assessed",
    "investigating",
    "response_proposed",
    "decision_communicated",
    i % 5 === 4 ? "closed_escalated" : "closed_accepted",
  ]
  const reached =
    ageDays > 20
      ? 6
      : ageDays > 12
        ? 5
        : ageDays > 8
          ? 4
          : ageDays > 5
            ? 3
            : ageDays > 3
              ? 2
              : ageDays > 1
                ? 1
                : 0
  return all.slice(0, reached)
}

/**
 * Seed the demo's feedback items: the cause taxonomy, a complaint (ISO 10002) for each of the demo's
 * complaint cases at the stage its age gives (the oldest closed and rated, the newest just received;
 * a few acknowledged late, one in five escalated, repeats), and suggestions and praise with replies.
 * Deterministic. Returns how many items it wrote.
 * @category constructors
 * @since 0.2.0
 */
export const seedDemoItems = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  cases: ReadonlyArray<DemoItemCase>,
  options: { readonly now?: Date; readonly calendar?: Calendar | undefined } = {},
): Promise<{ readonly complaints: number; readonly others: number }> => {
  const now = options.now ?? new Date()
  const calendar = options.calendar
  for (const c of CAUSES)
    await saveCause(db, ctx, { code: c.cause, name: { "zh-CN": c.zh, en: c.en }, parentCode: c.parent })
  const hour = 3_600_000
  const complaints = cases.filter((c) => c.type === "complaint").slice(-30)
  let written = 0
  for (const [i, c] of complaints.entries()) {
    const w = BY_CATEGORY[c.category ?? ""] ?? FALLBACK
    const receivedAt = new Date(c.receivedAt.getTime() + 10 * 60_000)
    if (receivedAt > now) continue
    // two complainants come back about the same cause (repeat complaints)
    const customerKey =
      i >= 2 && i % 9 === 0 ? (complaints[i - 2]!.customerId ?? undefined) : (c.customerId ?? undefined)
    const cause =
      i >= 2 && i % 9 === 0 ? (BY_CATEGORY[complaints[i - 2]!.category ?? ""] ?? FALLBACK).cause : w.cause
    const item = await record(
      db,
      ctx,
      {
        kind: "complaint",
        channel: c.channel,
        summary: w.summary,
        details: "客户来电/来信陈述经过，要求给出处理结果。",
        urgency: i % 4 === 0 ? "urgent" : "normal",
        caseId: c.id,
        customerKey,
        causeCode: cause,
        remedySought: w.remedy,
        receivedAt,
      },
      calendar,
    )
    written++
    const ageDays = (now.getTime() - receivedAt.getTime()) / 86_400_000
    // most acknowledged within hours; every seventh a day and a half late (the attainment shows it)
    let at = receivedAt.getTime() + (i % 7 === 3 ? 60 : 2) * hour
    for (const [k, to] of stagesFor(ageDays, i).entries()) {
      if (k > 0) at += (to === "closed_accepted" || to === "closed_escalated" ? 72 : 20) * hour
      if (at > now.getTime()) break
      const input: StepInput = {
        to,
        ...(to === "assessed"
          ? {
              severity: i % 3 === 0 ? ("high" as const) : ("medium" as const),
              urgency: i % 4 === 0 ? ("urgent" as const) : ("normal" as const),
              complexity: i % 6 === 5 ? ("complex" as const) : ("simple" as const),
            }
          : {}),
        ...(to === "response_proposed" ? { decision: w.decision, remedyOffered: w.remedyOffered } : {}),
        ...(to === "closed_escalated"
          ? { note: "客户不接受处理方案，转外部调解 · escalated to mediation" }
          : {}),
      }
      await step(db, ctx, item.id, input, { now: new Date(at), calendar })
      if (to === "closed_accepted" || to === "closed_escalated")
        await rateHandling(db, ctx, item.id, to === "closed_escalated" ? 2 : 3 + (i % 3))
    }
  }
  // suggestions and praise, most replied within the day
  const others = cases
    .filter((c) => c.type !== "complaint")
    .filter((_, i) => i % 97 === 0)
    .slice(-16)
  const OTHER: ReadonlyArray<{ kind: "suggestion" | "praise"; summary: string; reply: string }> = [
    { kind: "suggestion", summary: "希望在线客服支持发送图片", reply: "感谢建议，已纳入下季度计划。" },
    {
      kind: "praise",
      summary: "客服小刘耐心细致，一次就解决了问题",
      reply: "感谢您的肯定，我们已转达给同事。",
    },
    {
      kind: "suggestion",
      summary: "Please add an English menu to the phone line",
      reply: "Thank you — planned for next month.",
    },
    { kind: "praise", summary: "上门安装师傅很专业", reply: "感谢您的表扬！" },
  ]
  let n = 0
  for (const [i, c] of others.entries()) {
    const o = OTHER[i % OTHER.length]!
    const receivedAt = new Date(c.receivedAt.getTime() + 30 * 60_000)
    if (receivedAt > now) continue
    const item = await record(
      db,
      ctx,
      {
        kind: o.kind,
        channel: c.channel,
        summary: o.summary,
        urgency: "non_urgent",
        caseId: c.id,
        customerKey: c.customerId ?? undefined,
        receivedAt,
      },
      calendar,
    )
    n++
    const replyAt = receivedAt.getTime() + (i % 5 === 2 ? 40 : 3) * hour
    if (replyAt <= now.getTime() && i % 8 !== 7)
      await replyTo(db, ctx, item.id, { reply: o.reply }, new Date(replyAt))
  }
  return { complaints: written, others: n }
}
