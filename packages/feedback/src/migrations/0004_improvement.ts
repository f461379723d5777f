import { type Kysely, sql } from "kysely"

/**
 * When the customer's voice opens an improvement cycle (trigger `complaint`): the organisation's
 * setting (workflow, the complaint count per cause that starts one, its window), and the triggers
 * already answered by a cycle (one per breach, one open cycle per cause at a time).
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table feedback.improvement_setting (
      org_id text primary key,
      enabled boolean not null default true,
      workflow_id text not null default 'pdca',
      cause_threshold int not null default 5 check (cause_threshold between 1 and 10000),
      window_days int not null default 30 check (window_days between 1 and 365),
      updated_by text not null,
      updated_at timestamptz not null default now()
    );
    create table feedback.improvement_trigger (
      org_id text not null,
      key text not null,
      kind text not null check (kind in ('breach', 'cause')),
      cycle_id text,
      count int,
      opened_at timestamptz not null default now(),
      primary key (org_id, key)
    );
  `.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`drop table feedback.improvement_trigger, feedback.improvement_setting`.execute(db)
}
