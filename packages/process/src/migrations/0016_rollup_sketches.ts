import { type Kysely, sql } from "kysely"

/**
 * Duration sketches in the daily rollups: for each rollup row, a histogram of the elapsed business
 * seconds of its stopped first-response and resolution clocks, in logarithmic bins (γ = 1.02: a bin's
 * representative is within 1 % of every value in it), so medians and p90 are served from the rollups
 * like the rates. Rows built before this migration have empty sketches: their days are marked for
 * recomputation.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    alter table process.metric_rollup
      add column fr_hist jsonb not null default '{}'::jsonb,
      add column res_hist jsonb not null default '{}'::jsonb;
    alter table process.metric_rollup_dim
      add column fr_hist jsonb not null default '{}'::jsonb,
      add column res_hist jsonb not null default '{}'::jsonb;
    insert into process.rollup_dirty (org_id, day)
      select distinct org_id, day from process.metric_rollup_dim
      on conflict do nothing;
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`
    alter table process.metric_rollup_dim drop column res_hist, drop column fr_hist;
    alter table process.metric_rollup drop column res_hist, drop column fr_hist;
  `.execute(db)
}
