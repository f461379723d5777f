import { type Kysely, sql } from "kysely"

/**
 * A case number is unique in its organisation, so the queue sorted by number pages on the unique
 * (org_id, number) index alone; the (org_id, number, id) index was one more to write on every intake.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`drop index if exists process.case_number_order`.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`create index case_number_order on process.case (org_id, number, id)`.execute(db)
}
