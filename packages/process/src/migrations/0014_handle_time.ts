import { type Kysely, sql } from "kysely"

/**
 * Handling time: the work a case took (talk + hold + after-contact work, or the time an agent logs
 * when resolving it), in seconds, so that workforce planning measures each queue's average handling
 * time from the case history instead of a configured constant. The index serves the per-queue
 * arrival counts of forecast accuracy and the handling-time averages (both by channel and time).
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    alter table process.case add column handle_seconds integer check (handle_seconds > 0);
    create index case_channel_received on process.case (org_id, channel, received_at);
    create index case_channel_resolved on process.case (org_id, channel, resolved_at)
      where handle_seconds is not null;
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`
    drop index process.case_channel_resolved;
    drop index process.case_channel_received;
    alter table process.case drop column handle_seconds;
  `.execute(db)
}
