import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Db, Migrations } from "../src/index"
import { makeTestDatabase } from "../src/testing"

let db: Db.Database
beforeAll(async () => {
  db = await makeTestDatabase()
})
afterAll(async () => {
  await db.close()
})

const step = (table: string) => ({
  up: async (k: Parameters<Migrations.ModuleMigrations["migrations"][string]["up"]>[0]) => {
    await sql`create table ${sql.id("mtest", table)} (id int primary key)`.execute(k)
  },
})

describe("migrations", () => {
  it("applies what is pending, then nothing on the next start, then only what a new build adds", async () => {
    const first: Migrations.ModuleMigrations = {
      module: "mtest",
      schema: "mtest",
      migrations: { "0001_a": step("a"), "0002_b": step("b") },
    }
    const once = await Migrations.migrate(db, [first])
    expect(once).toEqual([{ module: "mtest", applied: ["0001_a", "0002_b"] }])
    // the usual start: everything is applied, nothing runs (the fast path answers from the histories)
    expect(await Migrations.migrate(db, [first])).toEqual([{ module: "mtest", applied: [] }])
    const next = { ...first, migrations: { ...first.migrations, "0003_c": step("c") } }
    expect(await Migrations.migrate(db, [next])).toEqual([{ module: "mtest", applied: ["0003_c"] }])
    const tables = await sql<{ t: string }>`
      select table_name as t from information_schema.tables where table_schema = 'mtest'
        and table_name in ('a', 'b', 'c') order by 1`.execute(db.kysely)
    expect(tables.rows.map((r) => r.t)).toEqual(["a", "b", "c"])
  })

  it("refuses a history that names a migration this build does not have (an older build on newer data)", async () => {
    const older: Migrations.ModuleMigrations = {
      module: "mtest",
      schema: "mtest",
      migrations: { "0001_a": step("a"), "0002_b": step("b") },
    }
    await expect(Migrations.migrate(db, [older])).rejects.toThrow(/mtest/)
  })
})
