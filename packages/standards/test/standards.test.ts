import { Contracts, type Db, Organizations } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { Cases, Metrics, processMigrations } from "@tenet/process"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Baseline, Standard, Standards, standardsMigrations } from "../src/index"

let db: Db.Database
let ctx: { orgId: string; actor: { type: "user"; id: string } }
const registry = Contracts.metricRegistry()
for (const m of Metrics.metrics) registry.addMetric(m)

beforeAll(async () => {
  db = await makeTestDatabase([processMigrations, standardsMigrations])
  const org = await Organizations.create(db, { type: "system", id: "t" }, { name: "Std", slug: "std" })
  ctx = { orgId: org.id, actor: { type: "user", id: "usr_qa" } }
})
afterAll(async () => {
  await db.close()
})

describe("documents", () => {
  it("the baseline is valid against the registry", () => {
    expect(Standard.validate(Baseline.copcBaseline(), (id) => registry.get(id) !== undefined)).toEqual([])
  })
  it("names the path of every problem", () => {
    const bad = {
      ...Baseline.copcBaseline(),
      format: "x",
      clauses: [
        {
          id: "1",
          title: { en: "A" },
          requirements: [
            {
              id: "r",
              title: { en: "R" },
              targets: [{ id: "t", metric: "no.such", operator: "=>", value: "9" }],
            },
          ],
        },
      ],
    }
    expect(Standard.validate(bad, (id) => registry.get(id) !== undefined)).toEqual([
      {
        path: ["format"],
        message: 'must be "tenet-standard/v1"',
        code: "oneOf",
        params: { values: "tenet-standard/v1" },
      },
      {
        path: ["clauses", 0, "requirements", 0, "targets", 0, "metric"],
        message: 'unknown metric "no.such"',
        code: "unknownMetric",
        params: { value: "no.such" },
      },
      {
        path: ["clauses", 0, "requirements", 0, "targets", 0, "operator"],
        message: "must be >=, >, <= or <",
        code: "oneOf",
        params: { values: ">=, >, <=, <" },
      },
      {
        path: ["clauses", 0, "requirements", 0, "targets", 0, "value"],
        message: "must be a number",
        code: "number",
      },
    ])
  })
  it("judges met, at risk within the band, breached, and no data", () => {
    const t = { operator: ">=" as const, value: 0.9, warningBand: 0.03 }
    expect([
      Standard.judge(t, 0.95, 10),
      Standard.judge(t, 0.91, 10),
      Standard.judge(t, 0.85, 10),
      Standard.judge(t, null, 0),
    ]).toEqual(["met", "at_risk", "breached", "no_data"])
    expect(Standard.judge({ operator: "<=", value: 0.05, warningBand: 0.01 }, 0.045, 10)).toBe("at_risk")
  })
})

describe("lifecycle", () => {
  it("imports, reviews, approves and publishes; published versions are immutable; an upgrade is a draft with its diff", async () => {
    const doc = Baseline.copcBaseline()
    const imported = await Standards.importLibrary(db, ctx, registry, doc)
    expect(imported).toMatchObject({ version: 1, upgrade: false })
    await expect(Standards.step(db, ctx, imported.standardId, 1, "published")).rejects.toMatchObject({
      message: "a draft version cannot become published; it is reviewed and approved first",
    })
    await Standards.step(db, ctx, imported.standardId, 1, "in_review")
    await Standards.step(db, ctx, imported.standardId, 1, "approved")
    const published = await Standards.step(
      db,
      ctx,
      imported.standardId,
      1,
      "published",
      "board approval 2025-Q1",
    )
    expect(published.status).toBe("published")
    expect(published.history.map((h) => h.status)).toEqual(["draft", "in_review", "approved", "published"])
    expect(published.nextReviewAt).not.toBeNull()
    await expect(Standards.updateDraft(db, ctx, registry, imported.standardId, 1, doc)).rejects.toMatchObject(
      { _tag: "ConflictError" },
    )
    await expect(Standards.importLibrary(db, ctx, registry, doc)).rejects.toMatchObject({
      message: "version 1.0 of copc-aligned-baseline is already imported",
    })

    const v11 = JSON.parse(JSON.stringify(doc))
    v11.version = "1.1"
    v11.clauses[1].clauses[0].requirements[0].targets[0].value = 0.92
    v11.clauses[2].requirements.push({ id: "4.3", title: { en: "New requirement" } })
    const upgrade = await Standards.importLibrary(db, ctx, registry, v11)
    expect(upgrade).toMatchObject({ version: 2, upgrade: true })
    expect(upgrade.diff).toEqual([
      {
        kind: "changed",
        what: "target",
        requirement: "2.1.1",
        target: "frt-inquiry",
        before: expect.objectContaining({ value: 0.9 }),
        after: expect.objectContaining({ value: 0.92 }),
      },
      { kind: "added", what: "requirement", requirement: "4.3", after: { en: "New requirement" } },
    ])
    for (const s of ["in_review", "approved", "published"] as const)
      await Standards.step(db, ctx, imported.standardId, 2, s)
    const list = await Standards.listStandards(db, ctx.orgId)
    expect(list[0]!.versions.map((v) => [v.version, v.status])).toEqual([
      [2, "published"],
      [1, "superseded"],
    ])
  })

  it("parses YAML and names the line of a syntax error", () => {
    expect(Standards.parseLibrary("format: tenet-standard/v1\nid: x\n", "yaml")).toMatchObject({ id: "x" })
    try {
      Standards.parseLibrary("format: [unclosed\nid: x", "yaml")
      throw new Error("expected a failure")
    } catch (e) {
      expect((e as any).issues[0].message).toMatch(/^line \d+:/)
    }
  })
})

