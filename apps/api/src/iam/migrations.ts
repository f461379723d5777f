import type { Migrations } from "@tenet/core"
import { type Kysely, sql } from "kysely"

const m0001 = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table iam.user (
        id text primary key,
        email text not null,
        name text not null,
        password_hash text not null,
        locale text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create unique index user_email on iam.user (lower(email));

      create table iam.membership (
        org_id text not null,
        user_id text not null,
        role text not null,
        created_at timestamptz not null default now(),
        primary key (org_id, user_id)
      );
      create index membership_user on iam.membership (user_id);

      create table iam.invitation (
        org_id text not null,
        id text not null,
        email text not null,
        role text not null,
        token_hash text not null,
        invited_by text not null,
        expires_at timestamptz not null,
        accepted_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz not null default now(),
        primary key (org_id, id)
      );
      create unique index invitation_token on iam.invitation (token_hash);

      create table iam.api_key (
        org_id text not null,
        id text not null,
        name text not null,
        role text not null,
        prefix text not null,
        secret_hash text not null,
        created_by text not null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz,
        primary key (org_id, id)
      );
      create unique index api_key_prefix on iam.api_key (prefix);

      create table iam.session (
        id text primary key,
        user_id text not null,
        token_hash text not null unique,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        ip text,
        user_agent text
      );
      create index session_by_user on iam.session (user_id);

      create table iam.sign_in_attempt (
        email text not null,
        ip text not null,
        ok boolean not null,
        at timestamptz not null default now()
      );
      create index sign_in_attempt_email on iam.sign_in_attempt (lower(email), at);
      create index sign_in_attempt_ip on iam.sign_in_attempt (ip, at);

      create table iam.instance_secret (
        name text primary key,
        value text not null
      );
    `.execute(db)
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table iam.instance_secret, iam.sign_in_attempt, iam.session, iam.api_key, iam.invitation,
      iam.membership, iam.user`.execute(db)
  },
}

/** OIDC single sign-on: a provider per organisation, the flows under way, the identities linked. */
const m0002 = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table iam.sso_provider (
        org_id text primary key,
        display_name text not null,
        issuer text not null,
        client_id text not null,
        client_secret text not null,
        scopes text not null,
        allowed_domains jsonb not null,
        role_claim text not null,
        role_map jsonb not null,
        default_role text not null,
        enabled boolean not null,
        password_sign_in boolean not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );

      create table iam.sso_flow (
        state_hash text primary key,
        org_id text not null,
        code_verifier text not null,
        nonce text not null,
        expires_at timestamptz not null
      );

      create table iam.sso_identity (
        org_id text not null,
        issuer text not null,
        subject text not null,
        user_id text not null,
        created_at timestamptz not null default now(),
        primary key (org_id, issuer, subject)
      );
      create index sso_identity_user on iam.sso_identity (user_id);
    `.execute(db)
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table iam.sso_identity, iam.sso_flow, iam.sso_provider`.execute(db)
  },
}

// Idempotency-Key: the first answer of a create or import, replayed to a retry of the same request
// by the same caller for 24 hours (see http/idempotency.ts).
const m0003 = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      create table iam.idempotency (
        org_id text not null,
        principal text not null,
        key text not null,
        request_hash text not null,
        status integer,
        body jsonb,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        primary key (org_id, principal, key)
      );
      create index idempotency_expires on iam.idempotency (expires_at);
    `.execute(db)
  },
  down: async (db: Kysely<unknown>) => {
    await sql`drop table iam.idempotency`.execute(db)
  },
}

// The sign-in log is a security log (CSL Art 21: kept at least six months): successes are recorded
// too, a success forgives the client's earlier failures for the account instead of deleting them,
// and the daily purge removes only what is past the log's maximum (SIGN_IN_LOG in sessions.ts).
const m0004 = {
  up: async (db: Kysely<unknown>) => {
    await sql`
      alter table iam.sign_in_attempt add column forgiven boolean not null default false;
      alter table iam.sign_in_attempt add column user_agent text;
      create index sign_in_attempt_at on iam.sign_in_attempt (at);
    `.execute(db)
  },
  down: async (db: Kysely<unknown>) => {
    await sql`
      drop index iam.sign_in_attempt_at;
      alter table iam.sign_in_attempt drop column user_agent;
      alter table iam.sign_in_attempt drop column forgiven;
    `.execute(db)
  },
}

/** Identity and access: users, memberships, invitations, sessions, API keys (schema `iam`). */
export const iamMigrations: Migrations.ModuleMigrations = {
  module: "iam",
  schema: "iam",
  migrations: { "0001_iam": m0001, "0002_sso": m0002, "0003_idempotency": m0003, "0004_sign_in_log": m0004 },
}
