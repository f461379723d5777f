import { type Kysely, sql } from "kysely"

export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table core.organization (
      id text primary key,
      slug text not null unique,
      name text not null,
      time_zone text not null default 'Asia/Shanghai',
      locale text not null default 'zh-CN',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table core.audit_head (
      org_id text primary key,
      seq bigint not null,
      hash text not null
    );

    create table core.audit_log (
      org_id text not null,
      seq bigint not null,
      id text not null,
      at timestamptz not null,
      actor_type text not null,
      actor_id text not null,
      action text not null,
      entity_type text not null,
      entity_id text not null,
      before jsonb,
      after jsonb,
      request_id text,
      prev_hash text not null,
      hash text not null,
      primary key (org_id, seq)
    );
    create index audit_log_entity on core.audit_log (org_id, entity_type, entity_id);
    create index audit_log_at on core.audit_log (org_id, at desc);

    create table core.outbox_event (
      org_id text not null,
      id text not null,
      position bigint generated always as identity,
      type text not null,
      aggregate_type text not null,
      aggregate_id text not null,
      payload jsonb not null,
      occurred_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create unique index outbox_event_position on core.outbox_event (position);

    create table core.outbox_cursor (
      handler text primary key,
      position bigint not null default 0,
      locked_by text,
      locked_until timestamptz
    );

    create table core.outbox_failure (
      handler text not null,
      event_position bigint not null,
      org_id text not null,
      event_id text not null,
      attempts int not null default 1,
      last_error text not null,
      next_attempt_at timestamptz not null,
      dead boolean not null default false,
      primary key (handler, event_position)
    );

    create table core.processed_event (
      handler text not null,
      event_id text not null,
      processed_at timestamptz not null default now(),
      primary key (handler, event_id)
    );

    create table core.job (
      org_id text not null default '',
      id text not null,
      kind text not null,
      key text not null,
      run_at timestamptz not null,
      every_seconds int,
      status text not null default 'pending',
      attempts int not null default 0,
      max_attempts int not null default 5,
      payload jsonb not null default '{}',
      locked_by text,
      locked_until timestamptz,
      last_error text,
      runs int not null default 0,
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      primary key (org_id, id),
      unique (org_id, kind, key)
    );
    create index job_due on core.job (status, run_at);
  `.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`drop table core.job, core.processed_event, core.outbox_failure, core.outbox_cursor,
    core.outbox_event, core.audit_log, core.audit_head, core.organization`.execute(db)
}
