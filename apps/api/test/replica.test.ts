/**
 * Reports from a read replica (DATABASE_READ_URL), PostgreSQL only like the other pg-only tests.
 * The "replica" here is the same database through a read-only session, so a write that reaches it
 * fails as it would on a standby; a replica started with pg_basebackup, lag and read-your-writes
 * over real replication are in tooling/reliability/replica.mjs.
 */
import { Db } from "@tenet/core"
import { Rollups } from "@tenet/process"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createApp } from "../src/app"
import { type Harness, makeHarness, seedTwoOrgs } from "./helpers"

const url = process.env.TENET_TEST_DATABASE_URL

describe.runIf(url)("read replica", () => {
  let h: Harness
  let orgs: Awaited<ReturnType<typeof seedTwoOrgs>>
  let replicated: Db.Database
  let down: Db.Database
  const logged: string[] = []
  beforeAll(async () => {
    h = await makeHarness()
    orgs = await seedTwoOrgs(h)
    const primary = new URL(url!)
    primary.pathname = new URL(h.db.describe).pathname
    const readOnly = new URL(primary)
    readOnly.searchParams.set("options", "-c default_transaction_read_only=on")
    replicated = await Db.open({
      kind: "postgres",
      url: primary.toString(),
      max: 3,
      readUrl: readOnly.toString(),
      replica: { waitMs: 50, log: (l) => logged.push(l) },
    })
    const nowhere = new URL(primary)
    nowhere.port = "1"
    down = await Db.open({
      kind: "postgres",
      url: primary.toString(),
      max: 3,
      readUrl: nowhere.toString(),
      replica: { log: (l) => logged.push(l) },
    })
  })
  afterAll(async () => {
    await replicated?.close()
    await down?.close()
    await h?.db.close()
  })

  const call = async (
    db: Db.Database,
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const app = createApp({ db, logError: () => {} })
    const res = await app.request(`http://localhost${path}`, {
      method: init.method ?? "GET",
      headers: {
        authorization: `Bearer ${orgs.a.adminKey}`,
        ...(init.body ? { "content-type": "application/json" } : {}),
        ...init.headers,
      },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    })
    const body: any = await res.json().catch(() => undefined)
    return { status: res.status, headers: res.headers, body }
  }
  const day = 86_400_000
  const period = () =>
    `from=${new Date(Date.now() - 7 * day).toISOString()}&to=${new Date(Date.now() + day).toISOString()}`

  it("reads reports from the replica and everything else from the primary", async () => {
    const kpis = await call(replicated, `/api/v1/dashboard/kpis?${period()}`)
    expect(kpis.status).toBe(200)
    expect(kpis.headers.get("tenet-read-from")).toBe("replica")
    const audit = await call(replicated, "/api/v1/audit")
    expect(audit.status).toBe(200)
    expect(audit.headers.get("tenet-read-from")).toBe("replica")
    const list = await call(replicated, "/api/v1/process/cases")
    expect(list.status).toBe(200)
    expect(list.headers.get("tenet-read-from")).toBeNull()
    expect(replicated.reads!.stats().replicaQueries).toBeGreaterThan(0)
  })

  it("hands the writer its WAL position and the next report reads what was written", async () => {
    await Rollups.rebuild(h.db, orgs.a.org.id)
    const before = await call(
      replicated,
      `/api/v1/metrics/process.backlog?${period()}&timeZone=Asia/Shanghai`,
    )
    expect(before.status).toBe(200)
    const created = await call(replicated, "/api/v1/process/cases", {
      method: "POST",
      body: { type: "inquiry", channel: "chat", subject: "读写一致 read your writes" },
    })
    expect(created.status).toBe(201)
    const lsn = created.headers.get("tenet-read-lsn")
    expect(lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/)
    expect(created.headers.get("set-cookie")).toContain(`tenet_lsn=${encodeURIComponent(lsn!)}`)
    // the report, from the replica that has replayed the write, counts the new case
    const after = await call(
      replicated,
      `/api/v1/metrics/process.backlog?${period()}&timeZone=Asia/Shanghai`,
      {
        headers: { "tenet-read-lsn": lsn! },
      },
    )
    expect(after.status).toBe(200)
    expect(after.headers.get("tenet-read-from")).toBe("replica")
    const total = (r: typeof before) => r.body.values.reduce((s: number, v: { n: number }) => s + v.n, 0)
    expect(total(after)).toBeGreaterThan(total(before))
  })

  it("a write that reaches the replica is run on the primary", async () => {
    const reads = replicated.reads!
    const fellBack = reads.stats().fellBack
    const [r, from] = await reads.run("replica", async () => {
      const inserted = await reads.db.kysely
        .insertInto("core.job")
        .values({
          org_id: orgs.a.org.id,
          id: `job_rr${Date.now()}`,
          kind: "test.replica",
          key: "k",
          run_at: new Date().toISOString(),
          payload: "{}",
        })
        .execute()
      return [inserted, reads.readFrom()] as const
    })
    expect(Number(r[0]!.numInsertedOrUpdatedRows)).toBe(1)
    // the request's later reads follow the write to the primary
    expect(from).toBe("primary")
    expect(reads.stats().fellBack).toBe(fellBack + 1)
  })

  it("a transaction in a report runs on the primary", async () => {
    const reads = replicated.reads!
    const [n, from] = await reads.run("replica", async () => {
      const inTx = await reads.db.kysely.transaction().execute(async (tx) => {
        await tx.deleteFrom("core.job").where("kind", "=", "test.replica").execute()
        return (
          await tx
            .selectFrom("core.job")
            .select((e) => e.fn.countAll<number>().as("n"))
            .where("kind", "=", "test.replica")
            .executeTakeFirstOrThrow()
        ).n
      })
      return [Number(inTx), reads.readFrom()] as const
    })
    expect(n).toBe(0)
    expect(from).toBe("primary")
  })

  it("falls back to the primary when the replica is down, and says so once", async () => {
    const first = await call(down, `/api/v1/dashboard/kpis?${period()}`)
    const second = await call(down, "/api/v1/audit")
    expect([first.status, second.status]).toEqual([200, 200])
    expect(first.headers.get("tenet-read-from")).toBe("primary")
    expect(second.headers.get("tenet-read-from")).toBe("primary")
    expect(down.reads!.stats().state).toBe("down")
    expect(logged.filter((l) => l.includes(":1/") && l.includes("down"))).toHaveLength(1)
  })
})
