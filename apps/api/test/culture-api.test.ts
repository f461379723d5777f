// Issue #15 through the API: the certification gate on manual assignment (409 naming the missing
// certification, an audited override), the agent's home with training due, a passed assessment
// granting the certification, Chinese search, and bad input as 400s naming the field.
import { readFileSync } from "node:fs"
import { Outbox } from "@tenet/core"
import { LowScore } from "@tenet/culture"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"

let h: Harness
let orgs: Awaited<ReturnType<typeof seedTwoOrgs>>

beforeAll(async () => {
  h = await makeHarness()
  orgs = await seedTwoOrgs(h)
})
afterAll(async () => {
  await h.db.close()
})

const admin = () => orgs.a.adminKey

describe("culture through the API", () => {
  it("refuses an uncertified owner, allows an audited override, and lets the agent through once certified", async () => {
    const put = (path: string, body: unknown) => h.request(path, { method: "PUT", key: admin(), body })
    expect(
      (
        await put("/api/v1/culture/courses/complaints-101", {
          title: { "zh-CN": "投诉处理基础", en: "Handling complaints" },
          format: "role_play",
          assessment: "quiz",
          passMark: 80,
        })
      ).status,
    ).toBe(200)
    expect(
      (
        await put("/api/v1/culture/certifications/complaints-queue", {
          name: { "zh-CN": "投诉队列上岗认证", en: "Complaints queue" },
          scope: { kind: "queue", value: "complaints" },
          requiredCourses: ["complaints-101"],
          validityDays: 365,
        })
      ).status,
    ).toBe(200)
    expect((await put("/api/v1/culture/eligibility", { gateEnabled: true })).body).toEqual({
      gateEnabled: true,
    })
    const made = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: admin(),
      body: { type: "complaint", channel: "phone", subject: "多扣费" },
    })
    expect(made.status).toBe(201)
    const assign = (body: unknown) =>
      h.request(`/api/v1/process/cases/${made.body.id}/assignment`, { method: "POST", key: admin(), body })
    const refused = await assign({ ownerId: orgs.a.agent.id })
    expect(refused.status).toBe(409)
    expect(refused.body.code).toBe("notEligible")
    expect((await assign({ ownerId: orgs.a.agent.id, override: { reason: "" } })).status).toBe(400)
    const overridden = await assign({ ownerId: orgs.a.agent.id, override: { reason: "组长陪同处理" } })
    expect(overridden.status).toBe(200)
    const audit = await sql<{ n: string }>`select count(*) as n from core.audit_log
      where action = 'case.eligibility_overridden' and entity_id = ${made.body.id}`.execute(h.db.kysely)
    expect(Number(audit.rows[0]!.n)).toBe(1)

    // the agent sees the course on their home, passes the quiz, and is certified
    const assigned = await h.request("/api/v1/culture/assignments", {
      method: "POST",
      key: admin(),
      body: { userId: orgs.a.agent.id, courseId: "complaints-101", dueOn: "2030-01-31" },
    })
    expect(assigned.status).toBe(201)
    const cookie = await h.signIn("agent@acme.test", "password-1")
    const home = await h.request("/api/v1/culture/home", { cookie })
    expect(home.status).toBe(200)
    expect(home.body.trainingDue.map((t: { courseId: string }) => t.courseId)).toEqual(["complaints-101"])
    expect(home.body.cases.map((c: { id: string }) => c.id)).toEqual([made.body.id])
    const result = await h.request(`/api/v1/culture/assignments/${assigned.body.id}/result`, {
      method: "POST",
      cookie,
      body: { score: 92 },
    })
    expect(result.status).toBe(200)
    expect(result.body.granted).toEqual(["complaints-queue"])
    const other = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: admin(),
      body: { type: "complaint", channel: "phone", subject: "再次多扣费" },
    })
    const through = await h.request(`/api/v1/process/cases/${other.body.id}/assignment`, {
      method: "POST",
      key: admin(),
      body: { ownerId: orgs.a.agent.id },
    })
    expect(through.body.detail ?? "").toBe("")
    expect(through.status).toBe(200)
    const grants = await h.request(`/api/v1/culture/grants?userId=${orgs.a.agent.id}`, { key: admin() })
    expect(grants.body.items[0].state).toBe("valid")
    // the other organisation sees none of it
    expect((await h.request("/api/v1/culture/certifications", { key: orgs.b.adminKey })).body.items).toEqual(
      [],
    )
  })

  it("finds an article by a two-character Chinese word", async () => {
    const a = await h.request("/api/v1/culture/articles", {
      method: "POST",
      key: admin(),
      body: { kind: "article", title: "退款流程说明", body: "客户申请退款时，先核对订单。" },
    })
    expect(a.status).toBe(201)
    const found = await h.request(`/api/v1/culture/articles?q=${encodeURIComponent("退款")}`, {
      key: orgs.a.agentKey,
    })
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([a.body.id])
  })

  it("answers bad input with 400 naming the field, and roles are enforced", async () => {
    const bad = await h.request("/api/v1/culture/certifications/x", {
      method: "PUT",
      key: admin(),
      body: {
        name: { "zh-CN": "甲", en: "A" },
        scope: { kind: "room", value: "x" },
        requiredCourses: [],
        validityDays: 0,
      },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "/scope/kind",
      "/validityDays",
    ])
    const fw = await h.request("/api/v1/culture/framework", {
      method: "PUT",
      key: admin(),
      body: {
        text: "id: core\nname: { zh-CN: 核心, en: Core }\nlevels: []\nareas: [{ id: comm, kind: talent, name: { zh-CN: 沟通, en: Comm } }]\n",
      },
    })
    expect(fw.status).toBe(400)
    expect(fw.body.errors.map((e: { path: string }) => e.path)).toEqual(["/levels", "/areas/0/kind"])
    const gate = await h.request("/api/v1/culture/eligibility", {
      method: "PUT",
      key: orgs.a.agentKey,
      body: { gateEnabled: false },
    })
    expect(gate.status).toBe(403)
  })
})

