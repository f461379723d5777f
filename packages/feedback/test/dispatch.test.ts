import { ContactPermissions, type Db } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Dispatch, feedbackMigrations, Responses } from "../src/index"
import { ctx, facts, ORG, openDb, publishedCsat } from "./helpers"

let db: Db.Database
let surveyId: string
const sent: Dispatch.Outgoing[] = []
const deliver: Dispatch.Deliver = async (_tx, out) => {
  sent.push(out)
}

const rule = (over: Partial<Dispatch.RuleInput> = {}): Dispatch.RuleInput => ({
  name: "after resolution",
  surveyId,
  delayMinutes: 60,
  withinHours: 24,
  expiryDays: 14,
  caseTypes: [],
  channels: [],
  segments: [],
  teams: [],
  sampleRate: 1,
  capDays: 30,
  quietHours: true,
  ...over,
})

beforeAll(async () => {
  db = await openDb()
  surveyId = await publishedCsat(db)
})
afterAll(async () => {
  await db.close()
})

const status = async (caseId: string) =>
  (
    await sql<{ status: string; skip_reason: string | null; due_at: Date }>`
      select status, skip_reason, due_at from feedback.invitation where org_id = ${ORG} and case_id = ${caseId}`.execute(
      db.kysely,
    )
  ).rows

