import { type Kysely, sql } from "kysely"

/**
 * Envelope encryption and the PI access log. `core.org_key` holds each organisation's data keys
 * (one row per version; `purpose = 'data'`) and its blind-index key (`purpose = 'index'`), each
 * wrapped under the operator's key-encryption key (`TENET_ENCRYPTION_KEY`, never stored);
 * `kek_id` names the KEK that wrapped it. `core.pi_access` records every reveal of a masked
 * personal value (kept at least 6 months, PIPL Art 51 / MLPS).
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table core.org_key (
      org_id text not null,
      purpose text not null check (purpose in ('data', 'index')),
      version int not null,
      state text not null check (state in ('active', 'retiring', 'retired')),
      wrapped text not null,
      kek_id text not null,
      created_at timestamptz not null default now(),
      retired_at timestamptz,
      primary key (org_id, purpose, version)
    );
    create unique index org_key_active on core.org_key (org_id, purpose) where state = 'active';
    create table core.pi_access (
      org_id text not null,
      id text not null,
      at timestamptz not null default now(),
      actor_type text not null,
      actor_id text not null,
      entity_type text not null,
      entity_id text not null,
      fields text[] not null,
      reason text,
      request_id text,
      primary key (org_id, id)
    );
    create index pi_access_entity on core.pi_access (org_id, entity_type, entity_id, at desc);
    create index pi_access_at on core.pi_access (org_id, at desc);
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table core.pi_access, core.org_key`.execute(db)
}
