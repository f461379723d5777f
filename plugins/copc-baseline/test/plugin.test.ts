import { startTestHost } from "@tenet/plugin-sdk/testing"
import { afterAll, expect, it } from "vitest"
import plugin from "../src/index"

const t = await startTestHost({ plugins: [plugin] })
afterAll(() => t.stop())

it("loads with no issues", () => {
  expect(t.host.plugins[0]).toMatchObject({ id: "copc-baseline", status: "loaded", issues: [] })
})

it("installs its standard into an organisation", async () => {
  const r = await t.installStandard("copc-baseline")
  expect(r.version).toBe(1)
})
