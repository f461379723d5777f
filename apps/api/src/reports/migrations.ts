import type { Migrations } from "@tenet/core"
import { type Kysely, sql } from "kysely"

const m0001 = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table reports.schedule (
        org_id text not null,
        id text not null,
        name text not null,
        source text not null,
        params jsonb not null default '{}',
        format text not null check (format in ('pdf', 'xlsx', 'csv')),
        locale text not null,
        frequency text not null check (frequency in ('daily', 'weekly', 'monthly')),
        at_time text not null,
        weekday int,
        month_day int,
        time_zone text not null,
        recipients jsonb not null default '[]',
        enabled boolean not null default true,
        next_run_at timestamptz,
        last_run_at timestamptz,
        last_file_id text,
        last_error text,
        created_by text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (org_id, id)
      );

      create table reports.file (
        org_id text not null,
        id text not null,
        schedule_id text,
        run_key text,
        name text not null,
        format text not null,
        content_type text not null,
        size int not null,
        content bytea not null,
        period_from timestamptz,
        period_to timestamptz,
        created_by text not null,
        created_at timestamptz not null default now(),
        primary key (org_id, id)
      );
      create index file_created on reports.file (org_id, created_at desc);
      create unique index file_run on reports.file (org_id, schedule_id, run_key);

      create table reports.public_settings (
        org_id text primary key,
        enabled boolean not null default false,
        title text not null,
        intro text,
        kpis jsonb not null default '[]',
        period text not null default 'last_30_days',
        schedule_id text,
        updated_by text not null,
        updated_at timestamptz not null default now()
      );
    `.execute(db)
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table reports.public_settings, reports.file, reports.schedule`.execute(db)
  },
}

/** Scheduled reports, produced files and the public service report's settings (schema `reports`). */
export const reportsMigrations: Migrations.ModuleMigrations = {
  module: "reports",
  schema: "reports",
  migrations: { "0001_reports": m0001 },
}
