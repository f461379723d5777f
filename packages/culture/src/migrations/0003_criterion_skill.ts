import { type Kysely, sql } from "kysely"

/**
 * QA scorecard criteria mapped to skills of the competency framework (per organisation, by the
 * criterion's id on any scorecard): a course's page compares the mapped criteria's results before
 * and after the training of the skills it teaches.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table culture.criterion_skill (
      org_id text not null,
      criterion_id text not null,
      skill_id text not null,
      updated_at timestamptz not null default now(),
      primary key (org_id, criterion_id)
    );
    create index criterion_skill_skill on culture.criterion_skill (org_id, skill_id);
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table culture.criterion_skill`.execute(db)
}
