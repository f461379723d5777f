import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { open } from "../src/Db"
import { Audit, Backup, Change, coreMigrations, type Db, Id, Jobs, Organizations, Outbox } from "../src/index"
import { prepareStatements } from "../src/internal/statements"
import { makeTestDatabase } from "../src/testing"

let db: Db.Database
const actor = { type: "system" as const, id: "test" }

beforeAll(async () => {
  db = await makeTestDatabase()
})
afterAll(async () => {
  await db.close()
})

describe("Id", () => {
  it("makes typed ids that sort by time", () => {
    const a = Id.make("case", 1_700_000_000_000)
    const b = Id.make("case", 1_700_000_000_001)
    expect(a.startsWith("case_")).toBe(true)
    expect(a < b).toBe(true)
    expect(Id.is("case", a)).toBe(true)
    expect(Id.is("org", a)).toBe(false)
    expect(Id.timestamp(a)).toBe(1_700_000_000_000)
  })
})

describe("result types", () => {
  it("are the same JS values on both engines", async () => {
    const r = await sql<any>`select count(*) as c, 9007199254740993::int8 as big, 1.50::numeric as num,
      '2025-01-26'::date as d, '2025-01-26T01:02:03.456Z'::timestamptz as ts, '{"a":[1,2]}'::jsonb as j`.execute(
      db.kysely,
    )
    const row = r.rows[0]
    expect(row.c).toBe(1)
    expect(row.big).toBe(9007199254740993n)
    expect(row.num).toBe("1.50")
    expect(row.d).toBe("2025-01-26")
    expect(row.ts).toEqual(new Date("2025-01-26T01:02:03.456Z"))
    expect(row.j).toEqual({ a: [1, 2] })
  })
})

describe("audit chain", () => {
  it("chains every change and detects a record altered in the database", async () => {
    const org = await Organizations.create(db, actor, { name: "Chain Co", slug: "chain-co" })
    await Organizations.update(db, actor, org.id, { name: "Chain Company" })
    await Organizations.update(db, actor, org.id, { timeZone: "Europe/Berlin" })
    const ok = await Audit.verify(db, org.id)
    expect(ok).toMatchObject({ ok: true, records: 3 })

    await sql`update core.audit_log set after = jsonb_set(after, '{name}', '"Evil Co"')
      where org_id = ${org.id} and seq = 2`.execute(db.kysely)
    const bad = await Audit.verify(db, org.id)
    expect(bad.ok).toBe(false)
    expect(bad.broken).toMatchObject({ orgId: org.id, seq: 2, reason: "hash_mismatch" })
  })

  it("detects a deleted last record through the chain head", async () => {
    const org = await Organizations.create(db, actor, { name: "Head Co", slug: "head-co" })
    await Organizations.update(db, actor, org.id, { name: "Head Company" })
    await sql`delete from core.audit_log where org_id = ${org.id} and seq = 2`.execute(db.kysely)
    expect((await Audit.verify(db, org.id)).broken?.reason).toBe("head_mismatch")
  })

  it("rejects bad input naming the field and writes nothing", async () => {
    const before = await Backup.rowCounts(db, [coreMigrations])
    await expect(
      Organizations.create(db, actor, { name: "X", slug: "Not A Slug", timeZone: "Mars/Base" }),
    ).rejects.toMatchObject({
      _tag: "ValidationError",
      issues: [{ path: ["slug"] }, { path: ["timeZone"] }],
    })
    expect(await Backup.rowCounts(db, [coreMigrations])).toEqual(before)
  })
})

