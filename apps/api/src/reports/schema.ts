/** Typed tables of the reports module (`reports.*`). */
import type { ColumnType, Generated } from "kysely"

type Json<T> = ColumnType<T, string, string>

export type ReportSource = "dashboard" | "compliance" | "cases"
export type ReportFormat = "pdf" | "xlsx" | "csv"

/** `reports.schedule`: a saved view + format + cadence + recipients. */
export interface ScheduleTable {
  org_id: string
  id: string
  name: string
  source: ReportSource
  params: Json<Record<string, string>>
  format: ReportFormat
  locale: "zh-CN" | "en"
  frequency: "daily" | "weekly" | "monthly"
  at_time: string
  weekday: number | null
  month_day: number | null
  time_zone: string
  recipients: Json<string[]>
  enabled: Generated<boolean>
  next_run_at: Date | null
  last_run_at: Date | null
  last_file_id: string | null
  last_error: string | null
  created_by: string
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

/** `reports.file`: a produced report, kept in the database (downloadable, backed up with it). */
export interface FileTable {
  org_id: string
  id: string
  schedule_id: string | null
  /** The scheduled run that made it (one file per run, however many runners). */
  run_key: string | null
  name: string
  format: ReportFormat
  content_type: string
  size: number
  content: Uint8Array
  period_from: Date | null
  period_to: Date | null
  created_by: string
  created_at: Generated<Date>
}

export type PublicPeriod = "last_7_days" | "last_30_days" | "last_month"

/** `reports.public_settings`: what an organisation publishes without login (off by default). */
export interface PublicSettingsTable {
  org_id: string
  enabled: Generated<boolean>
  title: string
  intro: string | null
  /** "<standardId>/<targetId>" of the dashboard's KPIs to publish */
  kpis: Json<string[]>
  period: Generated<PublicPeriod>
  /** a schedule whose latest file the public page offers for download */
  schedule_id: string | null
  updated_by: string
  updated_at: Generated<Date>
}

export interface ReportsTables {
  "reports.schedule": ScheduleTable
  "reports.file": FileTable
  "reports.public_settings": PublicSettingsTable
}
