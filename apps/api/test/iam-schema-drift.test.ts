import { fileURLToPath } from "node:url"
import type { Db } from "@tenet/core"
import { checkSchemaDrift, makeTestDatabase, testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { iamMigrations } from "../src/iam/migrations"

const schemaFile = fileURLToPath(new URL("../src/iam/schema.ts", import.meta.url))

let db: Db.Database
beforeAll(async () => {
  db = await makeTestDatabase([iamMigrations])
})
afterAll(async () => {
  await db.close()
})

describe(`iam schema drift (${testEngine()})`, () => {
  // the checker compiles the schema file with the TypeScript compiler: slow on a busy machine
  it("the iam table interfaces match the migrated database", { timeout: 180_000 }, async () => {
    expect((await checkSchemaDrift(db, schemaFile, "IamTables")).map((d) => d.message)).toEqual([])
  })

  it("fails when a migration adds a column the interface lacks", { timeout: 180_000 }, async () => {
    const other = await makeTestDatabase([iamMigrations])
    try {
      await sql`alter table iam.session add column device text`.execute(other.kysely)
      const diffs = await checkSchemaDrift(other, schemaFile, "IamTables")
      expect(diffs.map((d) => d.message)).toEqual([
        "iam.session.device: column in the database (text, nullable), not declared in the interface",
      ])
    } finally {
      await other.close()
    }
  })
})
