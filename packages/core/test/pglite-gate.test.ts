import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import { open } from "../src/Db"
import { SessionGate } from "../src/internal/pgliteDialect"

describe("SessionGate (the one PGlite session)", () => {
  it("lets statements share it, a transaction have it alone, in arrival order", async () => {
    const gate = new SessionGate()
    const log: string[] = []
    const a = await gate.acquire(false)
    const b = await gate.acquire(false) // two statements in flight at once
    log.push("a+b")
    const tx = gate.acquire(true).then((r) => {
      log.push("tx")
      return r
    })
    // a statement that arrives after the transaction waits for it (no overtaking)
    const c = gate.acquire(false).then((r) => {
      log.push("c")
      return r
    })
    await new Promise((r) => setTimeout(r, 10))
    expect(log).toEqual(["a+b"])
    a()
    await new Promise((r) => setTimeout(r, 10))
    expect(log).toEqual(["a+b"]) // b still runs
    b()
    const endTx = await tx
    await new Promise((r) => setTimeout(r, 10))
    expect(log).toEqual(["a+b", "tx"])
    endTx()
    endTx() // giving back twice is harmless
    ;(await c)()
    expect(log).toEqual(["a+b", "tx", "c"])
  })

  it("fails a turn that waits past the limit, and the queue goes on", async () => {
    const gate = new SessionGate()
    const tx = await gate.acquire(true)
    await expect(gate.acquire(false, 50)).rejects.toThrow(/waited 0.05 s for the database session/)
    tx()
    const next = await gate.acquire(false, 50)
    next()
  })
})

describe("PGlite driver", () => {
  it("never runs another caller's statement inside an open transaction, and pipelines the rest", async () => {
    const db = await open({ kind: "pglite" })
    try {
      await sql`create table t (n int)`.execute(db.kysely)
      let release!: () => void
      const hold = new Promise<void>((r) => {
        release = r
      })
      const tx = db.kysely.transaction().execute(async (trx) => {
        await sql`insert into t values (1)`.execute(trx)
        await hold
        await sql`insert into t values (2)`.execute(trx)
      })
      await new Promise((r) => setTimeout(r, 20))
      // issued while the transaction is open: it must see the whole transaction or none of it
      const seen = sql<{ n: number }>`select count(*)::int as n from t`.execute(db.kysely)
      await new Promise((r) => setTimeout(r, 20))
      release()
      await tx
      expect((await seen).rows[0]?.n).toBe(2)
      // many statements at once all answer, in order of issue
      const many = await Promise.all(
        Array.from({ length: 50 }, (_, i) => sql<{ i: number }>`select ${i}::int as i`.execute(db.kysely)),
      )
      expect(many.map((r) => r.rows[0]?.i)).toEqual(Array.from({ length: 50 }, (_, i) => i))
      // a failing statement does not disturb the ones around it
      const mixed = await Promise.allSettled([
        sql`select 1`.execute(db.kysely),
        sql`select * from missing_table`.execute(db.kysely),
        sql`select 2`.execute(db.kysely),
      ])
      expect(mixed.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"])
    } finally {
      await db.close()
    }
  })
})
