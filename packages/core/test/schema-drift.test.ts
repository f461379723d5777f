import { fileURLToPath } from "node:url"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Db } from "../src/index"
import { checkSchemaDrift, makeTestDatabase, testEngine } from "../src/testing"

const schemaFile = fileURLToPath(new URL("../src/migrations/schema.ts", import.meta.url))
const driftedFile = fileURLToPath(new URL("./fixtures/drifted-schema.ts", import.meta.url))

let db: Db.Database
beforeAll(async () => {
  db = await makeTestDatabase()
})
afterAll(async () => {
  await db.close()
})

describe(`schema drift (${testEngine()})`, () => {
  it("core's table interfaces match the migrated database", async () => {
    expect((await checkSchemaDrift(db, schemaFile, "CoreTables")).map((d) => d.message)).toEqual([])
  })

  it("reports a column a migration added that the interface lacks", async () => {
    const other = await makeTestDatabase()
    try {
      await sql`alter table core.job add column extra text`.execute(other.kysely)
      await sql`alter table core.organization alter column locale drop not null`.execute(other.kysely)
      const diffs = await checkSchemaDrift(other, schemaFile, "CoreTables")
      expect(diffs.map((d) => d.message).sort()).toEqual([
        "core.job.extra: column in the database (text, nullable), not declared in the interface",
        "core.organization.locale: nullable in the database, declared without | null (string)",
      ])
    } finally {
      await other.close()
    }
  })

  it("reports renamed, removed and mistyped columns and a missing table in the interfaces", async () => {
    const diffs = await checkSchemaDrift(db, driftedFile, "DriftedTables")
    const messages = diffs.map((d) => d.message)
    expect(messages).toContain(
      "core.organization.time_zone: column in the database (text), not declared in the interface",
    )
    expect(messages).toContain(
      "core.organization.locale: column in the database (text), not declared in the interface",
    )
    expect(messages).toContain(
      "core.organization.timezone: declared in the interface, no such column in the database",
    )
    expect(messages).toContain(
      "core.organization.name: not null in the database, declared with | null (string | null)",
    )
    expect(messages).toContain(
      "core.organization.created_at: timestamp with time zone in the database, declared as string",
    )
    expect(messages).toContain("core.ghost: declared in the interfaces, no such table in the database")
    // the core tables the fixture does not declare
    expect(diffs.filter((d) => d.kind === "undeclared-table").map((d) => d.table)).toContain("core.job")
  })
})
