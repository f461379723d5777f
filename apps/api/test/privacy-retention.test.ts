import { Audit, Change, DataClasses, type Db, Tenancy } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { PrivacyHolds, Retention } from "@tenet/risk"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { MODULES, wireContracts } from "../src/modules"
import { makeOrg, seedCustomer } from "./privacy-fixtures"

let db: Db.Database
let orgId: string
beforeAll(async () => {
  wireContracts()
  db = await makeTestDatabase(MODULES)
  orgId = await makeOrg(db, "retention")
}, 300_000)
afterAll(async () => {
  await db.close()
})

const caseRow = async (id: string) =>
  (
    await sql<{
      customer_id: string | null
      subject: string
      content: string
    }>`select customer_id, subject, content
      from process.case where org_id = ${orgId} and id = ${id}`.execute(db.kysely)
  ).rows[0]!
const messageOf = async (caseId: string) =>
  (
    await sql<{
      content: string | null
    }>`select content from process.case_event where org_id = ${orgId} and case_id = ${caseId}`.execute(
      db.kysely,
    )
  ).rows[0]!.content
const commentOf = async (caseId: string) =>
  (
    await sql<{
      comment: string | null
    }>`select comment from feedback.response where org_id = ${orgId} and case_id = ${caseId}`.execute(
      db.kysely,
    )
  ).rows[0]!.comment

describe(`retention engine (${testEngine()})`, () => {
  it("removes every expired record and never a held or under-minimum one; the chain verifies", {
    timeout: 120_000,
  }, async () => {
    const ctx = Tenancy.system(orgId, "officer")
    const expired = await seedCustomer(db, orgId, "alice", 4 * 365) // past the 3-year maximum
    const young = await seedCustomer(db, orgId, "bob", 365) // under the 2-year minimum
    const between = await seedCustomer(db, orgId, "carol", 900) // past the minimum, not the maximum
    const heldCustomer = await seedCustomer(db, orgId, "dan", 4 * 365)
    const heldCase = await seedCustomer(db, orgId, "erin", 4 * 365)
    const classHeld = await seedCustomer(db, orgId, "fay", 4 * 365)
    const veryOld = await seedCustomer(db, orgId, "gus", 6 * 365) // past the QA maximum (5 years) too
    await PrivacyHolds.place(db, ctx, {
      scope: "customer",
      target: heldCustomer.customer,
      reason: "litigation",
    })
    await PrivacyHolds.place(db, ctx, { scope: "case", target: heldCase.kase, reason: "regulator inquiry" })
    const classHold = await PrivacyHolds.place(db, ctx, {
      scope: "class",
      target: "feedback.responses",
      reason: "survey audit",
    })

    const plan = await Retention.dryRun(db, orgId)
    const byClass = new Map(plan.map((p) => [p.classId, p]))
    expect(byClass.get("process.cases")).toMatchObject({ due: 3, held: 2, action: "anonymise" })
    expect(byClass.get("process.case_messages")).toMatchObject({ due: 3, held: 2 })
    expect(byClass.get("feedback.responses")).toMatchObject({ due: 0, held: 5 })
    expect(byClass.get("standards.qa_notes")).toMatchObject({ due: 1, held: 0 })
    // the dry run changed nothing
    expect((await caseRow(expired.kase)).subject).toBe("Refund for alice")

    const evidence = await Retention.purge(db, ctx, { trigger: "manual" })
    const counts = Object.fromEntries(evidence.map((e) => [e.classId, e.count]))
    expect(counts).toEqual({
      "process.cases": 3,
      "process.case_messages": 3,
      "feedback.complaints": 3,
      "standards.qa_notes": 1,
    })
    for (const gone of [expired, classHeld, veryOld]) {
      expect(await caseRow(gone.kase)).toEqual({ customer_id: null, subject: "[redacted]", content: "" })
      expect(await messageOf(gone.kase)).toBeNull()
    }
    for (const kept of [young, between, heldCustomer, heldCase]) {
      expect((await caseRow(kept.kase)).customer_id).toBe(kept.customer)
      expect(await messageOf(kept.kase)).not.toBeNull()
    }
    // the class hold kept every response
    for (const s of [expired, young, heldCustomer, classHeld]) expect(await commentOf(s.kase)).not.toBeNull()
    // the evidence names hashed ids only, and the hash of a purged case is among them
    const cases = evidence.find((e) => e.classId === "process.cases")!
    expect(cases.hashedIds).toContain(
      Retention.hashId(orgId, DataClasses.get("process.cases")!, expired.kase),
    )
    expect(JSON.stringify(evidence)).not.toContain("alice")
    const stored = await sql<{
      n: string
    }>`select count(*) as n from risk.privacy_purge where org_id = ${orgId}`.execute(db.kysely)
    expect(Number(stored.rows[0]!.n)).toBe(4)
    expect(await Audit.verify(db, orgId)).toMatchObject({ ok: true })

    // a second run removes nothing; releasing the class hold lets the responses go
    expect(await Retention.purge(db, ctx)).toEqual([])
    await PrivacyHolds.release(db, ctx, classHold.id)
    const second = await Retention.purge(db, ctx)
    expect(second.map((e) => [e.classId, e.count])).toEqual([["feedback.responses", 3]])
    expect(await commentOf(expired.kase)).toBeNull()
    expect(await commentOf(heldCustomer.kase)).not.toBeNull()
    expect(await Audit.verify(db, orgId)).toMatchObject({ ok: true })
  })

  it("refuses a policy below the legal minimum or with a maximum below the minimum", async () => {
    const ctx = Tenancy.system(orgId, "officer")
    await expect(
      Retention.setPolicy(db, ctx, { classId: "process.cases", minDays: 30, maxDays: 60 }),
    ).rejects.toMatchObject({ code: "belowLegalMinimum", field: "minDays" })
    await expect(
      Retention.setPolicy(db, ctx, { classId: "process.cases", minDays: 800, maxDays: 760 }),
    ).rejects.toMatchObject({ code: "belowMinimum", field: "maxDays" })
    const p = await Retention.setPolicy(db, ctx, { classId: "process.cases", minDays: 800, maxDays: 900 })
    expect(p).toMatchObject({ overridden: true, maxDays: 900 })
  })
})

