import { Contracts, type Db, Jobs, Organizations } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { Metrics, processMigrations } from "@tenet/process"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Baseline, Cadence, ComplianceSchedules, Reviews, Standards, standardsMigrations } from "../src/index"

let db: Db.Database
let ctx: { orgId: string; actor: { type: "user"; id: string } }
let standardId: string
const registry = Contracts.metricRegistry()
for (const m of Metrics.metrics) registry.addMetric(m)

beforeAll(async () => {
  db = await makeTestDatabase([processMigrations, standardsMigrations])
  const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "Rev", slug: "rev" })
  ctx = { orgId: org.id, actor: { type: "user", id: "usr_qa" } }
  const imported = await Standards.importLibrary(db, ctx, registry, Baseline.copcBaseline())
  standardId = imported.standardId
  for (const s of ["in_review", "approved", "published"] as const)
    await Standards.step(db, ctx, standardId, 1, s)
})
afterAll(async () => {
  await db.close()
})

describe("cadence (worked values)", () => {
  const sh = "Asia/Shanghai"
  it("daily at 06:00 Shanghai after 2025-03-03 07:00 local is 2025-03-04 06:00 local (22:00 UTC the day before)", () => {
    const next = Cadence.nextRun(
      { frequency: "daily", time: "06:00", timeZone: sh },
      new Date("2025-03-03T07:00:00+08:00"),
    )
    expect(next.toISOString()).toBe("2025-03-03T22:00:00.000Z")
  })
  it("weekly on Monday (1) 09:30 and monthly on the 1st", () => {
    // 2025-03-05 is a Wednesday → Monday 2025-03-10
    expect(
      Cadence.nextRun(
        { frequency: "weekly", time: "09:30", weekday: 1, timeZone: sh },
        new Date("2025-03-05T12:00:00+08:00"),
      ).toISOString(),
    ).toBe("2025-03-10T01:30:00.000Z")
    expect(
      Cadence.nextRun(
        { frequency: "monthly", time: "00:00", monthDay: 1, timeZone: sh },
        new Date("2025-03-05T12:00:00+08:00"),
      ).toISOString(),
    ).toBe("2025-03-31T16:00:00.000Z")
  })
  it("follows daylight saving time (New York: 08:00 is 13:00 UTC in winter, 12:00 UTC in summer)", () => {
    const c = { frequency: "daily", time: "08:00", timeZone: "America/New_York" } as const
    expect(Cadence.nextRun(c, new Date("2025-03-08T14:00:00Z")).toISOString()).toBe(
      "2025-03-09T12:00:00.000Z",
    )
    expect(Cadence.nextRun(c, new Date("2025-03-07T14:00:00Z")).toISOString()).toBe(
      "2025-03-08T13:00:00.000Z",
    )
  })
  it("a run covers the local day, seven days or calendar month before it", () => {
    const at = new Date("2025-03-04T06:00:00+08:00")
    expect(Cadence.periodOf({ frequency: "daily", time: "06:00", timeZone: sh }, at)).toEqual({
      from: new Date("2025-03-03T00:00:00+08:00"),
      to: new Date("2025-03-04T00:00:00+08:00"),
    })
    expect(Cadence.periodOf({ frequency: "weekly", time: "06:00", weekday: 2, timeZone: sh }, at)).toEqual({
      from: new Date("2025-02-25T00:00:00+08:00"),
      to: new Date("2025-03-04T00:00:00+08:00"),
    })
    expect(Cadence.periodOf({ frequency: "monthly", time: "06:00", monthDay: 4, timeZone: sh }, at)).toEqual({
      from: new Date("2025-02-01T00:00:00+08:00"),
      to: new Date("2025-03-01T00:00:00+08:00"),
    })
  })
  it("names each invalid field", () => {
    expect(Cadence.problems({ frequency: "weekly", time: "25:00", timeZone: sh }).map((p) => p.path)).toEqual(
      ["time", "weekday"],
    )
  })
})

