import { startTestHost } from "@tenet/plugin-sdk/testing"
import { afterAll, expect, it } from "vitest"
import plugin from "../src/index"

const t = await startTestHost({ plugins: [plugin] })
afterAll(() => t.stop())

it("loads with no issues", () => {
  expect(t.host.plugins[0]).toMatchObject({ id: "example-standard", status: "loaded", issues: [] })
})

it("installs the night-shift standard and offers the quick-fix workflow", async () => {
  const r = await t.installStandard("example-standard")
  expect(r.version).toBe(1)
  expect(t.host.workflows().map((w) => w.id)).toEqual(["quick-fix"])
})
