import { type Kysely, sql } from "kysely"

/**
 * Signed checkpoints of the audit chain (see `AuditCheckpoint`). The signatures are made with a key
 * the database never holds; keeping them here only lets the API hand them to auditors — the copies
 * that count are the files written outside the database.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table core.audit_checkpoint (
      org_id text not null,
      id text not null,
      at timestamptz not null,
      seq bigint not null,
      hash text not null,
      count bigint not null,
      key_id text not null,
      signature text not null,
      payload jsonb not null,
      primary key (org_id, id)
    );
    create index audit_checkpoint_at on core.audit_checkpoint (org_id, at desc);
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop table core.audit_checkpoint`.execute(db)
}