describe("outbox", () => {
  it("delivers at least once, retries failures and keeps order", async () => {
    const org = await Organizations.create(db, actor, { name: "Events", slug: "events" })
    const ctx = { orgId: org.id, actor }
    for (let i = 0; i < 3; i++)
      await Change.change(db, ctx, ({ emit }) =>
        emit({ type: "test.thing.happened", aggregateType: "thing", aggregateId: `t${i}`, payload: { i } }),
      )
    const seen: number[] = []
    let failOnce = true
    const handler: Outbox.EventHandler = {
      name: "test-handler",
      types: ["test.*"],
      handle: async (e) => {
        const i = (e.payload as { i: number }).i
        if (i === 1 && failOnce) {
          failOnce = false
          throw new Error("boom")
        }
        seen.push(i)
      },
    }
    const first = await Outbox.dispatch(db, [handler])
    expect(first).toMatchObject({ delivered: 2, failed: 1 })
    expect(seen).toEqual([0, 2])
    await sql`update core.outbox_failure set next_attempt_at = now() - interval '1 second'`.execute(db.kysely)
    const second = await Outbox.dispatch(db, [handler])
    expect(second).toMatchObject({ delivered: 1, retried: 1 })
    expect(seen.sort()).toEqual([0, 1, 2])
    expect((await Outbox.dispatch(db, [handler])).delivered).toBe(0)
  })

  it("a handler reads only its types, and its cursor moves past the others", async () => {
    const org = await Organizations.create(db, actor, { name: "Kinds", slug: "kinds" })
    const ctx = { orgId: org.id, actor }
    const emit = (type: string, i: number) =>
      Change.change(db, ctx, ({ emit }) =>
        emit({ type, aggregateType: "k", aggregateId: `k${i}`, payload: { i } }),
      )
    const seen: string[] = []
    const handler: Outbox.EventHandler = {
      name: "kinds-only",
      types: ["kind.wanted", "kind_a.*"],
      handle: async (e) => void seen.push(`${e.type}:${(e.payload as { i: number }).i}`),
    }
    await emit("kind.other", 0)
    await emit("kind.wanted", 1)
    await emit("kindXa.lookalike", 2) // not "kind_a.": `_` is not a wildcard here
    await emit("kind_a.sub", 3)
    await emit("kind.other", 4)
    // a batch of 2 holds both wanted events: a full page, read again at once
    expect(await Outbox.dispatch(db, [handler], { batch: 2 })).toMatchObject({ delivered: 2, more: true })
    expect(seen).toEqual(["kind.wanted:1", "kind_a.sub:3"])
    // a short page: the cursor goes to the newest event (4, of another type), not back to 3
    expect(await Outbox.dispatch(db, [handler], { batch: 2 })).toMatchObject({ delivered: 0, more: false })
    const cursor = await sql<{
      position: string
    }>`select position::text from core.outbox_cursor where handler = 'kinds-only'`.execute(db.kysely)
    const newest = await sql<{
      position: string
    }>`select max(position)::text as position from core.outbox_event
      where org_id = ${org.id}`.execute(db.kysely)
    expect(cursor.rows[0]!.position).toBe(newest.rows[0]!.position)
    await emit("kind.wanted", 5)
    expect(await Outbox.dispatch(db, [handler])).toMatchObject({ delivered: 1 })
    expect(seen).toEqual(["kind.wanted:1", "kind_a.sub:3", "kind.wanted:5"])
    // the statement that moved the cursor also let the handler go
    const lock = await sql<{
      locked_by: string | null
    }>`select locked_by from core.outbox_cursor where handler = 'kinds-only'`.execute(db.kysely)
    expect(lock.rows[0]!.locked_by).toBeNull()
  })

  it("a handler whose cursor row is gone (a restore) is picked up again", async () => {
    const org = await Organizations.create(db, actor, { name: "Gone", slug: "gone-cursor" })
    const ctx = { orgId: org.id, actor }
    const seen: number[] = []
    const handler: Outbox.EventHandler = {
      name: "gone-cursor",
      types: ["gone.*"],
      handle: async (e) => void seen.push((e.payload as { i: number }).i),
    }
    const emit = (i: number) =>
      Change.change(db, ctx, ({ emit }) =>
        emit({ type: "gone.x", aggregateType: "g", aggregateId: `g${i}`, payload: { i } }),
      )
    await emit(0)
    await Outbox.dispatch(db, [handler])
    expect(seen).toEqual([0])
    await sql`delete from core.outbox_cursor where handler = 'gone-cursor'`.execute(db.kysely)
    await emit(1)
    // the pass that finds no row to claim forgets it; the next one inserts it and reads from the start
    await Outbox.dispatch(db, [handler])
    await Outbox.dispatch(db, [handler])
    expect(seen).toEqual([0, 0, 1])
  })

  it("a handler with handleMany gets a page at once; on failure each event is retried alone", async () => {
    const org = await Organizations.create(db, actor, { name: "Pages", slug: "pages" })
    const ctx = { orgId: org.id, actor }
    await Change.change(db, ctx, ({ emitAll }) =>
      emitAll(
        [0, 1, 2].map((i) => ({
          type: "page.thing",
          aggregateType: "thing",
          aggregateId: `p${i}`,
          payload: { i },
        })),
      ),
    )
    const pages: number[][] = []
    const ok: Outbox.EventHandler = {
      name: "pages-ok",
      types: ["page.*"],
      handle: async () => {},
      handleMany: async (es) => void pages.push(es.map((e) => (e.payload as { i: number }).i)),
    }
    expect(await Outbox.dispatch(db, [ok])).toMatchObject({ delivered: 3, failed: 0 })
    expect(pages).toEqual([[0, 1, 2]])
    const single: number[] = []
    const flaky: Outbox.EventHandler = {
      name: "pages-flaky",
      types: ["page.*"],
      handleMany: async () => Promise.reject(new Error("page refused")),
      handle: async (e) => {
        const i = (e.payload as { i: number }).i
        if (i === 1) throw new Error("bad event")
        single.push(i)
      },
    }
    expect(await Outbox.dispatch(db, [flaky])).toMatchObject({ delivered: 2, failed: 1 })
    expect(single).toEqual([0, 2])
  })

  it.runIf(process.env.TENET_TEST_DATABASE_URL)(
    "skips no event of a transaction that commits after a later one (PostgreSQL)",
    async () => {
      const org = await Organizations.create(db, actor, { name: "Order", slug: "order" })
      const ctx = { orgId: org.id, actor }
      const seen: string[] = []
      const handler: Outbox.EventHandler = {
        name: "order-handler",
        types: ["order.*"],
        handle: async (e) => void seen.push(e.aggregateId),
      }
      await Outbox.dispatch(db, [handler])
      let releaseA!: () => void
      const holdA = new Promise<void>((r) => (releaseA = r))
      let aWrote!: () => void
      const aHasWritten = new Promise<void>((r) => (aWrote = r))
      // A takes the earlier position and commits last
      const a = Change.change(db, ctx, async ({ emit }) => {
        await emit({ type: "order.a", aggregateType: "x", aggregateId: "a" })
        aWrote()
        await holdA
      })
      await aHasWritten
      await Change.change(db, ctx, ({ emit }) =>
        emit({ type: "order.b", aggregateType: "x", aggregateId: "b" }),
      )
      await Outbox.dispatch(db, [handler]) // B is visible, A is not yet committed: nothing may move past A
      releaseA()
      await a
      await Outbox.dispatch(db, [handler])
      expect(seen.sort()).toEqual(["a", "b"])
    },
  )

  it("a handler that holds keeps its cursor at the event, gets it again, and a paused one is left alone", async () => {
    const org = await Organizations.create(db, actor, { name: "Holds", slug: "holds" })
    const ctx = { orgId: org.id, actor }
    for (let i = 0; i < 4; i++)
      await Change.change(db, ctx, ({ emit }) =>
        emit({ type: "hold.thing", aggregateType: "h", aggregateId: `h${i}`, payload: { i } }),
      )
    const seen: number[] = []
    let holdAt: number | null = 1
    let paused = false
    const handler: Outbox.EventHandler = {
      name: "holder",
      types: ["hold.*"],
      paused: async () => paused,
      handle: async (e) => {
        const i = (e.payload as { i: number }).i
        if (i === holdAt) throw new Outbox.Hold("not yet")
        seen.push(i)
      },
    }
    expect(await Outbox.dispatch(db, [handler])).toMatchObject({ delivered: 1, failed: 0, more: false })
    expect(await Outbox.dispatch(db, [handler])).toMatchObject({ delivered: 0, failed: 0 })
    expect(seen).toEqual([0])
    const failures = await sql`select * from core.outbox_failure where handler = 'holder'`.execute(db.kysely)
    expect(failures.rows).toEqual([])
    paused = true
    holdAt = null
    await Change.change(db, ctx, ({ emit }) =>
      emit({ type: "hold.thing", aggregateType: "h", aggregateId: "h4", payload: { i: 4 } }),
    )
    expect(await Outbox.dispatch(db, [handler])).toMatchObject({ delivered: 0 })
    paused = false
    expect(await Outbox.dispatch(db, [handler])).toMatchObject({ delivered: 4 })
    expect(seen).toEqual([0, 1, 2, 3, 4])
  })

  it("once() makes a handler idempotent", async () => {
    const eventId = Id.make("evt")
    expect(await Outbox.once(db.kysely, "h", eventId)).toBe(true)
    expect(await Outbox.once(db.kysely, "h", eventId)).toBe(false)
  })
})

