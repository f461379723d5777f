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
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cultureMigrations, LowScore, Training } from "../src/index"

let db: Db.Database
let sup: Tenancy.OrgContext
let other: Tenancy.OrgContext
const AGENT = "usr_agent"
const AGENT2 = "usr_agent2"

beforeAll(async () => {
  db = await makeTestDatabase([cultureMigrations])
  const sys = { type: "system" as const, id: "t" }
  const org = await Organizations.create(db, sys, { name: "Low Co", slug: "low-co" })
  const org2 = await Organizations.create(db, sys, { name: "Other Co", slug: "other-co" })
  sup = { orgId: org.id, actor: { type: "user", id: "usr_sup", role: "supervisor" } }
  other = { orgId: org2.id, actor: { type: "user", id: "usr_sup2", role: "supervisor" } }
  for (const ctx of [sup, other])
    await Training.saveCourse(db, ctx, {
      id: "empathy",
      title: { "zh-CN": "同理心沟通", en: "Empathy" },
      format: "classroom",
      assessment: "quiz",
      passMark: 70,
    })
  await Teams.save(db, sup, {
    id: "general",
    name: { "zh-CN": "综合组", en: "General" },
    leaderId: "usr_lead",
  })
  await Teams.setMember(db, sup, { teamId: "general", userId: AGENT, level: "service_specialist" })
})
afterAll(async () => {
  await db.close()
})

let n = 0
/** Publish a `quality.evaluated` as standards does; returns the evaluation id. */
const evaluated = async (
  ctx: Tenancy.OrgContext,
  p: Partial<QualityEvents.Evaluated> & { score: number },
  id = `qae_${++n}`,
) => {
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
  await Change.change(db, ctx, async ({ emit }) =>
    emit({ type: QualityEvents.EVALUATED, aggregateType: "qa_evaluation", aggregateId: id, payload }),
  )
  return id
}
const dispatch = () => Outbox.dispatch(db, [LowScore.lowScoreHandler])
const lowAssignments = async (ctx: Tenancy.OrgContext, user = AGENT) =>
  (await Training.assignmentsOf(db, ctx.orgId, user)).filter((a) => a.source === "low_score")

