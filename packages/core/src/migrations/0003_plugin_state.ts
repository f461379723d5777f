import { type Kysely, sql } from "kysely"

/**
 * Plugin handlers' state, kept across restarts and shared by every process on the database:
 * failure counts and quarantine per handler, a bounded history of errors, and the events an
 * admin chose to skip. The plugin host (@tenet/plugin-sdk/host) reads and writes these rows.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table core.plugin_handler (
      handler text primary key,
      plugin_id text not null,
      name text not null,
      failures bigint not null default 0,
      consecutive_failures int not null default 0,
      retry_at timestamptz,
      quarantined_at timestamptz,
      held_event_position bigint,
      last_error text,
      last_error_at timestamptz,
      updated_at timestamptz not null default now()
    );
    create table core.plugin_error (
      id bigint generated always as identity primary key,
      handler text not null,
      kind text not null check (kind in ('error', 'timeout', 'memory', 'crash')),
      message text not null,
      org_id text,
      event_id text,
      event_type text,
      event_position bigint,
      at timestamptz not null default now()
    );
    create index plugin_error_handler on core.plugin_error (handler, id desc);
    create table core.plugin_skip (
      handler text not null,
      event_position bigint not null,
      org_id text not null,
      event_id text not null,
      skipped_by text not null,
      at timestamptz not null default now(),
      primary key (handler, event_position)
    );
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table core.plugin_skip, core.plugin_error, core.plugin_handler`.execute(db)
}
