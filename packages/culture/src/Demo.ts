/**
 * The demo organisation's people side: team names and members, the roster, a competency framework
 * with ratings, courses, certifications (the agent's general-queue certification expiring soon, the
 * agent not yet certified for complaints, with the course assigned), the QA → training rules and the
 * low-score rules (coaching, a course), incentive rules, sessions with attendance, a programme, kudos,
 * knowledge articles, the standard phrasing and lessons learned. Consistent with process's demo
 * (its teams: general, technical, billing, complaints) and the QA evaluations of the same people.
 *
 * @since 0.1.0
 */
import { Shifts, Teams, type Tenancy } from "@tenet/core"
import * as CriterionSkills from "./CriterionSkills"
import * as Certification from "./certification/Certification"
import { type Database, isoDate } from "./db"
import * as Framework from "./framework/Framework"
import type { FrameworkDocument } from "./framework/model"
import * as Incentives from "./Incentives"
import * as Knowledge from "./knowledge/Knowledge"
import * as LowScore from "./LowScore"
import * as QaTraining from "./QaTraining"
import * as Recognition from "./Recognition"
import * as Roster from "./Roster"
import * as Programmes from "./training/Programmes"
import * as Training from "./training/Training"

const t = (zh: string, en: string) => ({ "zh-CN": zh, en })

/** The demo's competency framework (seed 002 §2.3). @category models @since 0.1.0 */
export const DEMO_FRAMEWORK: FrameworkDocument = {
  id: "service-core",
  name: t("客服核心能力", "Service core competencies"),
  levels: [
    {
      level: 1,
      name: t("入门", "Foundation"),
      behaviour: t("在指导下按话术处理常见问题", "Handles common requests with the scripts, under guidance"),
    },
    {
      level: 2,
      name: t("熟练", "Proficient"),
      behaviour: t(
        "独立处理大多数问题，主动确认客户需求",
        "Handles most requests alone and confirms the customer's need",
      ),
    },
    {
      level: 3,
      name: t("专家", "Expert"),
      behaviour: t("处理复杂投诉并辅导同事", "Resolves complex complaints and coaches colleagues"),
    },
  ],
  areas: [
    { id: "communication", kind: "skill", name: t("沟通表达", "Communication") },
    { id: "problem-solving", kind: "skill", name: t("问题解决", "Problem solving") },
    { id: "relationship", kind: "skill", name: t("客户关系管理", "Relationship management") },
    { id: "product", kind: "knowledge", name: t("产品知识", "Product knowledge") },
    { id: "industry", kind: "knowledge", name: t("行业知识", "Industry knowledge") },
    { id: "business-process", kind: "knowledge", name: t("业务流程", "Business process") },
  ],
  requirements: [
    { role: "service_specialist", area: "communication", level: 2 },
    { role: "service_specialist", area: "product", level: 2 },
    { queue: "complaints", area: "relationship", level: 3 },
    { role: "team_leader", area: "problem-solving", level: 3 },
  ],
}

/** The people the demo seeds (user ids by role). @category models @since 0.1.0 */
export interface DemoPeople {
  readonly owner: string
  readonly admin: string
  readonly supervisor: string
  readonly qa_analyst: string
  readonly agent: string
}

const DAY = 86_400_000

