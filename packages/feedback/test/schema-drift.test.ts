import { fileURLToPath } from "node:url"
import type { Db } from "@tenet/core"
import { checkSchemaDrift, makeTestDatabase, testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { feedbackMigrations } from "../src/index"

const schemaFile = fileURLToPath(new URL("../src/migrations/schema.ts", import.meta.url))

let db: Db.Database
beforeAll(async () => {
  db = await makeTestDatabase([feedbackMigrations])
})
afterAll(async () => {
  await db.close()
})

describe(`feedback schema drift (${testEngine()})`, () => {
  it("the feedback table interfaces match the migrated database", { timeout: 180_000 }, async () => {
    expect((await checkSchemaDrift(db, schemaFile, "FeedbackTables")).map((d) => d.message)).toEqual([])
  })

  it("fails when a migration changes a table the interfaces do not follow", {
    timeout: 180_000,
  }, async () => {
    const other = await makeTestDatabase([feedbackMigrations])
    try {
      await sql`alter table feedback.response add column reviewer_id text`.execute(other.kysely)
      await sql`alter table feedback.survey alter column name drop not null`.execute(other.kysely)
      const diffs = await checkSchemaDrift(other, schemaFile, "FeedbackTables")
      expect(diffs.map((d) => d.message).sort()).toEqual([
        "feedback.response.reviewer_id: column in the database (text, nullable), not declared in the interface",
        "feedback.survey.name: nullable in the database, declared without | null (string)",
      ])
    } finally {
      await other.close()
    }
  })
})