describe(`dispatch (${testEngine()})`, () => {
  it("plans on the calendar: the delay in open hours, and quiet hours move it to the next opening", async () => {
    const r = await Dispatch.saveRule(db, ctx, rule())
    const now = new Date("2025-03-04T02:05:00Z")
    // Tuesday 10:00 Shanghai + 60 min = 11:00, open
    const a = facts()
    expect(await Dispatch.planForResolvedCase(db, ctx, a, { now })).toEqual({
      planned: true,
      invitationId: expect.any(String),
      dueAt: new Date("2025-03-04T03:00:00Z"),
    })
    // Friday 17:30 Shanghai + 60 min = 18:30, closed → Monday 09:00
    const b = facts({ resolvedAt: new Date("2025-03-07T09:30:00Z") })
    const pb = await Dispatch.planForResolvedCase(db, ctx, b, { now: b.resolvedAt })
    expect(pb).toMatchObject({ planned: true, dueAt: new Date("2025-03-10T01:00:00Z") })
    // quiet hours off: at once after the delay
    await Dispatch.saveRule(db, ctx, rule({ quietHours: false }), r.id)
    const c = facts({ resolvedAt: new Date("2025-03-07T09:30:00Z") })
    expect(await Dispatch.planForResolvedCase(db, ctx, c, { now: c.resolvedAt })).toMatchObject({
      dueAt: new Date("2025-03-07T10:30:00Z"),
    })
    // the same resolution delivered twice plans once
    expect(await Dispatch.planForResolvedCase(db, ctx, a, { now })).toEqual({
      planned: false,
      reason: "already_planned",
    })
    // an event that arrives after the window is recorded as skipped
    const late = facts()
    expect(
      await Dispatch.planForResolvedCase(db, ctx, late, { now: new Date("2025-03-06T02:00:00Z") }),
    ).toEqual({
      planned: false,
      reason: "window_passed",
    })
    expect(await status(late.caseId)).toMatchObject([{ status: "skipped", skip_reason: "window_passed" }])
    await sql`delete from feedback.dispatch_rule`.execute(db.kysely)
  })

  it("filters by case type, channel, segment and team, and samples stably", async () => {
    await Dispatch.saveRule(
      db,
      ctx,
      rule({ caseTypes: ["complaint"], channels: ["phone"], segments: ["vip"], teams: ["care"] }),
    )
    const ok = facts({ caseType: "complaint", channel: "phone", segment: "vip", team: "care" })
    expect(Dispatch.matches((await Dispatch.listRules(db, ORG))[0]!, ok)).toBe(true)
    for (const over of [{ caseType: "inquiry" }, { channel: "email" }, { segment: "retail" }, { team: null }])
      expect(
        await Dispatch.planForResolvedCase(db, ctx, { ...ok, ...over, caseId: `case_${Math.random()}` }),
      ).toEqual({
        planned: false,
        reason: "no_rule",
      })
    // sampling: about the rate, and the same decision for the same case
    const ids = Array.from({ length: 4000 }, (_, i) => `case_${i}`)
    const share = ids.filter((id) => Dispatch.sampled(id, 0.25)).length / ids.length
    expect(share).toBeGreaterThan(0.22)
    expect(share).toBeLessThan(0.28)
    expect(ids.filter((id) => Dispatch.sampled(id, 0.25))).toEqual(
      ids.filter((id) => Dispatch.sampled(id, 0.25)),
    )
    await sql`delete from feedback.dispatch_rule`.execute(db.kysely)
  })

  it("sends due invitations once, respects opt-out and the per-customer cap", async () => {
    await sql`delete from feedback.invitation`.execute(db.kysely)
    await Dispatch.saveRule(db, ctx, rule({ quietHours: false, delayMinutes: 0, capDays: 30 }))
    const t0 = new Date("2025-03-04T02:00:00Z")
    const one = facts({ resolvedAt: t0 })
    const sameCustomer = facts({ resolvedAt: t0, customerId: one.customerId })
    const optedOut = facts({ resolvedAt: t0 })
    const noEmail = facts({ resolvedAt: t0, email: null })
    for (const f of [one, sameCustomer, optedOut, noEmail])
      await Dispatch.planForResolvedCase(db, ctx, f, { now: t0 })
    await Responses.optOut(db, ctx, optedOut.customerId!)
    sent.length = 0
    const report = await Dispatch.sendDue(db, deliver, { now: new Date(t0.getTime() + 1000) })
    expect(report).toEqual({ sent: 1, skipped: 3 })
    expect(sent.map((s) => s.email)).toEqual(["li.wei@example.com"])
    expect((await status(sameCustomer.caseId))[0]).toMatchObject({
      status: "skipped",
      skip_reason: "recently_surveyed",
    })
    expect((await status(optedOut.caseId))[0]).toMatchObject({ status: "skipped", skip_reason: "opted_out" })
    expect((await status(noEmail.caseId))[0]).toMatchObject({ status: "skipped", skip_reason: "no_address" })
    // a second pass finds nothing to do
    expect(await Dispatch.sendDue(db, deliver, { now: new Date(t0.getTime() + 2000) })).toEqual({
      sent: 0,
      skipped: 0,
    })
    // an opted-out customer is not even planned
    expect(
      await Dispatch.planForResolvedCase(
        db,
        ctx,
        facts({ resolvedAt: t0, customerId: optedOut.customerId }),
        { now: t0 },
      ),
    ).toEqual({
      planned: false,
      reason: "opted_out",
    })
    // the sent invitation is recorded as an event in the same transaction
    const events = await sql<{
      n: number
    }>`select count(*)::int as n from core.outbox_event where type = 'feedback.survey.sent'`.execute(
      db.kysely,
    )
    expect(events.rows[0]!.n).toBe(1)
  })

  it("asks core's contact-permission contract: a customer who withdrew survey consent is not sent one", async () => {
    await sql`delete from feedback.invitation`.execute(db.kysely)
    await sql`delete from feedback.dispatch_rule`.execute(db.kysely)
    await Dispatch.saveRule(db, ctx, rule({ quietHours: false, delayMinutes: 0, capDays: 0 }))
    const t0 = new Date("2025-04-01T02:00:00Z")
    const asked = facts({ resolvedAt: t0 })
    const withdrawn = facts({ resolvedAt: t0 })
    for (const f of [asked, withdrawn]) await Dispatch.planForResolvedCase(db, ctx, f, { now: t0 })
    ContactPermissions.provide({
      id: "test",
      check: async (_tx, _org, customerId, purpose) =>
        customerId === withdrawn.customerId && purpose === "survey"
          ? { allowed: false, reason: "withdrawn" }
          : { allowed: true },
    })
    try {
      sent.length = 0
      expect(await Dispatch.sendDue(db, deliver, { now: new Date(t0.getTime() + 1000) })).toEqual({
        sent: 1,
        skipped: 1,
      })
      expect((await status(withdrawn.caseId))[0]).toMatchObject({
        status: "skipped",
        skip_reason: "opted_out",
      })
      expect((await status(asked.caseId))[0]).toMatchObject({ status: "sent" })
    } finally {
      ContactPermissions.provide(undefined)
      await sql`delete from feedback.dispatch_rule`.execute(db.kysely)
    }
  })

  it("several dispatchers at once send each case's survey exactly once", { timeout: 120_000 }, async () => {
    const other = await makeTestDatabase([feedbackMigrations])
    try {
      const sid = await publishedCsat(other)
      await Dispatch.saveRule(other, ctx, {
        ...rule({ quietHours: false, delayMinutes: 0, capDays: 0 }),
        surveyId: sid,
      })
      const t0 = new Date("2025-03-04T02:00:00Z")
      const cases = Array.from({ length: 60 }, () => facts({ resolvedAt: t0 }))
      // the resolution events delivered twice, concurrently
      await Promise.all(
        [...cases, ...cases].map((f) => Dispatch.planForResolvedCase(other, ctx, f, { now: t0 })),
      )
      const got: string[] = []
      const reports = await Promise.all(
        Array.from({ length: 4 }, () =>
          Dispatch.sendDue(
            other,
            async (_tx, out) => {
              got.push(out.caseId!)
            },
            { now: new Date(t0.getTime() + 1000), limit: 100 },
          ),
        ),
      )
      expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(60)
      expect(got.length).toBe(60)
      expect(new Set(got).size).toBe(60)
      const rows = await sql<{
        n: number
      }>`select count(*)::int as n from feedback.invitation where status = 'sent'`.execute(other.kysely)
      expect(rows.rows[0]!.n).toBe(60)
    } finally {
      await other.close()
    }
  })
})
