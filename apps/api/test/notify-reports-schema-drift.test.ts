import { fileURLToPath } from "node:url"
import type { Db } from "@tenet/core"
import { checkSchemaDrift, makeTestDatabase, testEngine } from "@tenet/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { notifyMigrations } from "../src/notify/migrations"
import { reportsMigrations } from "../src/reports/migrations"

const file = (p: string) => fileURLToPath(new URL(p, import.meta.url))

let db: Db.Database
beforeAll(async () => {
  db = await makeTestDatabase([notifyMigrations, reportsMigrations])
})
afterAll(async () => {
  await db.close()
})

describe(`notify and reports schema drift (${testEngine()})`, () => {
  // the checker compiles the schema file with the TypeScript compiler: slow on a busy machine
  it("the notify table interfaces match the migrated database", { timeout: 180_000 }, async () => {
    expect(
      (await checkSchemaDrift(db, file("../src/notify/schema.ts"), "NotifyTables")).map((d) => d.message),
    ).toEqual([])
  })
  it("the reports table interfaces match the migrated database", { timeout: 180_000 }, async () => {
    expect(
      (await checkSchemaDrift(db, file("../src/reports/schema.ts"), "ReportsTables")).map((d) => d.message),
    ).toEqual([])
  })
})
