import { readFileSync } from "node:fs"
import { type Db, Organizations, Teams, type Tenancy } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  Certification,
  cultureMigrations,
  Effectiveness,
  Framework,
  FrameworkModel,
  Grams,
  Knowledge,
  Metrics,
  Recognition,
  Roster,
  Training,
} from "../src/index"

let db: Db.Database
let sup: Tenancy.OrgContext
const yaml = readFileSync(new URL("./fixtures/framework.yaml", import.meta.url), "utf8")
const as = (id: string, role: Tenancy.Role = "agent"): Tenancy.OrgContext => ({
  orgId: sup.orgId,
  actor: { type: "user", id, role },
})

beforeAll(async () => {
  db = await makeTestDatabase([cultureMigrations])
  const org = await Organizations.create(
    db,
    { type: "system", id: "t" },
    { name: "People Co", slug: "people-co" },
  )
  sup = { orgId: org.id, actor: { type: "user", id: "usr_sup", role: "supervisor" } }
})
afterAll(async () => {
  await db.close()
})

describe("framework files (pure)", () => {
  it("parses the YAML framework", () => {
    const f = FrameworkModel.parseFramework(yaml)
    expect(f.areas.map((a) => a.id)).toEqual([
      "communication",
      "problem-solving",
      "relationship",
      "product",
      "industry",
      "business-process",
    ])
    expect(f.levels[2]!.behaviour["zh-CN"]).toBe("处理复杂投诉并辅导同事")
  })
  it("names the path of every problem", () => {
    const bad = JSON.stringify({
      id: "x",
      name: { "zh-CN": "甲", en: "" },
      levels: [{ level: 2, name: { "zh-CN": "a", en: "a" }, behaviour: { "zh-CN": "b", en: "b" } }],
      areas: [{ id: "comm", kind: "talent", name: { "zh-CN": "c", en: "c" } }],
      requirements: [{ role: "agent", area: "nope", level: 5 }],
    })
    expect(() => FrameworkModel.parseFramework(bad)).toThrowError()
    try {
      FrameworkModel.parseFramework(bad)
    } catch (e) {
      expect((e as { issues: Array<{ path: unknown[] }> }).issues.map((i) => i.path.join("."))).toEqual([
        "name.en",
        "levels.0.level",
        "areas.0.kind",
        "requirements.0.area",
        "requirements.0.level",
      ])
    }
    expect(() => FrameworkModel.parseFramework("id: [unclosed")).toThrowError(/invalid framework file/)
  })
})

