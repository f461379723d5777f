import { startTestHost } from "@tenet/plugin-sdk/testing"
import { afterAll, expect, it } from "vitest"
import plugin from "../src/index"

const t = await startTestHost({ plugins: [plugin] })
afterAll(() => t.stop())

it("loads with no issues", () => {
  expect(t.host.plugins[0]).toMatchObject({ id: "pdca", status: "loaded", issues: [] })
})

it("contributes the PDCA workflow with approval at Plan and Act", () => {
  const w = t.host.workflows()[0]!
  expect(w.stages.map((s) => s.id)).toEqual(["plan", "do", "check", "act", "closed"])
  expect(w.stages.find((s) => s.id === "act")!.guard).toMatchObject({ approverRole: "supervisor" })
  expect(w.transitions).toContainEqual({ from: "act", to: "plan" })
})
