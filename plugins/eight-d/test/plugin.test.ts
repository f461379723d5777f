import { startTestHost } from "@tenet/plugin-sdk/testing"
import { afterAll, expect, it } from "vitest"
import plugin from "../src/index"

const t = await startTestHost({ plugins: [plugin] })
afterAll(() => t.stop())

it("loads with no issues", () => {
  expect(t.host.plugins[0]).toMatchObject({ id: "eight-d", status: "loaded", issues: [] })
})

it("goes back from D6 to D4 when validation fails", () => {
  expect(t.host.workflows()[0]!.transitions).toContainEqual({
    from: "d6_implement_validate",
    to: "d4_root_cause",
  })
})
