import { type Kysely, sql } from "kysely"

/**
 * Incentive points from rules on QA scores, training programmes, and low-score rules that can be
 * deleted.
 *
 * - `incentive_rule`: an evaluation at or above the rule's minimum (a 0–1 fraction of the score, or of
 *   one criterion's result), optionally on one scorecard, earns the agent the rule's points;
 *   `incentive_award` records each award once per (rule, evaluation).
 * - `programme`: an ordered set of courses (e.g. new-hire onboarding); enrolling a person
 *   (`programme_enrolment`) assigns each course they have neither passed nor open, with the source
 *   `programme` and the programme's id as its reference.
 * - A coaching task no longer needs its rule to exist: a deleted rule's tasks keep their history
 *   (rule id, result and threshold are copied on the task).
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table culture.incentive_rule (
      org_id text not null,
      id text not null,
      name_zh text not null,
      name_en text not null,
      scorecard_id text,
      criterion_id text,
      min_result numeric not null check (min_result > 0 and min_result <= 1),
      points int not null check (points between 1 and 1000),
      enabled boolean not null default true,
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    );

    create table culture.incentive_award (
      org_id text not null,
      id text not null,
      rule_id text not null,
      user_id text not null,
      evaluation_id text not null,
      case_id text not null,
      result numeric not null,
      points int not null,
      awarded_at timestamptz not null default now(),
      primary key (org_id, id),
      unique (org_id, rule_id, evaluation_id)
    );
    create index incentive_award_person on culture.incentive_award (org_id, user_id, awarded_at);

    create table culture.programme (
      org_id text not null,
      id text not null,
      name_zh text not null,
      name_en text not null,
      course_ids jsonb not null default '[]',
      due_days int not null default 30 check (due_days between 1 and 365),
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );

    create table culture.programme_enrolment (
      org_id text not null,
      programme_id text not null,
      user_id text not null,
      enrolled_at timestamptz not null default now(),
      enrolled_by text not null,
      primary key (org_id, programme_id, user_id),
      foreign key (org_id, programme_id) references culture.programme (org_id, id) on delete cascade
    );

    alter table culture.assignment drop constraint assignment_source_check;
    alter table culture.assignment add constraint assignment_source_check
      check (source in ('manual', 'plan', 'qa', 'low_score', 'programme'));

    alter table culture.coaching_task drop constraint coaching_task_org_id_rule_id_fkey;
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`
    delete from culture.coaching_task t where not exists (
      select 1 from culture.low_score_rule r where r.org_id = t.org_id and r.id = t.rule_id);
    alter table culture.coaching_task add constraint coaching_task_org_id_rule_id_fkey
      foreign key (org_id, rule_id) references culture.low_score_rule (org_id, id);
    delete from culture.assignment where source = 'programme';
    alter table culture.assignment drop constraint assignment_source_check;
    alter table culture.assignment add constraint assignment_source_check
      check (source in ('manual', 'plan', 'qa', 'low_score'));
    drop table culture.programme_enrolment;
    drop table culture.programme;
    drop table culture.incentive_award;
    drop table culture.incentive_rule;
  `.execute(db)
}
