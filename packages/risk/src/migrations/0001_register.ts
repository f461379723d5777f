import { type Kysely, sql } from "kysely"

/** Matrices, categories, the risk register with its rating history, assessment rounds, KRIs, treatments and acceptances. */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table risk.matrix (
      org_id text not null,
      id text not null,
      definition jsonb not null,
      is_default boolean not null default false,
      source text not null default 'app',
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );

    create table risk.category (
      org_id text not null,
      id text not null,
      name jsonb not null,
      description jsonb,
      position int not null default 0,
      source text not null default 'app',
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );

    create table risk.round (
      org_id text not null,
      id text not null,
      title text not null,
      status text not null default 'open' check (status in ('open', 'closed')),
      opened_by text not null,
      opened_at timestamptz not null default now(),
      closed_at timestamptz,
      primary key (org_id, id)
    );

    create table risk.risk (
      org_id text not null,
      id text not null,
      number int not null,
      title text not null,
      category_id text not null,
      cause text not null,
      event text not null,
      consequence text not null,
      owner_id text not null,
      matrix_id text not null,
      inherent_likelihood int not null,
      inherent_impact int not null,
      residual_likelihood int not null,
      residual_impact int not null,
      controls jsonb not null default '[]',
      status text not null default 'open' check (status in ('open', 'treating', 'accepted', 'closed')),
      review_cadence_days int not null default 90 check (review_cadence_days between 1 and 730),
      next_review_at timestamptz not null,
      last_reviewed_at timestamptz,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, id),
      unique (org_id, number)
    );
    create index risk_review on risk.risk (org_id, next_review_at) where status <> 'closed';

    create table risk.rating (
      org_id text not null,
      id text not null,
      risk_id text not null,
      kind text not null check (kind in ('inherent', 'residual')),
      likelihood int not null,
      impact int not null,
      score int not null,
      band text not null,
      rationale text not null,
      source text not null check (source in ('register', 'review', 'round', 'kri')),
      round_id text,
      kri_id text,
      rated_by text not null,
      rated_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index rating_risk on risk.rating (org_id, risk_id, rated_at);

    create table risk.kri (
      org_id text not null,
      id text not null,
      risk_id text not null,
      name text not null,
      metric_id text not null,
      filter jsonb not null default '{}',
      window_days int not null default 7 check (window_days between 1 and 366),
      direction text not null check (direction in ('above', 'below')),
      amber double precision not null,
      red double precision not null,
      mode text not null default 'suggest' check (mode in ('suggest', 'automatic')),
      cycle_workflow_id text,
      state text not null default 'no_data' check (state in ('green', 'amber', 'red', 'no_data')),
      last_value double precision,
      last_evaluated_at timestamptz,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );

    create table risk.kri_reading (
      org_id text not null,
      id text not null,
      kri_id text not null,
      at timestamptz not null,
      value double precision,
      n int not null,
      state text not null,
      crossed boolean not null default false,
      primary key (org_id, id)
    );
    create index kri_reading_at on risk.kri_reading (org_id, kri_id, at);

    create table risk.suggestion (
      org_id text not null,
      id text not null,
      risk_id text not null,
      kri_id text not null,
      from_likelihood int not null,
      to_likelihood int not null,
      status text not null default 'pending' check (status in ('pending', 'applied', 'dismissed')),
      created_at timestamptz not null default now(),
      decided_by text,
      decided_at timestamptz,
      primary key (org_id, id)
    );

    create table risk.treatment (
      org_id text not null,
      id text not null,
      risk_id text not null,
      option text not null check (option in ('avoid', 'take', 'remove_source', 'change_likelihood', 'change_consequence', 'share', 'retain')),
      title text not null,
      owner_id text not null,
      due_at timestamptz not null,
      status text not null default 'planned' check (status in ('planned', 'in_progress', 'done', 'cancelled')),
      done_at timestamptz,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index treatment_risk on risk.treatment (org_id, risk_id);

    create table risk.acceptance (
      org_id text not null,
      id text not null,
      risk_id text not null,
      status text not null default 'draft' check (status in ('draft', 'submitted', 'accepted', 'rejected', 'expired')),
      rationale text not null,
      residual_score int not null,
      expires_at timestamptz not null,
      submitted_by text,
      submitted_at timestamptz,
      decided_by text,
      decided_at timestamptz,
      decision_note text,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index acceptance_risk on risk.acceptance (org_id, risk_id);
  `.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`drop table risk.acceptance, risk.treatment, risk.suggestion, risk.kri_reading, risk.kri, risk.rating, risk.risk, risk.round, risk.category, risk.matrix`.execute(
    db,
  )
}
