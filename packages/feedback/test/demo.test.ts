import type { Db } from "@tenet/core"
import { testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Demo, Results } from "../src/index"
import { ctx, ORG, openDb } from "./helpers"

let db: Db.Database
beforeAll(async () => {
  db = await openDb()
})
afterAll(async () => {
  await db.close()
})

describe(`demo surveys (${testEngine()})`, () => {
  it("seeds 90 days whose response rates differ by segment, so weighting moves the value", async () => {
    const now = Date.UTC(2025, 5, 1)
    const segments = ["vip", "existing", "regular", "new"]
    const cases = Array.from({ length: 2000 }, (_, i) => ({
      id: `case_${i}`,
      resolvedAt: new Date(now - (i % 90) * 86_400_000 - 5 * 3_600_000),
      type: "inquiry",
      channel: i % 3 === 0 ? "chat" : "email",
      segment: segments[i % 4]!,
      team: "support",
      agentId: `usr_${i % 5}`,
      customerId: `cus_${i}`,
    }))
    const out = await Demo.seedDemoFeedback(db, ctx, cases, { now: new Date(now) })
    // the few late surveys of the last day are not due yet
    expect(out.invitations).toBeGreaterThan(1990)
    expect(out.invitations).toBeLessThan(2000)
    const r = await Results.results(db, ORG, {
      kind: "csat",
      from: new Date(now - 100 * 86_400_000),
      to: new Date(now),
    })
    expect(r.n).toBe(out.responses)
    const rate = (s: string) => {
      const x = r.weighted!.strata.find((t) => t.segment === s)!
      return x.responded / x.invited
    }
    expect(rate("vip")).toBeGreaterThan(rate("new") + 0.15)
    expect(Math.abs(r.weighted!.score.value! - r.score.value!)).toBeGreaterThan(0.005)
    expect(r.drivers.length).toBe(3)
    expect(r.warning).toBeNull()
  })
})