describe("prepared statements (PostgreSQL)", () => {
  const url = process.env.TENET_TEST_DATABASE_URL
  it.runIf(url)("sends queries with parameters as statements prepared once per connection", async () => {
    const one = await open({ kind: "postgres", url: url!, max: 1 })
    try {
      const plusOne = (n: number) => sql<{ x: number }>`select ${n}::int + 1 as x`.execute(one.kysely)
      expect((await plusOne(1)).rows[0]!.x).toBe(2)
      expect((await plusOne(41)).rows[0]!.x).toBe(42)
      const prepared = await sql<{
        statement: string
      }>`select statement from pg_prepared_statements where name like 'tenet\_%'`.execute(one.kysely)
      expect(prepared.rows.filter((r) => r.statement.includes("+ 1 as x"))).toHaveLength(1)
      // a result type changed under a statement: refused once by the server, prepared anew after
      await sql`create temp table changing (a int)`.execute(one.kysely)
      const read = () => sql`select * from changing where a > ${0}`.execute(one.kysely)
      expect((await read()).rows).toEqual([])
      await sql`alter table changing add column b int`.execute(one.kysely)
      await expect(read()).rejects.toMatchObject({ code: "0A000" })
      await sql`insert into changing values (1, 2)`.execute(one.kysely)
      expect((await read()).rows).toEqual([{ a: 1, b: 2 }])
    } finally {
      await one.close()
    }
  })
  it.runIf(url)(
    "keeps at most its capacity per connection, the least recently used deallocated",
    async () => {
      const pg = (await import("pg")).default
      const client = new pg.Client({ connectionString: url })
      await client.connect()
      try {
        prepareStatements(client, 2)
        const names = async () =>
          (await client.query("select name from pg_prepared_statements order by prepare_time")).rows.map(
            (r: { name: string }) => r.name,
          )
        await client.query("select $1::int as a", [1])
        await client.query("select $1::int as b", [1])
        const [first, second] = await names()
        await client.query("select $1::int as a", [2]) // a used again: b is now the oldest
        await client.query("select $1::int as c", [3]) // evicts b
        const left = await names()
        expect(left).toHaveLength(2)
        expect(left).toContain(first)
        expect(left).not.toContain(second)
        expect((await client.query("select $1::int as b", [4])).rows).toEqual([{ b: 4 }])
      } finally {
        await client.end()
      }
    },
  )
})

