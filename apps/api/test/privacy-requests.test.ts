import { ContactPermissions, DataClasses, type Db, Tenancy } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { Consent, Erasure, PrivacyExport, PrivacyHolds, PrivacyRequests } from "@tenet/risk"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { MODULES, wireContracts } from "../src/modules"
import { makeOrg, seedCustomer } from "./privacy-fixtures"

let db: Db.Database
let orgId: string
beforeAll(async () => {
  wireContracts()
  db = await makeTestDatabase(MODULES)
  orgId = await makeOrg(db, "requests")
}, 300_000)
afterAll(async () => {
  await db.close()
})

describe(`data-subject requests (${testEngine()})`, () => {
  it("an export holds the customer's data from every module that declares customer data", {
    timeout: 120_000,
  }, async () => {
    const ctx = Tenancy.system(orgId, "officer")
    const { customer, kase } = await seedCustomer(db, orgId, "hana", 30)
    await seedCustomer(db, orgId, "ivan", 30) // someone else: never in hana's export
    await sql`insert into culture.kudos (org_id, id, from_user, to_user, message, case_id, points)
      values (${orgId}, 'kud_1', 'usr_a', 'usr_b', 'great save on this case', ${kase}, 1)`.execute(db.kysely)
    await Consent.record(db, ctx, {
      customerId: customer,
      channel: "survey",
      granted: true,
      noticeVersion: "2026-01",
      source: "phone",
    })
    const request = await PrivacyRequests.receive(db, ctx, {
      customerId: customer,
      kind: "access",
      locale: "en",
      channel: "phone",
    })
    expect(request.daysLeft).toBe(30)

    const exported = await PrivacyExport.collect(db, orgId, customer, "en")
    // the modules that declare a class leading to a customer, from the declarations (not a hand list)
    const declaring = new Set(
      DataClasses.all()
        .filter((c) => c.customer && !c.global)
        .map((c) => c.module),
    )
    expect([...declaring].sort()).toEqual(["culture", "feedback", "process", "risk", "standards"])
    expect(new Set(exported.sections.map((s) => s.module))).toEqual(declaring)
    const json = JSON.stringify(exported)
    expect(json).toContain("hana wrote: my card was charged twice")
    expect(json).toContain("hana is unhappy")
    expect(json).not.toContain("ivan")
    const html = PrivacyExport.toHtml(exported)
    expect(html).toContain("A copy of your personal information")
    expect(html).toContain("Hello, this is hana")
    expect(PrivacyExport.toHtml({ ...exported, locale: "zh-CN" })).toContain("您的个人信息副本")
  })

  it("a deletion removes what is past its minimum and states what was kept and why", {
    timeout: 120_000,
  }, async () => {
    const ctx = Tenancy.system(orgId, "officer")
    const { customer, kase } = await seedCustomer(db, orgId, "jade", 100) // messages under the 2-year minimum
    const old = await seedCustomer(db, orgId, "kai", 1000)
    await PrivacyHolds.place(db, ctx, { scope: "customer", target: old.customer, reason: "court order" })
    const request = await PrivacyRequests.receive(db, ctx, {
      customerId: customer,
      kind: "deletion",
      locale: "en",
      channel: "web",
    })
    await expect(
      PrivacyRequests.complete(db, ctx, request.id, { removed: [], kept: [] }),
    ).rejects.toMatchObject({
      code: "not_verified",
    })
    await PrivacyRequests.verify(db, ctx, request.id, "ID card checked at the counter")
    const outcome = await Erasure.erase(db, ctx, customer, { requestId: request.id })
    const done = await PrivacyRequests.complete(db, ctx, request.id, outcome)
    expect(done.status).toBe("done")
    // the customer record goes at once (no minimum); the communication records stay for their legal minimum
    expect(outcome.removed).toContainEqual({ classId: "process.customers", count: 1, action: "anonymise" })
    const keptMessages = outcome.kept.find((k) => k.classId === "process.case_messages")!
    expect(keptMessages).toMatchObject({ count: 1, reason: "minimum" })
    expect(keptMessages.why.en).toContain("two years")
    expect(new Date(keptMessages.until!).getTime()).toBeGreaterThan(Date.now() + 600 * 86_400_000)
    const name = await sql<{
      name: string
    }>`select name from process.customer where org_id = ${orgId} and id = ${customer}`.execute(db.kysely)
    expect(name.rows[0]!.name).toBe("[redacted]")
    const msg = await sql<{
      content: string
    }>`select content from process.case_event where org_id = ${orgId} and case_id = ${kase}`.execute(
      db.kysely,
    )
    expect(msg.rows[0]!.content).toBe("Hello, this is jade")
    // what is kept is restricted to storage: no surveys, no contact
    expect(await ContactPermissions.check(db.kysely, orgId, customer, "survey")).toEqual({
      allowed: false,
      reason: "restricted",
    })

    // a held customer: everything is kept, and the statement says it is the hold
    const heldOutcome = await Erasure.erase(db, ctx, old.customer)
    expect(heldOutcome.removed).toEqual([])
    expect(heldOutcome.kept.every((k) => k.reason === "hold")).toBe(true)
  })

  it("reminds the admins of an open request before it is due, and not of a closed one", async () => {
    const ctx = Tenancy.system(orgId, "officer")
    const open = await PrivacyRequests.receive(db, ctx, {
      customerId: "cus_rem",
      kind: "access",
      locale: "en",
      channel: "web",
    })
    const closed = await PrivacyRequests.receive(db, ctx, {
      customerId: "cus_rem",
      kind: "access",
      locale: "en",
      channel: "web",
    })
    await PrivacyRequests.refuse(db, ctx, closed.id, "duplicate of an open request")
    const job = await sql<{
      run_at: Date
    }>`select run_at from core.job where org_id = ${orgId} and kind = ${PrivacyRequests.REMINDER_JOB}
      and key = ${open.id}`.execute(db.kysely)
    // five days (the default) before the 30-day due date
    expect(Math.round((open.dueAt.getTime() - new Date(job.rows[0]!.run_at).getTime()) / 86_400_000)).toBe(5)
    const run = PrivacyRequests.jobHandlers[PrivacyRequests.REMINDER_JOB]!
    for (const r of [open, closed])
      await run(
        {
          orgId,
          id: "job_x",
          kind: PrivacyRequests.REMINDER_JOB,
          key: r.id,
          runAt: new Date(),
          payload: { requestId: r.id },
          attempts: 1,
        },
        db,
      )
    const events = await sql<{ aggregate_id: string }>`select aggregate_id from core.outbox_event
      where org_id = ${orgId} and type = 'core.notification.requested' and aggregate_type = 'privacy_request'`.execute(
      db.kysely,
    )
    expect(events.rows.map((e) => e.aggregate_id)).toEqual([open.id])
  })

  it("consent: the latest decision per purpose counts; marketing needs consent", async () => {
    const ctx = Tenancy.system(orgId, "officer")
    const c = "cus_consent"
    expect((await ContactPermissions.check(db.kysely, orgId, c, "marketing")).allowed).toBe(false)
    expect((await ContactPermissions.check(db.kysely, orgId, c, "survey")).allowed).toBe(true)
    await Consent.record(db, ctx, {
      customerId: c,
      channel: "marketing",
      granted: true,
      noticeVersion: "v1",
      source: "web",
    })
    await Consent.record(db, ctx, {
      customerId: c,
      channel: "survey",
      granted: false,
      noticeVersion: "v1",
      source: "web",
    })
    expect((await ContactPermissions.check(db.kysely, orgId, c, "marketing")).allowed).toBe(true)
    expect(await ContactPermissions.check(db.kysely, orgId, c, "survey")).toEqual({
      allowed: false,
      reason: "withdrawn",
    })
    const history = await Consent.history(db.as(), orgId, c)
    expect(history.map((h) => [h.channel, h.granted, h.recordedBy])).toEqual(
      expect.arrayContaining([
        ["marketing", true, "officer"],
        ["survey", false, "officer"],
      ]),
    )
  })
})
