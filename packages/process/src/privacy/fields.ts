// Which process columns hold personal data and how they are sealed (core's `Encryption`): the
// customer's name, external id and contact values; the texts a customer wrote (case content,
// timeline content) and the names in a timeline entry's participants. Exact-match lookups go
// through blind indexes (`*_bidx`).
import { type Encryption, Redaction } from "@tenet/core"
import type { Contacts } from "../migrations/schema"

type Cipher = Encryption.FieldCipher

/** The field names bound into each sealed value (with the organisation). */
export const FIELDS = {
  name: "customer.name",
  externalId: "customer.externalId",
  contact: "customer.contact",
  caseContent: "case.content",
  eventContent: "case_event.content",
  participant: "case_event.participant",
} as const

/** How a contact value is normalised for its index: e-mail, phone number or other text. */
export const contactKind = (channel: string, value: string): Encryption.IndexKind =>
  channel === "email" || value.includes("@")
    ? "email"
    : /^[+0-9][0-9 ()-]{4,}$/.test(value)
      ? "phone"
      : "text"

/** The blind indexes of a customer's contact values. */
export const contactIndexes = (cipher: Cipher, contacts: Contacts): string[] => [
  ...new Set(contacts.map((c) => cipher.index(FIELDS.contact, contactKind(c.channel, c.value), c.value))),
]

/** A customer's personal columns as stored: sealed values and their indexes. */
export const sealCustomer = (
  cipher: Cipher,
  c: { name: string; externalId: string | null; contacts: Contacts },
) => ({
  name: cipher.seal(FIELDS.name, c.name),
  name_bidx: cipher.index(FIELDS.name, "text", c.name),
  external_id: cipher.sealNullable(FIELDS.externalId, c.externalId),
  external_id_bidx: c.externalId === null ? null : cipher.index(FIELDS.externalId, "exact", c.externalId),
  contacts: c.contacts.map((x) => ({ channel: x.channel, value: cipher.seal(FIELDS.contact, x.value) })),
  contact_bidx: contactIndexes(cipher, c.contacts),
})

/** A customer as the API shows it: its personal fields opened. */
export const openCustomer = <
  C extends { name: string; externalId: string | null; contacts: Array<{ channel: string; value: string }> },
>(
  cipher: Cipher,
  c: C,
): C => ({
  ...c,
  name: cipher.open(FIELDS.name, c.name),
  externalId: cipher.openNullable(FIELDS.externalId, c.externalId),
  contacts: c.contacts.map((x) => ({ channel: x.channel, value: cipher.open(FIELDS.contact, x.value) })),
})

/** A customer's personal fields masked (for roles without the PI permission and for audit records). */
export const maskCustomer = <
  C extends { name: string; externalId: string | null; contacts: Array<{ channel: string; value: string }> },
>(
  c: C,
): C => ({
  ...c,
  name: Redaction.maskName(c.name),
  externalId: c.externalId === null ? null : Redaction.maskText(c.externalId),
  contacts: c.contacts.map((x) => ({ channel: x.channel, value: Redaction.maskContact(x.channel, x.value) })),
})

/** A case's texts opened (content, and the customer's name when the query joined it). */
export const openCase = <C extends { content: string; customerName?: string | null }>(
  cipher: Cipher,
  c: C,
): C => ({
  ...c,
  content: cipher.open(FIELDS.caseContent, c.content),
  ...(c.customerName != null ? { customerName: cipher.open(FIELDS.name, c.customerName) } : {}),
})

/** A timeline entry's content and participants opened. */
export const openEvent = <E extends { content: string | null; participants: ReadonlyArray<string> }>(
  cipher: Cipher,
  e: E,
): E => ({
  ...e,
  content: cipher.openNullable(FIELDS.eventContent, e.content),
  participants: e.participants.map((p) => cipher.open(FIELDS.participant, p)),
})

/** Message text as stored: sensitive numbers redacted (PR-08), then sealed. */
export const sealMessage = (cipher: Cipher, field: string, text: string): string =>
  cipher.seal(field, Redaction.redact(text).text)
