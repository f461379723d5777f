import { type Kysely, sql } from "kysely"

/**
 * SLA clocks carry the time of their next scheduler event (warning, breach, escalation); a
 * sweep fires what is due, instead of one job row per clock event. Existing live clocks get an
 * early estimate (the sweep computes the exact time when it first looks at them).
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    alter table process.sla_clock add column next_event_at timestamptz;
    update process.sla_clock set next_event_at = case when status = 'running' and warned_at is null and warn_at is not null
        then least(warn_at, due_at) else due_at end
      where stopped_at is null and paused_at is null and due_at is not null;
    create index sla_clock_next_event on process.sla_clock (next_event_at) where next_event_at is not null;
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`drop index process.sla_clock_next_event; alter table process.sla_clock drop column next_event_at`.execute(
    db,
  )
}
