/** The demo organisation seeded on first start (TENET_DEMO=0 disables it). */

import { Corrections, type Db, Organizations, Statistics, Tenancy } from "@tenet/core"
import { Demo as CultureDemo } from "@tenet/culture"
import { Corrector as FeedbackCorrector, Rollups as FeedbackRollups } from "@tenet/feedback"
import { Cases, Demo, Privacy as ProcessPrivacy, Rollups, Workforce } from "@tenet/process"
import { PrivacyDemo, Demo as RiskDemo } from "@tenet/risk"
import { Baseline, Quality, QualityService, Standards } from "@tenet/standards"
import { sql } from "kysely"
import { seedDemoSurveys } from "./feedback/demo"
import * as Iam from "./iam/service"
import { seedDemoNotifications } from "./notify/demo"
import { requestCalendar } from "./privacy/clock"
import { registry } from "./registry"
import { seedDemoReports } from "./reports/demo"
import { caseLookup } from "./risk/cases"

export const DEMO = {
  slug: "demo",
  name: "演示客服中心 · Demo Service Centre",
  password: "tenet-demo-2026",
  people: [
    { email: "owner@demo.tenet.local", name: "周敏 Zhou Min", role: "owner" },
    { email: "admin@demo.tenet.local", name: "李强 Li Qiang", role: "admin" },
    { email: "supervisor@demo.tenet.local", name: "王芳 Wang Fang", role: "supervisor" },
    { email: "qa@demo.tenet.local", name: "陈静 Chen Jing", role: "qa_analyst" },
    { email: "agent@demo.tenet.local", name: "刘洋 Liu Yang", role: "agent" },
    { email: "auditor@demo.tenet.local", name: "Alex Morgan", role: "auditor" },
  ] as ReadonlyArray<{ email: string; name: string; role: Tenancy.Role }>,
} as const

/** Whether the demo organisation exists (seeded, or its seed begun). */
export const demoSeeded = async (db: Db.Database) =>
  (await Organizations.findBySlug(db, DEMO.slug)) !== undefined

