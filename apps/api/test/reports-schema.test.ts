/**
 * The typed tables of the reports module and of the standards module's migration 0003 match the
 * migrated schema: the same columns, the same nullability. The column maps are checked against
 * the interfaces by the compiler (every key, `true` exactly where the interface says `| null`).
 */
import { makeTestDatabase } from "@tenet/core/testing"
import { processMigrations } from "@tenet/process"
import {
  type ComplianceScheduleTable,
  type ManagementReviewTable,
  type ReviewReminderTable,
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
  "standards.review_reminder": nullability<ReviewReminderTable>({
    org_id: false,
    standard_id: false,
    due_at: false,
    sent_at: false,
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
  } finally {
    await db.close()
  }
})
