import { type Kysely, sql } from "kysely"

/**
 * Daily rollups of the survey metrics per local day and single dimension (dim = '' is the day's
 * total): counts for CSAT/DSAT, NPS, CES, the response rate and the survey sent within 24 h, each
 * keyed by the day of its own time (submitted, sent, resolved). Days changed since the last refresh
 * are listed in `rollup_dirty`; `rollup_state` says in which time zone an organisation's are built.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table feedback.metric_rollup (
      org_id text not null,
      day date not null,
      dim text not null,
      value text not null,
      csat_n int not null,
      csat_top int not null,
      csat_bottom int not null,
      nps_n int not null,
      nps_promoters int not null,
      nps_passives int not null,
      nps_detractors int not null,
      ces_n int not null,
      ces_sum double precision not null,
      ces_sumsq double precision not null,
      sent int not null,
      answered int not null,
      w24_num int not null,
      w24_den int not null,
      primary key (org_id, dim, day, value)
    );
    create table feedback.rollup_state (
      org_id text primary key,
      time_zone text not null,
      built_at timestamptz not null
    );
    create table feedback.rollup_dirty (
      org_id text not null,
      day date not null,
      marked_at timestamptz not null default now(),
      primary key (org_id, day)
    );
  `.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`drop table feedback.rollup_dirty, feedback.rollup_state, feedback.metric_rollup`.execute(db)
}
