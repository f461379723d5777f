import { type Kysely, sql } from "kysely"

/**
 * Workforce planning: each queue's (channel × team) staffing model and target, and the forecasts made
 * for intervals not yet begun, kept so that accuracy (wMAPE) can be measured once they pass, and the
 * surges warned of (forecast need above the scheduled capacity by the queue's threshold).
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table process.workforce_queue (
      org_id text not null,
      channel text not null,
      team text not null,
      model text not null check (model in ('erlang_c', 'erlang_a', 'chat', 'deferred')),
      target_level double precision not null check (target_level > 0 and target_level < 1),
      target_seconds integer not null check (target_seconds >= 0),
      aht_seconds integer not null check (aht_seconds > 0),
      patience_seconds integer check (patience_seconds > 0),
      concurrency integer not null default 1 check (concurrency >= 1),
      shrinkage double precision not null default 0.3 check (shrinkage >= 0 and shrinkage < 1),
      surge_threshold double precision not null default 0.15 check (surge_threshold >= 0),
      updated_at timestamptz not null default now(),
      primary key (org_id, channel, team)
    );
    create table process.workforce_forecast (
      org_id text not null,
      channel text not null,
      team text not null,
      interval_minutes integer not null,
      interval_start timestamptz not null,
      forecast double precision not null,
      lower double precision not null,
      upper double precision not null,
      made_at timestamptz not null default now(),
      primary key (org_id, interval_minutes, channel, team, interval_start)
    );
    create index workforce_forecast_start on process.workforce_forecast (org_id, interval_start);
    create table process.workforce_surge (
      org_id text not null,
      channel text not null,
      team text not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      peak_required double precision not null,
      peak_scheduled double precision not null,
      intervals integer not null,
      raised_at timestamptz not null default now(),
      primary key (org_id, channel, team, starts_at)
    );
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table process.workforce_surge, process.workforce_forecast, process.workforce_queue`.execute(
    db,
  )
}
