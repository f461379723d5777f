import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { open } from "../src/Db"
import { coreMigrations, type Db, Jobs, Migrations, Statistics } from "../src/index"
import { makeTestDatabase, testEngine } from "../src/testing"

let db: Db.Database

const lastAnalyse = async (table: string) =>
  (
    await sql<{ at: Date | null; reltuples: number }>`
      select greatest(s.last_analyze, s.last_autoanalyze) as at, c.reltuples::float8 as reltuples
      from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      where s.schemaname = 'stats_test' and s.relname = ${table}`.execute(db.kysely)
  ).rows[0]!

beforeAll(async () => {
  db = await makeTestDatabase()
  await sql`create schema stats_test`.execute(db.kysely)
  // autovacuum stays out of the way on PostgreSQL: the test drives the thresholds itself
  await sql`create table stats_test.big (id int primary key, v text) with (autovacuum_enabled = false)`.execute(
    db.kysely,
  )
  await sql`create table stats_test.small (id int primary key) with (autovacuum_enabled = false)`.execute(
    db.kysely,
  )
  await sql`insert into stats_test.big select g, 'v' || g from generate_series(1, 2000) g`.execute(db.kysely)
  await sql`insert into stats_test.small values (1), (2)`.execute(db.kysely)
  await Statistics.analyse(db, ["stats_test.big", "stats_test.small"])
  // vacuumed once after the load (else the 2,000 inserted rows alone pass the insert threshold)
  await sql`vacuum stats_test.big`.execute(db.kysely)
})
afterAll(async () => {
  await db.close()
})

describe("Statistics", () => {
  it("analyse gives a table its planner statistics", async () => {
    const big = await lastAnalyse("big")
    expect(big.at).toBeInstanceOf(Date)
    expect(big.reltuples).toBe(2000)
  })

  it("maintain analyses a table once its changes pass autovacuum's threshold, and leaves it otherwise", async () => {
    // 100 changes on 2,000 rows: under 50 + 10 % × 2,000 = 250
    await sql`update stats_test.big set v = 'a' where id <= 100`.execute(db.kysely)
    const quiet = await Statistics.due(db)
    expect(quiet.analyse).not.toContain("stats_test.big")
    expect(quiet.vacuum).not.toContain("stats_test.big")
    // 300 more inserted rows: 400 changes in all, over 250
    await sql`insert into stats_test.big select g, 'w' from generate_series(2001, 2300) g`.execute(db.kysely)
    const before = await lastAnalyse("big")
    const report = await Statistics.maintain(db)
    expect([...report.analysed, ...report.vacuumed]).toContain("stats_test.big")
    expect(report.analysed).not.toContain("stats_test.small")
    const after = await lastAnalyse("big")
    expect(after.at!.getTime()).toBeGreaterThanOrEqual(before.at!.getTime())
    expect(after.reltuples).toBe(2300)
    // counted from the last analyse: nothing due now
    const again = await Statistics.due(db)
    expect(again.analyse).not.toContain("stats_test.big")
  })

  it("maintain vacuums a table whose dead rows pass the vacuum threshold", async () => {
    // 1,000 of 2,300 rows rewritten: 1,000 dead rows, over 50 + 20 % × 2,300 = 510
    await sql`update stats_test.big set v = 'b' where id <= 1000`.execute(db.kysely)
    const dueTables = await Statistics.due(db)
    expect(dueTables.vacuum).toContain("stats_test.big")
    const report = await Statistics.maintain(db)
    expect(report.vacuumed).toContain("stats_test.big")
    const dead = await sql<{ n: number }>`
      select n_dead_tup::int as n from pg_stat_user_tables where schemaname = 'stats_test' and relname = 'big'`.execute(
      db.kysely,
    )
    expect(dead.rows[0]!.n).toBe(0)
  })

  it("the maintenance job runs through the job scheduler", async () => {
    await sql`insert into stats_test.small select g from generate_series(3, 400) g`.execute(db.kysely)
    await Jobs.schedule(db, { kind: Statistics.MAINTAIN_JOB, key: "test", runAt: new Date(0) })
    const seen: Statistics.MaintenanceReport[] = []
    const r = await Jobs.runDue(db, {
      [Statistics.MAINTAIN_JOB]: async (_job, d) => {
        seen.push(await Statistics.maintain(d))
      },
    })
    expect(r).toMatchObject({ ran: 1, failed: 0 })
    expect([...seen[0]!.analysed, ...seen[0]!.vacuumed]).toContain("stats_test.small")
    expect((await lastAnalyse("small")).reltuples).toBe(400)
  })
})

describe("migrations analyse what they created", () => {
  it("a table made by a migration has statistics at once", async () => {
    if (testEngine() !== "pglite") return // the same code runs on PostgreSQL; a fresh PGlite is cheaper here
    const fresh = await open({ kind: "pglite" })
    try {
      await Migrations.migrate(fresh, [
        coreMigrations,
        {
          module: "seeded",
          schema: "seeded",
          migrations: {
            "0001": {
              up: async (k) => {
                await sql`create table seeded.t (id int primary key)`.execute(k)
                await sql`insert into seeded.t select generate_series(1, 500)`.execute(k)
              },
            },
          },
        },
      ])
      const r = await sql<{ reltuples: number }>`
        select reltuples::float8 as reltuples from pg_class where oid = 'seeded.t'::regclass`.execute(
        fresh.kysely,
      )
      expect(r.rows[0]!.reltuples).toBe(500)
    } finally {
      await fresh.close()
    }
  }, 180_000)
})

describe("PGlite on a worker thread", () => {
  it("answers like PGlite in process: values, errors with their codes, transactions, dump and load", async () => {
    const w = await open({ kind: "pglite", worker: true, settings: ["work_mem=16MB"] })
    try {
      const r = await sql<any>`select current_setting('work_mem') as wm, 9007199254740993::int8 as big,
        '2025-01-26'::date as d, '2025-01-26T01:02:03.456Z'::timestamptz as ts, '{"a":[1]}'::jsonb as j`.execute(
        w.kysely,
      )
      expect(r.rows[0]).toEqual({
        wm: "16MB",
        big: 9007199254740993n,
        d: "2025-01-26",
        ts: new Date("2025-01-26T01:02:03.456Z"),
        j: { a: [1] },
      })
      await sql`create table t (id int primary key)`.execute(w.kysely)
      await sql`insert into t values (1)`.execute(w.kysely)
      const dup = await sql`insert into t values (1)`.execute(w.kysely).catch((e) => e)
      expect(dup).toBeInstanceOf(Error)
      expect(dup).toMatchObject({ code: "23505", constraint: "t_pkey" })
      await w.kysely
        .transaction()
        .execute(async (tx) => {
          await sql`insert into t values (2)`.execute(tx)
          throw new Error("roll back")
        })
        .catch(() => {})
      const ins = await sql`insert into t values (3), (4)`.execute(w.kysely)
      expect(ins.numAffectedRows).toBe(2n)
      const blob = await w.dumpDataDir!()
      const copy = await open({ kind: "pglite", worker: true, loadDataDir: blob })
      try {
        const ids = await sql<{ id: number }>`select id from t order by id`.execute(copy.kysely)
        expect(ids.rows.map((x) => x.id)).toEqual([1, 3, 4])
      } finally {
        await copy.close()
      }
    } finally {
      await w.close()
    }
  }, 180_000) // two cold PGlite starts (initdb in WASM)
})