/** Seed the demo organisation unless it exists. Returns whether it seeded. */
export const seedDemo = async (
  db: Db.Database,
  options: { now?: Date; days?: number } = {},
): Promise<{ seeded: boolean; orgId: string; cases: number }> => {
  const existing = await Organizations.findBySlug(db, DEMO.slug)
  if (existing) return { seeded: false, orgId: existing.id, cases: 0 }
  const org = await Organizations.create(
    db,
    { type: "system", id: "demo-seed" },
    {
      name: DEMO.name,
      slug: DEMO.slug,
      timeZone: "Asia/Shanghai",
      locale: "zh-CN",
    },
  )
  for (const p of DEMO.people) {
    const user =
      (await Iam.findUserByEmail(db, p.email)) ??
      (await Iam.createUser(db, { email: p.email, name: p.name, password: DEMO.password }))
    await Iam.addMember(db, Tenancy.system(org.id, "demo-seed"), { userId: user.id, role: p.role })
  }
  const agents = []
  for (const p of DEMO.people.filter((x) => x.role === "agent" || x.role === "supervisor"))
    agents.push((await Iam.findUserByEmail(db, p.email))!.id)
  const cases = await Demo.seedDemoCases(db, Tenancy.system(org.id, "demo-seed"), {
    agents,
    days: options.days ?? 90,
    ...(options.now ? { now: options.now } : {}),
  })
  // workforce planning: the forecasts the plan would have kept on each of the last 14 days, so that
  // forecast accuracy shows real figures at first start
  await Workforce.backfillForecasts(db, org.id, {
    days: 14,
    intervalMinutes: 30,
    ...(options.now ? { now: options.now } : {}),
  })
  // the COPC-aligned baseline, published (and evaluated for the last 30 days once the data is in, below)
  const qa = Tenancy.system(org.id, "demo-seed")
  const std = await Standards.importLibrary(db, qa, registry, Baseline.copcBaseline())
  for (const to of ["in_review", "approved", "published"] as const)
    await Standards.step(db, qa, std.standardId, std.version, to)
  const now = options.now ?? new Date()
  // QA: a scorecard, evaluations of resolved cases, and a finished calibration session
  const people = Object.fromEntries(
    await Promise.all(
      DEMO.people.map(async (p) => [p.role, (await Iam.findUserByEmail(db, p.email))!.id] as const),
    ),
  ) as Record<string, string>
  const card = await QualityService.saveScorecard(db, qa, {
    name: "通话与在线客服质检 · Call and chat QA",
    definition: Quality.defaultScorecard(),
  })
  const resolved = await Cases.resolvedWithOwner(db, org.id, new Date(now.getTime() - 30 * 86_400_000), now)
  let seed = 7
  const rand = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0
    return seed / 2 ** 32
  }
  const answers = (quality: number) => ({
    greeting: rand() < 0.97 ? 1 : 0,
    identity: rand() < 0.985 ? 1 : 0,
    understand: Math.max(1, Math.min(5, Math.round(3.8 + quality + (rand() - 0.5) * 2))),
    correct: rand() < 0.94 ? 1 : 0,
    record: rand() < 0.95 ? 1 : 0,
    tone: Math.max(1, Math.min(4, Math.round(3.2 + quality + (rand() - 0.5) * 1.5))),
    next: rand() < 0.2 ? null : rand() < 0.9 ? 1 : 0,
  })
  const evaluator = { orgId: org.id, actor: { type: "user" as const, id: people.qa_analyst! } }
  for (const c of resolved.slice(0, 60))
    await QualityService.evaluateCase(db, evaluator, {
      scorecardId: card.id,
      caseId: c.id,
      agentId: c.agent,
      answers: answers(0),
    })
  const items = resolved.slice(60, 66)
  if (items.length >= 2) {
    const evaluators = [people.qa_analyst!, people.supervisor!, people.admin!]
    const cal = await QualityService.createCalibration(db, qa, {
      scorecardId: card.id,
      name: "月度校准 · Monthly calibration",
      caseIds: items.map((c) => c.id),
      evaluators,
      master: people.qa_analyst,
    })
    for (const c of items) {
      const base = answers(0)
      for (const [i, e] of evaluators.entries()) {
        const a = {
          ...base,
          understand: Math.max(1, Math.min(5, base.understand + (i === 2 ? -1 : 0))),
          tone: Math.max(1, Math.min(4, base.tone + (i === 2 && rand() < 0.5 ? -1 : 0))),
        }
        await QualityService.evaluateCase(
          db,
          { orgId: org.id, actor: { type: "user", id: e } },
          { scorecardId: card.id, caseId: c.id, agentId: c.agent, answers: a, calibrationId: cal.id },
        )
      }
    }
  }
  // a sampling plan kept for the last 30 days: its coverage comes from the evaluations above
  if (resolved.length) {
    const volumes: Record<string, number> = {}
    for (const c of resolved) volumes[c.agent] = (volumes[c.agent] ?? 0) + 1
    const plan = Quality.samplingPlan({ volumes, marginOfError: 0.1, minPerAgent: 10 })
    await QualityService.saveSamplingPlan(db, qa, {
      name: "近 30 天抽检 · Last 30 days",
      from: new Date(now.getTime() - 30 * 86_400_000),
      to: new Date(now.getTime() + 86_400_000),
      minPerAgent: 10,
      plan,
      sample: Quality.drawSample(resolved, plan, 7),
    })
  }
  // reports: a compliance schedule, a scheduled report with one file, a management review, the public report (off)
  await seedDemoReports(db, qa, { standardId: std.standardId, ownerEmail: DEMO.people[0]!.email, now })
  // the bell, the notification list and the webhooks page
  await seedDemoNotifications(db, org.id, people)
  // culture: teams, roster, framework, courses, certifications (one expiring, one missing), kudos, knowledge
  await CultureDemo.seedDemoCulture(
    db,
    qa,
    {
      owner: people.owner!,
      admin: people.admin!,
      supervisor: people.supervisor!,
      qa_analyst: people.qa_analyst!,
      agent: people.agent!,
    },
    now,
  )
  // surveys: 90 days of invitations and responses for the resolved cases, rates differing by segment
  await seedDemoSurveys(db, qa, now)
  // a bulk write: statistics first, so that the rebuild and the first requests plan on real row counts
  await Statistics.analyse(db)
  await Rollups.rebuild(db, org.id)
  await FeedbackRollups.rebuild(db, org.id)
  // risks: the seed catalogue rated, KRIs on the process metrics above, a plan, its activation and exercise, two incidents
  // the incidents' affected cases are real demo cases: chat cases received around the chat outage 12 days
  // ago, and e-mail cases of the last days for the mis-sent export
  const casesNear = async (channel: string, from: Date, to: Date, n: number) =>
    (
      await sql<{ id: string }>`select id from process.case where org_id = ${org.id} and channel = ${channel}
        and received_at >= ${from} and received_at < ${to} order by received_at, id limit ${n}`.execute(
        db.kysely,
      )
    ).rows.map((r) => r.id)
  const day = 86_400_000
  await RiskDemo.seedDemo(
    db,
    qa,
    registry,
    { owner: people.owner!, admin: people.admin!, supervisor: people.supervisor! },
    now,
    {
      lookup: caseLookup(db),
      outage: await casesNear(
        "chat",
        new Date(now.getTime() - 13 * day),
        new Date(now.getTime() - 11 * day),
        3,
      ),
      leak: await casesNear("email", new Date(now.getTime() - 5 * day), now, 2),
    },
  )
  // privacy: consents, subject requests at different steps and a legal hold, for the first demo customers
  // (the correction is applied through process's corrector)
  Corrections.register(ProcessPrivacy.customerCorrector)
  for (const c of FeedbackCorrector.correctors) Corrections.register(c)
  const demoCustomers = await sql<{
    id: string
  }>`select id from process.customer where org_id = ${org.id} order by id limit 3`.execute(db.kysely)
  // the requests' due dates count business days on the organisation's request calendar
  const { calendar: requestCal } = await requestCalendar(db, org.id)
  await PrivacyDemo.seedDemo(
    db,
    qa,
    demoCustomers.rows.map((r) => r.id),
    now,
    { calendar: requestCal },
  )
  // the compliance evaluation last, on the data as seeded: the dashboard's tiles and its table agree at
  // first start (and say so when the data has moved on since)
  await Standards.evaluate(db, qa, registry, std.standardId, {
    from: new Date(now.getTime() - 30 * 86_400_000),
    to: now,
    timeZone: "Asia/Shanghai",
  })
  return { seeded: true, orgId: org.id, cases }
}
