// Issue #15, the points the earlier sessions left: effectiveness on CSAT / FCR / handling time next
// to QA (worked by hand), incentive points from rules on QA scores, programmes with enrolment and
// progress, sessions with attendance, deleting a low-score rule, and the people metrics by team.
import {
  Change,
  type Db,
  Errors,
  Organizations,
  Outbox,
  QualityEvents,
  Teams,
  type Tenancy,
} from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  cultureMigrations,
  Effectiveness,
  Incentives,
  LowScore,
  Metrics,
  Programmes,
  Recognition,
  Roster,
  Training,
} from "../src/index"

let db: Db.Database
let sup: Tenancy.OrgContext
let other: Tenancy.OrgContext
const AGENT = "usr_agent"
const AGENT2 = "usr_agent2"

beforeAll(async () => {
  db = await makeTestDatabase([cultureMigrations])
  const sys = { type: "system" as const, id: "t" }
  const org = await Organizations.create(db, sys, { name: "People Co", slug: "people-co" })
  const org2 = await Organizations.create(db, sys, { name: "Other Co", slug: "other-co" })
  sup = { orgId: org.id, actor: { type: "user", id: "usr_sup", role: "supervisor" } }
  other = { orgId: org2.id, actor: { type: "user", id: "usr_sup2", role: "supervisor" } }
  for (const [id, zh, en] of [
    ["basics", "基础", "Basics"],
    ["complaints", "投诉处理", "Complaints"],
    ["tone", "语气", "Tone"],
  ] as const)
    await Training.saveCourse(db, sup, {
      id,
      title: { "zh-CN": zh, en },
      format: "classroom",
      assessment: "quiz",
      passMark: 70,
    })
})
afterAll(async () => {
  await db.close()
})

const issuesOf = async (p: Promise<unknown>) => {
  try {
    await p
    return []
  } catch (e) {
    if (e instanceof Errors.ValidationError) return e.issues.map((i) => [i.path.join("."), i.code])
    throw e
  }
}

