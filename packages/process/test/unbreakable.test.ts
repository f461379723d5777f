// Issue #12 in the process domain, without the API: extreme dates give field errors (not hangs),
// over-long keyed values are refused at intake and cannot break the rollups, broken CSV names its
// line, and imports whose process died are marked interrupted.
import { Readable } from "node:stream"
import { type Db, Errors, Organizations } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Cases, Config, Import, Metrics, processMigrations, Rollups } from "../src/index"

let db: Db.Database
let ctx: { orgId: string; actor: { type: "user"; id: string } }

beforeAll(async () => {
  db = await makeTestDatabase([processMigrations])
  const org = await Organizations.create(
    db,
    { type: "system", id: "t" },
    { name: "Unbreakable Co", slug: "unbreakable-co", timeZone: "Asia/Shanghai" },
  )
  ctx = { orgId: org.id, actor: { type: "user", id: "usr_agent" } }
  await Config.ensureDefaults(db, ctx)
})
afterAll(async () => {
  await db.close()
})

/** The field issues of a ValidationError the promise rejects with. */
const issuesOf = async (p: Promise<unknown>) => {
  try {
    await p
  } catch (e) {
    if (e instanceof Errors.ValidationError) return e.issues
    throw e
  }
  throw new Error("expected a ValidationError")
}

const EXTREME = new Date("+275760-09-12T16:00:01Z")
const base = { type: "inquiry", channel: "email", subject: "hello" }

describe("dates outside the business calendars' range", () => {
  it("receivedAt / recordedAt at the end of JS time: a field error, and the calendar still works after", async () => {
    for (const field of ["receivedAt", "recordedAt"] as const) {
      const issues = await issuesOf(Cases.createCase(db, ctx, { ...base, [field]: EXTREME }))
      expect(issues).toContainEqual(
        expect.objectContaining({ path: [field], code: "calendarRange", params: expect.any(Object) }),
      )
    }
    // a receivedAt inside the range whose due dates would fall past it: named too
    const issues = await issuesOf(
      Cases.createCase(db, ctx, { ...base, receivedAt: new Date("2300-12-30T10:00:00Z") }),
    )
    expect(issues).toEqual([expect.objectContaining({ path: ["receivedAt"], code: "calendarRange" })])
    const ok = await Cases.createCase(db, ctx, { ...base, receivedAt: new Date("2025-03-03T09:00:00+08:00") })
    expect(ok.slaState).toBeDefined()
  })

  it("previews: calendar preview `from`, SLA policy preview `receivedAt`", async () => {
    const calendars = await Config.listCalendars(db, ctx.orgId)
    expect(
      await issuesOf(
        Config.previewDue(db, ctx.orgId, { calendarId: calendars[0]!.id, from: EXTREME, seconds: 60 }),
      ),
    ).toEqual([expect.objectContaining({ path: ["from"], code: "calendarRange" })])
    expect(
      await issuesOf(
        Config.previewDue(db, ctx.orgId, { calendarId: calendars[0]!.id, from: new Date(), seconds: 1e15 }),
      ),
    ).toEqual([expect.objectContaining({ path: ["seconds"], code: "wholeRange" })])
    const facts = {
      type: "inquiry",
      channel: "email",
      segment: null,
      priority: "P3",
      category: null,
      team: "general",
      tier: "L1",
    }
    expect(await issuesOf(Config.previewPolicy(db, ctx.orgId, facts as never, EXTREME))).toEqual([
      expect.objectContaining({ path: ["receivedAt"], code: "calendarRange" }),
    ])
    const fine = await Config.previewDue(db, ctx.orgId, {
      calendarId: calendars[0]!.id,
      from: new Date("2025-03-03T09:00:00+08:00"),
      seconds: 3600,
    })
    expect(fine.due).toBe("2025-03-03T02:00:00.000Z")
  })

  it("SLA targets longer than a year are refused", async () => {
    const policies = await Config.listPolicies(db, ctx.orgId)
    const p = policies[0]!
    const issues = await issuesOf(
      Config.updatePolicy(db, ctx, p.id, {
        ...p,
        definition: { ...p.definition, targets: { first_response: 1e12 } },
      } as never),
    )
    expect(issues).toContainEqual(
      expect.objectContaining({ path: ["definition", "targets", "first_response"], code: "wholeRange" }),
    )
  })
})