describe("low QA score rules through the API", () => {
  it("refuses bad rules naming the field; a QA evaluation below the threshold raises coaching the supervisor closes", async () => {
    const put = (id: string, body: unknown, key = admin()) =>
      h.request(`/api/v1/culture/low-score-rules/${id}`, { method: "PUT", key, body })
    const card = await h.request("/api/v1/quality/scorecards", {
      method: "POST",
      key: admin(),
      body: {
        name: "Chat QA",
        definition: {
          passMark: 80,
          sections: [
            {
              id: "s",
              name: { en: "All" },
              criteria: [
                { id: "tone", name: { en: "Tone" }, weight: 1, scale: "5" },
                { id: "fix", name: { en: "Fix" }, weight: 3, scale: "binary" },
              ],
            },
          ],
        },
      },
    })
    expect(card.status).toBe(201)
    // a percentage instead of a fraction, an unknown scorecard, an unknown criterion, a course rule without a course
    const pct = await put("r1", { threshold: 70, action: "coaching" })
    expect([pct.status, pct.body.errors.map((e: { path: string }) => e.path)]).toEqual([400, ["/threshold"]])
    const sc = await put("r1", { scorecardId: "card_nope", threshold: 0.7, action: "coaching" })
    expect([sc.status, sc.body.errors[0].path, sc.body.errors[0].code]).toEqual([
      400,
      "/scorecardId",
      "unknownScorecard",
    ])
    const cr = await put("r1", {
      scorecardId: card.body.id,
      criterionId: "smile",
      threshold: 0.7,
      action: "coaching",
    })
    expect([cr.status, cr.body.errors[0].path, cr.body.errors[0].code]).toEqual([
      400,
      "/criterionId",
      "unknownCriterion",
    ])
    const nc = await put("r1", { threshold: 0.7, action: "course" })
    expect([nc.status, nc.body.errors[0].path]).toEqual([400, "/courseId"])
    // only culture:manage sets rules
    expect((await put("r1", { threshold: 0.7, action: "coaching" }, orgs.a.agentKey)).status).toBe(403)
    const ok = await put("tone-coaching", {
      scorecardId: card.body.id,
      criterionId: "tone",
      threshold: 0.5,
      action: "coaching",
      dueDays: 5,
    })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({
      id: "tone-coaching",
      threshold: 0.5,
      action: "coaching",
      dueDays: 5,
      enabled: true,
    })
    expect(
      (await h.request("/api/v1/culture/low-score-rules", { key: orgs.a.agentKey })).body.items,
    ).toHaveLength(1)
    // the other organisation sees none of it
    expect((await h.request("/api/v1/culture/low-score-rules", { key: orgs.b.adminKey })).body.items).toEqual(
      [],
    )

    const made = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: admin(),
      body: { type: "inquiry", channel: "chat", subject: "语气生硬" },
    })
    const evaluate = (tone: number) =>
      h.request("/api/v1/quality/evaluations", {
        method: "POST",
        key: admin(),
        body: {
          scorecardId: card.body.id,
          caseId: made.body.id,
          agentId: orgs.a.agent.id,
          answers: { tone, fix: 1 },
        },
      })
    // tone 3 of 5 is (3 − 1) / 4 = 0.5: not below; tone 2 is 0.25: below, although the score is 81.25
    expect((await evaluate(3)).status).toBe(201)
    const low = await evaluate(2)
    expect([low.status, low.body.score]).toEqual([201, 81.3])
    for (let i = 0; i < 5; i++) if (!(await Outbox.dispatch(h.db, [LowScore.lowScoreHandler])).more) break
    const tasks = await h.request(`/api/v1/culture/coaching?userId=${orgs.a.agent.id}&status=open`, {
      key: admin(),
    })
    expect(tasks.status).toBe(200)
    expect(
      tasks.body.items.map((t: { evaluationId: string; result: number; threshold: number }) => [
        t.evaluationId,
        t.result,
        t.threshold,
      ]),
    ).toEqual([[low.body.id, 0.25, 0.5]])
    const id = tasks.body.items[0].id
    expect(
      (
        await h.request(`/api/v1/culture/coaching/${id}/done`, {
          method: "POST",
          key: orgs.a.agentKey,
          body: {},
        })
      ).status,
    ).toBe(403)
    const done = await h.request(`/api/v1/culture/coaching/${id}/done`, {
      method: "POST",
      key: admin(),
      body: { note: "一起复听了两通录音" },
    })
    expect([done.status, done.body.status, done.body.note]).toEqual([200, "done", "一起复听了两通录音"])
    const twice = await h.request(`/api/v1/culture/coaching/${id}/done`, {
      method: "POST",
      key: admin(),
      body: {},
    })
    expect([twice.status, twice.body.code]).toEqual([409, "alreadyDone"])
    const bad = await h.request("/api/v1/culture/coaching?status=closed", { key: admin() })
    expect(bad.status).toBe(400)
  })
})