describe(`training effectiveness next to QA: CSAT, FCR, handling time (${testEngine()})`, () => {
  it("compares proportions with the two-proportion z test and means with Welch's test (worked by hand)", () => {
    const p = Effectiveness.compareMetric("fcr", "proportion", [1, 1, 0, 0], [1, 1, 1, 0])
    expect([p.before, p.after]).toEqual([
      { n: 4, mean: 0.5 },
      { n: 4, mean: 0.75 },
    ])
    expect(p.difference).toBeCloseTo(0.25, 12)
    // pooled 5/8, se = √(5/8 · 3/8 · (1/4 + 1/4)) = 0.342327, z = 0.25 / se = 0.730297, p = 0.4652
    expect(p.test!.name).toBe("two_proportion")
    expect(p.test!.statistic).toBeCloseTo(0.730297, 5)
    expect(p.test!.pValue).toBeCloseTo(0.465209, 5)
    // handling time 300, 420, 360 s before; 240, 200 after: t = −140 / √(200/2 + 3600/3) = −3.5,
    // df = (100 + 1200)² / (100² + 1200²/2) = 2.909
    const m = Effectiveness.compareMetric("handle_seconds", "mean", [300, 420, 360], [240, 200])
    expect([m.before.mean, m.after.mean, m.difference]).toEqual([360, 220, -140])
    expect(m.test!.name).toBe("welch")
    expect(m.test!.statistic).toBeCloseTo(-3.5, 10)
    expect(m.test!.df).toBeCloseTo(2.909091, 5)
    // an empty side: no test, no difference; one value a side is enough for a proportion
    expect(Effectiveness.compareMetric("csat", "proportion", [], [1])).toMatchObject({
      before: { n: 0, mean: null },
      after: { n: 1, mean: 1 },
      difference: null,
      test: null,
    })
    expect(Effectiveness.compareMetric("handle_seconds", "mean", [300], [200]).test).toBeNull()
  })

  it("pools each linked metric's values of everyone who passed the course, N days before and after their completion", async () => {
    const at1 = new Date("2026-05-10T00:00:00Z")
    const at2 = new Date("2026-06-01T00:00:00Z")
    for (const [user, at] of [
      [AGENT, at1],
      [AGENT2, at2],
    ] as const) {
      const a = await Training.assignCourse(db, sup, { userId: user, courseId: "tone", dueOn: "2026-07-01" })
      await Training.complete(db, sup, a.id!, { score: 90, at })
    }
    // a failed attempt does not count
    const failed = await Training.assignCourse(db, sup, {
      userId: "usr_x",
      courseId: "tone",
      dueOn: "2026-07-01",
    })
    await Training.complete(db, sup, failed.id!, { score: 10, at: at1 })
    const asked: string[] = []
    const day = 86_400_000
    // per person, before and after: values that name the window they were asked for
    const satisfied: Effectiveness.Samples = async (_org, user, from, to) => {
      asked.push(`${user} ${(to.getTime() - from.getTime()) / day}`)
      const after = from.getTime() === (user === AGENT ? at1 : at2).getTime()
      return user === AGENT ? (after ? [1, 1, 1] : [1, 0, 0]) : after ? [1, 0] : [0]
    }
    const seconds: Effectiveness.Samples = async (_org, user, from) =>
      from.getTime() === (user === AGENT ? at1 : at2).getTime() ? [200] : [400, 500]
    const r = await Effectiveness.linkedMetrics(
      db,
      sup.orgId,
      "tone",
      [
        { id: "csat", kind: "proportion", samples: satisfied },
        { id: "handle_seconds", kind: "mean", samples: seconds },
      ],
      14,
    )
    expect(r.people).toBe(2)
    expect(asked.sort()).toEqual([`${AGENT} 14`, `${AGENT} 14`, `${AGENT2} 14`, `${AGENT2} 14`])
    const [csat, handle] = r.metrics
    // before: 1, 0, 0 and 0 → 1 of 4; after: 1, 1, 1 and 1, 0 → 4 of 5
    expect([csat!.metric, csat!.before, csat!.after]).toEqual([
      "csat",
      { n: 4, mean: 0.25 },
      { n: 5, mean: 0.8 },
    ])
    expect(csat!.difference).toBeCloseTo(0.55, 12)
    // before 400, 500, 400, 500 (mean 450); after 200, 200
    expect([handle!.before, handle!.after, handle!.difference]).toEqual([
      { n: 4, mean: 450 },
      { n: 2, mean: 200 },
      -250,
    ])
    // another organisation's course of the same id has no completions
    expect((await Effectiveness.linkedMetrics(db, other.orgId, "tone", [], 14)).people).toBe(0)
  })
})

let n = 0
const evaluated = async (p: Partial<QualityEvents.Evaluated> & { score: number }, id = `qae_${++n}`) => {
  const payload: QualityEvents.Evaluated = {
    caseId: `case_${n}`,
    agentId: AGENT,
    scorecardId: "card_a",
    scorecardVersion: 1,
    passed: p.score >= 80,
    autoFailed: false,
    criteria: {},
    families: [],
    ...p,
  }
  await Change.change(db, sup, async ({ emit }) =>
    emit({ type: QualityEvents.EVALUATED, aggregateType: "qa_evaluation", aggregateId: id, payload }),
  )
  return id
}