describe("keyed values are bounded", () => {
  const MB = "团".repeat(1_000_000)
  it("intake refuses over-long values in every indexed or rollup-key field, naming each", async () => {
    const issues = await issuesOf(
      Cases.createCase(db, ctx, {
        ...base,
        team: MB,
        category: MB,
        type: MB,
        externalId: MB,
        ownerId: MB,
        customer: { name: MB, externalId: MB },
      }),
    )
    const paths = issues.filter((i) => i.code === "maxLength").map((i) => i.path.join("."))
    expect(paths.sort()).toEqual(
      ["category", "customer.externalId", "customer.name", "externalId", "ownerId", "team", "type"].sort(),
    )
    const assign = await issuesOf(
      Cases.createCase(db, ctx, base).then((c) => Cases.assign(db, ctx, c.id, { team: MB })),
    )
    expect(assign).toEqual([expect.objectContaining({ path: ["team"], code: "maxLength" })])
  })

  it("the importer refuses them by line and column", async () => {
    const csv = `external_id,subject,type,channel,team\nLONG-1,Hi,inquiry,email,${"x".repeat(5000)}\n`
    const r = await Import.importCases(db, ctx, Readable.from([csv]), { format: "csv" })
    expect(r).toMatchObject({ imported: 0, failed: 1 })
    expect(r.errors).toEqual([expect.objectContaining({ line: 2, field: "team", code: "maxLength" })])
  })

  it("a 1 MB team stored before the limit cannot break the organisation's dashboard", async () => {
    await Rollups.rebuild(db, ctx.orgId)
    const at = new Date("2025-04-01T10:00:00+08:00")
    const c = await Cases.createCase(db, ctx, { ...base, team: "support", receivedAt: at }, { now: at })
    // as it was stored before intake refused it
    await sql`update process.case set team = ${MB} where org_id = ${ctx.orgId} and id = ${c.id}`.execute(
      db.kysely,
    )
    await Rollups.markDirtyAt(db.kysely, ctx.orgId, [at])
    const m = Metrics.metrics.find((x) => x.id === "process.first_response_sla")!
    const q = {
      orgId: ctx.orgId,
      from: new Date("2025-04-01T00:00:00+08:00"),
      to: new Date("2025-05-01T00:00:00+08:00"),
      timeZone: "Asia/Shanghai",
      bucket: "none" as const,
    }
    const byTeam = await m.compute({ ...q, groupBy: ["team", "channel"] }, db)
    const raw = await m.compute({ ...q, groupBy: ["team", "channel"], params: { source: "raw" } }, db)
    expect(byTeam.length).toBe(raw.length)
    const key = (
      await sql<{ team: string }>`select team from process.metric_rollup where org_id = ${ctx.orgId}
      and day = '2025-04-01'`.execute(db.kysely)
    ).rows[0]!.team
    expect(Buffer.byteLength(key)).toBeLessThanOrEqual(Rollups.KEY_BYTES)
    // a filter on the long value finds its rollup row
    const filtered = await m.compute({ ...q, filter: { team: MB } }, db)
    expect(filtered[0]!.denominator).toBe(
      (await m.compute({ ...q, filter: { team: MB }, params: { source: "raw" } }, db))[0]!.denominator,
    )
  })
})

describe("import robustness", () => {
  it("a CSV with an unclosed quote is a field error naming the line; the run is marked failed", async () => {
    const csv =
      'external_id,subject,type,channel\nQ-1,Fine,inquiry,email\nQ-2,"Never closed,inquiry,email\nQ-3,x,inquiry,email\n'
    const issues = await issuesOf(Import.importCases(db, ctx, Readable.from([csv]), { format: "csv" }))
    expect(issues).toEqual([
      expect.objectContaining({
        path: ["file"],
        code: "csvLine",
        params: expect.objectContaining({ line: 3 }),
      }),
    ])
    const runs = await Import.listImports(db, ctx.orgId)
    expect(runs[0]).toMatchObject({ status: "failed" })
  })

  it("a run whose process died is marked interrupted (dead pid on this host, or a lapsed lease); a re-run completes it", async () => {
    const rows = Array.from({ length: 4 }, (_, i) =>
      JSON.stringify({ external_id: `INT-${i}`, subject: `int ${i}`, type: "inquiry", channel: "email" }),
    )
    await Import.importCases(db, ctx, Readable.from(rows.slice(0, 2).map((r) => `${r}\n`)), {
      format: "ndjson",
    })
    const host = (await import("node:os")).hostname()
    // as a killed process leaves them: one of a dead process on this host, one of another host long silent,
    // one of another host still renewing its lease
    await sql`insert into process.import_run (org_id, id, source, format, status, heartbeat_at, host, pid, instance) values
      (${ctx.orgId}, 'imp_dead', 'a.ndjson', 'ndjson', 'running', now(), ${host}, 2147483646, 'gone'),
      (${ctx.orgId}, 'imp_lapsed', 'b.ndjson', 'ndjson', 'running', now() - interval '10 minutes', 'elsewhere', 1, 'x'),
      (${ctx.orgId}, 'imp_alive', 'c.ndjson', 'ndjson', 'running', now(), 'elsewhere', 1, 'y')`.execute(
      db.kysely,
    )
    expect(await Import.recoverImports(db)).toBe(2)
    const status = async () =>
      Object.fromEntries((await Import.listImports(db, ctx.orgId)).map((r) => [r.id, r.status]))
    expect(await status()).toMatchObject({
      imp_dead: "interrupted",
      imp_lapsed: "interrupted",
      imp_alive: "running",
    })
    const rerun = await Import.importCases(db, ctx, Readable.from(rows.map((r) => `${r}\n`)), {
      format: "ndjson",
    })
    expect(rerun).toMatchObject({ imported: 2, skipped: 2 })
    const n = await sql<{ n: number }>`select count(*)::int as n from process.case where org_id = ${ctx.orgId}
      and external_id like 'INT-%'`.execute(db.kysely)
    expect(n.rows[0]!.n).toBe(4)
  })
})
