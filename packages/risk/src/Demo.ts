/**
 * The demo organisation's risks: the seed catalogue rated (one risk per §6.1 category), KRIs on the
 * demo's real process metrics (backlog past due and first-response attainment), a telephony-outage plan
 * with one past activation recorded after the fact and one exercise, a contact-surge plan bound to the
 * backlog KRI (whose first evaluation, red, activates it), and two incidents (one resolved
 * service outage, one data-security incident whose GDPR clock is still running).
 *
 * @since 0.1.0
 */
import * as Catalogue from "./Catalogue"
import * as Incidents from "./Incidents"
import * as Kri from "./Kri"
import * as Library from "./Library"
import * as Plans from "./Plans"
import * as Register from "./Register"
import { type Ctx, type Database, type Registry, tables } from "./store"
import * as Treatments from "./Treatments"

const H = 3_600_000
const D = 24 * H

type Rate = readonly [number, number]
const RISKS: ReadonlyArray<{
  c: string
  t: string
  cause: string
  event: string
  cons: string
  inh: Rate
  res: Rate
  control: string
}> = [
  {
    c: "poor_communication",
    t: "政策变更未及时告知客户 · Policy changes reach customers late",
    cause: "知识库更新滞后 · knowledge base updated after the change",
    event: "客服给出过时答复 · agents give outdated answers",
    cons: "投诉与重复来电增加 · complaints and repeat contacts rise",
    inh: [3, 2],
    res: [2, 2],
    control: "变更前知识库审核 · knowledge review before each change",
  },
  {
    c: "response_delay",
    t: "高峰时段首次响应超时 · First responses late at peak",
    cause: "排班与来电高峰不匹配 · rota does not follow the peak",
    event: "首次响应超出承诺时限 · first response past the promise",
    cons: "客户流失、满意度下降 · churn and lower satisfaction",
    inh: [3, 3],
    res: [2, 3],
    control: "高峰时段弹性排班 · flexible peak rota",
  },
  {
    c: "quality_decline",
    t: "新人答复准确率不足 · New agents' answers less accurate",
    cause: "培训周期压缩 · shortened onboarding",
    event: "质检致命错误增加 · more critical QA errors",
    cons: "二次处理与赔付 · rework and compensation",
    inh: [2, 3],
    res: [2, 2],
    control: "新人前两周全量质检 · full QA for new agents' first two weeks",
  },
  {
    c: "system_failure",
    t: "电话系统供应商故障 · Telephony vendor outage",
    cause: "单一运营商线路 · single carrier",
    event: "呼入中断 · inbound calls fail",
    cons: "客户无法联系我们 · customers cannot reach us",
    inh: [2, 3],
    res: [1, 3],
    control: "备用运营商线路 · backup carrier line",
  },
  {
    c: "service_interruption",
    t: "在线客服渠道中断 · Chat channel interrupted",
    cause: "第三方插件升级失败 · failed vendor plug-in upgrade",
    event: "网页与 App 在线客服不可用 · web and app chat unavailable",
    cons: "来电激增、等待时间变长 · calls surge, waits grow",
    inh: [2, 2],
    res: [2, 2],
    control: "升级前灰度发布 · staged rollout of upgrades",
  },
  {
    c: "demand_surge",
    t: "促销活动带来来访激增 · Promotions bring contact surges",
    cause: "营销活动未提前告知客服 · campaigns not announced to service",
    event: "积压超出处理能力 · backlog beyond capacity",
    cons: "超时积压与投诉 · overdue backlog and complaints",
    inh: [2, 3],
    res: [1, 3],
    control: "活动日历同步 · shared campaign calendar",
  },
  {
    c: "data_leakage",
    t: "工单导出文件外泄 · Case exports leaked",
    cause: "导出文件通过邮件传递 · exports mailed as attachments",
    event: "客户个人信息发送给错误对象 · personal data sent to the wrong person",
    cons: "监管报告与信任受损 · regulatory notice, loss of trust",
    inh: [2, 3],
    res: [2, 2],
    control: "导出加密与审批 · encrypted, approved exports",
  },
]

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
  for (const k of kris) await Kri.evaluate(db, registry, ctx.orgId, k.id, now)
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
  const act = await Plans.activate(
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
  await Plans.record(
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
  await Plans.record(
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
  await Plans.record(
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
  await Plans.close(
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
  await Plans.recordExercise(db, as(people.admin), plan.id, {
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