describe("my satisfaction on the agent's home", () => {
  it("is the agent's own CSAT of the last 90 days with its Wilson interval and n, and the period before", async () => {
    const day = 86_400_000
    const now = Date.now()
    const rows: Array<[string, string, number, number]> = [
      // [who, kind, score, days ago]
      [orgs.a.agent.id, "csat", 5, 1],
      [orgs.a.agent.id, "csat", 4, 10],
      [orgs.a.agent.id, "csat", 3, 20],
      [orgs.a.agent.id, "csat", 2, 40],
      [orgs.a.agent.id, "csat", 5, 89],
      [orgs.a.agent.id, "csat", 1, 100], // the period before
      [orgs.a.agent.id, "nps", 0, 5], // not CSAT
      ["usr_someone_else", "csat", 1, 2],
      ["usr_someone_else", "csat", 1, 3],
    ]
    for (const [i, [who, kind, score, ago]] of rows.entries())
      await sql`insert into feedback.response (org_id, id, invitation_id, survey_id, survey_version, locale, answers,
          score_kind, score, sentiment, agent_id, submitted_at)
        values (${orgs.a.org.id}, ${`resp_home_${i}`}, ${`inv_home_${i}`}, 'svy_home', 1, 'zh-CN', '{}', ${kind}, ${score},
          'neutral', ${who}, ${new Date(now - ago * day)})`.execute(h.db.kysely)
    const cookie = await h.signIn("agent@acme.test", "password-1")
    const home = await h.request("/api/v1/culture/home", { cookie })
    expect(home.status).toBe(200)
    const s = home.body.satisfaction
    // 3 of 5 satisfied (4 or 5): Wilson 95% interval 0.2307 – 0.8824 (worked by hand)
    expect([s.kind, s.days, s.value, s.satisfied, s.n, s.warning]).toEqual([
      "csat",
      90,
      0.6,
      3,
      5,
      "below_minimum_n",
    ])
    expect(s.lower).toBeCloseTo(0.2307, 4)
    expect(s.upper).toBeCloseTo(0.8824, 4)
    expect([s.previous.value, s.previous.n]).toEqual([0, 1])
    // another person's home shows their own (the admin key's user has no responses)
    const theirs = await h.request("/api/v1/culture/home", { key: admin() })
    expect([theirs.body.satisfaction.n, theirs.body.satisfaction.value]).toEqual([0, null])
    // a shorter period: the last 30 days hold 5, 4, 3 → 2 of 3
    const month = await h.request("/api/v1/culture/home?days=30", { cookie })
    expect([month.body.satisfaction.value, month.body.satisfaction.n]).toEqual([2 / 3, 3])
    const bad = await h.request("/api/v1/culture/home?days=3", { cookie })
    expect([bad.status, bad.body.errors[0].path]).toEqual([400, "/days"])
  })
})

