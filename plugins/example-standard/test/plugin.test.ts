import { Change } from "@tenet/core"
import { startTestHost } from "@tenet/plugin-sdk/testing"
import { afterAll, expect, it } from "vitest"

// the plugin's module: its handler runs in a worker thread with its time limit, as on the server
const t = await startTestHost({ plugins: [new URL("../src/index.ts", import.meta.url)] })
afterAll(() => t.stop())

it("loads with no issues", () => {
  expect(t.host.plugins[0]).toMatchObject({
    id: "example-standard",
    status: "loaded",
    issues: [],
    isolation: "worker",
  })
})

it("its handler receives a breach in its worker", async () => {
  await Change.change(t.db, t.ctx, ({ emit }) =>
    emit({ type: "standards.target.breached", aggregateType: "breach", aggregateId: "b1" }),
  )
  await t.dispatch()
  const [report] = await t.host.handlerReports(t.db, t.ctx.orgId)
  expect(report).toMatchObject({ name: "count-breaches", calls: 1, failures: 0, quarantined: false })
})

it("installs the night-shift standard and offers the quick-fix workflow", async () => {
  const r = await t.installStandard("example-standard")
  expect(r.version).toBe(1)
  expect(t.host.workflows().map((w) => w.id)).toEqual(["quick-fix"])
})
