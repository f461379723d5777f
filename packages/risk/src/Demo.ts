/**
 * The demo organisation's risks: the seed catalogue rated (one risk per §6.1 category), KRIs on the
 * demo's real process metrics (backlog past due and first-response attainment), a telephony-outage plan
 * with one past activation recorded after the fact and one exercise, a contact-surge plan bound to the
 * backlog KRI (whose first evaluation, red, activates it), and two incidents (one resolved
 * service outage, one data-security incident whose GDPR clock is still running).
 *
 * @since 0.1.0
 */
import * as Activations from "./Activations"
import * as Catalogue from "./Catalogue"
import { RISKS } from "./demo/risks"
import * as Exercises from "./Exercises"
import * as Incidents from "./Incidents"
import * as Kri from "./Kri"
import * as KriEvaluation from "./KriEvaluation"
import * as Library from "./Library"
import * as Plans from "./Plans"
import * as Register from "./Register"
import * as Rounds from "./Rounds"
import { type Ctx, type Database, type Registry, tables } from "./store"
import * as Treatments from "./Treatments"

const H = 3_600_000
const D = 24 * H

/**
 * Seed the demo's risks. `people` are user ids by role; `registry` holds the process metrics.
 * @category constructors
 * @since 0.1.0
 */
export const seedDemo = async (
  db: Database,
  ctx: Ctx,
  registry: Registry,
  people: { owner: string; admin: string; supervisor: string },
  now = new Date(),
  cases?: {
    /** Finds the demo's cases (the API's lookup: risk does not know cases). */
    readonly lookup: Incidents.CaseLookup
    /** Cases received while the chat channel was down (12 days ago). */
    readonly outage: ReadonlyArray<string>
    /** Cases whose customers' data was in the mis-sent export. */
    readonly leak: ReadonlyArray<string>
  },
) => {
  await Library.importLibrary(db, ctx, Catalogue.builtinLibrary(), "builtin")
  const as = (id: string): Ctx => ({ orgId: ctx.orgId, actor: { type: "user", id } })
  const owners = [
    people.supervisor,
    people.supervisor,
    people.admin,
    people.admin,
    people.admin,
    people.supervisor,
    people.owner,
  ]
  const risks: Register.Risk[] = []
  for (const [i, r] of RISKS.entries()) {
    const created = await Register.createRisk(db, as(people.admin), {
      title: r.t,
      categoryId: r.c,
      cause: r.cause,
      event: r.event,
      consequence: r.cons,
      ownerId: owners[i]!,
      inherent: { likelihood: r.inh[0], impact: r.inh[1] },
      residual: { likelihood: r.res[0], impact: r.res[1] },
      controls: [{ title: r.control, effectiveness: "adequate" }],
      reviewCadenceDays: i === 4 ? 30 : 90,
      rationale: "2026 年度风险识别 · annual risk identification",
    })
    risks.push(created)
  }
  // one risk whose review is overdue (the chat channel, reviewed monthly, last looked at 40 days ago)
  await tables(db)
    .updateTable("risk.risk")
    .set({
      next_review_at: new Date(now.getTime() - 10 * D),
      last_reviewed_at: new Date(now.getTime() - 40 * D),
    })
    .where("org_id", "=", ctx.orgId)
    .where("id", "=", risks[4]!.id)
    .execute()
  // KRIs on the demo's own process metrics (the demo's backlog went wrong: red; first response: amber)
  const kris = [
    await Kri.createKri(db, as(people.admin), registry, {
      riskId: risks[5]!.id,
      name: "超时积压 · Backlog past due",
      metricId: "process.backlog",
      direction: "above",
      amber: 3,
      red: 5,
      mode: "automatic",
      cycleWorkflowId: "pdca",
    }),
    await Kri.createKri(db, as(people.admin), registry, {
      riskId: risks[1]!.id,
      name: "首次响应达标率 · First-response attainment",
      metricId: "process.first_response_sla",
      windowDays: 30,
      direction: "below",
      amber: 0.95,
      red: 0.8,
      mode: "suggest",
    }),
  ]
  // the demand-surge plan is bound to the backlog KRI: the KRI's first evaluation (red) activates it
  await Plans.createPlan(db, as(people.admin), {
    title: "来访激增应急预案 · Contact surge plan",
    scenario: "demand_surge",
    triggers: [
      {
        kind: "kri",
        description: "超时积压指标转为红色 · backlog past due turns red",
        kriId: kris[0]!.id,
        tier: "s1",
      },
      { kind: "manual", description: "营销活动临时上线 · a campaign launched without notice" },
    ],
    tiers: [
      {
        id: "s1",
        name: { "zh-CN": "一级（积压超限）", en: "Tier 1 (backlog over limit)" },
        criteria: "backlog past due at or above the red threshold",
      },
      {
        id: "s2",
        name: { "zh-CN": "二级（全渠道拥堵）", en: "Tier 2 (every channel congested)" },
        criteria: "every channel past its service level",
      },
    ],
    steps: [
      {
        id: "overtime",
        title: "启用加班与弹性班次 · Call in overtime and flexible shifts",
        role: "supervisor",
        limitMinutes: 60,
      },
      {
        id: "deflect",
        title: "发布自助服务公告 · Point customers to self-service",
        role: "agent",
        limitMinutes: 90,
      },
      {
        id: "triage",
        title: "按紧急程度重排积压 · Re-triage the backlog by urgency",
        role: "supervisor",
        limitMinutes: 120,
      },
    ],
    channels: [{ channel: "sms", instead: "phone", how: "短信回拨预约 · SMS call-back booking" }],
    contacts: [{ name: "王芳 Wang Fang", role: "supervisor", email: "supervisor@demo.tenet.local" }],
  })
  for (const k of kris) await KriEvaluation.evaluate(db, registry, ctx.orgId, k.id, now)
  // this quarter's assessment round, open: two risks rated in it so far, the rest still to rate
  const round = await Rounds.openRound(
    db,
    as(people.admin),
    "2026 年第四季度风险评估 · Q4 2026 risk assessment",
  )
  for (const [i, why] of [
    [0, "知识库审核已执行两个季度 · knowledge reviews held for two quarters"],
    [3, "备用线路已测试 · backup line tested"],
  ] as const)
    await Rounds.rateInRound(db, as(owners[i]!), round.id, risks[i]!.id, {
      likelihood: RISKS[i]!.res[0],
      impact: RISKS[i]!.res[1],
      rationale: why,
    })
  await Treatments.createTreatment(db, as(people.admin), {
    riskId: risks[6]!.id,
    option: "change_likelihood",
    title: "导出文件加密并限时下载 · Encrypt exports, time-limited links",
    ownerId: people.admin,
    dueAt: new Date(now.getTime() - 3 * D),
  })
  await Treatments.createTreatment(db, as(people.admin), {
    riskId: risks[3]!.id,
    option: "share",
    title: "与第二运营商签订备用线路协议 · Backup line contract with a second carrier",
    ownerId: people.admin,
    dueAt: new Date(now.getTime() + 20 * D),
  })
  const acc = await Treatments.draftAcceptance(db, as(people.supervisor), {
    riskId: risks[2]!.id,
    rationale: "剩余风险为中，现有质检控制足够 · residual medium, QA controls suffice",
    expiresAt: new Date(now.getTime() + 90 * D),
  })
  await Treatments.stepAcceptance(db, as(people.supervisor), acc.id, "submit")
  // the telephony plan, one past activation (recorded after the fact) and one exercise
  const plan = await Plans.createPlan(db, as(people.admin), {
    title: "电话系统故障应急预案 · Telephony outage plan",
    scenario: "system_failure",
    triggers: [
      { kind: "manual", description: "呼入失败超过 5 分钟 · inbound calls failing for more than 5 minutes" },
    ],
    tiers: [
      {
        id: "t1",
        name: { "zh-CN": "一级（单一站点）", en: "Tier 1 (one site)" },
        criteria: "one site or one number down",
      },
      {
        id: "t2",
        name: { "zh-CN": "二级（全部站点）", en: "Tier 2 (all sites)" },
        criteria: "all inbound calls down",
      },
    ],
    steps: [
      {
        id: "switch",
        title: "切换至备用运营商 · Switch to the backup carrier",
        role: "supervisor",
        limitMinutes: 15,
      },
      {
        id: "banner",
        title: "官网与 App 发布公告 · Banner on website and app",
        role: "agent",
        limitMinutes: 30,
      },
      { id: "chat", title: "增派在线客服人手 · Move agents to chat", role: "supervisor", limitMinutes: 30 },
      { id: "exec", title: "通报管理层 · Inform management", role: "admin", limitMinutes: 60, tiers: ["t2"] },
    ],
    channels: [
      { channel: "chat", instead: "phone", how: "在线客服增派人手 · more agents on chat" },
      { channel: "sms", instead: "phone", how: "短信告知排队客户 · SMS to waiting customers" },
    ],
    contacts: [
      { name: "运营商 NOC · Carrier NOC", role: "vendor", phone: "+86 400 800 0000" },
      { name: "李强 Li Qiang", role: "admin", email: "admin@demo.tenet.local" },
    ],
  })
  const t0 = new Date(now.getTime() - 21 * D)
  const act = await Activations.activate(
    db,
    as(people.supervisor),
    plan.id,
    {
      tier: "t1",
      reason: "上海站点呼入全部失败 · all inbound calls to the Shanghai site failing",
      startedAt: t0,
    },
    new Date(t0.getTime() + 5 * 60_000),
  )
  const later = new Date(t0.getTime() + 2 * H)
  await Activations.record(
    db,
    as(people.supervisor),
    act.id,
    {
      note: "已切换备用线路 · switched to the backup line",
      stepId: "switch",
      happenedAt: new Date(t0.getTime() + 12 * 60_000),
    },
    later,
  )
  await Activations.record(
    db,
    as(people.supervisor),
    act.id,
    {
      note: "在线客服增加 4 人 · four more agents on chat",
      stepId: "chat",
      happenedAt: new Date(t0.getTime() + 25 * 60_000),
    },
    later,
  )
  await Activations.record(
    db,
    as(people.admin),
    act.id,
    {
      note: "官网公告上线 · banner live",
      stepId: "banner",
      happenedAt: new Date(t0.getTime() + 41 * 60_000),
    },
    later,
  )
  await Activations.close(
    db,
    as(people.supervisor),
    act.id,
    {
      review: {
        summary: "1 小时 10 分钟恢复 · restored in 1 h 10 min",
        whatWorked: "备用线路切换 · carrier switch",
        whatFailed: "公告晚了 11 分钟 · banner 11 minutes late",
        actions: ["公告模板预置 · pre-approved banner text"],
      },
      closedAt: new Date(t0.getTime() + 70 * 60_000),
    },
    later,
  )
  await Exercises.recordExercise(db, as(people.admin), plan.id, {
    kind: "tabletop",
    heldAt: new Date(now.getTime() - 60 * D),
    participants: [people.admin, people.supervisor],
    findings: [
      {
        text: "联系人名单过期 · contact list out of date",
        followUp: "季度更新联系人 · update contacts quarterly",
        ownerId: people.admin,
        done: true,
      },
      {
        text: "公告需审批太慢 · banner approval too slow",
        followUp: "预置公告模板 · pre-approved banner text",
        ownerId: people.supervisor,
        done: false,
      },
    ],
  })
  // two incidents: a resolved chat outage and a data incident whose GDPR clock still runs
  const chat = await Incidents.createIncident(
    db,
    as(people.admin),
    {
      title: "在线客服中断 3 小时 · Chat down for 3 hours",
      kind: "service",
      startedAt: new Date(now.getTime() - 12 * D),
      detectedAt: new Date(now.getTime() - 12 * D + 10 * 60_000),
      affectedCustomers: 420,
      durationMinutes: 180,
      affectedCases: cases?.outage ?? [],
    },
    new Date(now.getTime() - 12 * D + H),
    cases?.lookup,
  )
  await Incidents.updateIncident(db, as(people.admin), chat.id, {
    containedAt: new Date(now.getTime() - 12 * D + 2 * H),
    resolvedAt: new Date(now.getTime() - 12 * D + 3 * H),
    lessons: "插件升级需灰度 · stage vendor plug-in upgrades",
  })
  await Incidents.createIncident(
    db,
    as(people.owner),
    {
      title: "导出文件误发外部邮箱 · Export mailed to an outside address",
      kind: "data_security",
      startedAt: new Date(now.getTime() - 26 * H),
      detectedAt: new Date(now.getTime() - 20 * H),
      affectedCustomers: 1_350,
      dataCategories: ["contact", "case_content"],
      regimes: ["cn", "gdpr"],
      affectedCases: cases?.leak ?? [],
    },
    now,
    cases?.lookup,
  )
  return { risks: risks.length, kris: kris.length, plans: 2, incidents: 2 }
}
