// The process module's corrector (core's `Corrections` contract): a subject request's corrections of a
// customer's name, external id, phone number or e-mail address, applied to `process.customer` (sealed
// again, blind indexes recomputed) and recorded in the audit chain, masked.
import { Corrections, Encryption } from "@tenet/core"
import { sql } from "kysely"
import type { Contacts } from "../migrations/schema"
import type { Ex } from "../store/db"
import { contactKind, maskCustomer, openCustomer, sealCustomer } from "./fields"

const LABELS = {
  name: { "zh-CN": "客户名称", en: "Name" },
  externalId: { "zh-CN": "外部编号", en: "External id" },
  phone: { "zh-CN": "电话号码", en: "Phone number" },
  email: { "zh-CN": "电子邮箱", en: "E-mail address" },
} as const

const MAX = 200

/** Replace the customer's first contact of this kind, or add one. */
const setContact = (contacts: Contacts, kind: "phone" | "email", value: string): Contacts => {
  const i = contacts.findIndex((c) => c.channel === kind || contactKind(c.channel, c.value) === kind)
  if (i < 0) return [...contacts, { channel: kind, value }]
  return contacts.map((c, j) => (j === i ? { ...c, value } : c))
}

/** @category constructors @since 0.8.0 */
export const customerCorrector: Corrections.Corrector = {
  module: "process",
  classId: "process.customers",
  fields: LABELS,
  apply: async ({ tx: core, ctx, audit }, customerId, values) => {
    const tx = core as unknown as Ex
    for (const [field, v] of Object.entries(values)) {
      if (v.trim() === "" && field !== "externalId")
        throw new Corrections.CorrectionRefused(field, `${field} must not be empty`)
      if (v.length > MAX)
        throw new Corrections.CorrectionRefused(field, `${field} must be at most ${MAX} characters`)
      if (field === "email" && !/^[^@\s]+@[^@\s]+$/.test(v.trim()))
        throw new Corrections.CorrectionRefused(field, "email is not an e-mail address")
      if (field === "phone" && contactKind("phone", v.trim()) !== "phone")
        throw new Corrections.CorrectionRefused(field, "phone is not a phone number")
    }
    const row = await tx
      .selectFrom("process.customer")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", customerId)
      .forUpdate()
      .executeTakeFirst()
    if (!row) throw new Corrections.CorrectionRefused("customerId", `no customer ${customerId}`)
    const cipher = await Encryption.refreshCipher(tx, ctx.orgId)
    const before = openCustomer(cipher, {
      name: row.name,
      externalId: row.external_id,
      contacts: row.contacts as Array<{ channel: string; value: string }>,
    })
    let after = { ...before, contacts: [...before.contacts] }
    const changed: string[] = []
    for (const [field, raw] of Object.entries(values)) {
      const v = raw.trim()
      if (field === "name" && v !== after.name) after = { ...after, name: v }
      else if (field === "externalId" && (v || null) !== after.externalId)
        after = { ...after, externalId: v || null }
      else if ((field === "phone" || field === "email") && !after.contacts.some((c) => c.value === v))
        after = { ...after, contacts: setContact(after.contacts, field, v) as typeof after.contacts }
      else continue
      changed.push(field)
    }
    if (changed.length === 0) return []
    const sealed = sealCustomer(cipher, after)
    if (changed.includes("externalId") && sealed.external_id_bidx) {
      const taken = await tx
        .selectFrom("process.customer")
        .select("id")
        .where("org_id", "=", ctx.orgId)
        .where("external_id_bidx", "=", sealed.external_id_bidx)
        .where("id", "<>", customerId)
        .executeTakeFirst()
      if (taken)
        throw new Corrections.CorrectionRefused("externalId", "another customer has this external id")
    }
    await sql`update process.customer set name = ${sealed.name}, name_bidx = ${sealed.name_bidx},
        external_id = ${sealed.external_id}, external_id_bidx = ${sealed.external_id_bidx},
        contacts = ${JSON.stringify(sealed.contacts)}::jsonb, contact_bidx = array[${sql.join(sealed.contact_bidx)}]::text[],
        updated_at = now()
      where org_id = ${ctx.orgId} and id = ${customerId}`.execute(tx)
    await audit({
      action: "customer.corrected",
      entityType: "customer",
      entityId: customerId,
      // the audit chain keeps no personal data in clear
      before: { ...maskCustomer(before), fields: changed },
      after: maskCustomer(after),
    })
    return changed
  },
}