/** Seed the demo's culture data. @category constructors @since 0.1.0 */
export const seedDemoCulture = async (
  db: Database,
  ctx: Tenancy.OrgContext,
  people: DemoPeople,
  now: Date = new Date(),
) => {
  const ago = (days: number) => new Date(now.getTime() - days * DAY)
  const teams = [
    ["general", "综合服务组", "General service", ["phone", "chat", "email"], ["inquiry", "request"]],
    ["technical", "技术支持组", "Technical support", ["phone", "chat", "email"], ["incident"]],
    ["billing", "账务组", "Billing", ["phone", "email"], ["request"]],
    ["complaints", "投诉处理组", "Complaints", ["phone", "email"], ["complaint"]],
  ] as const
  for (const [id, zh, en, channels, queues] of teams)
    await Teams.save(db, ctx, { id, name: t(zh, en), leaderId: people.supervisor, channels, queues })
  const member = (
    teamId: string,
    userId: string,
    level: "team_leader" | "project_manager" | "service_specialist",
    joined: number,
  ) => Teams.setMember(db, ctx, { teamId, userId, level, joinedOn: isoDate(ago(joined)) })
  await member("general", people.agent, "service_specialist", 400)
  await member("complaints", people.agent, "service_specialist", 20)
  for (const team of ["general", "complaints", "technical"])
    await member(team, people.supervisor, "team_leader", 900)
  await member("general", people.admin, "project_manager", 1200)
  // shifts of the people above, in their own teams (workforce plans count them): the agent covers the
  // general queues on working days and splits the afternoon with complaints; the supervisor leads
  // technical on working days; the project manager takes general's Saturday morning
  const shift = (teamId: string, userId: string, weekdays: number[], startTime: string, endTime: string) =>
    Shifts.save(db, ctx, { teamId, userId, weekdays, startTime, endTime, validFrom: isoDate(ago(120)) })
  await shift("general", people.agent, [1, 2, 3, 4, 5], "08:30", "14:00")
  await shift("complaints", people.agent, [1, 2, 3, 4, 5], "14:00", "17:30")
  await shift("technical", people.supervisor, [1, 2, 3, 4, 5], "09:00", "18:00")
  await shift("general", people.admin, [6], "09:00", "13:00")
  await Roster.savePerson(db, ctx, {
    userId: people.agent,
    displayName: "刘洋 Liu Yang",
    startedOn: isoDate(ago(400)),
    languages: ["zh-CN", "en"],
  })
  await Roster.savePerson(db, ctx, {
    userId: people.supervisor,
    displayName: "王芳 Wang Fang",
    startedOn: isoDate(ago(1500)),
    languages: ["zh-CN"],
  })
  await Roster.savePerson(db, ctx, {
    userId: people.admin,
    displayName: "李强 Li Qiang",
    startedOn: isoDate(ago(2000)),
    languages: ["zh-CN", "en"],
  })
  await Roster.savePerson(db, ctx, {
    userId: people.qa_analyst,
    displayName: "陈静 Chen Jing",
    startedOn: isoDate(ago(700)),
    languages: ["zh-CN"],
    rankingsVisible: false,
  })

  await Framework.saveFramework(db, ctx, DEMO_FRAMEWORK)
  const sup = { ...ctx, actor: { type: "user" as const, id: people.supervisor, role: "supervisor" as const } }
  const agent = { ...ctx, actor: { type: "user" as const, id: people.agent, role: "agent" as const } }
  for (const [skill, self, rated] of [
    ["communication", 3, 2],
    ["product", 2, 2],
    ["relationship", 2, 1],
    ["problem-solving", 2, 2],
  ] as const) {
    await Framework.rate(db, agent, { userId: people.agent, skillId: skill, source: "self", level: self })
    await Framework.rate(db, sup, {
      userId: people.agent,
      skillId: skill,
      source: "supervisor",
      level: rated,
    })
  }
  for (const skill of ["communication", "product", "relationship", "problem-solving"])
    await Framework.rate(db, ctx, {
      userId: people.supervisor,
      skillId: skill,
      source: "supervisor",
      level: 3,
    })

  const courses = [
    {
      id: "product-basics",
      title: t("产品与业务基础", "Product and business basics"),
      format: "e_learning",
      skillIds: ["product", "business-process"],
      assessment: "quiz",
      passMark: 80,
    },
    {
      id: "complaints-101",
      title: t("投诉处理实务", "Handling complaints"),
      format: "role_play",
      skillIds: ["relationship", "communication"],
      assessment: "quiz",
      passMark: 80,
    },
    {
      id: "empathy",
      title: t("同理心沟通", "Empathetic communication"),
      format: "classroom",
      skillIds: ["relationship"],
      assessment: "practical",
      passMark: 70,
    },
    {
      id: "first-contact",
      title: t("首问负责与一次解决", "Resolving at first contact"),
      format: "drill",
      skillIds: ["problem-solving"],
      assessment: "quiz",
      passMark: 75,
    },
    {
      id: "compliance-refresh",
      title: t("合规要点复训", "Compliance refresher"),
      format: "seminar",
      skillIds: ["industry"],
      assessment: "none",
    },
  ] as const
  for (const c of courses) await Training.saveCourse(db, ctx, c)
  await Training.addSession(db, ctx, {
    courseId: "empathy",
    startsAt: new Date(now.getTime() + 5 * DAY),
    endsAt: new Date(now.getTime() + 5 * DAY + 3 * 3600_000),
    location: "培训室 A",
  })
  await Certification.saveCertification(db, ctx, {
    id: "general-queue",
    name: t("综合服务上岗认证", "General service certification"),
    scope: { kind: "queue", value: "general" },
    requiredCourses: ["product-basics"],
    minScore: 80,
    validityDays: 365,
    remindDays: 30,
  })
  await Certification.saveCertification(db, ctx, {
    id: "complaints-queue",
    name: t("投诉处理上岗认证", "Complaints certification"),
    scope: { kind: "queue", value: "complaints" },
    requiredCourses: ["complaints-101"],
    minScore: 85,
    validityDays: 180,
    remindDays: 30,
  })
  // the agent: certified for general 345 days ago (expires in 20 days), not yet for complaints
  const pass = async (userId: string, courseId: string, score: number, daysAgo: number) => {
    const a = await Training.assignCourse(db, ctx, { userId, courseId, dueOn: isoDate(ago(daysAgo - 14)) })
    await Training.complete(db, sup, a.id!, { score, at: ago(daysAgo) })
  }
  await pass(people.agent, "product-basics", 88, 345)
  await pass(people.supervisor, "product-basics", 95, 100)
  await pass(people.supervisor, "complaints-101", 93, 60)
  // the agent passed the first-contact drill 20 days ago: its page compares their QA, CSAT, FCR and
  // handling time before and after
  await pass(people.agent, "first-contact", 86, 20)
  // sessions: the complaints course 62 days ago (the supervisor attended, the project manager missed
  // it) and in 3 days (the agent registered)
  const session = async (courseId: string, startsIn: number, location: string) =>
    (
      await Training.addSession(db, ctx, {
        courseId,
        startsAt: new Date(now.getTime() + startsIn * DAY),
        endsAt: new Date(now.getTime() + startsIn * DAY + 3 * 3600_000),
        location,
      })
    ).id
  await Training.recordAttendance(db, ctx, await session("complaints-101", -62, "培训室 B"), [
    { userId: people.supervisor, status: "attended" },
    { userId: people.admin, status: "absent" },
  ])
  await Training.recordAttendance(db, ctx, await session("complaints-101", 3, "培训室 B"), [
    { userId: people.agent, status: "registered" },
  ])
  await Training.assignCourse(db, ctx, {
    userId: people.agent,
    courseId: "complaints-101",
    dueOn: isoDate(new Date(now.getTime() + 10 * DAY)),
  })
  // a programme for new staff: the supervisor has finished it, the agent has the complaints course to go
  await Programmes.saveProgramme(db, ctx, {
    id: "new-hire",
    name: t("新员工上岗培训", "New-hire onboarding"),
    courseIds: ["product-basics", "complaints-101"],
    dueDays: 30,
  })
  await Programmes.enrol(db, ctx, "new-hire", [people.supervisor, people.agent], ago(30))
  await QaTraining.setQaRule(db, ctx, { family: "customer", courseId: "complaints-101", dueDays: 14 })
  await QaTraining.setQaRule(db, ctx, { family: "compliance", courseId: "compliance-refresh", dueDays: 7 })
  // low QA scores: coaching below 75%, and the empathy course for a poor tone (below half its scale);
  // the demo's QA evaluations reach them when the API dispatches its events at start
  await LowScore.saveRule(db, ctx, {
    id: "below-75-coaching",
    threshold: 0.75,
    action: "coaching",
    dueDays: 7,
  })
  await LowScore.saveRule(db, ctx, {
    id: "poor-tone-empathy",
    criterionId: "tone",
    threshold: 0.5,
    action: "course",
    courseId: "empathy",
    dueDays: 14,
  })
  // incentive points: an evaluation of 90 or more, and a tone at the top of its scale; the demo's QA
  // evaluations earn them when the API dispatches its events at start
  await Incentives.saveRule(db, ctx, {
    id: "qa-excellent",
    name: t("质检优秀", "Excellent QA"),
    minResult: 0.9,
    points: 5,
  })
  await Incentives.saveRule(db, ctx, {
    id: "warm-tone",
    name: t("语气亲切", "Warm tone"),
    criterionId: "tone",
    minResult: 1,
    points: 2,
  })
  // the QA criteria of the demo's scorecard (the default one) that show a skill of the framework
  for (const [criterionId, skillId] of [
    ["tone", "relationship"],
    ["understand", "communication"],
    ["correct", "problem-solving"],
  ] as const)
    await CriterionSkills.setMapping(db, ctx, { criterionId, skillId })

  await Recognition.giveKudos(db, sup, {
    toUser: people.agent,
    message: "耐心安抚了一位情绪激动的老客户，问题当天解决",
    points: 3,
  })
  await Recognition.giveKudos(db, agent, { toUser: people.supervisor, message: "谢谢组长陪我处理第一单投诉" })
  await Recognition.giveKudos(
    db,
    { ...ctx, actor: { type: "user", id: people.qa_analyst, role: "qa_analyst" } },
    { toUser: people.agent, message: "本月质检零致命错误", points: 2 },
  )

  await Knowledge.saveArticle(db, sup, {
    kind: "article",
    title: "退款流程说明",
    body: "客户申请退款时：1. 核对订单与支付方式；2. 说明到账时效（原路退回，三至五个工作日）；3. 在工单中记录退款单号。",
    reviewOn: isoDate(new Date(now.getTime() + 60 * DAY)),
  })
  await Knowledge.saveArticle(db, sup, {
    kind: "article",
    title: "Password reset for business accounts",
    body: "Verify the caller is the account administrator, then send the reset link to the registered e-mail. 企业账户密码重置须先核实管理员身份。",
  })
  await Knowledge.saveArticle(db, sup, {
    kind: "phrasing",
    title: "投诉致歉标准话术",
    body: "非常抱歉给您带来不便。我已经记录了您的问题，会在24小时内给您明确答复，请您放心。",
  })
  await Knowledge.saveArticle(db, sup, {
    kind: "lesson",
    title: "周末积压清零",
    body: "十天未回复的积压问题在周末集中清零：按SLA风险排序，增派两名坐席，每日复盘。",
    outcome: "success",
  })
  await Knowledge.saveArticle(db, sup, {
    kind: "lesson",
    title: "未经认证上岗导致投诉升级",
    body: "新坐席未完成投诉处理培训即接手投诉队列，两单升级为媒体投诉。此后投诉队列须先取得上岗认证。",
    outcome: "failure",
  })
}
