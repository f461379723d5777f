import { type Kysely, sql } from "kysely"

/**
 * The organisation's structure, shared by every module: teams (the queues cases are routed to),
 * who is in them and at which level, and the eligibility gate's setting. A team's id is its stable
 * key (`technical`, `complaints`): process keeps it on each case (`process.case.team`), culture
 * trains and certifies for it, workforce will staff it.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table core.team (
      org_id text not null,
      id text not null,
      name_zh text not null,
      name_en text not null,
      leader_id text,
      channels jsonb not null default '[]',
      queues jsonb not null default '[]',
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create table core.team_member (
      org_id text not null,
      team_id text not null,
      user_id text not null,
      level text not null check (level in ('team_leader', 'project_manager', 'service_specialist')),
      joined_on date not null default current_date,
      left_on date,
      primary key (org_id, team_id, user_id),
      foreign key (org_id, team_id) references core.team (org_id, id) on delete cascade
    );
    create index team_member_user on core.team_member (org_id, user_id);
    create table core.eligibility_setting (
      org_id text primary key,
      gate_enabled boolean not null default false,
      updated_at timestamptz not null default now()
    );
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table core.eligibility_setting, core.team_member, core.team`.execute(db)
}
