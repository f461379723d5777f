import { type Kysely, sql } from "kysely"

/** Workflow definitions an organisation imported as data (JSON or YAML), next to those of plugins. */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table process.workflow_library (
      org_id text not null,
      id text not null,
      version text not null,
      definition json not null,
      imported_at timestamptz not null default now(),
      imported_by text not null,
      primary key (org_id, id)
    );
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table process.workflow_library`.execute(db)
}