describe(`audit records of purged rows (${testEngine()})`, () => {
  it("lose their payload past the audit log's minimum, and the chain still verifies", {
    timeout: 120_000,
  }, async () => {
    const ctx = Tenancy.system(orgId, "officer")
    const zoe = await seedCustomer(db, orgId, "zoe", 4 * 365)
    await Change.change(db, ctx, async ({ audit }) => {
      await audit({
        action: "case.created",
        entityType: "case",
        entityId: zoe.kase,
        after: { subject: "zoe's refund" },
      })
    })
    // seven months later the record is past the audit log's six-month minimum
    const later = new Date(Date.now() + 210 * 86_400_000)
    await Retention.purge(db, ctx, { now: later, classIds: ["process.cases"] })
    const rows = await sql<{ action: string; after: unknown }>`select action, after from core.audit_log
      where org_id = ${orgId} and (entity_id = ${zoe.kase} or action = 'audit.redacted') order by seq`.execute(
      db.kysely,
    )
    expect(rows.rows[0]).toEqual({ action: "case.created", after: null })
    const redaction = rows.rows.find((r) => r.action === "audit.redacted")!.after as { seqs: number[] }
    expect(redaction.seqs.length).toBeGreaterThan(0)
    expect(JSON.stringify(rows.rows)).not.toContain("zoe")
    expect(await Audit.verify(db, orgId)).toMatchObject({ ok: true })
    // tampering with a redacted record's neighbours is still caught; a payload put back is not "redacted" any more
    await sql`update core.audit_log set after = '{"subject":"forged"}'::jsonb
      where org_id = ${orgId} and entity_id = ${zoe.kase} and action = 'case.created'`.execute(db.kysely)
    expect(await Audit.verify(db, orgId)).toMatchObject({ ok: false, broken: { reason: "hash_mismatch" } })
  })
})