describe("QA criteria mapped to skills: before and after a training on the course page", () => {
  it("maps a criterion to a skill (400s naming the field), and shows the criterion's results before and after the course with n and Welch's test (worked by hand)", async () => {
    const framework = readFileSync(
      new URL("../../../packages/culture/test/fixtures/framework.yaml", import.meta.url),
      "utf8",
    )
    expect(
      (
        await h.request("/api/v1/culture/framework", {
          method: "PUT",
          key: admin(),
          body: { text: framework },
        })
      ).status,
    ).toBe(200)
    const card = await h.request("/api/v1/quality/scorecards", {
      method: "POST",
      key: admin(),
      body: {
        name: "Rapport QA",
        definition: {
          passMark: 80,
          sections: [
            {
              id: "s",
              name: { en: "All" },
              criteria: [
                { id: "warmth", name: { en: "Warmth" }, weight: 1, scale: "4" },
                { id: "solved", name: { en: "Solved" }, weight: 1, scale: "binary" },
              ],
            },
          ],
        },
      },
    })
    expect(card.status).toBe(201)
    const map = (criterion: string, skillId: string | null, key = admin()) =>
      h.request(`/api/v1/culture/criterion-skills/${criterion}`, { method: "PUT", key, body: { skillId } })
    const unknown = await map("smile", "relationship")
    expect([unknown.status, unknown.body.errors[0].path, unknown.body.errors[0].code]).toEqual([
      400,
      "/criterionId",
      "unknownCriterion",
    ])
    const noSkill = await map("warmth", "charm")
    expect([noSkill.status, noSkill.body.errors[0].path, noSkill.body.errors[0].code]).toEqual([
      400,
      "/skillId",
      "unknownArea",
    ])
    expect((await map("warmth", "relationship", orgs.a.agentKey)).status).toBe(403)
    expect((await map("warmth", "relationship")).body.mapping).toEqual({
      criterionId: "warmth",
      skillId: "relationship",
    })
    // a criterion mapped to a skill the course does not teach stays off its page
    expect((await map("solved", "product")).status).toBe(200)
    expect((await map("solved", null)).body.mapping).toBeNull()
    expect((await map("solved", "product")).status).toBe(200)
    expect((await h.request("/api/v1/culture/criterion-skills", { key: admin() })).body.items).toEqual([
      { criterionId: "solved", skillId: "product" },
      { criterionId: "warmth", skillId: "relationship" },
    ])

    const course = await h.request("/api/v1/culture/courses/rapport-101", {
      method: "PUT",
      key: admin(),
      body: {
        title: { "zh-CN": "建立亲和力", en: "Building rapport" },
        format: "role_play",
        skillIds: ["relationship"],
        assessment: "quiz",
        passMark: 60,
      },
    })
    expect(course.status).toBe(200)
    const made = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: admin(),
      body: { type: "inquiry", channel: "chat", subject: "亲和力" },
    })
    // warmth 1, 2, 2 (of 4) before the course; 4, 3 after; as fractions 0, 1/3, 1/3 and 1, 2/3
    const day = 86_400_000
    const now = Date.now()
    for (const [warmth, offset] of [
      [1, -10],
      [2, -5],
      [2, -2],
      [4, 1],
      [3, 3],
      [1, 40], // outside the 30 days after
    ] as const) {
      const e = await h.request("/api/v1/quality/evaluations", {
        method: "POST",
        key: admin(),
        body: {
          scorecardId: card.body.id,
          caseId: made.body.id,
          agentId: orgs.a.agent.id,
          answers: { warmth, solved: 1 },
        },
      })
      expect(e.status).toBe(201)
      await sql`update standards.qa_evaluation set evaluated_at = ${new Date(now + offset * day)} where id = ${e.body.id}`.execute(
        h.db.kysely,
      )
    }
    const assigned = await h.request("/api/v1/culture/assignments", {
      method: "POST",
      key: admin(),
      body: { userId: orgs.a.agent.id, courseId: "rapport-101", dueOn: "2030-01-31" },
    })
    const cookie = await h.signIn("agent@acme.test", "password-1")
    const passed = await h.request(`/api/v1/culture/assignments/${assigned.body.id}/result`, {
      method: "POST",
      cookie,
      body: { score: 75 },
    })
    expect(passed.status).toBe(200)
    const eff = await h.request("/api/v1/culture/courses/rapport-101/effectiveness?days=30", { key: admin() })
    expect(eff.status).toBe(200)
    expect(eff.body.criteria).toHaveLength(1)
    const w = eff.body.criteria[0]
    expect([w.criterionId, w.skillId, w.people, w.before.n, w.after.n]).toEqual([
      "warmth",
      "relationship",
      1,
      3,
      2,
    ])
    expect(w.before.mean).toBeCloseTo(2 / 9, 10)
    expect(w.after.mean).toBeCloseTo(5 / 6, 10)
    expect(w.difference).toBeCloseTo(5 / 6 - 2 / 9, 10)
    // Welch: s² 1/27 and 1/18, se² = 1/36 + 1/81, t = (11/18) / √(13/324) ≈ 3.0509, df ≈ 1.899
    expect(w.test.statistic).toBeCloseTo(3.0509, 3)
    expect(w.test.df).toBeCloseTo(1.899, 2)
    // the overall QA score after the course rests on the same two evaluations: (warmth fraction + 1) / 2 × 100
    // (before it, the agent's evaluations from the tests above count too)
    expect(eff.body.after.n).toBe(2)
    expect(eff.body.after.mean).toBeCloseTo((((1 + 1) / 2 + (2 / 3 + 1) / 2) / 2) * 100, 0)
  })
})
