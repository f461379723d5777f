/**
 * The typed tables of the reports module and of the standards module's migration 0003 match the
 * migrated schema: the same columns, the same nullability. The column maps are checked against
 * the interfaces by the compiler (every key, `true` exactly where the interface says `| null`).
 */
import { Backup, coreMigrations } from "@tenet/core"
import { makeTestDatabase } from "@tenet/core/testing"
import { processMigrations } from "@tenet/process"
import {
  type ComplianceScheduleTable,
  type ManagementReviewTable,
  standardsMigrations,
} from "@tenet/standards"
import { sql } from "kysely"
import { expect, it } from "vitest"
import { reportsMigrations } from "../src/reports/migrations"
import type { FileTable, PublicSettingsTable, ScheduleTable } from "../src/reports/schema"

/** Column → nullable, for every column of a table interface (the compiler holds it to the interface). */
type Nullability<T> = { readonly [K in keyof T]-?: null extends T[K] ? true : false }
const nullability = <T>(columns: Nullability<T>) => columns

const TABLES: Record<string, Record<string, boolean>> = {
  "standards.compliance_schedule": nullability<ComplianceScheduleTable>({
    org_id: false,
    standard_id: false,
    frequency: false,
    at_time: false,
    weekday: true,
    month_day: true,
    time_zone: false,
    enabled: false,
    next_run_at: true,
    last_run_at: true,
    last_evaluation_id: true,
    updated_by: false,
    created_at: false,
    updated_at: false,
  }),
  "standards.management_review": nullability<ManagementReviewTable>({
    org_id: false,
    id: false,
    title: false,
    period_from: false,
    period_to: false,
    held_at: false,
    compliance: false,
    open_cycles: false,
    risks: false,
    decisions: false,
    attendees: false,
    notes: true,
    created_by: false,
    created_at: false,
  }),
  "reports.schedule": nullability<ScheduleTable>({
    org_id: false,
    id: false,
    name: false,
    source: false,
    params: false,
    format: false,
    locale: false,
    frequency: false,
    at_time: false,
    weekday: true,
    month_day: true,
    time_zone: false,
    recipients: false,
    enabled: false,
    next_run_at: true,
    last_run_at: true,
    last_file_id: true,
    last_error: true,
    created_by: false,
    created_at: false,
    updated_at: false,
  }),
  "reports.file": nullability<FileTable>({
    org_id: false,
    id: false,
    schedule_id: true,
    run_key: true,
    name: false,
    format: false,
    content_type: false,
    size: false,
    content: false,
    period_from: true,
    period_to: true,
    created_by: false,
    created_at: false,
  }),
  "reports.public_settings": nullability<PublicSettingsTable>({
    org_id: false,
    enabled: false,
    title: false,
    intro: true,
    kpis: false,
    period: false,
    schedule_id: true,
    updated_by: false,
    updated_at: false,
  }),
}

it("the table interfaces match the migrated schema (columns and nullability)", async () => {
  const db = await makeTestDatabase([processMigrations, standardsMigrations, reportsMigrations])
  try {
    for (const [name, declared] of Object.entries(TABLES)) {
      const [schema, table] = name.split(".")
      const r = await sql<{ column_name: string; is_nullable: string }>`select column_name, is_nullable
        from information_schema.columns where table_schema = ${schema} and table_name = ${table}`.execute(
        db.kysely,
      )
      const actual = Object.fromEntries(r.rows.map((c) => [c.column_name, c.is_nullable === "YES"]))
      expect(actual, name).toEqual(declared)
    }
    // a produced file's bytes survive a backup and a restore
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xe4, 0xb8, 0xad])
    await sql`insert into reports.file (org_id, id, name, format, content_type, size, content, created_by)
      values ('org_x', 'rptf_x', '报告.pdf', 'pdf', 'application/pdf', ${bytes.length}, ${Buffer.from(bytes)}, 'test')`.execute(
      db.kysely,
    )
    const modules = [coreMigrations, processMigrations, standardsMigrations, reportsMigrations]
    const lines: string[] = []
    await Backup.backup(db, modules, (l) => {
      lines.push(l)
    })
    await sql`delete from reports.file`.execute(db.kysely)
    await Backup.restore(
      db,
      modules,
      (async function* () {
        yield* lines
      })(),
    )
    const back = await sql<{
      content: Uint8Array
    }>`select content from reports.file where id = 'rptf_x'`.execute(db.kysely)
    expect([...new Uint8Array(back.rows[0]!.content)]).toEqual([...bytes])
  } finally {
    await db.close()
  }
})