describe(`low QA score rules (${testEngine()})`, () => {
  it("refuses a bad rule naming the field: threshold outside (0, 1], a course rule without or with an unknown course, due days", async () => {
    const issues = async (input: LowScore.RuleInput) => {
      try {
        await LowScore.saveRule(db, sup, input)
        return []
      } catch (e) {
        if (!(e instanceof Errors.ValidationError)) throw e
        return e.issues.map((i) => [i.path.join("."), i.code])
      }
    }
    expect(await issues({ id: "r", threshold: 70, action: "coaching" })).toEqual([["threshold", "between"]])
    expect(await issues({ id: "r", threshold: 0, action: "coaching" })).toEqual([["threshold", "between"]])
    expect(await issues({ id: "r", threshold: 0.7, action: "course" })).toEqual([["courseId", "required"]])
    expect(await issues({ id: "r", threshold: 0.7, action: "course", courseId: "nope" })).toEqual([
      ["courseId", "unknownCourse"],
    ])
    expect(await issues({ id: "Bad id", threshold: 0.7, action: "coaching", dueDays: 0 })).toEqual([
      ["id", "invalidId"],
      ["dueDays", "invalidValue"],
    ])
    expect(await LowScore.listRules(db, sup.orgId)).toEqual([])
  })

  it("below the threshold assigns the course once (redelivery, a second low score while it is open); at the threshold nothing", async () => {
    const rule = await LowScore.saveRule(db, sup, {
      id: "below-70-empathy",
      threshold: 0.7,
      action: "course",
      courseId: "empathy",
      dueDays: 10,
    })
    expect([rule.threshold, rule.courseId, rule.dueDays, rule.enabled]).toEqual([0.7, "empathy", 10, true])
    // exactly at the threshold: not below
    await evaluated(sup, { score: 70 })
    await dispatch()
    expect(await lowAssignments(sup)).toEqual([])

    const low = await evaluated(sup, { score: 62.5 })
    await dispatch()
    const a = await lowAssignments(sup)
    expect(a.map((x) => [x.courseId, x.sourceRef, x.status])).toEqual([["empathy", low, "assigned"]])
    // due in the rule's days after the evaluation
    const occurred = (
      await sql<{
        occurred_at: Date
      }>`select occurred_at from core.outbox_event where aggregate_id = ${low}`.execute(db.kysely)
    ).rows[0]!.occurred_at
    expect(a[0]!.dueOn).toBe(
      new Date(new Date(occurred).getTime() + 10 * 86_400_000).toISOString().slice(0, 10),
    )

    // the same event handled again, and another low score while the course is open: nothing more
    const event = (
      await sql<{ id: string }>`select id from core.outbox_event where aggregate_id = ${low}`.execute(
        db.kysely,
      )
    ).rows[0]!
    expect(event.id).toBeTruthy()
    const again = await LowScore.onEvaluated(db, {
      orgId: sup.orgId,
      id: event.id,
      position: 0,
      type: QualityEvents.EVALUATED,
      aggregateType: "qa_evaluation",
      aggregateId: low,
      payload: { caseId: "c", agentId: AGENT, scorecardId: "card_a", score: 62.5, criteria: {} },
      occurredAt: new Date(occurred),
    })
    expect(again.assigned).toEqual([])
    await evaluated(sup, { score: 40 })
    await dispatch()
    expect((await lowAssignments(sup)).length).toBe(1)

    // once completed, the next low score assigns it again
    await Training.complete(db, { ...sup, actor: { type: "user", id: AGENT, role: "agent" } }, a[0]!.id, {
      score: 90,
    })
    await evaluated(sup, { score: 55 })
    await dispatch()
    expect((await lowAssignments(sup)).map((x) => x.status).sort()).toEqual(["assigned", "passed"])

    // the audit says which rule and what was measured
    const audit = await sql<{ after: { ruleId: string; result: number; threshold: number } }>`
      select after from core.audit_log where org_id = ${sup.orgId} and action = 'culture.course_assigned' order by seq`.execute(
      db.kysely,
    )
    expect(audit.rows.map((r) => [r.after.ruleId, r.after.result, r.after.threshold])).toEqual([
      ["below-70-empathy", 0.625, 0.7],
      ["below-70-empathy", 0.55, 0.7],
    ])
    // another organisation's rules are its own: its agent's low score assigns nothing here or there
    await evaluated(other, { score: 10 })
    await dispatch()
    expect(await lowAssignments(other)).toEqual([])
  })

  it("a disabled rule and a rule for another scorecard do nothing", async () => {
    await LowScore.saveRule(db, sup, {
      id: "below-70-empathy",
      threshold: 0.7,
      action: "course",
      courseId: "empathy",
      enabled: false,
    })
    await LowScore.saveRule(db, sup, {
      id: "card-b-coaching",
      scorecardId: "card_b",
      threshold: 0.9,
      action: "coaching",
    })
    await evaluated(sup, { score: 20, agentId: AGENT2 })
    await dispatch()
    expect(await lowAssignments(sup, AGENT2)).toEqual([])
    expect(await LowScore.coachingTasks(db, sup.orgId, { userId: AGENT2 })).toEqual([])
  })

  it("a coaching rule on one criterion raises one open task for the agent's team leader; done with a note, the next low result raises another", async () => {
    await LowScore.saveRule(db, sup, {
      id: "tone-coaching",
      criterionId: "tone",
      threshold: 0.5,
      action: "coaching",
      dueDays: 7,
    })
    // a high overall score with a poor tone still counts; a criterion not answered (N/A) does not
    await evaluated(sup, { score: 30, criteria: { tone: null } })
    await evaluated(sup, { score: 91, criteria: { tone: 1 / 3, greeting: 1 } })
    const second = await evaluated(sup, { score: 88, criteria: { tone: 0 } })
    await dispatch()
    const tasks = await LowScore.coachingTasks(db, sup.orgId, { userId: AGENT })
    expect(
      tasks.map((t) => [
        t.ruleId,
        t.criterionId,
        Number(t.result.toFixed(4)),
        t.threshold,
        t.coachId,
        t.status,
      ]),
    ).toEqual([["tone-coaching", "tone", 0.3333, 0.5, "usr_lead", "open"]])
    expect(tasks[0]!.evaluationId).not.toBe(second)
    // nobody to coach the agent without a team: the task has no coach
    await evaluated(sup, { score: 95, criteria: { tone: 0 }, agentId: AGENT2 })
    await dispatch()
    expect((await LowScore.coachingTasks(db, sup.orgId, { userId: AGENT2 })).map((t) => t.coachId)).toEqual([
      null,
    ])

    const done = await LowScore.completeCoaching(db, sup, tasks[0]!.id, "  listened to three calls together ")
    expect([done.status, done.note, done.doneBy]).toEqual([
      "done",
      "listened to three calls together",
      "usr_sup",
    ])
    await expect(LowScore.completeCoaching(db, sup, tasks[0]!.id)).rejects.toBeInstanceOf(
      Errors.ConflictError,
    )
    await expect(LowScore.completeCoaching(db, other, tasks[0]!.id)).rejects.toBeInstanceOf(
      Errors.NotFoundError,
    )
    await evaluated(sup, { score: 90, criteria: { tone: 0 } })
    await dispatch()
    const after = await LowScore.coachingTasks(db, sup.orgId, { userId: AGENT })
    expect(after.map((t) => t.status)).toEqual(["open", "done"])
    expect((await LowScore.coachingTasks(db, sup.orgId, { status: "open" })).length).toBe(2)
  })

  it("measures what the rule names (pure)", () => {
    const e: QualityEvents.Evaluated = {
      caseId: "c",
      agentId: "a",
      scorecardId: "card_a",
      scorecardVersion: 2,
      score: 64,
      passed: false,
      autoFailed: false,
      criteria: { tone: 0.25, next: null },
      families: [],
    }
    expect(LowScore.measured({ scorecardId: null, criterionId: null }, e)).toBe(0.64)
    expect(LowScore.measured({ scorecardId: "card_b", criterionId: null }, e)).toBeNull()
    expect(LowScore.measured({ scorecardId: "card_a", criterionId: "tone" }, e)).toBe(0.25)
    expect(LowScore.measured({ scorecardId: null, criterionId: "next" }, e)).toBeNull()
    expect(LowScore.measured({ scorecardId: null, criterionId: "toString" }, e)).toBeNull()
  })
})