describe("compliance", () => {
  it("evaluates a published standard, stores the evaluation and gives each breach an identity", async () => {
    const received = new Date("2025-03-03T09:00:00+08:00")
    // two inquiries: one answered in 5 minutes, one after an hour (breached), and one problem answered in time
    const a = await Cases.createCase(
      db,
      ctx,
      { type: "inquiry", channel: "chat", subject: "a", receivedAt: received },
      { now: received },
    )
    await Cases.reply(db, ctx, a.id, { content: "ok" }, { now: new Date(received.getTime() + 5 * 60_000) })
    const b = await Cases.createCase(
      db,
      ctx,
      { type: "inquiry", channel: "chat", subject: "b", receivedAt: received },
      { now: received },
    )
    await Cases.reply(db, ctx, b.id, { content: "late" }, { now: new Date(received.getTime() + 60 * 60_000) })
    const c = await Cases.createCase(
      db,
      ctx,
      { type: "problem", channel: "email", subject: "c", receivedAt: received },
      { now: received },
    )
    await Cases.reply(db, ctx, c.id, { content: "ok" }, { now: new Date(received.getTime() + 60 * 60_000) })
    const std = (await Standards.listStandards(db, ctx.orgId))[0]!
    const e = await Standards.evaluate(db, ctx, registry, std.id, {
      from: new Date("2025-03-01T00:00:00+08:00"),
      to: new Date("2025-04-01T00:00:00+08:00"),
      timeZone: "Asia/Shanghai",
    })
    const inquiry = e.results.find((r) => r.targetId === "frt-inquiry")!
    expect(inquiry).toMatchObject({
      value: 0.5,
      numerator: 1,
      denominator: 2,
      n: 2,
      target: 0.92,
      status: "breached",
    })
    expect(inquiry.interval!.lower).toBeLessThan(0.5)
    expect(inquiry.breachId).toMatch(/^brch_/)
    expect(e.results.find((r) => r.targetId === "frt-problem")).toMatchObject({ value: 1, status: "met" })
    expect(e.results.find((r) => r.targetId === "fcr")!.status).toBe("no_data")
    const breaches = await Standards.listBreaches(db, ctx.orgId, "open")
    expect(breaches.map((x) => x.targetId)).toContain("frt-inquiry")
    await Standards.answerBreach(db, ctx, inquiry.breachId!, "cyc_1")
    expect((await Standards.listBreaches(db, ctx.orgId, "open")).map((x) => x.targetId)).not.toContain(
      "frt-inquiry",
    )
    expect((await Standards.getEvaluation(db, ctx.orgId, e.id)).summary).toEqual(e.summary)
  })

  it("a draft proposed by an improvement cycle records the link and its diff", async () => {
    const std = (await Standards.listStandards(db, ctx.orgId))[0]!
    const pub = await Standards.publishedVersion(db, ctx.orgId, std.id)
    const doc = JSON.parse(JSON.stringify(pub!.document))
    doc.version = "1.2"
    doc.clauses[1].clauses[0].requirements[0].targets[0].value = 0.95
    const d = await Standards.createDraft(db, ctx, registry, std.id, {
      fromVersion: pub!.version,
      document: doc,
      cycleId: "cyc_1",
    })
    expect(d.diff).toHaveLength(1)
    const v = await Standards.getVersion(db, ctx.orgId, std.id, d.version)
    expect(v).toMatchObject({ status: "draft", sourceCycleId: "cyc_1", basedOn: pub!.version })
  })
})
