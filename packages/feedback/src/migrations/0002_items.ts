import { type Kysely, sql } from "kysely"

/** Feedback items from every channel (suggestion, praise, complaint), the root-cause taxonomy, complaint stages (ISO 10002) and their ledger. */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table feedback.cause (
      org_id text not null,
      code text not null,
      name jsonb not null,
      parent_code text,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      primary key (org_id, code)
    );

    create table feedback.item (
      org_id text not null,
      id text not null,
      kind text not null check (kind in ('suggestion', 'praise', 'complaint')),
      channel text not null,
      case_id text,
      customer_key text,
      summary text not null,
      details text not null default '',
      urgency text not null check (urgency in ('urgent', 'normal', 'non_urgent')),
      cause_code text,
      status text not null check (status in ('open', 'replied', 'closed')),
      received_at timestamptz not null,
      reply_due_at timestamptz not null,
      replied_at timestamptz,
      reply text,
      stage text check (stage in ('received', 'acknowledged', 'assessed', 'investigating', 'response_proposed',
        'decision_communicated', 'closed_accepted', 'closed_escalated')),
      remedy_sought text,
      severity text check (severity in ('low', 'medium', 'high')),
      complexity text check (complexity in ('simple', 'complex', 'particularly_complex')),
      ack_due_at timestamptz,
      acknowledged_at timestamptz,
      response_due_at timestamptz,
      responded_at timestamptz,
      decision text,
      remedy_offered text,
      accepted boolean,
      closed_at timestamptz,
      handling_satisfaction int check (handling_satisfaction between 1 and 5),
      repeat_of text,
      clock_basis jsonb not null default '{}',
      created_by text not null,
      updated_at timestamptz not null default now(),
      primary key (org_id, id),
      check ((kind = 'complaint') = (stage is not null))
    );
    create index item_received on feedback.item (org_id, received_at desc, id desc);
    create index item_open on feedback.item (org_id, status, reply_due_at) where status = 'open';
    create index item_customer on feedback.item (org_id, customer_key, kind, received_at) where customer_key is not null;

    create table feedback.item_event (
      org_id text not null,
      item_id text not null,
      seq int not null,
      at timestamptz not null,
      kind text not null,
      stage_from text,
      stage_to text,
      actor_id text not null,
      note text,
      primary key (org_id, item_id, seq)
    );
  `.execute(db)
}

export const down = async (db: Kysely<unknown>) => {
  await sql`drop table feedback.item_event, feedback.item, feedback.cause`.execute(db)
}
