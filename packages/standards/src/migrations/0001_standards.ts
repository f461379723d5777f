import { type Kysely, sql } from "kysely"

export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table standards.standard (
      org_id text not null,
      id text not null,
      key text not null,
      title jsonb not null,
      provider text,
      copyright text,
      licence text,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create unique index standard_key on standards.standard (org_id, key);

    create table standards.version (
      org_id text not null,
      standard_id text not null,
      version int not null,
      label text not null,
      status text not null,
      document jsonb not null,
      review_cadence_days int,
      next_review_at timestamptz,
      history jsonb not null default '[]',
      based_on int,
      source_cycle_id text,
      created_by text not null,
      created_at timestamptz not null default now(),
      published_at timestamptz,
      primary key (org_id, standard_id, version)
    );
    create index version_status on standards.version (org_id, status);

    create table standards.evaluation (
      org_id text not null,
      id text not null,
      standard_id text not null,
      version int not null,
      period_from timestamptz not null,
      period_to timestamptz not null,
      time_zone text not null,
      results jsonb not null,
      summary jsonb not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index evaluation_standard on standards.evaluation (org_id, standard_id, created_at desc);

    create table standards.breach (
      org_id text not null,
      id text not null,
      evaluation_id text not null,
      standard_id text not null,
      version int not null,
      requirement_id text not null,
      target_id text not null,
      metric_id text not null,
      filter jsonb not null default '{}',
      value double precision,
      target double precision not null,
      operator text not null,
      n int not null,
      period_from timestamptz not null,
      period_to timestamptz not null,
      status text not null default 'open',
      cycle_id text,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index breach_open on standards.breach (org_id, status, created_at desc);

    create table standards.mapping (
      org_id text not null,
      id text not null,
      from_standard text not null,
      from_requirement text not null,
      to_standard text not null,
      to_requirement text not null,
      relation text not null,
      strength int not null,
      rationale text,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop schema standards cascade`.execute(db)
}
