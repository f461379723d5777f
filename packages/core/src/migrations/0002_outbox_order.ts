import { type Kysely, sql } from "kysely"

/**
 * Outbox events carry the id of the transaction that wrote them. Positions come from a sequence,
 * so a transaction can commit after another that took a later position; a reader that followed
 * positions alone could move past an event not yet visible and never come back for it. Readers
 * now take events in (transaction, position) order and only from transactions older than every
 * running one, so none is skipped. Existing events and cursors get this migration's transaction.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    alter table core.outbox_event add column tx xid8 not null default pg_current_xact_id();
    create index outbox_event_tx on core.outbox_event (tx, position);
    alter table core.outbox_cursor add column tx xid8 not null default '0';
    update core.outbox_cursor set tx = pg_current_xact_id();
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop index core.outbox_event_tx; alter table core.outbox_event drop column tx; alter table core.outbox_cursor drop column tx`.execute(
    db,
  )
}
