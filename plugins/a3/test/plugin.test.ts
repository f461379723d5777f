import { startTestHost } from "@tenet/plugin-sdk/testing"
import { afterAll, expect, it } from "vitest"
import plugin from "../src/index"

const t = await startTestHost({ plugins: [plugin] })
afterAll(() => t.stop())

it("loads with no issues", () => {
  expect(t.host.plugins[0]).toMatchObject({ id: "a3", status: "loaded", issues: [] })
})

it("has a Check stage that re-measures, before the cycle can close", () => {
  const w = t.host.workflows()[0]!
  expect(w.stages.map((s) => s.id)).toContain("check")
  // the terminal stage is reached only through the check (or its follow-up stage)
  const terminal = w.stages.find((s) => s.terminal)!.id
  const into = w.transitions.filter((x) => x.to === terminal).map((x) => x.from)
  expect(
    into.every((from) => from === "check" || w.transitions.some((x) => x.from === "check" && x.to === from)),
  ).toBe(true)
})