describe(`skills matrix and gap analysis (${testEngine()})`, () => {
  it("keeps rating history, prefers the supervisor's rating, and maps team × area gaps", async () => {
    await Framework.saveFramework(db, sup, FrameworkModel.parseFramework(yaml))
    for (const [team, zh, en] of [
      ["complaints", "投诉组", "Complaints"],
      ["general", "综合组", "General"],
    ] as const)
      await Teams.save(db, sup, { id: team, name: { "zh-CN": zh, en } })
    await Teams.setMember(db, sup, { teamId: "complaints", userId: "usr_a", level: "service_specialist" })
    await Teams.setMember(db, sup, { teamId: "complaints", userId: "usr_b", level: "service_specialist" })
    await Teams.setMember(db, sup, { teamId: "general", userId: "usr_c", level: "service_specialist" })
    await Framework.rate(db, as("usr_a"), {
      userId: "usr_a",
      skillId: "communication",
      source: "self",
      level: 3,
    })
    await Framework.rate(db, sup, {
      userId: "usr_a",
      skillId: "communication",
      source: "supervisor",
      level: 1,
    })
    await Framework.rate(db, sup, {
      userId: "usr_a",
      skillId: "relationship",
      source: "supervisor",
      level: 2,
    })
    await Framework.rate(db, sup, {
      userId: "usr_b",
      skillId: "communication",
      source: "supervisor",
      level: 2,
    })
    await Framework.rate(db, sup, {
      userId: "usr_c",
      skillId: "communication",
      source: "supervisor",
      level: 2,
    })
    await expect(
      Framework.rate(db, sup, { userId: "usr_a", skillId: "communication", source: "self", level: 2 }),
    ).rejects.toMatchObject({
      issues: [{ path: ["source"] }],
    })
    expect((await Framework.ratingHistory(db, sup.orgId, "usr_a")).length).toBe(3)
    const cell = (await Framework.skillsMatrix(db, sup.orgId)).find(
      (c) => c.userId === "usr_a" && c.skillId === "communication",
    )
    expect(cell).toMatchObject({ self: 3, supervisor: 1, level: 1 })
    const map = await Framework.gapAnalysis(db, sup.orgId)
    const at = (t: string, s: string) => map.find((c) => c.teamId === t && c.skillId === s)
    // complaints: communication needs 2 — a at 1 (gap 1), b at 2 (gap 0) → mean 0.5; relationship needs 3 — a 2 (1), b 0 (3) → 2
    expect(at("complaints", "communication")).toEqual({
      teamId: "complaints",
      skillId: "communication",
      meanGap: 0.5,
      below: 1,
      n: 2,
    })
    expect(at("complaints", "relationship")).toEqual({
      teamId: "complaints",
      skillId: "relationship",
      meanGap: 2,
      below: 2,
      n: 2,
    })
    expect(at("general", "relationship")!.meanGap).toBe(0)
    // skill-gap index: (0.5·2 + 2·2 + 0·…)/n over all member-area pairs (3 members × 6 areas = 18) = 5/18
    const [index] = await Metrics.skillGapIndex.compute(
      { orgId: sup.orgId, from: new Date(0), to: new Date(), timeZone: "UTC", bucket: "none" },
      db,
    )
    expect(index!.n).toBe(18)
    expect(index!.value).toBeCloseTo(5 / 18, 10)
  })

  it("generates a training plan from the gaps, once", async () => {
    await Training.saveCourse(db, sup, {
      id: "empathy",
      title: { "zh-CN": "同理心沟通", en: "Empathy" },
      format: "classroom",
      skillIds: ["relationship"],
      assessment: "practical",
      passMark: 70,
    })
    await Training.saveCourse(db, sup, {
      id: "billing",
      title: { "zh-CN": "账单知识", en: "Billing" },
      format: "e_learning",
      skillIds: ["product"],
      assessment: "none",
    })
    const plan = await Training.planFromGaps(db, sup, "usr_b", {
      at: new Date("2026-03-01T00:00:00Z"),
      dueDays: 30,
    })
    expect(plan.gaps.map((g) => [g.skillId, g.gap])).toEqual([["relationship", 3]])
    expect(plan.assigned).toEqual(["empathy"])
    expect((await Training.planFromGaps(db, sup, "usr_b")).assigned).toEqual([])
    const [a] = await Training.assignmentsOf(db, sup.orgId, "usr_b")
    expect(a!.dueOn).toBe("2026-03-31")
    // a practical assessment is scored by a supervisor, not by the agent
    await expect(Training.complete(db, as("usr_b"), a!.id, { score: 90 })).rejects.toMatchObject({
      _tag: "ForbiddenError",
    })
    expect((await Training.complete(db, sup, a!.id, { score: 60 })).passed).toBe(false)
  })
})

describe("effectiveness (worked values)", () => {
  it("compares before and after with Welch's test and n", () => {
    const r = Effectiveness.compare([70, 75, 80], [85, 90, 95])
    // means 75 and 90; variances 25 and 25 → se = √(25/3 + 25/3) = 4.0825; t = 15 / 4.0825 = 3.6742; df = 4
    expect(r.before).toEqual({ n: 3, mean: 75 })
    expect(r.after).toEqual({ n: 3, mean: 90 })
    expect(r.difference).toBe(15)
    expect(r.test!.statistic).toBeCloseTo(3.6742, 4)
    expect(r.test!.df).toBeCloseTo(4, 10)
    expect(r.test!.pValue).toBeCloseTo(0.0213, 3)
    expect(Effectiveness.compare([1], [2, 3]).test).toBeNull()
  })

  it(`pools everyone who passed a course (${testEngine()})`, async () => {
    await Training.saveCourse(db, sup, {
      id: "listening",
      title: { "zh-CN": "倾听技巧", en: "Listening" },
      format: "drill",
      assessment: "quiz",
      passMark: 60,
    })
    const a = await Training.assignCourse(db, sup, {
      userId: "usr_c",
      courseId: "listening",
      dueOn: "2026-04-01",
    })
    await Training.complete(db, as("usr_c"), a.id!, { score: 75, at: new Date("2026-03-15T00:00:00Z") })
    const scores: Record<string, number[]> = { before: [70, 75, 80], after: [85, 90, 95] }
    const r = await Effectiveness.courseEffectiveness(db, sup.orgId, "listening", async (_o, _u, from) =>
      from < new Date("2026-03-15T00:00:00Z") ? scores.before! : scores.after!,
    )
    expect(r.people).toBe(1)
    expect(r.test!.statistic).toBeCloseTo(3.6742, 4)
  })
})