describe("scheduled compliance evaluation", () => {
  it("runs once with two job runners on one database, then schedules the next run", async () => {
    const now = new Date()
    const s = await ComplianceSchedules.setSchedule(
      db,
      ctx,
      standardId,
      { frequency: "daily", time: "06:00" },
      now,
    )
    expect(s.timeZone).toBe("Asia/Shanghai")
    expect(s.nextRunAt!.getTime()).toBeGreaterThan(now.getTime())
    // make the run due now (as if the clock had reached it)
    const due = s.nextRunAt!
    await sql`update core.job set run_at = now() - interval '1 second' where kind = ${ComplianceSchedules.COMPLIANCE_JOB}`.execute(
      db.kysely,
    )
    const handlers = ComplianceSchedules.jobHandlers(registry)
    const results = await Promise.all([
      Jobs.runDue(db, handlers, { workerId: "runner-a" }),
      Jobs.runDue(db, handlers, { workerId: "runner-b" }),
      Jobs.runDue(db, handlers, { workerId: "runner-a" }),
    ])
    expect(results.reduce((n, r) => n + r.ran, 0)).toBe(1)
    const evals = await Standards.listEvaluations(db, ctx.orgId, standardId)
    expect(evals).toHaveLength(1)
    expect(evals[0]!.from).toEqual(
      Cadence.periodOf({ frequency: "daily", time: "06:00", timeZone: "Asia/Shanghai" }, due).from,
    )
    const after = (await ComplianceSchedules.listSchedules(db, ctx.orgId))[0]!
    expect(after.lastEvaluationId).toBe(evals[0]!.id)
    expect(after.nextRunAt!.getTime()).toBe(due.getTime() + 86_400_000)
    const pending = await sql<{
      key: string
    }>`select key from core.job where kind = ${ComplianceSchedules.COMPLIANCE_JOB} and status = 'pending'`.execute(
      db.kysely,
    )
    expect(pending.rows.map((r) => r.key)).toEqual([`${standardId}@${after.nextRunAt!.toISOString()}`])
    // the same job run again (a crash after its effect) evaluates nothing twice
    await handlers[ComplianceSchedules.COMPLIANCE_JOB]!(
      {
        orgId: ctx.orgId,
        id: "job_x",
        kind: "",
        key: "",
        runAt: due,
        attempts: 1,
        payload: { standardId, runAt: due.toISOString() },
      },
      db,
    )
    expect(await Standards.listEvaluations(db, ctx.orgId, standardId)).toHaveLength(1)
  })

  it("refuses an invalid schedule field by field", async () => {
    await expect(
      ComplianceSchedules.setSchedule(db, ctx, standardId, {
        frequency: "monthly",
        time: "6am",
        timeZone: "Mars/Base",
      }),
    ).rejects.toMatchObject({
      issues: [
        expect.objectContaining({ path: ["time"] }),
        expect.objectContaining({ path: ["monthDay"] }),
        expect.objectContaining({ path: ["timeZone"] }),
      ],
    })
  })
})

describe("management review and review reminder", () => {
  it("records the period's compliance, open cycles, risks, decisions and attendees", async () => {
    const r = await Reviews.createReview(db, ctx, {
      title: "2025 Q1 管理评审",
      from: new Date("2000-01-01T00:00:00Z"),
      to: new Date(Date.now() + 86_400_000),
      openCycles: [{ id: "cyc_1", title: "首次响应改进", status: "plan" }],
      risks: ["渠道中断"],
      decisions: [{ text: "增加晚班人手", owner: "王主管" }],
      attendees: ["王主管", "QA 李"],
    })
    expect(r.compliance).toHaveLength(1)
    expect(r.compliance[0]!.evaluationId).toBe(
      (await Standards.listEvaluations(db, ctx.orgId, standardId))[0]!.id,
    )
    expect(r.compliance[0]!.summary).not.toBeNull()
    const got = await Reviews.getReview(db, ctx.orgId, r.id)
    expect(got).toMatchObject({
      title: "2025 Q1 管理评审",
      risks: ["渠道中断"],
      attendees: ["王主管", "QA 李"],
    })
    expect((await Reviews.listReviews(db, ctx.orgId)).map((x) => x.id)).toEqual([r.id])
  })
})
