// Issue #15 through the API: the certification gate on manual assignment (409 naming the missing
// certification, an audited override), the agent's home with training due, a passed assessment
// granting the certification, Chinese search, and bad input as 400s naming the field.
import { readFileSync } from "node:fs"
import { Outbox } from "@tenet/core"
import { Incentives, LowScore } from "@tenet/culture"
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

    // next to QA: CSAT (the agent's responses), FCR and handling time (their resolved cases), read by
    // the API from feedback and process. Cases resolved 10, 5 and 3 days before the course (300, 420,
    // 360 s; the second repeated by the third, which is a repeat itself), 1 and 2 days after (240, 200 s)
    const resolved: Array<[number, number]> = [
      [-10, 300],
      [-5, 420],
      [-3, 360],
      [1, 240],
      [2, 200],
    ]
    const caseIds: string[] = []
    for (const [offset, seconds] of resolved) {
      const k = await h.request("/api/v1/process/cases", {
        method: "POST",
        key: admin(),
        body: { type: "inquiry", channel: "phone", subject: `效果 ${offset}` },
      })
      expect(k.status).toBe(201)
      caseIds.push(k.body.id)
      await sql`update process.case set owner_id = ${orgs.a.agent.id}, status = 'resolved',
          resolved_at = ${new Date(now + offset * day)}, handle_seconds = ${seconds} where id = ${k.body.id}`.execute(
        h.db.kysely,
      )
    }
    await sql`update process.case set repeated_by = ${caseIds[2]!} where id = ${caseIds[1]!}`.execute(
      h.db.kysely,
    )
    await sql`update process.case set repeat_of = ${caseIds[1]!} where id = ${caseIds[2]!}`.execute(
      h.db.kysely,
    )
    // CSAT after the course: 5 and 2 (before it, the home test's 5, 4 and 3 of the last 30 days)
    for (const [i, [score, offset]] of [
      [5, 2],
      [2, 5],
    ].entries())
      await sql`insert into feedback.response (org_id, id, invitation_id, survey_id, survey_version, locale, answers,
          score_kind, score, sentiment, agent_id, submitted_at)
        values (${orgs.a.org.id}, ${`resp_eff_${i}`}, ${`inv_eff_${i}`}, 'svy_eff', 1, 'zh-CN', '{}', 'csat', ${score},
          'neutral', ${orgs.a.agent.id}, ${new Date(now + offset! * day)})`.execute(h.db.kysely)
    const linked = await h.request("/api/v1/culture/courses/rapport-101/effectiveness?days=30", {
      key: admin(),
    })
    expect(linked.status).toBe(200)
    const by = Object.fromEntries(
      linked.body.linked.metrics.map((m: { metric: string }) => [m.metric, m]),
    ) as Record<
      string,
      {
        kind: string
        before: { n: number; mean: number | null }
        after: { n: number; mean: number | null }
        test: { name: string; statistic: number; pValue: number; df: number | null } | null
      }
    >
    expect(linked.body.linked.people).toBe(1)
    expect(Object.keys(by)).toEqual(["qa_score", "csat", "fcr", "handle_seconds"])
    // QA as above
    expect([by.qa_score!.after.n, by.qa_score!.test!.name]).toEqual([2, "welch"])
    // CSAT: 2 of 3 satisfied before, 1 of 2 after; pooled 3/5, z = −0.3727, p = 0.7094 (worked by hand)
    expect([by.csat!.kind, by.csat!.before, by.csat!.after.n, by.csat!.after.mean]).toEqual([
      "proportion",
      { n: 3, mean: 2 / 3 },
      2,
      0.5,
    ])
    expect(by.csat!.test!.name).toBe("two_proportion")
    expect(by.csat!.test!.statistic).toBeCloseTo(-0.372678, 5)
    expect(by.csat!.test!.pValue).toBeCloseTo(0.709388, 5)
    // FCR: of the first contacts, 1 of 2 before (the second was repeated; the repeat itself is not a
    // first contact), 2 of 2 after; pooled 3/4, z = 0.5 / √(3/16) = 1.1547, p = 0.2482
    expect([by.fcr!.before, by.fcr!.after]).toEqual([
      { n: 2, mean: 0.5 },
      { n: 2, mean: 1 },
    ])
    expect(by.fcr!.test!.statistic).toBeCloseTo(1.154701, 5)
    expect(by.fcr!.test!.pValue).toBeCloseTo(0.248213, 5)
    // handling time: 360 s before, 220 s after; Welch t = −3.5, df = 2.909
    expect([by.handle_seconds!.before, by.handle_seconds!.after]).toEqual([
      { n: 3, mean: 360 },
      { n: 2, mean: 220 },
    ])
    expect(by.handle_seconds!.test!.statistic).toBeCloseTo(-3.5, 10)
    expect(by.handle_seconds!.test!.df).toBeCloseTo(2.909091, 5)
  })
})

