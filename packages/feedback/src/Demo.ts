/**
 * Demo data: a published CSAT survey with its dispatch rule, and 90 days of invitations and
 * responses for the demo's resolved cases (given by the caller: process owns cases). Response rates
 * differ by segment (VIP customers answer more often, new customers less), so the post-stratified
 * value differs from the raw one; scores follow the dimensions, so the drivers show something.
 * Deterministic (a seeded generator).
 *
 * @since 0.1.0
 */
import { type Db, Encryption, Id, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import * as Dispatch from "./Dispatch"
import { FIELDS, sealAnswers, sealText } from "./Privacy"
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
    await audit({
      action: "survey.demo_seeded",
      entityType: "survey",
      entityId: survey.id,
      after: { invitations: invitations.length, responses: responses.length },
    })
  })
  return { invitations: invitations.length, responses: responses.length }
}