describe("jobs", () => {
  it("a job scheduled twice by two workers runs once", async () => {
    const runAt = new Date(Date.now() - 1000)
    const [a, b] = await Promise.all([
      Jobs.schedule(db, { orgId: "org_x", kind: "sla.breach", key: "case_1:resolution", runAt }),
      Jobs.schedule(db, { orgId: "org_x", kind: "sla.breach", key: "case_1:resolution", runAt }),
    ])
    expect([a, b].filter(Boolean)).toHaveLength(1)
    let runs = 0
    const handlers = {
      "sla.breach": async () => {
        runs++
        await new Promise((r) => setTimeout(r, 20))
      },
    }
    const results = await Promise.all([
      Jobs.runDue(db, handlers, { workerId: "w1" }),
      Jobs.runDue(db, handlers, { workerId: "w2" }),
    ])
    expect(runs).toBe(1)
    expect(results.reduce((s, r) => s + r.ran, 0)).toBe(1)
    expect((await Jobs.runDue(db, handlers, { workerId: "w3" })).ran).toBe(0)
  })

  it("a handler slower than its lease keeps it: another worker does not run the job again", async () => {
    await Jobs.schedule(db, { kind: "slow", key: "k", runAt: new Date(Date.now() - 1000) })
    let runs = 0
    let release!: () => void
    const gate = new Promise<void>((r) => {
      release = r
    })
    const slow = {
      slow: async () => {
        runs++
        await gate
      },
    }
    // a one-second lease; the handler holds it while a second worker polls for three seconds
    const first = Jobs.runDue(db, slow, { workerId: "w-slow", leaseSeconds: 1 })
    const others: Array<{ ran: number }> = []
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 500))
      others.push(await Jobs.runDue(db, slow, { workerId: "w-other", leaseSeconds: 1 }))
    }
    release()
    expect((await first).ran).toBe(1)
    expect(others.reduce((s, r) => s + r.ran, 0)).toBe(0)
    expect(runs).toBe(1)
  })

  it("two workers draining 300 jobs run each exactly once", async () => {
    const runAt = new Date(Date.now() - 1000)
    await Jobs.schedule(db, { kind: "count", key: "seed", runAt: new Date(Date.now() + 3_600_000) })
    await db.kysely.transaction().execute((tx) =>
      Jobs.scheduleManyIn(
        tx,
        Array.from({ length: 300 }, (_, i) => ({ kind: "count", key: `k${i}`, runAt })),
      ),
    )
    const runs = new Map<string, number>()
    const handlers = {
      count: async (job: Jobs.Job) => {
        runs.set(job.key, (runs.get(job.key) ?? 0) + 1)
      },
    }
    const drain = async (workerId: string) => {
      for (;;) {
        const r = await Jobs.runDue(db, handlers, { workerId, limit: 7 })
        if (r.claimed === 0) return
      }
    }
    await Promise.all([drain("w-a"), drain("w-b")])
    expect(runs.size).toBe(300)
    expect([...runs.values()].every((n) => n === 1)).toBe(true)
  })

  it("retries a failing job with backoff and records the error", async () => {
    await Jobs.schedule(db, { kind: "flaky", key: "k", runAt: new Date(Date.now() - 1000) })
    const r = await Jobs.runDue(db, { flaky: async () => Promise.reject(new Error("nope")) })
    expect(r.failed).toBe(1)
    const row =
      await sql<any>`select status, last_error, attempts from core.job where kind = 'flaky'`.execute(
        db.kysely,
      )
    expect(row.rows[0]).toMatchObject({ status: "pending", last_error: "nope", attempts: 1 })
  })
})

