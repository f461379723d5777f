import { type Kysely, sql } from "kysely"

/**
 * Personal fields encrypted (core's envelope encryption): customers' names, external ids and
 * contact values, case and timeline texts are sealed by the code that writes them; exact-match
 * lookups go through blind indexes. This migration adds the index columns and fills the external
 * id's, name's and contacts' unkeyed indexes (`p:` + SHA-256 of the normalised value, exactly what
 * `Encryption.plainIndex` computes while no key is configured), so the upsert's conflict target and
 * the lookups work at once. With a key, the re-encryption pass (at start-up, `tenet privacy
 * encrypt`) seals the existing rows and turns `p:` indexes into keyed ones.
 */
export const up = async (db: Kysely<unknown>) => {
  await sql`
    alter table process.customer add column external_id_bidx text, add column name_bidx text,
      add column contact_bidx text[] not null default '{}';
    update process.customer set external_id_bidx =
      'p:' || substr(encode(sha256(convert_to('customer.externalId|' || external_id, 'UTF8')), 'hex'), 1, 40)
      where external_id is not null;
    update process.customer c set
      name_bidx = 'p:' || substr(encode(sha256(convert_to('customer.name|' || lower(btrim(c.name, E' \t\n\r')), 'UTF8')), 'hex'), 1, 40),
      contact_bidx = coalesce((
        select array_agg(distinct 'p:' || substr(encode(sha256(convert_to('customer.contact|' || n.v, 'UTF8')), 'hex'), 1, 40))
        from jsonb_array_elements(c.contacts) e,
          lateral (select regexp_replace(e->>'value', '[^0-9]', '', 'g') as d) p,
          lateral (select case
            when e->>'channel' = 'email' or position('@' in e->>'value') > 0 then lower(btrim(e->>'value', E' \t\n\r'))
            when (e->>'value') ~ '^[+0-9][0-9 ()-]{4,}$' then case
              when length(p.d) = 15 and left(p.d, 4) = '0086' then substr(p.d, 5)
              when length(p.d) = 13 and left(p.d, 2) = '86' then substr(p.d, 3)
              else p.d end
            else lower(btrim(e->>'value', E' \t\n\r')) end as v) n
      ), '{}');
    drop index process.customer_external;
    drop index process.customer_name;
    create unique index customer_external_bidx on process.customer (org_id, external_id_bidx) where external_id_bidx is not null;
    create index customer_name_bidx on process.customer (org_id, name_bidx);
    create index customer_contact_bidx on process.customer using gin (contact_bidx);
  `.execute(db)
}
export const down = async (db: Kysely<unknown>) => {
  await sql`
    drop index process.customer_external_bidx;
    drop index process.customer_name_bidx;
    drop index process.customer_contact_bidx;
    alter table process.customer drop column external_id_bidx, drop column name_bidx, drop column contact_bidx;
    create unique index customer_external on process.customer (org_id, external_id) where external_id is not null;
    create index customer_name on process.customer (org_id, name);
  `.execute(db)
}
