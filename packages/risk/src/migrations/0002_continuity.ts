import { type Kysely, sql } from "kysely"

/** Contingency plans, their activations (timeline entries) and exercises; the incident register and its notification clocks. */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table risk.plan (
      org_id text not null,
      id text not null,
      title text not null,
      scenario text not null check (scenario in ('system_failure', 'service_interruption', 'demand_surge', 'urgent_customer_need', 'other')),
      triggers jsonb not null,
      tiers jsonb not null,
      steps jsonb not null,
      channels jsonb not null,
      contacts jsonb not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    );

    create table risk.activation (
      org_id text not null,
      id text not null,
      plan_id text not null,
      tier text not null,
      reason text not null,
      status text not null default 'active' check (status in ('active', 'closed')),
      started_at timestamptz not null,
      started_by text not null,
      kri_id text,
      closed_at timestamptz,
      closed_by text,
      review jsonb,
      cycle_id text,
      primary key (org_id, id)
    );
    create index activation_plan on risk.activation (org_id, plan_id, started_at);

    create table risk.activation_entry (
      org_id text not null,
      id text not null,
      activation_id text not null,
      happened_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      recorded_by text not null,
      step_id text,
      note text not null,
      primary key (org_id, id)
    );
    create index activation_entry_at on risk.activation_entry (org_id, activation_id, happened_at);

    create table risk.exercise (
      org_id text not null,
      id text not null,
      plan_id text not null,
      kind text not null check (kind in ('tabletop', 'walkthrough', 'simulation', 'full')),
      held_at timestamptz not null,
      participants jsonb not null,
      findings jsonb not null,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index exercise_plan on risk.exercise (org_id, plan_id, held_at);

    create table risk.incident (
      org_id text not null,
      id text not null,
      number int not null,
      title text not null,
      kind text not null check (kind in ('service', 'data_security')),
      severity text not null check (severity in ('general', 'relatively_major', 'major', 'especially_major')),
      severity_inputs jsonb not null,
      status text not null default 'open' check (status in ('open', 'contained', 'resolved')),
      started_at timestamptz not null,
      detected_at timestamptz not null,
      contained_at timestamptz,
      resolved_at timestamptz,
      affected_customers int not null default 0,
      affected_cases jsonb not null default '[]',
      data_categories jsonb not null default '[]',
      regimes jsonb not null default '[]',
      critical_infrastructure boolean not null default false,
      lessons text,
      cycle_id text,
      created_by text not null,
      created_at timestamptz not null default now(),
      primary key (org_id, id),
      unique (org_id, number)
    );
    create index incident_detected on risk.incident (org_id, detected_at desc);

    create table risk.incident_notice (
      org_id text not null,
      incident_id text not null,
      regime text not null,
      notice text not null,
      due_at timestamptz not null,
      sent_at timestamptz,
      sent_by text,
      primary key (org_id, incident_id, regime, notice)
    );
  `.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`drop table risk.incident_notice, risk.incident, risk.exercise, risk.activation_entry, risk.activation, risk.plan`.execute(
    db,
  )
}