describe("jobs run side by side", () => {
  it("with concurrency n, at most n claimed jobs run at once and a slow one does not hold the others", async () => {
    const runAt = new Date(Date.now() - 1000)
    const run = async (kind: string, concurrency?: number) => {
      for (let i = 0; i < 8; i++) await Jobs.schedule(db, { kind, key: `k${i}`, runAt })
      let running = 0
      let most = 0
      let started = 0
      let slow = ""
      const finished: string[] = []
      const r = await Jobs.runDue(
        db,
        {
          [kind]: async (job) => {
            running++
            most = Math.max(most, running)
            // the first job to start is slow: the other lanes go on without it
            if (started++ === 0) slow = job.key
            await new Promise((resolve) => setTimeout(resolve, job.key === slow ? 150 : 10))
            finished.push(job.key)
            running--
          },
        },
        { limit: 8, ...(concurrency ? { concurrency } : {}) },
      )
      return { r, most, finished, slow }
    }
    const one = await run("lane.one")
    expect(one.r).toMatchObject({ ran: 8, failed: 0 })
    expect(one.most).toBe(1)
    expect(one.finished[0]).toBe(one.slow)
    const four = await run("lane.four", 4)
    expect(four.r).toMatchObject({ ran: 8, failed: 0 })
    expect(four.most).toBe(4)
    expect(four.finished.at(-1)).toBe(four.slow)
    const left = await sql<{ n: number }>`select count(*)::int as n from core.job
      where kind in ('lane.one', 'lane.four') and status = 'pending'`.execute(db.kysely)
    expect(left.rows[0]!.n).toBe(0)
  })
})

