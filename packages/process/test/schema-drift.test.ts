import { fileURLToPath } from "node:url"
import type { Db } from "@tenet/core"
import { checkSchemaDrift, makeTestDatabase, testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { processMigrations } from "../src/index"

const schemaFile = fileURLToPath(new URL("../src/migrations/schema.ts", import.meta.url))

let db: Db.Database
beforeAll(async () => {
  db = await makeTestDatabase([processMigrations])
})
afterAll(async () => {
  await db.close()
})

describe(`process schema drift (${testEngine()})`, () => {
  it("the ProcessTables interfaces match the migrated database", async () => {
    expect((await checkSchemaDrift(db, schemaFile, "ProcessTables")).map((d) => d.message)).toEqual([])
  })

  it("fails when a migration adds a column the interfaces lack", async () => {
    await sql`alter table process.follow_up add column reminder_sent_at timestamptz`.execute(db.kysely)
    try {
      expect((await checkSchemaDrift(db, schemaFile, "ProcessTables")).map((d) => d.message)).toEqual([
        "process.follow_up.reminder_sent_at: column in the database (timestamp with time zone, nullable), not declared in the interface",
      ])
    } finally {
      await sql`alter table process.follow_up drop column reminder_sent_at`.execute(db.kysely)
    }
  })
})
