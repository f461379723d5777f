import { type Kysely, sql } from "kysely"

export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table process.settings (
      org_id text primary key,
      priority_matrix jsonb not null,
      reopen_window_days int not null default 7,
      repeat_window_days int not null default 7,
      updated_at timestamptz not null default now()
    );

    create table process.calendar (
      org_id text not null,
      id text not null,
      name text not null,
      spec jsonb not null,
      version int not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    );

    create table process.sla_policy (
      org_id text not null,
      id text not null,
      name text not null,
      position int not null,
      active boolean not null default true,
      version int not null default 1,
      definition jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create table process.sla_policy_version (
      org_id text not null,
      policy_id text not null,
      version int not null,
      name text not null,
      definition jsonb not null,
      created_at timestamptz not null default now(),
      primary key (org_id, policy_id, version)
    );

    create table process.customer (
      org_id text not null,
      id text not null,
      external_id text,
      name text not null,
      segment text not null,
      value_tier text,
      contact_frequency text,
      need_priority text,
      contacts jsonb not null default '[]',
      dedicated_team text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create unique index customer_external on process.customer (org_id, external_id) where external_id is not null;
    create index customer_name on process.customer (org_id, name);

    create table process.case (
      org_id text not null,
      id text not null,
      number bigint not null,
      external_id text,
      customer_id text,
      segment text,
      type text not null,
      channel text not null,
      subject text not null,
      content text not null default '',
      status text not null,
      urgency text not null,
      impact text not null,
      priority text not null,
      category text,
      tier text not null default 'L1',
      team text,
      owner_id text,
      received_at timestamptz not null,
      recorded_at timestamptz,
      first_response_at timestamptz,
      resolved_at timestamptz,
      closed_at timestamptz,
      resolution_code text,
      reopen_count int not null default 0,
      escalation_level int not null default 0,
      repeat_of text,
      repeated_by text,
      policy_id text,
      policy_version int,
      sla_state text not null default 'ok',
      next_due_at timestamptz,
      milestones jsonb not null default '[]',
      version int not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create unique index case_number on process.case (org_id, number);
    create unique index case_external on process.case (org_id, external_id) where external_id is not null;
    create index case_queue on process.case (org_id, received_at desc, id desc);
    create index case_status on process.case (org_id, status, received_at desc);
    create index case_customer on process.case (org_id, customer_id, category, received_at);
    create index case_due on process.case (org_id, next_due_at) where next_due_at is not null;

    create table process.case_counter (
      org_id text primary key,
      last bigint not null
    );

    create table process.case_event (
      org_id text not null,
      case_id text not null,
      seq int not null,
      id text not null,
      at timestamptz not null,
      kind text not null,
      channel text,
      direction text,
      actor_type text not null,
      actor_id text not null,
      participants jsonb not null default '[]',
      content text,
      data jsonb not null default '{}',
      primary key (org_id, case_id, seq)
    );

    create table process.sla_clock (
      org_id text not null,
      case_id text not null,
      target text not null,
      seq int not null,
      calendar_id text not null,
      target_seconds int not null,
      started_at timestamptz not null,
      segment_started_at timestamptz,
      consumed_seconds int not null default 0,
      due_at timestamptz,
      warn_at timestamptz,
      paused_at timestamptz,
      pauses jsonb not null default '[]',
      stopped_at timestamptz,
      elapsed_seconds int,
      warned_at timestamptz,
      breached_at timestamptz,
      status text not null,
      escalations_fired int not null default 0,
      primary key (org_id, case_id, target, seq)
    );
    create index sla_clock_target on process.sla_clock (org_id, target, started_at);

    create table process.follow_up (
      org_id text not null,
      id text not null,
      case_id text not null,
      kind text not null,
      due_at timestamptz not null,
      done_at timestamptz,
      outcome text,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );
    create index follow_up_case on process.follow_up (org_id, case_id);
    create index follow_up_due on process.follow_up (org_id, due_at) where done_at is null;

    create table process.saved_view (
      org_id text not null,
      id text not null,
      owner_id text not null,
      name text not null,
      query jsonb not null,
      created_at timestamptz not null default now(),
      primary key (org_id, id)
    );

    create table process.import_run (
      org_id text not null,
      id text not null,
      source text not null,
      format text not null,
      status text not null,
      rows_total int not null default 0,
      rows_imported int not null default 0,
      rows_skipped int not null default 0,
      rows_failed int not null default 0,
      errors jsonb not null default '[]',
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      primary key (org_id, id)
    );
  `.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`drop schema process cascade`.execute(db)
}