describe("backup and restore", () => {
  it("gives identical row counts and a valid audit chain", async () => {
    const lines: string[] = []
    const counts = await Backup.backup(db, [coreMigrations], (l) => {
      lines.push(l)
    })
    const { makeTestDatabase } = await import("../src/testing")
    const target = await makeTestDatabase()
    try {
      async function* gen() {
        yield* lines
      }
      const restored = await Backup.restore(target, [coreMigrations], gen())
      expect(restored).toEqual(counts)
      expect(await Backup.rowCounts(target, [coreMigrations])).toEqual(counts)
      // a restored outbox continues its positions
      await Change.change(target, { orgId: "org_r", actor }, ({ emit }) =>
        emit({ type: "x", aggregateType: "x", aggregateId: "x" }),
      )
    } finally {
      await target.close()
    }
  })

  it("a truncated backup is refused and leaves the target untouched", async () => {
    const lines: string[] = []
    await Backup.backup(db, [coreMigrations], (l) => {
      lines.push(l)
    })
    const target = await makeTestDatabase()
    try {
      const org = await Organizations.create(target, actor, { name: "Keep", slug: "keep" })
      async function* gen() {
        yield* lines.slice(0, -1)
      }
      await expect(Backup.restore(target, [coreMigrations], gen())).rejects.toThrow(
        /expected \d+ rows|truncated backup/,
      )
      // cut after a whole table (its rows all there): the end line is missing
      const lastTable = lines.findLastIndex((l) => l.startsWith('{"table":'))
      async function* cut() {
        yield* lines.slice(0, lastTable)
      }
      await expect(Backup.restore(target, [coreMigrations], cut())).rejects.toThrow(/no end line/)
      expect((await Organizations.get(target, org.id)).name).toBe("Keep")
    } finally {
      await target.close()
    }
  })
})

describe("group commit", () => {
  it("runs an idle lane at once, batches what arrives meanwhile, and fails a bad call alone", async () => {
    const { Batching } = await import("../src/index")
    const batches: number[][] = []
    const run = async (xs: ReadonlyArray<number>) => {
      batches.push([...xs])
      await new Promise((r) => setTimeout(r, 5))
      if (xs.includes(13)) throw new Error("13 is refused")
      return xs.map((x) => x * 2)
    }
    const b = Batching.make<number, number>({ maxBatch: 4 })
    const results = await Promise.allSettled([1, 2, 3, 13, 5, 6].map((x) => b.submit("lane", x, run)))
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : "refused"))).toEqual([
      2,
      4,
      6,
      "refused",
      10,
      12,
    ])
    // 1 alone (idle lane), then 2,3,13,5 together (refused), each of them alone, then 6
    expect(batches).toEqual([[1], [2, 3, 13, 5], [2], [3], [13], [5], [6]])
    expect(b.size()).toBe(0)
  })

  it("starts a second batch beside a running one only when enough calls wait", async () => {
    const { Batching } = await import("../src/index")
    let running = 0
    let most = 0
    const batches: number[][] = []
    const run = async (xs: ReadonlyArray<number>) => {
      batches.push([...xs])
      most = Math.max(most, ++running)
      await new Promise((r) => setTimeout(r, 10))
      running--
      return xs
    }
    const b = Batching.make<number, number>({ concurrency: 2, parallelFrom: 3 })
    const submit = (xs: number[]) => xs.map((x) => b.submit("lane", x, run))
    // 1 runs at once; 2 and 3 wait (fewer than 3 waiting: no second batch); then 4 makes three
    // waiting, and a second batch takes them while 1 still runs
    const first = submit([1, 2, 3])
    expect(most).toBe(1)
    const second = submit([4])
    await Promise.all([...first, ...second])
    expect(batches).toEqual([[1], [2, 3, 4]])
    expect(most).toBe(2)
    // light load: one at a time
    most = 0
    batches.length = 0
    const a = b.submit("lane", 10, run)
    await new Promise((r) => setTimeout(r, 2))
    const c = b.submit("lane", 11, run)
    await Promise.all([a, c])
    expect(batches).toEqual([[10], [11]])
    expect(most).toBe(1)
  })
})
