import { type Kysely, sql } from "kysely"

/**
 * Privacy and the data lifecycle: retention policies per data class, legal holds, purge history
 * (deletion evidence), data-subject requests and the consent ledger.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table risk.privacy_settings (
      org_id text not null primary key,
      request_days int not null default 30 check (request_days between 1 and 365),
      calendar_id text,
      reminder_days int not null default 5 check (reminder_days between 0 and 60),
      updated_at timestamptz not null default now()
    );

    create table risk.privacy_policy (
      org_id text not null,
      class_id text not null,
      min_days int not null check (min_days >= 0),
      max_days int check (max_days is null or max_days >= min_days),
      updated_by text not null,
      updated_at timestamptz not null default now(),
      primary key (org_id, class_id)
    );

    create table risk.privacy_hold (
      org_id text not null,
      id text not null,
      scope text not null check (scope in ('customer', 'case', 'class')),
      target text not null,
      reason text not null,
      placed_by text not null,
      placed_at timestamptz not null default now(),
      released_by text,
      released_at timestamptz,
      primary key (org_id, id)
    );
    create index privacy_hold_active on risk.privacy_hold (org_id, scope, target) where released_at is null;

    create table risk.privacy_purge (
      org_id text not null,
      id text not null,
      at timestamptz not null default now(),
      class_id text not null,
      action text not null check (action in ('delete', 'anonymise')),
      count int not null,
      hashed_ids jsonb not null,
      policy jsonb not null,
      trigger text not null check (trigger in ('schedule', 'manual', 'request')),
      request_id text,
      actor_id text not null,
      primary key (org_id, id)
    );
    create index privacy_purge_at on risk.privacy_purge (org_id, at desc);

    create table risk.privacy_request (
      org_id text not null,
      id text not null,
      customer_id text not null,
      kind text not null check (kind in ('access', 'correction', 'deletion', 'restriction')),
      status text not null check (status in ('received', 'verified', 'done', 'refused')),
      locale text not null check (locale in ('zh-CN', 'en')),
      channel text not null,
      details text not null default '',
      corrections jsonb not null default '{}',
      received_at timestamptz not null,
      due_at timestamptz not null,
      verified_at timestamptz,
      verified_by text,
      verification text,
      closed_at timestamptz,
      closed_by text,
      outcome jsonb,
      refusal_reason text,
      created_by text not null,
      primary key (org_id, id)
    );
    create index privacy_request_open on risk.privacy_request (org_id, due_at) where closed_at is null;
    create index privacy_request_customer on risk.privacy_request (org_id, customer_id);

    create table risk.privacy_restriction (
      org_id text not null,
      customer_id text not null,
      request_id text,
      since timestamptz not null default now(),
      primary key (org_id, customer_id)
    );

    create table risk.privacy_consent (
      org_id text not null,
      id text not null,
      customer_id text not null,
      channel text not null check (channel in ('service', 'survey', 'marketing')),
      granted boolean not null,
      notice_version text not null,
      source text not null,
      recorded_by text not null,
      recorded_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index privacy_consent_customer on risk.privacy_consent (org_id, customer_id, channel, recorded_at desc);
  `.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`drop table risk.privacy_consent, risk.privacy_restriction, risk.privacy_request, risk.privacy_purge,
    risk.privacy_hold, risk.privacy_policy, risk.privacy_settings`.execute(db)
}