describe(`knowledge base search in Chinese (${testEngine()})`, () => {
  it("indexes CJK as characters and bigrams, words whole", () => {
    expect(Grams.grams("申请退款 FAQ")).toEqual(["申", "申请", "请", "请退", "退", "退款", "款", "faq"])
    expect(Grams.queryGrams("退款流程")).toEqual(["退款", "款流", "流程"])
  })
  it("finds an article by a two-character word, on PGlite and PostgreSQL alike", async () => {
    const refund = await Knowledge.saveArticle(db, sup, {
      kind: "article",
      title: "退款流程说明",
      body: "客户申请退款时，先核对订单，再在三个工作日内原路退回。",
    })
    await Knowledge.saveArticle(db, sup, {
      kind: "phrasing",
      title: "投诉致歉标准话术",
      body: "非常抱歉给您带来不便，我们会在24小时内给您答复。",
    })
    await Knowledge.saveArticle(db, sup, {
      kind: "lesson",
      title: "Backlog cleared",
      body: "退单积压在周末清零：增派两名坐席。",
      outcome: "success",
      cycleId: "cyc_1",
    })
    expect((await Knowledge.search(db, sup.orgId, "退款")).map((a) => a.id)).toEqual([refund.id])
    expect((await Knowledge.search(db, sup.orgId, "致歉")).map((a) => a.title)).toEqual(["投诉致歉标准话术"])
    expect((await Knowledge.search(db, sup.orgId, "积压", { kind: "lesson" })).map((a) => a.outcome)).toEqual(
      ["success"],
    )
    expect((await Knowledge.search(db, sup.orgId, "backlog")).length).toBe(1)
    expect(await Knowledge.search(db, sup.orgId, "退货")).toEqual([])
    // a new version is searchable by its new words, not its old ones
    await Knowledge.saveArticle(db, sup, {
      id: refund.id,
      kind: "article",
      title: "退款流程说明",
      body: "原路返还，时效五个工作日。",
    })
    expect((await Knowledge.search(db, sup.orgId, "订单")).length).toBe(0)
    expect((await Knowledge.search(db, sup.orgId, "返还")).map((a) => a.version)).toEqual([2])
    expect((await Knowledge.versions(db, sup.orgId, refund.id)).map((v) => v.version)).toEqual([2, 1])
    await expect(
      Knowledge.saveArticle(db, sup, { kind: "lesson", title: "x", body: "y" }),
    ).rejects.toMatchObject({ issues: [{ path: ["outcome"] }] })
  })
})