describe("incentives, programmes, sessions, deleting a rule and people metrics through the API", () => {
  it("deletes a low-score rule (culture:manage; 404 for an unknown or another organisation's)", async () => {
    const del = (id: string, key = admin()) =>
      h.request(`/api/v1/culture/low-score-rules/${id}`, { method: "DELETE", key })
    expect((await del("tone-coaching", orgs.a.agentKey)).status).toBe(403)
    expect((await del("tone-coaching", orgs.b.adminKey)).status).toBe(404)
    const gone = await del("tone-coaching")
    expect([gone.status, gone.body]).toEqual([200, { deleted: "tone-coaching" }])
    expect((await del("tone-coaching")).status).toBe(404)
    expect((await h.request("/api/v1/culture/low-score-rules", { key: admin() })).body.items).toEqual([])
    // the coaching it raised stays
    const tasks = await h.request("/api/v1/culture/coaching", { key: admin() })
    expect(tasks.body.items.map((t: { ruleId: string }) => t.ruleId)).toContain("tone-coaching")
  })

  it("incentive rules: 400s naming the field, points for an evaluation at or above the minimum, in the ranking", async () => {
    const put = (id: string, body: unknown, key = admin()) =>
      h.request(`/api/v1/culture/incentive-rules/${id}`, { method: "PUT", key, body })
    const name = { "zh-CN": "质检优秀", en: "Excellent QA" }
    const pct = await put("excellent", { name, minResult: 90, points: 5 })
    expect([pct.status, pct.body.errors[0].path]).toEqual([400, "/minResult"])
    const pts = await put("excellent", { name, minResult: 0.9, points: 0 })
    expect([pts.status, pts.body.errors[0].path]).toEqual([400, "/points"])
    const cr = await put("excellent", { name, criterionId: "smile", minResult: 0.9, points: 5 })
    expect([cr.status, cr.body.errors[0].path, cr.body.errors[0].code]).toEqual([
      400,
      "/criterionId",
      "unknownCriterion",
    ])
    expect((await put("excellent", { name, minResult: 0.9, points: 5 }, orgs.a.agentKey)).status).toBe(403)
    const ok = await put("excellent", { name, minResult: 0.9, points: 5 })
    expect([ok.status, ok.body.minResult, ok.body.points, ok.body.enabled]).toEqual([200, 0.9, 5, true])
    expect((await h.request("/api/v1/culture/incentive-rules", { key: orgs.b.adminKey })).body.items).toEqual(
      [],
    )

    const card = await h.request("/api/v1/quality/scorecards", {
      method: "POST",
      key: admin(),
      body: {
        name: "Incentive QA",
        definition: {
          passMark: 80,
          sections: [
            {
              id: "s",
              name: { en: "All" },
              criteria: [{ id: "fix", name: { en: "Fix" }, weight: 1, scale: "binary" }],
            },
          ],
        },
      },
    })
    const made = await h.request("/api/v1/process/cases", {
      method: "POST",
      key: admin(),
      body: { type: "inquiry", channel: "chat", subject: "激励" },
    })
    const evaluate = (fix: number) =>
      h.request("/api/v1/quality/evaluations", {
        method: "POST",
        key: admin(),
        body: { scorecardId: card.body.id, caseId: made.body.id, agentId: orgs.a.agent.id, answers: { fix } },
      })
    const top = await evaluate(1) // 100: 5 points
    expect(top.status).toBe(201)
    expect((await evaluate(0)).status).toBe(201) // 0: none
    for (let i = 0; i < 10; i++) if (!(await Outbox.dispatch(h.db, [Incentives.incentiveHandler])).more) break
    const awards = await h.request(`/api/v1/culture/incentive-awards?userId=${orgs.a.agent.id}`, {
      key: admin(),
    })
    // the earlier tests' evaluations of the agent scored below 90 except those of 100 (warmth 4, solved 1)
    const mine = awards.body.items.filter((a: { evaluationId: string }) => a.evaluationId === top.body.id)
    expect(mine.map((a: { ruleId: string; points: number }) => [a.ruleId, a.points])).toEqual([
      ["excellent", 5],
    ])
    const wall = await h.request("/api/v1/culture/kudos", { key: admin() })
    const agentRank = wall.body.ranking.find((r: { userId: string }) => r.userId === orgs.a.agent.id)
    const total = awards.body.items.reduce((a: number, x: { points: number }) => a + x.points, 0)
    expect(agentRank.incentivePoints).toBe(total)
    const removed = await h.request("/api/v1/culture/incentive-rules/excellent", {
      method: "DELETE",
      key: admin(),
    })
    expect(removed.status).toBe(200)
    expect((await h.request("/api/v1/culture/incentive-rules", { key: admin() })).body.items).toEqual([])
  })

  it("programmes enrol members and show progress; sessions list their attendance", async () => {
    const put = (body: unknown, key = admin()) =>
      h.request("/api/v1/culture/programmes/onboard", { method: "PUT", key, body })
    const name = { "zh-CN": "新员工入职", en: "Onboarding" }
    const unknown = await put({ name, courseIds: ["complaints-101", "nope"] })
    expect([unknown.status, unknown.body.errors[0].path, unknown.body.errors[0].code]).toEqual([
      400,
      "/courseIds/1",
      "unknownCourse",
    ])
    const badKey = await put({ name, courseIds: ["Not A Key"] })
    expect([badKey.status, badKey.body.errors[0].path]).toEqual([400, "/courseIds/0"])
    expect((await put({ name, courseIds: ["complaints-101"] }, orgs.a.agentKey)).status).toBe(403)
    expect((await put({ name, courseIds: ["complaints-101", "rapport-101"], dueDays: 10 })).status).toBe(200)
    const enrol = (userIds: string[]) =>
      h.request("/api/v1/culture/programmes/onboard/enrolments", {
        method: "POST",
        key: admin(),
        body: { userIds },
      })
    const stranger = await enrol(["usr_not_a_member"])
    expect([stranger.status, stranger.body.errors[0].path, stranger.body.errors[0].code]).toEqual([
      400,
      "/userIds/0",
      "notAMember",
    ])
    const ok = await enrol([orgs.a.agent.id])
    // the agent passed both courses in the tests above
    expect([ok.status, ok.body.enrolled]).toEqual([200, [{ userId: orgs.a.agent.id, assigned: [] }]])
    const list = await h.request("/api/v1/culture/programmes", { key: orgs.a.agentKey })
    expect(
      list.body.items.map((p: { id: string; enrolled: Array<{ passed: string[]; complete: boolean }> }) => [
        p.id,
        p.enrolled.map((e) => [e.passed, e.complete]),
      ]),
    ).toEqual([["onboard", [[["complaints-101", "rapport-101"], true]]]])

    const session = await h.request("/api/v1/culture/courses/rapport-101/sessions", {
      method: "POST",
      key: admin(),
      body: { startsAt: "2026-12-10T01:00:00Z", endsAt: "2026-12-10T03:00:00Z", location: "培训室 A" },
    })
    expect(session.status).toBe(201)
    const backwards = await h.request("/api/v1/culture/courses/rapport-101/sessions", {
      method: "POST",
      key: admin(),
      body: { startsAt: "2026-12-10T03:00:00Z", endsAt: "2026-12-10T01:00:00Z" },
    })
    expect([backwards.status, backwards.body.errors[0].path]).toEqual([400, "/endsAt"])
    expect(
      (
        await h.request(`/api/v1/culture/sessions/${session.body.id}/attendance`, {
          method: "POST",
          key: admin(),
          body: { entries: [{ userId: orgs.a.agent.id, status: "attended" }] },
        })
      ).status,
    ).toBe(200)
    const sessions = await h.request("/api/v1/culture/sessions?courseId=rapport-101", { key: admin() })
    expect(
      sessions.body.items.map((s: { location: string; attended: number; attendance: unknown[] }) => [
        s.location,
        s.attended,
        s.attendance,
      ]),
    ).toEqual([["培训室 A", 1, [{ userId: orgs.a.agent.id, status: "attended" }]]])
    expect((await h.request("/api/v1/culture/sessions", { key: orgs.b.adminKey })).body.items).toEqual([])
  })

  it("people metrics by team, each with n", async () => {
    const r = await h.request("/api/v1/culture/people-metrics?days=90", { key: orgs.a.agentKey })
    expect(r.status).toBe(200)
    expect(Object.keys(r.body.total)).toEqual([
      "team",
      "coverage",
      "trainingOnTime",
      "recertificationsOverdue",
      "skillGap",
      "attrition",
      "timeToProficiency",
    ])
    for (const row of [...r.body.items, r.body.total])
      for (const [k, v] of Object.entries(row))
        if (k !== "team") expect(typeof (v as { n: number }).n, `${row.team} ${k}`).toBe("number")
    const bad = await h.request("/api/v1/culture/people-metrics?days=3", { key: admin() })
    expect([bad.status, bad.body.errors[0].path]).toEqual([400, "/days"])
  })
})
