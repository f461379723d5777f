import { startTestHost } from "@tenet/plugin-sdk/testing"
import { afterAll, expect, it } from "vitest"
import plugin from "../src/index"

const t = await startTestHost({ plugins: [plugin] })
afterAll(() => t.stop())

it("loads with no issues", () => {
  expect(t.host.plugins[0]).toMatchObject({ id: "dmaic", status: "loaded", issues: [] })
})

it("has a tollgate approval at each exit", () => {
  const w = t.host.workflows()[0]!
  expect(w.stages.filter((s) => !s.terminal).every((s) => s.guard?.approverRole === "supervisor")).toBe(true)
})
