import { type Kysely, sql } from "kysely"

/** The culture module: roster, competencies, training, certification, recognition, knowledge. */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table culture.person (
      org_id text not null,
      user_id text not null,
      display_name text not null,
      started_on date not null,
      left_on date,
      languages jsonb not null default '[]',
      rankings_visible boolean not null default true,
      primary key (org_id, user_id)
    );

    create table culture.framework (
      org_id text not null,
      id text not null,
      version int not null,
      document jsonb not null,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );

    create table culture.rating (
      org_id text not null,
      id text not null,
      user_id text not null,
      skill_id text not null,
      source text not null check (source in ('self', 'supervisor')),
      level int not null check (level between 0 and 10),
      rated_by text not null,
      note text,
      rated_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index rating_person on culture.rating (org_id, user_id, skill_id, rated_at desc);

    create table culture.course (
      org_id text not null,
      id text not null,
      title_zh text not null,
      title_en text not null,
      format text not null check (format in ('e_learning', 'classroom', 'role_play', 'drill', 'case_study', 'seminar', 'external')),
      skill_ids jsonb not null default '[]',
      assessment text not null check (assessment in ('none', 'quiz', 'practical')),
      pass_mark numeric,
      duration_minutes int not null default 60,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );

    create table culture.session (
      org_id text not null,
      id text not null,
      course_id text not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      location text,
      primary key (org_id, id),
      foreign key (org_id, course_id) references culture.course (org_id, id)
    );

    create table culture.attendance (
      org_id text not null,
      session_id text not null,
      user_id text not null,
      status text not null check (status in ('registered', 'attended', 'absent')),
      primary key (org_id, session_id, user_id),
      foreign key (org_id, session_id) references culture.session (org_id, id)
    );

    create table culture.assignment (
      org_id text not null,
      id text not null,
      user_id text not null,
      course_id text not null,
      source text not null check (source in ('manual', 'plan', 'qa')),
      source_ref text not null default '',
      due_on date not null,
      status text not null check (status in ('assigned', 'passed', 'failed')),
      score numeric,
      assessed_by text,
      assigned_at timestamptz not null default now(),
      completed_at timestamptz,
      primary key (org_id, id),
      unique (org_id, user_id, course_id, source, source_ref),
      foreign key (org_id, course_id) references culture.course (org_id, id)
    );
    create index assignment_person on culture.assignment (org_id, user_id, status);

    create table culture.certification (
      org_id text not null,
      id text not null,
      name_zh text not null,
      name_en text not null,
      scope_kind text not null check (scope_kind in ('queue', 'channel', 'case_type')),
      scope_value text not null,
      required_courses jsonb not null default '[]',
      min_score numeric,
      validity_days int not null,
      remind_days int not null default 30,
      primary key (org_id, id)
    );

    create table culture.grant (
      org_id text not null,
      id text not null,
      certification_id text not null,
      user_id text not null,
      granted_at timestamptz not null,
      expires_at timestamptz not null,
      status text not null check (status in ('active', 'suspended', 'revoked')),
      status_reason text,
      reminded_at timestamptz,
      primary key (org_id, id),
      foreign key (org_id, certification_id) references culture.certification (org_id, id)
    );
    create index grant_person on culture.grant (org_id, user_id, certification_id, expires_at desc);

    create table culture.qa_course_rule (
      org_id text not null,
      family text not null check (family in ('customer', 'business', 'compliance')),
      course_id text not null,
      due_days int not null default 14,
      primary key (org_id, family),
      foreign key (org_id, course_id) references culture.course (org_id, id)
    );

    create table culture.kudos (
      org_id text not null,
      id text not null,
      from_user text not null,
      to_user text not null,
      message text not null,
      case_id text,
      points int not null default 1,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index kudos_to on culture.kudos (org_id, to_user, created_at desc);

    create table culture.article (
      org_id text not null,
      id text not null,
      kind text not null check (kind in ('article', 'phrasing', 'lesson')),
      title text not null,
      body text not null,
      owner_id text not null,
      version int not null default 1,
      review_on date,
      outcome text check (outcome in ('success', 'failure')),
      cycle_id text,
      grams text[] not null,
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index article_grams on culture.article using gin (grams);

    create table culture.article_version (
      org_id text not null,
      article_id text not null,
      version int not null,
      title text not null,
      body text not null,
      edited_by text not null,
      edited_at timestamptz not null default now(),
      primary key (org_id, article_id, version)
    );
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop schema culture cascade`.execute(db)
}
