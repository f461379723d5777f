import { type Kysely, sql } from "kysely"

export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table standards.scorecard (
      org_id text not null,
      id text not null,
      version int not null,
      name text not null,
      definition jsonb not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (org_id, id, version)
    );
    create table standards.qa_evaluation (
      org_id text not null,
      id text not null,
      scorecard_id text not null,
      scorecard_version int not null,
      case_id text not null,
      agent_id text not null,
      evaluator_id text not null,
      answers jsonb not null,
      score double precision not null,
      raw double precision not null,
      auto_failed boolean not null,
      passed boolean not null,
      critical jsonb not null,
      non_critical_errors int not null,
      opportunities int not null,
      calibration_id text,
      evaluated_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index qa_evaluation_at on standards.qa_evaluation (org_id, evaluated_at);
    create index qa_evaluation_calibration on standards.qa_evaluation (org_id, calibration_id) where calibration_id is not null;
    create table standards.calibration (
      org_id text not null,
      id text not null,
      scorecard_id text not null,
      scorecard_version int not null,
      name text not null,
      case_ids jsonb not null,
      evaluators jsonb not null,
      master text,
      tolerance double precision not null default 5,
      min_within double precision not null default 0.8,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table standards.calibration, standards.qa_evaluation, standards.scorecard`.execute(db)
}
