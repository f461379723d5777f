import { fileURLToPath } from "node:url"
import type { Db } from "@tenet/core"
import { checkSchemaDrift, makeTestDatabase, testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { riskMigrations } from "../src/index"

const schemaFile = fileURLToPath(new URL("../src/migrations/schema.ts", import.meta.url))

let db: Db.Database
beforeAll(async () => {
  db = await makeTestDatabase([riskMigrations])
})
afterAll(async () => {
  await db.close()
})

describe(`risk schema drift (${testEngine()})`, () => {
  // the checker compiles the schema file with the TypeScript compiler: slow on a busy machine
  it("the risk table interfaces match the migrated database", { timeout: 180_000 }, async () => {
    expect((await checkSchemaDrift(db, schemaFile, "RiskTables")).map((d) => d.message)).toEqual([])
  })

  it("fails when a migration changes a table the interfaces do not follow", {
    timeout: 180_000,
  }, async () => {
    const other = await makeTestDatabase([riskMigrations])
    try {
      await sql`alter table risk.kri add column owner_id text`.execute(other.kysely)
      await sql`alter table risk.risk alter column title drop not null`.execute(other.kysely)
      const diffs = await checkSchemaDrift(other, schemaFile, "RiskTables")
      expect(diffs.map((d) => d.message).sort()).toEqual([
        "risk.kri.owner_id: column in the database (text, nullable), not declared in the interface",
        "risk.risk.title: nullable in the database, declared without | null (string)",
      ])
    } finally {
      await other.close()
    }
  })
})
