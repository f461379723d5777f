import { type Kysely, sql } from "kysely"

/**
 * Low QA score rules (per organisation): an evaluation whose score — or one criterion's result —
 * falls below the rule's threshold (a 0–1 fraction) assigns a course or raises a coaching task.
 * Assignments made by a rule carry the source `low_score`.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table culture.low_score_rule (
      org_id text not null,
      id text not null,
      scorecard_id text,
      criterion_id text,
      threshold numeric not null check (threshold > 0 and threshold <= 1),
      action text not null check (action in ('course', 'coaching')),
      course_id text,
      due_days int not null default 14 check (due_days between 1 and 365),
      enabled boolean not null default true,
      updated_at timestamptz not null default now(),
      primary key (org_id, id),
      foreign key (org_id, course_id) references culture.course (org_id, id),
      check ((action = 'course') = (course_id is not null))
    );

    create table culture.coaching_task (
      org_id text not null,
      id text not null,
      user_id text not null,
      rule_id text not null,
      evaluation_id text not null,
      case_id text not null,
      criterion_id text,
      result numeric not null,
      threshold numeric not null,
      coach_id text,
      due_on date not null,
      status text not null default 'open' check (status in ('open', 'done')),
      note text,
      created_at timestamptz not null default now(),
      done_at timestamptz,
      done_by text,
      primary key (org_id, id),
      unique (org_id, rule_id, evaluation_id),
      foreign key (org_id, rule_id) references culture.low_score_rule (org_id, id)
    );
    create index coaching_task_person on culture.coaching_task (org_id, user_id, status);

    alter table culture.assignment drop constraint assignment_source_check;
    alter table culture.assignment add constraint assignment_source_check
      check (source in ('manual', 'plan', 'qa', 'low_score'));
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`
    drop table culture.coaching_task;
    drop table culture.low_score_rule;
    delete from culture.assignment where source = 'low_score';
    alter table culture.assignment drop constraint assignment_source_check;
    alter table culture.assignment add constraint assignment_source_check
      check (source in ('manual', 'plan', 'qa'));
  `.execute(db)
}
