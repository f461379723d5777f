import { DataClasses, DataClassesSchema, type Db, Encryption } from "@tenet/core"
import { makeTestDatabase, testEngine } from "@tenet/core/testing"
import { sql } from "kysely"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seedDemo } from "../src/demo"
import { ENCRYPTED_TABLES } from "../src/encryption/setup"
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

// Sealed columns are declared in the contract (DataClass.sealed). The check reads the database: every text
// and JSON column of every table is scanned for sealed values, so a module that seals a column it did not
// declare fails, as does a declared sealed column left in clear or missed by the re-encryption pass.
describe(`sealed columns against the stored data (${testEngine()})`, () => {
  it("the demo, written with encryption on, seals exactly the declared columns", {
    timeout: 600_000,
  }, async () => {
    const enc = await makeTestDatabase(MODULES)
    Encryption.configure(Encryption.fromKey(Buffer.alloc(32, 9).toString("base64"), "test"))
    try {
      const { orgId } = await seedDemo(enc, { days: 14 })
      const sealed = DataClasses.all().flatMap((c) => (c.sealed ?? []).map((s) => `${c.table}.${s.column}`))
      expect(sealed.sort()).toEqual([
        "feedback.item.details",
        "feedback.response.answers",
        "feedback.response.comment",
        "process.case.content",
        "process.case_event.content",
        "process.case_event.participants",
        "process.customer.contacts",
        "process.customer.external_id",
        "process.customer.name",
      ])
      expect(DataClasses.sealedFields()).toContain("customer.name")
      const ok = await DataClassesSchema.checkSealed(enc, {
        requireSealed: true,
        encryptedTables: ENCRYPTED_TABLES,
      })
      expect(ok.map((p) => p.message)).toEqual([])
      // the demo wrote sealed values where the declarations say
      const raw = await sql<{ n: number }>`select count(*)::int as n from process.customer
        where org_id = ${orgId} and name like 'tnt1:%'`.execute(enc.kysely)
      expect(raw.rows[0]!.n).toBeGreaterThan(0)

      // a module seals a column it did not declare; a declared one holds clear text
      const cipher = await Encryption.cipherFor(enc.kysely, orgId)
      const kase = (
        await sql<{ id: string }>`select id from process.case where org_id = ${orgId} limit 1`.execute(
          enc.kysely,
        )
      ).rows[0]!.id
      await sql`update process.case set subject = ${cipher.seal("case.subject", "退款")}, content = 'in clear'
        where org_id = ${orgId} and id = ${kase}`.execute(enc.kysely)
      const bad = await DataClassesSchema.checkSealed(enc, {
        requireSealed: true,
        encryptedTables: [
          ...ENCRYPTED_TABLES.filter((t) => t.table !== "feedback.item"),
          { table: "process.case", columns: ["subject"] },
        ],
        declared: [
          ...DataClasses.all(),
          {
            ...DataClasses.get("standards.qa_notes")!,
            id: "standards.qa_x",
            columns: ["coach_note"],
            sealed: [{ column: "coach_note", fields: ["qa.note"] }],
          },
        ],
      })
      expect(bad.map((p) => p.message).sort()).toEqual([
        "feedback.complaints: sealed column feedback.item.details is not visited by the re-encryption pass",
        "process.case.subject: holds sealed values that no data class declares sealed",
        "process.case.subject: the re-encryption pass seals it but no data class declares it sealed",
        "process.cases: sealed column process.case.content holds 1 values in clear",
        "standards.qa_x: sealed column standards.qa_evaluation.coach_note does not exist",
        "standards.qa_x: sealed column standards.qa_evaluation.coach_note is not visited by the re-encryption pass",
      ])
      // a declaration naming a sealed column outside its personal columns is refused
      expect(
        DataClasses.validate({
          ...DataClasses.get("process.cases")!,
          sealed: [{ column: "subject_x", fields: ["f"] }],
        }),
      ).toEqual(["process.cases: sealed column subject_x is not one of its personal columns"])
    } finally {
      Encryption.configure(null)
      await enc.close()
    }
  })
})
