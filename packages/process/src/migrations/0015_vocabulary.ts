import { type Kysely, sql } from "kysely"

/**
 * Case types and categories become a per-organisation vocabulary (`process.case_vocabulary`), each
 * code with its label in both languages; intake refuses a code the vocabulary lacks. Existing
 * organisations get the seed types and categories, plus every type and category their cases already
 * use (so nothing stored becomes unknown). The settings gain the default SLA policy (a case that
 * matches no policy gets it, never none), what makes an intake record complete (the initial-record
 * clock runs until then) and the return-visit schedule.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    create table process.case_vocabulary (
      org_id text not null,
      kind text not null check (kind in ('type', 'category')),
      code text not null check (length(code) between 1 and 64),
      label_zh text not null,
      label_en text not null,
      active boolean not null default true,
      position integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, kind, code)
    );
    alter table process.settings
      add column default_policy_id text,
      add column record_requires jsonb not null default '["customer", "content", "category"]'::jsonb,
      add column return_visit jsonb not null default '{"afterDays": 7, "everyDays": 30, "times": 1}'::jsonb;
    insert into process.case_vocabulary (org_id, kind, code, label_zh, label_en, position)
    select s.org_id, v.kind, v.code, v.zh, v.en, v.position
    from process.settings s, (values
      ('type', 'inquiry', '咨询', 'Inquiry', 1), ('type', 'problem', '问题', 'Problem', 2),
      ('type', 'complaint', '投诉', 'Complaint', 3), ('type', 'request', '服务请求', 'Request', 4),
      ('category', 'billing', '账单与发票', 'Billing', 1), ('category', 'account', '账户', 'Account', 2),
      ('category', 'technical', '技术', 'Technical', 3), ('category', 'delivery', '物流配送', 'Delivery', 4),
      ('category', 'service', '服务', 'Service', 5), ('category', 'general', '一般', 'General', 6)
    ) as v (kind, code, zh, en, position)
    on conflict do nothing;
    insert into process.case_vocabulary (org_id, kind, code, label_zh, label_en, position)
    select distinct org_id, 'type', type, type, type, 100 from process.case where length(type) between 1 and 64
    on conflict do nothing;
    insert into process.case_vocabulary (org_id, kind, code, label_zh, label_en, position)
    select distinct org_id, 'category', category, category, category, 100 from process.case
    where length(category) between 1 and 64
    on conflict do nothing;
    update process.settings s set default_policy_id = (
      select p.id from process.sla_policy p where p.org_id = s.org_id and p.active
      order by (p.definition->'conditions'->'type') ? 'request' desc, p.position, p.id limit 1);
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`
    alter table process.settings drop column return_visit, drop column record_requires, drop column default_policy_id;
    drop table process.case_vocabulary;
  `.execute(db)
}
