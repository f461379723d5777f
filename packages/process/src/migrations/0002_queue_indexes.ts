import { type Kysely, sql } from "kysely"

/** Indexes that match the queue's orderings (nulls last for the nullable due time) and the open-cases view. */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create index case_open_queue on process.case (org_id, received_at desc, id desc)
      where status in ('new', 'acknowledged', 'in_progress', 'pending_customer', 'pending_third_party', 'escalated');
    drop index process.case_due;
    create index case_due on process.case (org_id, next_due_at asc nulls last, id asc);
    create index case_number_order on process.case (org_id, number, id);
  `.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`drop index process.case_open_queue; drop index process.case_number_order; drop index process.case_due;
    create index case_due on process.case (org_id, next_due_at) where next_due_at is not null;`.execute(db)
}
