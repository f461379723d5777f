import { startTestHost } from "@tenet/plugin-sdk/testing"
import { afterAll, expect, it } from "vitest"
import plugin from "../src/index"

const t = await startTestHost({ plugins: [plugin] })
afterAll(() => t.stop())

type Target = { id: string; metric: string; operator: string; value: number }
type Clause = { id: string; requirements?: Array<{ id: string; targets?: Target[] }>; clauses?: Clause[] }
const targets = (clauses: Clause[]): Array<Target & { requirement: string }> =>
  clauses.flatMap((c) => [
    ...(c.requirements ?? []).flatMap((r) => (r.targets ?? []).map((x) => ({ ...x, requirement: r.id }))),
    ...targets(c.clauses ?? []),
  ])

it("loads with no issues", () => {
  expect(t.host.plugins[0]).toMatchObject({ id: "copc-baseline", status: "loaded", issues: [] })
})

it("installs its standard into an organisation", async () => {
  const r = await t.installStandard("copc-baseline")
  expect(r.version).toBe(1)
})

it("carries the seed's customer-voice targets, each on a metric the registry knows", () => {
  const doc = t.host.standards().find((s) => s.plugin === "copc-baseline")!.document as {
    version: string
    clauses: Clause[]
  }
  expect(doc.version).toBe("1.1")
  const all = targets(doc.clauses)
  for (const x of all) expect(t.registry.get(x.metric), x.metric).toBeDefined()
  const feedback = all
    .filter((x) => x.metric.startsWith("feedback."))
    .map((x) => [x.requirement, x.metric, x.operator, x.value])
  expect(feedback).toEqual([
    ["2.2.4", "feedback.survey_within_24h", ">=", 0.95],
    ["5.1", "feedback.csat", ">=", 0.85],
    ["5.2", "feedback.replied_within_24h", ">=", 0.95],
    ["5.3", "feedback.complaint_ack_attainment", ">=", 0.95],
    ["5.3", "feedback.complaint_response_attainment", ">=", 0.95],
    ["5.3", "feedback.repeat_complaint_rate", "<=", 0.05],
  ])
})
