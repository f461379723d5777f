import { fileURLToPath } from "node:url"
import type { Db } from "@tenet/core"
import { checkSchemaDrift, makeTestDatabase, testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cultureMigrations } from "../src/index"

const schemaFile = fileURLToPath(new URL("../src/migrations/schema.ts", import.meta.url))

let db: Db.Database
beforeAll(async () => {
  db = await makeTestDatabase([cultureMigrations])
})
afterAll(async () => {
  await db.close()
})

describe(`culture schema drift (${testEngine()})`, () => {
  // the checker compiles the schema file with the TypeScript compiler: slow on a busy machine
  it("the culture table interfaces match the migrated database", { timeout: 180_000 }, async () => {
    expect((await checkSchemaDrift(db, schemaFile, "CultureTables")).map((d) => d.message)).toEqual([])
  })

  it("fails when a migration changes a table the interfaces do not follow", {
    timeout: 180_000,
  }, async () => {
    const other = await makeTestDatabase([cultureMigrations])
    try {
      await sql`alter table culture.kudos add column extra text`.execute(other.kysely)
      await sql`alter table culture.course alter column title_en drop not null`.execute(other.kysely)
      const diffs = await checkSchemaDrift(other, schemaFile, "CultureTables")
      expect(diffs.map((d) => d.message).sort()).toEqual([
        "culture.course.title_en: nullable in the database, declared without | null (string)",
        "culture.kudos.extra: column in the database (text, nullable), not declared in the interface",
      ])
    } finally {
      await other.close()
    }
  })
})
