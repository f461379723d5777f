import { type Kysely, sql } from "kysely"

/**
 * Shifts: who works for which team when, as weekly patterns (weekdays, local start and end time,
 * valid from–to). Workforce plans count the agents scheduled in each interval from them; they live
 * beside the teams and members they refer to, so process and culture read them without importing
 * each other.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table core.shift (
      org_id text not null,
      id text not null,
      team_id text not null,
      user_id text not null,
      weekdays jsonb not null,
      start_time text not null check (start_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      end_time text not null check (end_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
      valid_from date not null,
      valid_to date,
      off_on_holidays boolean not null default true,
      created_at timestamptz not null default now(),
      primary key (org_id, id),
      foreign key (org_id, team_id) references core.team (org_id, id) on delete cascade
    );
    create index shift_team on core.shift (org_id, team_id);
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table core.shift`.execute(db)
}