describe(`incentive points from rules on QA scores (${testEngine()})`, () => {
  it("refuses a bad rule naming the field", async () => {
    expect(
      await issuesOf(
        Incentives.saveRule(db, sup, {
          id: "Bad Id",
          name: { "zh-CN": "", en: "x" },
          minResult: 1.5,
          points: 0,
        }),
      ),
    ).toEqual([
      ["id", "invalidId"],
      ["name.zh-CN", "required"],
      ["minResult", "between"],
      ["points", "between"],
    ])
    expect(
      await issuesOf(
        Incentives.saveRule(db, sup, {
          id: "x",
          name: { "zh-CN": "x", en: "x" },
          minResult: 0.9,
          points: 2.5,
        }),
      ),
    ).toEqual([["points", "between"]])
  })

  it("awards a rule's points once per evaluation at or above its minimum; they join kudos in the ranking", async () => {
    await Incentives.saveRule(db, sup, {
      id: "excellent",
      name: { "zh-CN": "质检优秀", en: "Excellent QA" },
      minResult: 0.9,
      points: 5,
    })
    await Incentives.saveRule(db, sup, {
      id: "warm",
      name: { "zh-CN": "语气亲切", en: "Warm tone" },
      criterionId: "tone",
      scorecardId: "card_a",
      minResult: 1,
      points: 2,
    })
    await Incentives.saveRule(db, sup, {
      id: "off",
      name: { "zh-CN": "停用", en: "Off" },
      minResult: 0.1,
      points: 100,
      enabled: false,
    })
    const e1 = await evaluated({ score: 90, criteria: { tone: 1 } }) // both: 5 + 2
    await evaluated({ score: 89.9, criteria: { tone: 2 / 3 } }) // neither
    await evaluated({ score: 95, scorecardId: "card_b", criteria: { tone: 1 } }) // only the overall: 5
    await evaluated({ score: 100, agentId: AGENT2, criteria: { tone: null } }) // AGENT2: 5
    await Outbox.dispatch(db, [Incentives.incentiveHandler])
    // the same event again (a redelivery) awards nothing more
    const again = await Incentives.onEvaluated(db, {
      id: "evt_again",
      orgId: sup.orgId,
      type: QualityEvents.EVALUATED,
      aggregateType: "qa_evaluation",
      aggregateId: e1,
      payload: {
        caseId: "case_1",
        agentId: AGENT,
        scorecardId: "card_a",
        scorecardVersion: 1,
        score: 90,
        passed: true,
        autoFailed: false,
        criteria: { tone: 1 },
        families: [],
      },
      position: 0,
      occurredAt: new Date(),
    })
    expect(again).toEqual([])
    const awards = await Incentives.awards(db, sup.orgId)
    expect(awards.map((a) => [a.userId, a.ruleId, a.points]).sort()).toEqual(
      [
        [AGENT, "excellent", 5],
        [AGENT, "warm", 2],
        [AGENT, "excellent", 5],
        [AGENT2, "excellent", 5],
      ].sort(),
    )
    expect((await Incentives.awards(db, other.orgId)).length).toBe(0)
    await Roster.savePerson(db, sup, {
      userId: AGENT2,
      displayName: "王磊",
      startedOn: "2025-01-01",
      rankingsVisible: false,
    })
    await Recognition.giveKudos(
      db,
      { ...sup, actor: { type: "user", id: AGENT, role: "agent" } },
      {
        toUser: AGENT2,
        message: "谢谢",
        points: 3,
      },
    )
    const ranking = await Recognition.ranking(db, sup.orgId, AGENT, new Date(0))
    expect(ranking).toEqual([
      { rank: 1, userId: AGENT, hidden: false, points: 12, kudos: 0, incentivePoints: 12 },
      { rank: 2, userId: null, hidden: true, points: 8, kudos: 1, incentivePoints: 5 },
    ])
    // deleting a rule keeps what it awarded
    expect(await Incentives.deleteRule(db, sup, "warm")).toEqual({ deleted: "warm" })
    await expect(Incentives.deleteRule(db, sup, "warm")).rejects.toBeInstanceOf(Errors.NotFoundError)
    await expect(Incentives.deleteRule(db, other, "excellent")).rejects.toBeInstanceOf(Errors.NotFoundError)
    expect((await Incentives.listRules(db, sup.orgId)).map((r) => r.id)).toEqual(["excellent", "off"])
    expect((await Incentives.awards(db, sup.orgId, { userId: AGENT })).length).toBe(3)
  })
})

describe(`deleting a low-score rule (${testEngine()})`, () => {
  it("deletes the rule (audited) and keeps the coaching tasks it raised", async () => {
    await LowScore.saveRule(db, sup, { id: "below-60", threshold: 0.6, action: "coaching" })
    const e = await evaluated({ score: 40 })
    await Outbox.dispatch(db, [LowScore.lowScoreHandler])
    const tasks = await LowScore.coachingTasks(db, sup.orgId, { userId: AGENT })
    expect(tasks.map((t) => [t.ruleId, t.evaluationId])).toEqual([["below-60", e]])
    expect(await LowScore.deleteRule(db, sup, "below-60")).toEqual({ deleted: "below-60" })
    expect(await LowScore.listRules(db, sup.orgId)).toEqual([])
    expect((await LowScore.coachingTasks(db, sup.orgId, { userId: AGENT })).map((t) => t.ruleId)).toEqual([
      "below-60",
    ])
    await expect(LowScore.deleteRule(db, sup, "below-60")).rejects.toBeInstanceOf(Errors.NotFoundError)
    // a later low score raises nothing: the rule is gone
    await evaluated({ score: 10 })
    await Outbox.dispatch(db, [LowScore.lowScoreHandler])
    expect((await LowScore.coachingTasks(db, sup.orgId)).length).toBe(1)
    const audit = await db.kysely
      .selectFrom("core.audit_log")
      .select(["action", "entity_id"])
      .where("org_id", "=", sup.orgId)
      .where("action", "=", "culture.low_score_rule_deleted")
      .execute()
    expect(audit).toEqual([{ action: "culture.low_score_rule_deleted", entity_id: "below-60" }])
  })
})

