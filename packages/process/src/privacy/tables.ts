// The process tables with personal fields, for core's re-encryption pass (conversion after a key
// is configured, re-encryption after a rotation). The app hands them to `Encryption.reencrypt`.
import { Encryption } from "@tenet/core"
import { sql } from "kysely"
import type { Contacts } from "../migrations/schema"
import { contactIndexes, FIELDS } from "./fields"

type Cipher = Encryption.FieldCipher
const changed = (out: Record<string, unknown>) => (Object.keys(out).length ? out : null)
const sameSet = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && a.every((x) => b.includes(x))
// sealed under another version, or in clear: the rows a pass visits
const stale = (column: string, version: number) =>
  sql`(${sql.ref(column)} is not null and ${sql.ref(column)} not like ${`${Encryption.PREFIX}${version}:%`})`

// an index not under the active index key (after an index key rotation, or unkeyed)
const staleIndex = (column: string, prefix: string) =>
  sql`(${sql.ref(column)} is not null and ${sql.ref(column)} not like ${`${prefix}%`})`

const customer: Encryption.EncryptedTable = {
  table: "process.customer",
  key: ["id"],
  columns: ["name", "external_id", "contacts", "name_bidx", "external_id_bidx", "contact_bidx"],
  pending: (v, idx) =>
    sql`(${stale("name", v)} or ${stale("external_id", v)} or contacts::text ~ '"value": ?"(?!tnt1:${sql.raw(String(v))}:)'
      or ${staleIndex("name_bidx", idx)} or ${staleIndex("external_id_bidx", idx)}
      or exists (select 1 from unnest(contact_bidx) b where b not like ${`${idx}%`}))`,
  reseal: (row, c: Cipher) => {
    const out: Record<string, unknown> = {}
    const name = c.open(FIELDS.name, row.name as string)
    const ext = c.openNullable(FIELDS.externalId, row.external_id as string | null)
    const contacts = (row.contacts as Contacts).map((x) => ({ ...x, value: c.open(FIELDS.contact, x.value) }))
    if (!c.isCurrent(row.name as string)) out.name = c.seal(FIELDS.name, name)
    if (!c.isCurrent(row.external_id as string | null))
      out.external_id = c.sealNullable(FIELDS.externalId, ext)
    if ((row.contacts as Contacts).some((x) => !c.isCurrent(x.value)))
      out.contacts = JSON.stringify(contacts.map((x) => ({ ...x, value: c.seal(FIELDS.contact, x.value) })))
    const nameIdx = c.index(FIELDS.name, "text", name)
    if (row.name_bidx !== nameIdx) out.name_bidx = nameIdx
    const extIdx = ext === null ? null : c.index(FIELDS.externalId, "exact", ext)
    if (row.external_id_bidx !== extIdx) out.external_id_bidx = extIdx
    const contactIdx = contactIndexes(c, contacts)
    if (!sameSet(contactIdx, row.contact_bidx as string[])) out.contact_bidx = contactIdx
    return changed(out)
  },
}

const kase: Encryption.EncryptedTable = {
  table: "process.case",
  key: ["id"],
  columns: ["content"],
  pending: (v) => stale("content", v),
  reseal: (row, c) => {
    const v = Encryption.resealText(c, FIELDS.caseContent, row.content)
    return v === undefined ? null : { content: v }
  },
}

const caseEvent: Encryption.EncryptedTable = {
  table: "process.case_event",
  key: ["case_id", "seq"],
  columns: ["content", "participants"],
  pending: (v) =>
    sql`(${stale("content", v)} or (participants <> '[]'::jsonb and participants::text !~ ${`^\\["${Encryption.PREFIX}${v}:`}))`,
  reseal: (row, c) => {
    const out: Record<string, unknown> = {}
    const content = Encryption.resealText(c, FIELDS.eventContent, row.content)
    if (content !== undefined) out.content = content
    const parts = row.participants as string[]
    if (parts.some((p) => !c.isCurrent(p)))
      out.participants = JSON.stringify(
        parts.map((p) => c.seal(FIELDS.participant, c.open(FIELDS.participant, p))),
      )
    return changed(out)
  },
}

/** The process tables with personal fields. @category models @since 0.6.0 */
export const encryptedTables: ReadonlyArray<Encryption.EncryptedTable> = [customer, kase, caseEvent]
