import { type Kysely, sql } from "kysely"

export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table process.cycle (
      org_id text not null,
      id text not null,
      number int not null,
      workflow_id text not null,
      workflow json not null, -- json, not jsonb: keeps the author's field order for the forms
      title text not null,
      stage text not null,
      status text not null,
      status_reason text,
      trigger jsonb not null,
      fields jsonb not null default '{}',
      baseline jsonb,
      check_result jsonb,
      outcome jsonb,
      owner_id text,
      stage_due_at timestamptz,
      history jsonb not null default '[]',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      closed_at timestamptz,
      primary key (org_id, id)
    );
    create unique index cycle_number on process.cycle (org_id, number);
    create index cycle_status on process.cycle (org_id, status, updated_at desc);
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table process.cycle`.execute(db)
}
