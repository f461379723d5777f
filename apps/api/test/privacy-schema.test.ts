import { DataClasses, DataClassesSchema, type Db } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { MODULES, wireContracts } from "../src/modules"

// The rule (DataClasses.PERSONAL_COLUMN): a table with a column that links a row to a customer or a case
// (customer_id, customer_key, case_id) or names contact details (phone, mobile, email, contacts, address)
// holds a customer's personal data, and some module must declare it (or declare it not personal, with a reason).
let db: Db.Database
beforeAll(async () => {
  wireContracts()
  db = await makeTestDatabase(MODULES)
}, 300_000)
afterAll(async () => {
  await db.close()
})

describe(`data classes against the migrated schema (${testEngine()})`, () => {
  it("every table holding customer PI is declared, and every declaration matches the schema", async () => {
    expect((await DataClassesSchema.checkSchema(db)).map((p) => p.message)).toEqual([])
    // the modules that store customer data all declare some
    const modules = new Set(DataClasses.all().map((c) => c.module))
    for (const m of ["core", "iam", "notify", "process", "feedback", "standards", "culture", "risk"])
      expect(modules, m).toContain(m)
  })

  it("fails when a module stores PI it did not declare, or declares a column that is gone", async () => {
    const other = await makeTestDatabase(MODULES)
    try {
      await sql`create table process.callback_note (org_id text not null, id text not null, customer_id text, note text)`.execute(
        other.kysely,
      )
      await sql`alter table feedback.response rename column comment to remark`.execute(other.kysely)
      await sql`create table standards.coaching (org_id text not null, id text not null, phone text)`.execute(
        other.kysely,
      )
      expect((await DataClassesSchema.checkSchema(other)).map((p) => p.message).sort()).toEqual([
        "feedback.responses: column feedback.response.comment does not exist",
        "process.callback_note: holds personal data (customer_id) that no data class declares",
        "standards.coaching: holds personal data (phone) that no data class declares",
      ])
    } finally {
      await other.close()
    }
  }, 300_000)
})
