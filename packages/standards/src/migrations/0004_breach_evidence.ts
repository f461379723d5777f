import { type Kysely, sql } from "kysely"

/**
 * A breach keeps its evidence: the cases its metric counted against the target in the evaluated
 * period (the first ones by intake, and how many in all), so a drill-down from an old evaluation
 * shows the cases it was computed from. Null for metrics that list no cases and older breaches.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`alter table standards.breach add column evidence jsonb`.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`alter table standards.breach drop column evidence`.execute(db)
}