describe(`recognition and roster metrics (${testEngine()})`, () => {
  it("ranks by points and hides the names of people who asked", async () => {
    await Roster.savePerson(db, sup, {
      userId: "usr_a",
      displayName: "李娜",
      startedOn: "2025-01-01",
      languages: ["zh-CN"],
    })
    await Roster.savePerson(db, sup, {
      userId: "usr_b",
      displayName: "王磊",
      startedOn: "2025-01-01",
      rankingsVisible: false,
    })
    await Roster.savePerson(db, sup, {
      userId: "usr_c",
      displayName: "张伟",
      startedOn: "2025-06-01",
      leftOn: "2026-02-01",
    })
    await Recognition.giveKudos(db, as("usr_a"), {
      toUser: "usr_b",
      message: "帮我接了一个难缠的投诉",
      points: 3,
      caseId: "case_1",
    })
    await Recognition.giveKudos(db, as("usr_b"), { toUser: "usr_a", message: "谢谢分享退款话术" })
    await expect(
      Recognition.giveKudos(db, as("usr_a"), { toUser: "usr_a", message: "me" }),
    ).rejects.toMatchObject({ issues: [{ path: ["toUser"] }] })
    const seenByA = await Recognition.ranking(db, sup.orgId, "usr_a", new Date(0))
    expect(seenByA).toEqual([
      { rank: 1, userId: null, hidden: true, points: 3, kudos: 1, incentivePoints: 0 },
      { rank: 2, userId: "usr_a", hidden: false, points: 1, kudos: 1, incentivePoints: 0 },
    ])
    expect((await Recognition.ranking(db, sup.orgId, "usr_b", new Date(0)))[0]!.userId).toBe("usr_b")
    expect((await Recognition.wall(db, sup.orgId)).length).toBe(2)
  })

  it("attrition and training on time against worked values", async () => {
    const q = {
      orgId: sup.orgId,
      from: new Date("2026-01-01T00:00:00Z"),
      to: new Date("2026-07-01T00:00:00Z"),
      timeZone: "UTC",
      bucket: "none" as const,
    }
    // headcount at the start 3 (a, b, c), one left (c on 2026-02-01) → 1/3
    const [att] = await Metrics.attrition.compute(q, db)
    expect([att!.numerator, att!.denominator, att!.n]).toEqual([1, 3, 3])
    expect(att!.value).toBeCloseTo(1 / 3, 10)
    // due in the half year: empathy (2026-03-31, failed), listening (2026-04-01, passed on 03-15) → 1/2
    const [ot] = await Metrics.trainingOnTime.compute(q, db)
    expect([ot!.numerator, ot!.denominator]).toEqual([1, 2])
    expect((await Roster.roster(db, sup.orgId)).find((p) => p.userId === "usr_a")!.teams).toEqual([
      { teamId: "complaints", level: "service_specialist", leftOn: null },
    ])
  })

  it("certification coverage counts members of queues that require one", async () => {
    await Training.saveCourse(db, sup, {
      id: "cx",
      title: { "zh-CN": "投诉上岗", en: "Complaints onboarding" },
      format: "case_study",
      assessment: "quiz",
      passMark: 60,
    })
    await Certification.saveCertification(db, sup, {
      id: "cq",
      name: { "zh-CN": "投诉认证", en: "Complaints" },
      scope: { kind: "queue", value: "complaints" },
      requiredCourses: ["cx"],
      validityDays: 365,
    })
    const a = await Training.assignCourse(db, sup, { userId: "usr_a", courseId: "cx", dueOn: "2026-12-01" })
    expect((await Training.complete(db, as("usr_a"), a.id!, { score: 80 })).granted).toEqual(["cq"])
    const to = new Date(Date.now() + 60_000)
    const [cov] = await Metrics.certificationCoverage.compute(
      { orgId: sup.orgId, from: new Date(0), to, timeZone: "UTC", bucket: "none" },
      db,
    )
    // complaints has a and b; a is certified → 1/2
    // a 0–1 fraction, as process's proportions (a standard's target of 0.95 means 95 %)
    expect([cov!.numerator, cov!.denominator, cov!.value]).toEqual([1, 2, 0.5])
    expect(cov!.interval!.lower).toBeLessThan(0.5)
    expect(cov!.interval!.upper).toBeGreaterThan(0.5)
    expect(cov!.interval!.upper).toBeLessThanOrEqual(1)
  })
})

describe(`closing an improvement cycle (${testEngine()})`, () => {
  it("proposes a lesson linked to it and, with a verified effect, an award — once", async () => {
    const { Change, Outbox } = await import("@tenet/core")
    const { Improvements } = await import("../src/index")
    for (let i = 0; i < 2; i++)
      await Change.change(db, sup, async ({ emit }) =>
        emit({
          type: "process.cycle.closed",
          aggregateType: "cycle",
          aggregateId: "cyc_backlog",
          payload: {
            from: "act",
            to: "closed",
            title: "十日积压清零",
            ownerId: "usr_a",
            verdict: "worked",
            lessons: "每日按 SLA 风险排序处理积压。",
          },
        }),
      )
    await Outbox.dispatch(db, [Improvements.cycleClosedHandler])
    const lessons = await Knowledge.search(db, sup.orgId, "积压", { kind: "lesson" })
    const mine = lessons.filter((l) => l.cycleId === "cyc_backlog")
    expect(mine.map((l) => [l.title, l.outcome])).toEqual([["十日积压清零", "success"]])
    const awards = (await Recognition.wall(db, sup.orgId, { toUser: "usr_a" })).filter(
      (k) => k.from_user === "system",
    )
    expect(awards.map((k) => k.points)).toEqual([Improvements.AWARD_POINTS])
  })
})
