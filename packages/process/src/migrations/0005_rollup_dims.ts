import { type Kysely, sql } from "kysely"

/**
 * Daily rollups per single dimension (and the day's total, dim = ''), kept from the full cube
 * in `metric_rollup`: a dashboard tile reads ~70 rows a day here instead of one row per
 * combination of seven dimensions.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table process.metric_rollup_dim (
      org_id text not null,
      day date not null,
      dim text not null,
      value text not null,
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
      primary key (org_id, dim, day, value)
    );
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table process.metric_rollup_dim`.execute(db)
}
