import { type Kysely, sql } from "kysely"

/** Compliance schedules per standard, management reviews (ISO 9001 §9.3) and review-due reminders. */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table standards.compliance_schedule (
      org_id text not null,
      standard_id text not null,
      frequency text not null check (frequency in ('daily', 'weekly', 'monthly')),
      at_time text not null,
      weekday int,
      month_day int,
      time_zone text not null,
      enabled boolean not null default true,
      next_run_at timestamptz,
      last_run_at timestamptz,
      last_evaluation_id text,
      updated_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, standard_id)
    );

    create table standards.management_review (
      org_id text not null,
      id text not null,
      title text not null,
      period_from timestamptz not null,
      period_to timestamptz not null,
      held_at timestamptz not null,
      compliance jsonb not null,
      open_cycles jsonb not null,
      risks jsonb not null,
      decisions jsonb not null,
      attendees jsonb not null,
      notes text,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index management_review_held on standards.management_review (org_id, held_at desc);
  `.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`drop table standards.management_review, standards.compliance_schedule`.execute(db)
}