describe(`programmes and sessions (${testEngine()})`, () => {
  it("refuses a bad programme naming the field", async () => {
    expect(
      await issuesOf(
        Programmes.saveProgramme(db, sup, {
          id: "onboard",
          name: { "zh-CN": "入职", en: "" },
          courseIds: ["basics", "basics"],
          dueDays: 0,
        }),
      ),
    ).toEqual([
      ["name.en", "required"],
      ["courseIds.1", "duplicate"],
      ["dueDays", "invalidValue"],
    ])
    expect(
      await issuesOf(
        Programmes.saveProgramme(db, sup, {
          id: "onboard",
          name: { "zh-CN": "入职", en: "Onboarding" },
          courseIds: ["basics", "nope"],
        }),
      ),
    ).toEqual([["courseIds.1", "unknownCourse"]])
    expect(
      await issuesOf(
        Programmes.saveProgramme(db, sup, {
          id: "onboard",
          name: { "zh-CN": "入职", en: "O" },
          courseIds: [],
        }),
      ),
    ).toEqual([["courseIds", "required"]])
  })

  it("enrolling assigns the courses a person has neither passed nor open; progress counts the courses passed", async () => {
    await Programmes.saveProgramme(db, sup, {
      id: "onboard",
      name: { "zh-CN": "新员工入职", en: "Onboarding" },
      courseIds: ["basics", "complaints", "tone"],
      dueDays: 20,
    })
    // usr_new has basics open already; AGENT passed tone (above)
    await Training.assignCourse(db, sup, { userId: "usr_new", courseId: "basics", dueOn: "2026-12-31" })
    const at = new Date("2026-11-01T08:00:00Z")
    const r = await Programmes.enrol(db, sup, "onboard", ["usr_new", AGENT, "usr_new"], at)
    expect(r.enrolled).toEqual([
      { userId: "usr_new", assigned: ["complaints", "tone"] },
      { userId: AGENT, assigned: ["basics", "complaints"] },
    ])
    const mine = (await Training.assignmentsOf(db, sup.orgId, "usr_new")).filter(
      (a) => a.source === "programme",
    )
    expect(mine.map((a) => [a.courseId, a.dueOn])).toEqual([
      ["complaints", "2026-11-21"],
      ["tone", "2026-11-21"],
    ])
    // enrolling again assigns nothing new
    expect((await Programmes.enrol(db, sup, "onboard", [AGENT], at)).enrolled).toEqual([
      { userId: AGENT, assigned: [] },
    ])
    const basics = (await Training.assignmentsOf(db, sup.orgId, AGENT)).find(
      (a) => a.courseId === "basics" && a.source === "programme",
    )!
    await Training.complete(db, sup, basics.id, { score: 80, at: new Date("2026-11-25T00:00:00Z") })
    const [p] = await Programmes.listProgrammes(db, sup.orgId)
    expect(p!.courseIds).toEqual(["basics", "complaints", "tone"])
    expect(p!.enrolled.map((e) => [e.userId, e.passed, e.complete])).toEqual([
      [AGENT, ["basics", "tone"], false],
      ["usr_new", [], false],
    ])
    await expect(Programmes.enrol(db, other, "onboard", [AGENT])).rejects.toBeInstanceOf(Errors.NotFoundError)
    expect(await Programmes.listProgrammes(db, other.orgId)).toEqual([])
  })

  it("lists sessions latest first with their attendance and counts", async () => {
    const s1 = await Training.addSession(db, sup, {
      courseId: "complaints",
      startsAt: new Date("2026-10-01T01:00:00Z"),
      endsAt: new Date("2026-10-01T04:00:00Z"),
      location: "培训室 B",
    })
    const s2 = await Training.addSession(db, sup, {
      courseId: "basics",
      startsAt: new Date("2026-11-01T01:00:00Z"),
      endsAt: new Date("2026-11-01T02:00:00Z"),
    })
    await Training.recordAttendance(db, sup, s1.id, [
      { userId: AGENT, status: "attended" },
      { userId: AGENT2, status: "absent" },
      { userId: "usr_new", status: "registered" },
    ])
    await Training.recordAttendance(db, sup, s1.id, [{ userId: "usr_new", status: "attended" }])
    const list = await Training.listSessions(db, sup.orgId)
    expect(list.map((s) => [s.id, s.title.en, s.registered, s.attended, s.absent])).toEqual([
      [s2.id, "Basics", 0, 0, 0],
      [s1.id, "Complaints", 0, 2, 1],
    ])
    expect(list[1]!.attendance).toEqual([
      { userId: AGENT, status: "attended" },
      { userId: AGENT2, status: "absent" },
      { userId: "usr_new", status: "attended" },
    ])
    expect((await Training.listSessions(db, sup.orgId, { courseId: "basics" })).map((s) => s.id)).toEqual([
      s2.id,
    ])
    expect(await Training.listSessions(db, other.orgId)).toEqual([])
  })
})

