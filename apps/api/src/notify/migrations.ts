import type { Migrations } from "@tenet/core"
import { type Kysely, sql } from "kysely"

const m0001 = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table notify.notification (
        org_id text not null,
        id text not null,
        user_id text not null,
        kind text not null,
        subject_type text not null,
        subject_id text not null,
        params jsonb not null default '{}',
        title jsonb,
        dedupe_key text not null,
        channel text not null,
        created_at timestamptz not null default now(),
        read_at timestamptz,
        digest_pending boolean not null default false,
        primary key (org_id, id)
      );
      create unique index notification_dedupe on notify.notification (org_id, user_id, dedupe_key);
      create index notification_user on notify.notification (org_id, user_id, created_at desc, id desc);
      create index notification_unread on notify.notification (org_id, user_id) where read_at is null;
      create index notification_digest on notify.notification (org_id, user_id) where digest_pending;

      create table notify.preference (
        org_id text not null,
        user_id text not null,
        kind text not null,
        channel text not null check (channel in ('in_app', 'email', 'digest', 'off')),
        updated_at timestamptz not null default now(),
        primary key (org_id, user_id, kind)
      );

      create table notify.email (
        org_id text not null,
        id text not null,
        user_id text not null,
        to_address text not null,
        locale text not null,
        subject text not null,
        text_body text not null,
        html_body text not null,
        dedupe_key text not null,
        status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'unconfigured')),
        attempts int not null default 0,
        last_error text,
        created_at timestamptz not null default now(),
        sent_at timestamptz,
        primary key (org_id, id)
      );
      create unique index email_dedupe on notify.email (org_id, user_id, dedupe_key);

      create table notify.webhook_subscription (
        org_id text not null,
        id text not null,
        url text not null,
        description text not null default '',
        event_types text[] not null,
        secret text not null,
        enabled boolean not null default true,
        disabled_reason text,
        disabled_at timestamptz,
        last_success_at timestamptz,
        created_by text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        primary key (org_id, id)
      );

      create table notify.webhook_delivery (
        org_id text not null,
        id text not null,
        subscription_id text not null,
        message_id text not null,
        event_id text not null,
        event_type text not null,
        body text not null,
        status text not null default 'pending' check (status in ('pending', 'retrying', 'succeeded', 'failed', 'cancelled')),
        attempts int not null default 0,
        next_attempt_at timestamptz,
        last_status_code int,
        last_latency_ms int,
        last_response text,
        last_error text,
        replay_of text,
        created_at timestamptz not null default now(),
        completed_at timestamptz,
        primary key (org_id, id)
      );
      create unique index webhook_delivery_once on notify.webhook_delivery (org_id, subscription_id, event_id)
        where replay_of is null;
      create index webhook_delivery_by_subscription on notify.webhook_delivery (org_id, subscription_id, created_at desc, id desc);

      create table notify.webhook_attempt (
        org_id text not null,
        delivery_id text not null,
        attempt int not null,
        at timestamptz not null default now(),
        status_code int,
        latency_ms int not null,
        response_excerpt text,
        error text,
        primary key (org_id, delivery_id, attempt)
      );
    `.execute(db)
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table notify.webhook_attempt, notify.webhook_delivery, notify.webhook_subscription,
      notify.email, notify.preference, notify.notification`.execute(db)
  },
}

/** An e-mail may carry a file: a scheduled report sent to a recipient who is not a member. */
const m0002 = {
  up: async (db: Kysely<unknown>) => {
    await sql`alter table notify.email add column attachment jsonb`.execute(db)
  },
  down: async (db: Kysely<unknown>) => {
    await sql`alter table notify.email drop column attachment`.execute(db)
  },
}

/**
 * Notifications, e-mail and outbound webhooks (schema `notify`): an app-level module like `iam`, since
 * delivery needs SMTP and HTTP, which domain packages never do.
 */
export const notifyMigrations: Migrations.ModuleMigrations = {
  module: "notify",
  schema: "notify",
  migrations: { "0001_notify": m0001, "0002_email_attachment": m0002 },
}
