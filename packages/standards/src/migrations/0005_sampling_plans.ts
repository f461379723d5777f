import { type Kysely, sql } from "kysely"

/**
 * Sampling plans kept: the period, the precision asked for, each agent's quota and the cases drawn,
 * so that coverage (evaluations done against each agent's quota in the period) is tracked.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table standards.sampling_plan (
      org_id text not null,
      id text not null,
      name text not null,
      period_from timestamptz not null,
      period_to timestamptz not null,
      margin_of_error double precision not null,
      confidence double precision not null,
      min_per_agent int not null,
      programme int not null,
      per_agent jsonb not null,
      sample jsonb not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index sampling_plan_period on standards.sampling_plan (org_id, period_from desc);
  `.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`drop table standards.sampling_plan`.execute(db)
}
