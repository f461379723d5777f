import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Db } from "../src/index"
import { makeTestDatabase, testEngine } from "../src/testing"

let db: Db.Database
beforeAll(async () => {
  db = await makeTestDatabase()
})
afterAll(async () => {
  await db.close()
})

// PGlite (single-user PostgreSQL) has no statement timer: the bound is PostgreSQL's only
describe.skipIf(testEngine() !== "postgres")("bounded statement time (PostgreSQL)", () => {
  it("cancels a statement of the bounded work past the bound, and only that work", async () => {
    const started = Date.now()
    const err = await Db.withStatementTimeout(200, () => sql`select pg_sleep(3)`.execute(db.kysely)).catch(
      (e) => e,
    )
    expect(err?.code).toBe("57014")
    expect(Date.now() - started).toBeLessThan(2500)
    // the same connections serve unbounded work afterwards, and bounded work within its bound
    const [plain, within] = await Promise.all([
      sql<{ t: string }>`select pg_sleep(0.4)::text as t, current_setting('statement_timeout') as s`.execute(
        db.kysely,
      ),
      Db.withStatementTimeout(5_000, () =>
        sql<{ s: string }>`select current_setting('statement_timeout') as s`.execute(db.kysely),
      ),
    ])
    expect((plain.rows[0] as any).s).toBe("0")
    expect(within.rows[0]?.s).toBe("5s")
  })

  it("a rollback that undoes the setting is followed by setting it again", async () => {
    await Db.withStatementTimeout(150, async () => {
      const failed = await db.kysely
        .transaction()
        .execute(async (tx) => {
          await sql`select 1`.execute(tx)
          await sql`select pg_sleep(1)`.execute(tx)
        })
        .catch((e) => e)
      expect(failed?.code).toBe("57014")
      const again = await sql`select pg_sleep(1)`.execute(db.kysely).catch((e) => e)
      expect(again?.code).toBe("57014")
    })
    const free = await sql<{ s: string }>`select current_setting('statement_timeout') as s`.execute(db.kysely)
    expect(free.rows[0]?.s).toBe("0")
  })
})
