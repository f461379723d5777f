import { type Kysely, sql } from "kysely"

/** Surveys and their versions, dispatch rules, invitations (tokens), responses and opt-outs. */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table feedback.survey (
      org_id text not null,
      id text not null,
      name text not null,
      kind text not null check (kind in ('csat', 'nps', 'ces', 'custom')),
      latest_version int not null,
      published_version int,
      archived boolean not null default false,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    );

    create table feedback.survey_version (
      org_id text not null,
      survey_id text not null,
      version int not null,
      status text not null check (status in ('draft', 'published', 'superseded')),
      definition jsonb not null,
      published_at timestamptz,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (org_id, survey_id, version)
    );

    create table feedback.dispatch_rule (
      org_id text not null,
      id text not null,
      name text not null,
      survey_id text not null,
      enabled boolean not null default true,
      position int not null default 0,
      delay_minutes int not null default 60 check (delay_minutes >= 0),
      within_hours int not null default 24 check (within_hours > 0),
      expiry_days int not null default 14 check (expiry_days > 0),
      case_types text[] not null default '{}',
      channels text[] not null default '{}',
      segments text[] not null default '{}',
      teams text[] not null default '{}',
      sample_rate double precision not null default 1 check (sample_rate >= 0 and sample_rate <= 1),
      cap_days int not null default 30 check (cap_days >= 0),
      quiet_hours boolean not null default true,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    );

    create table feedback.invitation (
      org_id text not null,
      id text not null,
      source text not null check (source in ('dispatch', 'manual')),
      case_id text,
      rule_id text,
      survey_id text not null,
      survey_version int not null,
      customer_id text,
      customer_key text,
      email text,
      locale text not null check (locale in ('zh-CN', 'en')),
      status text not null check (status in ('scheduled', 'sent', 'skipped', 'answered')),
      skip_reason text,
      token_hash text,
      case_type text,
      channel text,
      segment text,
      team text,
      agent_id text,
      resolved_at timestamptz,
      due_at timestamptz not null,
      sent_at timestamptz,
      expires_at timestamptz,
      answered_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    -- exactly one survey per resolved case, however many dispatchers run
    create unique index invitation_case on feedback.invitation (org_id, case_id) where source = 'dispatch';
    create unique index invitation_token on feedback.invitation (token_hash) where token_hash is not null;
    create index invitation_due on feedback.invitation (org_id, due_at) where status = 'scheduled';
    create index invitation_customer on feedback.invitation (org_id, customer_key, sent_at) where customer_key is not null;
    create index invitation_sent on feedback.invitation (org_id, sent_at) where sent_at is not null;

    create table feedback.response (
      org_id text not null,
      id text not null,
      invitation_id text not null,
      survey_id text not null,
      survey_version int not null,
      case_id text,
      customer_key text,
      locale text not null,
      answers jsonb not null,
      score_kind text check (score_kind in ('csat', 'nps', 'ces')),
      score int,
      sentiment text not null check (sentiment in ('positive', 'neutral', 'negative')),
      comment text,
      dimensions jsonb not null default '{}',
      case_type text,
      channel text,
      segment text,
      team text,
      agent_id text,
      follow_up_id text,
      follow_up_at timestamptz,
      submitted_at timestamptz not null,
      primary key (org_id, id)
    );
    create unique index response_invitation on feedback.response (org_id, invitation_id);
    create index response_submitted on feedback.response (org_id, submitted_at);
    create index response_case on feedback.response (org_id, case_id) where case_id is not null;

    create table feedback.opt_out (
      org_id text not null,
      customer_key text not null,
      source text not null check (source in ('customer', 'staff')),
      at timestamptz not null default now(),
      primary key (org_id, customer_key)
    );
  `.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`drop table feedback.opt_out, feedback.response, feedback.invitation, feedback.dispatch_rule,
    feedback.survey_version, feedback.survey`.execute(db)
}
