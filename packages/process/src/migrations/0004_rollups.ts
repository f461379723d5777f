import { type Kysely, sql } from "kysely"

/** Daily rollups of the process metrics by dimension, maintained from the outbox. */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table process.metric_rollup (
      org_id text not null,
      day date not null,
      channel text not null,
      segment text not null,
      priority text not null,
      team text not null,
      agent text not null,
      type text not null,
      category text not null,
      cases int not null,
      fr_met int not null,
      fr_due int not null,
      rec_met int not null,
      rec_due int not null,
      res_met int not null,
      res_due int not null,
      fcr_num int not null,
      fcr_den int not null,
      reopen_num int not null,
      reopen_den int not null,
      escalated int not null,
      primary key (org_id, day, channel, segment, priority, team, agent, type, category)
    );
    create table process.rollup_state (
      org_id text primary key,
      time_zone text not null,
      built_at timestamptz not null
    );
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table process.rollup_state, process.metric_rollup`.execute(db)
}
