import type { Db } from "@tenet/core"
import { testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Causes, Demo, Items, Metrics, Results } from "../src/index"
import { calendar, ctx, ORG, openDb } from "./helpers"

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

  it("seeds complaints at every ISO 10002 stage by age, with repeats, late acknowledgements and ratings", async () => {
    const now = new Date("2025-06-02T02:00:00Z")
    const categories = ["service", "delivery", "billing", null]
    const cases = Array.from({ length: 600 }, (_, i) => ({
      id: `case_c${i}`,
      receivedAt: new Date(now.getTime() - (600 - i) * 3 * 3_600_000),
      type: i % 20 === 19 ? "complaint" : "inquiry",
      channel: i % 2 ? "phone" : "email",
      category: i % 20 === 19 ? categories[Math.floor(i / 20) % 4]! : null,
      customerId: `cus_c${i}`,
    }))
    const out = await Demo.seedDemoItems(db, ctx, cases, { now, calendar })
    expect(out.complaints).toBe(30)
    expect(out.others).toBeGreaterThan(0)
    const complaints = await Items.listItems(db, ORG, { kind: "complaint", limit: 100 })
    expect(complaints).toHaveLength(30)
    const stages = new Set(complaints.map((c) => c.stage))
    for (const s of [
      "received",
      "acknowledged",
      "investigating",
      "decision_communicated",
      "closed_accepted",
      "closed_escalated",
    ])
      expect(stages, s).toContain(s)
    // every complaint refers to a demo complaint case; closed ones carry the handling rating
    const caseIds = new Set(cases.filter((c) => c.type === "complaint").map((c) => c.id))
    for (const c of complaints) expect(caseIds.has(c.caseId!)).toBe(true)
    for (const c of complaints.filter((x) => x.stage?.startsWith("closed")))
      expect(c.handlingSatisfaction).toBeGreaterThanOrEqual(2)
    expect(complaints.filter((c) => c.repeatOf !== null).length).toBeGreaterThan(0)
    // acknowledgement attainment is neither 0 nor 1: a few were acknowledged late
    const ack = Metrics.metrics.find((m) => m.id === "feedback.complaint_ack_attainment")!
    const [v] = await ack.compute(
      {
        orgId: ORG,
        from: new Date(now.getTime() - 100 * 86_400_000),
        to: now,
        timeZone: "Asia/Shanghai",
        bucket: "none",
      },
      db,
    )
    expect(v!.value).toBeGreaterThan(0.5)
    expect(v!.value).toBeLessThan(1)
    // the Pareto of causes has the demo's taxonomy
    const pareto = await Causes.pareto(db, ORG, {
      from: new Date(now.getTime() - 100 * 86_400_000),
      to: now,
      kind: "complaint",
    })
    expect(pareto.total).toBe(30)
    expect(pareto.causes.map((c) => c.code).sort()).toEqual(["callback", "courier", "double_charge", "wait"])
    const ledger = await sql<{
      n: number
    }>`select count(*)::int as n from feedback.item_event where org_id = ${ORG}`.execute(db.kysely)
    expect(ledger.rows[0]!.n).toBeGreaterThan(100)
  })
})
