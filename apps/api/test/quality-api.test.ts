// Issue #18, QA through the API: sampling plans kept with their coverage per agent and period, and
// calibration sessions that measure agreement on critical-error calls.
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

const OK = { greeting: 1, identity: 1, understand: 5, correct: 1, record: 1, tone: 4, next: 1 }

describe("sampling plans kept with their coverage", () => {
  it("keeps a plan's quotas and counts the evaluations done against them in its period only", async () => {
    const key = orgs.a.adminKey
    const agent = orgs.a.agent.id
    const ids: string[] = []
    for (let i = 0; i < 6; i++) {
      const c = await h.request("/api/v1/process/cases", {
        method: "POST",
        key,
        body: { type: "inquiry", channel: "chat", subject: `sample ${i}` },
      })
      ids.push(c.body.id)
    }
    await sql`update process.case set owner_id = ${agent}, status = 'resolved', resolved_at = now()
      where org_id = ${orgs.a.org.id} and id in (${sql.join(ids)})`.execute(h.db.kysely)
    const from = new Date(Date.now() - 3_600_000).toISOString()
    const to = new Date(Date.now() + 3_600_000).toISOString()
    const bad = await h.request("/api/v1/quality/sampling-plans", {
      method: "POST",
      key,
      body: { name: "x", from: to, to: from, marginOfError: 0.1, minPerAgent: 2 },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0]).toMatchObject({ path: "/to", code: "after" })
    const made = await h.request("/api/v1/quality/sampling-plans", {
      method: "POST",
      key,
      body: { name: "十二月抽检", from, to, marginOfError: 0.3, minPerAgent: 2 },
    })
    expect(made.status).toBe(201)
    const quota = made.body.agents.find((a: any) => a.agent === agent).quota
    expect(quota).toBeGreaterThanOrEqual(2)
    expect(quota).toBeLessThanOrEqual(6)
    expect(made.body).toMatchObject({ name: "十二月抽检", evaluated: 0, coverage: 0, total: quota })
    expect(made.body.sample).toHaveLength(quota)
    const template = (await h.request("/api/v1/quality/scorecards", { key })).body.template
    const card = await h.request("/api/v1/quality/scorecards", {
      method: "POST",
      key,
      body: { name: "抽检", definition: template },
    })
    const evaluate = (caseId: string) =>
      h.request("/api/v1/quality/evaluations", {
        method: "POST",
        key,
        body: { scorecardId: card.body.id, caseId, agentId: agent, answers: OK },
      })
    const drawn = made.body.sample[0].id
    expect((await evaluate(drawn)).status).toBe(201)
    // an evaluation before the period does not count
    const early = await evaluate(ids.find((x) => x !== drawn)!)
    await sql`update standards.qa_evaluation set evaluated_at = ${new Date(Date.now() - 86_400_000)}
      where id = ${early.body.id}`.execute(h.db.kysely)
    const list = await h.request("/api/v1/quality/sampling-plans", { key })
    expect(list.status).toBe(200)
    const plan = list.body.items.find((p: any) => p.id === made.body.id)
    expect(plan.agents).toEqual([
      {
        agent,
        quota,
        evaluated: 1,
        drawnEvaluated: 1,
        coverage: 1 / quota,
        met: quota === 1,
      },
    ])
    expect(plan.coverage).toBeCloseTo(1 / quota, 10)
    // another organisation sees none of it
    expect((await h.request("/api/v1/quality/sampling-plans", { key: orgs.b.adminKey })).body.items).toEqual(
      [],
    )
  })
})
