import { type Kysely, sql } from "kysely"

/**
 * Imports hold a lease: the process running one writes its host, pid and instance and renews
 * `heartbeat_at` while it works, so a run whose process died (kill -9, power loss) is found and
 * marked `interrupted` instead of staying `running` for ever.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    alter table process.import_run add column heartbeat_at timestamptz;
    alter table process.import_run add column host text;
    alter table process.import_run add column pid int;
    alter table process.import_run add column instance text;
    update process.import_run set heartbeat_at = coalesce(finished_at, started_at);
    create index import_run_running on process.import_run (heartbeat_at) where status = 'running';
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`
    drop index if exists process.import_run_running;
    alter table process.import_run drop column heartbeat_at, drop column host, drop column pid, drop column instance;
  `.execute(db)
}
