import type { Db } from "@tenet/core"
import { testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Causes, Clocks, Complaints, Items, Metrics } from "../src/index"
import { calendar, ctx, ORG, openDb } from "./helpers"

let db: Db.Database
beforeAll(async () => {
  db = await openDb()
  await Causes.saveCause(db, ctx, { code: "slow_reply", name: { "zh-CN": "回复慢", en: "Slow reply" } })
  await Causes.saveCause(db, ctx, { code: "wrong_answer", name: { "zh-CN": "答复错误", en: "Wrong answer" } })
})
afterAll(async () => {
  await db.close()
})

// Tuesday 2025-03-04 10:00 in Shanghai
const tue10 = new Date("2025-03-04T02:00:00Z")

describe(`feedback items and complaints (${testEngine()})`, () => {
  it("reply deadlines by urgency on the calendar: 24 h normally, moved out of closed time", async () => {
    expect(Clocks.replyDue("normal", tue10, calendar).dueAt).toEqual(new Date("2025-03-05T02:00:00Z"))
    expect(Clocks.replyDue("urgent", tue10, calendar).dueAt).toEqual(new Date("2025-03-04T06:00:00Z"))
    // Friday 17:00 + 24 h = Saturday 17:00, closed → Monday 09:00
    const fri17 = new Date("2025-03-07T09:00:00Z")
    const d = Clocks.replyDue("normal", fri17, calendar)
    expect(d.dueAt).toEqual(new Date("2025-03-10T01:00:00Z"))
    expect(d.basis).toContain("moved to the next opening")
    const s = await Items.record(
      db,
      ctx,
      { kind: "suggestion", channel: "email", summary: "希望增加微信渠道", receivedAt: tue10 },
      calendar,
    )
    expect(s.clocks).toMatchObject([
      { target: "reply", state: "overdue", dueAt: new Date("2025-03-05T02:00:00Z") },
    ])
    const replied = await Items.replyTo(
      db,
      ctx,
      s.id,
      { reply: "感谢建议，已转交产品团队。" },
      new Date("2025-03-04T08:00:00Z"),
    )
    expect(replied.clocks[0]).toMatchObject({ state: "met" })
    await expect(Items.replyTo(db, ctx, s.id, { reply: "again" })).rejects.toMatchObject({
      code: "feedbackAlreadyReplied",
    })
    await expect(
      Items.record(db, ctx, { kind: "praise", channel: "chat", summary: "x", causeCode: "nope" }),
    ).rejects.toMatchObject({
      _tag: "ValidationError",
      issues: [{ path: ["causeCode"] }],
    })
  })

  it("a complaint goes through the ISO 10002 stages with its clocks and ledger", async () => {
    const c = await Items.record(
      db,
      ctx,
      {
        kind: "complaint",
        channel: "phone",
        summary: "扣费错误",
        remedySought: "退还多扣的 30 元",
        customerKey: "cus_1",
        causeCode: "wrong_answer",
        receivedAt: tue10,
      },
      calendar,
    )
    // acknowledge in 1 business day = 9 h of open time: Tuesday 10:00 → Wednesday 10:00
    expect(c.clocks.map((k) => [k.target, k.dueAt.toISOString()])).toEqual([
      ["acknowledge", "2025-03-05T02:00:00.000Z"],
      ["respond", "2025-03-19T02:00:00.000Z"],
    ])
    expect(c.clocks[0]!.basis).toBe("1 business day = 9 h of open time on the calendar")
    const at = (h: number) => ({ now: new Date(tue10.getTime() + h * 3_600_000), calendar })
    await Complaints.step(db, ctx, c.id, { to: "acknowledged" }, at(2))
    await expect(Complaints.step(db, ctx, c.id, { to: "assessed" }, at(3))).rejects.toMatchObject({
      _tag: "ValidationError",
      issues: [{ path: ["severity"] }, { path: ["urgency"] }, { path: ["complexity"] }],
    })
    await expect(Complaints.step(db, ctx, c.id, { to: "closed_accepted" }, at(3))).rejects.toMatchObject({
      code: "complaintStage",
    })
    // urgent: respond within 24 h
    const assessed = await Complaints.step(
      db,
      ctx,
      c.id,
      { to: "assessed", severity: "high", urgency: "urgent", complexity: "simple" },
      at(3),
    )
    expect(assessed.clocks[1]).toMatchObject({
      target: "respond",
      dueAt: new Date("2025-03-05T02:00:00Z"),
      basis: "urgent: 24 h",
    })
    await Complaints.step(db, ctx, c.id, { to: "investigating" }, at(4))
    await Complaints.step(
      db,
      ctx,
      c.id,
      { to: "response_proposed", decision: "确认多扣", remedyOffered: "退款 30 元并致歉" },
      at(5),
    )
    await Complaints.step(db, ctx, c.id, { to: "decision_communicated" }, at(30))
    const closed = await Complaints.step(db, ctx, c.id, { to: "closed_accepted" }, at(31))
    expect(closed.clocks.map((k) => k.state)).toEqual(["met", "breached"])
    expect(closed).toMatchObject({ accepted: true, status: "closed", stage: "closed_accepted" })
    const rated = await Complaints.rateHandling(db, ctx, c.id, 4)
    expect(rated.handlingSatisfaction).toBe(4)
    const full = await Items.getItem(db, ORG, c.id)
    expect(full.ledger.map((e) => e.to)).toEqual([
      "received",
      "acknowledged",
      "assessed",
      "investigating",
      "response_proposed",
      "decision_communicated",
      "closed_accepted",
    ])
    // the same customer complains about the same cause again: a repeat
    const again = await Items.record(
      db,
      ctx,
      {
        kind: "complaint",
        channel: "email",
        summary: "又扣错了",
        customerKey: "cus_1",
        causeCode: "wrong_answer",
        receivedAt: new Date(tue10.getTime() + 10 * 86_400_000),
      },
      calendar,
    )
    expect(again.repeatOf).toBe(c.id)
    const other = await Items.record(
      db,
      ctx,
      {
        kind: "complaint",
        channel: "email",
        summary: "回复太慢",
        customerKey: "cus_1",
        causeCode: "slow_reply",
        receivedAt: new Date(tue10.getTime() + 10 * 86_400_000),
      },
      calendar,
    )
    expect(other.repeatOf).toBeNull()
  })

  it("the Pareto of causes, largest first with the cumulative share", async () => {
    const p = await Causes.pareto(db, ORG, {
      from: new Date("2025-03-01T00:00:00Z"),
      to: new Date("2025-04-01T00:00:00Z"),
    })
    expect(p.total).toBe(4)
    expect(p.causes).toEqual([
      { code: "wrong_answer", count: 2, share: 0.5, cumulative: 0.5 },
      { code: "slow_reply", count: 1, share: 0.25, cumulative: 0.75 },
      { code: "uncoded", count: 1, share: 0.25, cumulative: 1 },
    ])
  })

  it("the complaint and reply metrics from the same rows", async () => {
    const q = {
      orgId: ORG,
      from: new Date("2025-03-01T00:00:00Z"),
      to: new Date("2025-04-01T00:00:00Z"),
      timeZone: "Asia/Shanghai",
      bucket: "none" as const,
    }
    const get = async (id: string) => (await Metrics.metrics.find((m) => m.id === id)!.compute(q, db))[0]
    // acknowledged in time: the first complaint; the two later ones were never acknowledged
    expect(await get("feedback.complaint_ack_attainment")).toMatchObject({ numerator: 1, denominator: 3 })
    // decision after 30 h against an urgent 24 h: breached; the later two ran out
    expect(await get("feedback.complaint_response_attainment")).toMatchObject({
      numerator: 0,
      denominator: 3,
    })
    expect(await get("feedback.repeat_complaint_rate")).toMatchObject({ numerator: 1, denominator: 3 })
    // the suggestion answered in 6 h; the complaint's decision after 30 h; two unanswered
    expect(await get("feedback.replied_within_24h")).toMatchObject({ numerator: 1, denominator: 4 })
    const byKind = await Metrics.metrics
      .find((m) => m.id === "feedback.replied_within_24h")!
      .compute({ ...q, groupBy: ["kind"] }, db)
    expect(byKind.map((v) => [v.dimensions!.kind, v.numerator, v.denominator])).toEqual([
      ["complaint", 0, 3],
      ["suggestion", 1, 1],
    ])
  })
})