describe(`people metrics by team (${testEngine()})`, () => {
  it("splits and filters by team against worked values, and refuses another dimension", async () => {
    await Teams.save(db, sup, { id: "general", name: { "zh-CN": "综合组", en: "General" } })
    await Teams.save(db, sup, { id: "billing", name: { "zh-CN": "账务组", en: "Billing" } })
    await Teams.setMember(db, sup, {
      teamId: "general",
      userId: AGENT,
      level: "service_specialist",
      joinedOn: "2026-01-01",
    })
    await Teams.setMember(db, sup, {
      teamId: "general",
      userId: "usr_new",
      level: "service_specialist",
      joinedOn: "2026-01-01",
    })
    await Teams.setMember(db, sup, {
      teamId: "billing",
      userId: AGENT2,
      level: "service_specialist",
      joinedOn: "2026-01-01",
    })
    const q = {
      orgId: sup.orgId,
      from: new Date("2026-11-01T00:00:00Z"),
      to: new Date("2026-12-01T00:00:00Z"),
      timeZone: "UTC",
      bucket: "none" as const,
    }
    // due in November: the programme's four (usr_new complaints + tone, AGENT basics + complaints), none
    // passed by their due date (AGENT's basics was passed on 2026-11-25, after 2026-11-21: late)
    const all = await Metrics.trainingOnTime.compute(q, db)
    const byTeam = await Metrics.trainingOnTime.compute({ ...q, groupBy: ["team"] }, db)
    expect(all.map((v) => [v.numerator, v.denominator])).toEqual([[0, 4]])
    expect(byTeam.map((v) => [v.dimensions?.team, v.numerator, v.denominator])).toEqual([["general", 0, 4]])
    // tone passed by AGENT (2026-05-10, due 2026-07-01) and AGENT2 (2026-06-01): on time, one per team
    const half = { ...q, from: new Date("2026-06-01T00:00:00Z"), to: new Date("2026-08-01T00:00:00Z") }
    expect(
      (await Metrics.trainingOnTime.compute({ ...half, groupBy: ["team"] }, db)).map((v) => [
        v.dimensions?.team,
        v.numerator,
        v.denominator,
      ]),
    ).toEqual([
      ["billing", 1, 1],
      ["general", 1, 1],
      ["—", 0, 1], // usr_x (failed), in no team
    ])
    expect(
      (await Metrics.trainingOnTime.compute({ ...half, filter: { team: "billing" } }, db)).map((v) => [
        v.dimensions,
        v.numerator,
        v.denominator,
      ]),
    ).toEqual([[undefined, 1, 1]])
    // a team with nothing due: one empty value for everyone, none by team
    expect(await Metrics.trainingOnTime.compute({ ...half, filter: { team: "nobody" } }, db)).toEqual([
      { value: null, n: 0 },
    ])
    await expect(Metrics.attrition.compute({ ...q, groupBy: ["channel"] }, db)).rejects.toThrow(
      'unknown dimension "channel"; use team',
    )
    for (const def of Metrics.cultureMetrics()) {
      expect(def.dimensions).toEqual(["team"])
      // each computes by team without error
      await def.compute({ ...q, groupBy: ["team"] }, db)
    }
  })
})
