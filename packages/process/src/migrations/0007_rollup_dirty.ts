import { type Kysely, sql } from "kysely"

/** Local days whose rollups must be recomputed (marked by case changes, cleared by the refresh job). */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table process.rollup_dirty (
      org_id text not null,
      day date not null,
      marked_at timestamptz not null default now(),
      primary key (org_id, day)
    );
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table process.rollup_dirty`.execute(db)
}
