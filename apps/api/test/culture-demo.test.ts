// The demo's low-score rules meet the demo's QA evaluations: dispatching the events the seed left
// in the outbox raises exactly the coaching and assigns exactly the courses the rules call for,
// worked out here from the evaluations themselves.
import { Outbox } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { LowScore, Training } from "@tenet/culture"
import { QualityService } from "@tenet/standards"
import { sql } from "kysely"
import { expect, it } from "vitest"
import { seedDemo } from "../src/demo"
import { MODULES } from "../src/modules"

it(`the demo's low QA scores raise coaching and assign the empathy course as its rules say (${testEngine()})`, {
  timeout: 600_000,
}, async () => {
  const db = await makeTestDatabase(MODULES.slice(1))
  try {
    const { orgId } = await seedDemo(db, { days: 30 })
    const rules = await LowScore.listRules(db, orgId)
    expect(rules.map((r) => [r.id, r.criterionId, r.threshold, r.action, r.courseId])).toEqual([
      ["below-75-coaching", null, 0.75, "coaching", null],
      ["poor-tone-empathy", "tone", 0.5, "course", "empathy"],
    ])
    for (let i = 0; i < 50; i++) if (!(await Outbox.dispatch(db, [LowScore.lowScoreHandler])).more) break

    // oldest first, as the events were published
    const evals = (await QualityService.listEvaluations(db, orgId)).reverse()
    const answers = new Map(
      (
        await sql<{ id: string; answers: Record<string, number | null> }>`
          select id, answers from standards.qa_evaluation where org_id = ${orgId} and calibration_id is null`.execute(
          db.kysely,
        )
      ).rows.map((r) => [r.id, r.answers]),
    )
    // coaching: one open task per agent, from their first evaluation below 75
    const firstLow = new Map<string, string>()
    for (const e of evals) if (Number(e.score) < 75 && !firstLow.has(e.agentId)) firstLow.set(e.agentId, e.id)
    expect(firstLow.size).toBeGreaterThan(0)
    const tasks = await LowScore.coachingTasks(db, orgId)
    expect(tasks.map((t) => [t.userId, t.evaluationId, t.status]).sort()).toEqual(
      [...firstLow].map(([agent, id]) => [agent, id, "open"]).sort(),
    )
    expect(tasks.every((t) => t.result < 0.75 && t.threshold === 0.75)).toBe(true)
    // empathy: for each agent whose tone was once below half its 4-point scale (1 or 2), unless open already
    const openBefore = new Set(
      (
        await sql<{ user_id: string }>`select user_id from culture.assignment
          where org_id = ${orgId} and course_id = 'empathy' and source <> 'low_score' and status = 'assigned'`.execute(
          db.kysely,
        )
      ).rows.map((r) => r.user_id),
    )
    const poorTone = new Map<string, string>()
    for (const e of evals) {
      const tone = answers.get(e.id)?.tone
      if (typeof tone === "number" && tone <= 2 && !poorTone.has(e.agentId) && !openBefore.has(e.agentId))
        poorTone.set(e.agentId, e.id)
    }
    const assigned = (await Training.assignmentsOf(db, orgId)).filter((a) => a.source === "low_score")
    expect(poorTone.size).toBeGreaterThan(0) // the demo shows at least one
    expect(assigned.map((a) => [a.userId, a.courseId, a.sourceRef]).sort()).toEqual(
      [...poorTone].map(([agent, id]) => [agent, "empathy", id]).sort(),
    )
  } finally {
    await db.close()
  }
})
