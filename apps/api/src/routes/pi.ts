/**
 * Personal information at the edge: find a customer by exact phone, e-mail or external id (blind
 * indexes, so it works with encryption on), reveal a masked customer (audited: PI access log and
 * the audit chain), read the PI access log.
 */
import { Change, PiAccess } from "@tenet/core"
import { Config } from "@tenet/process"
import { Schema } from "effect"
import { customerFor } from "../encryption/masking"
import { endpoint } from "../http/endpoint"
import { ShortText } from "./schemas"

const LookupQuery = Schema.Struct({
  phone: Schema.optionalKey(ShortText),
  email: Schema.optionalKey(ShortText),
  externalId: Schema.optionalKey(ShortText),
})

const RevealBody = Schema.Struct({
  /** Why the full values are needed (kept in the PI access log). */
  reason: Schema.optionalKey(ShortText),
}).annotate({ identifier: "RevealBody" })

const AccessQuery = Schema.Struct({
  entityType: Schema.optionalKey(ShortText),
  entityId: Schema.optionalKey(ShortText),
  limit: Schema.optionalKey(Schema.NumberFromString.check(Schema.isInt())),
})

const REVEALED = ["name", "externalId", "contacts"] as const

export const piEndpoints = [
  endpoint({
    method: "get",
    path: "/api/v1/process/customers/lookup",
    operationId: "lookupCustomers",
    summary:
      "Customers with exactly this phone number, e-mail address or external id (blind indexes: works with encryption on). Masked without pi:read",
    tag: "Customers",
    access: "cases:read",
    query: LookupQuery,
    handler: async (c, { ctx, query }) => ({
      items: (await Config.findCustomers(c.get("db"), ctx.orgId, query)).map((x) => customerFor(ctx, x)),
    }),
  }),
  endpoint({
    method: "post",
    path: "/api/v1/process/customers/{id}/reveal",
    operationId: "revealCustomer",
    summary:
      "A customer's personal fields in clear, for a caller who sees them masked; written to the PI access log (kept at least 6 months) and the audit chain",
    tag: "Customers",
    access: "pi:write",
    body: RevealBody,
    handler: async (c, { ctx, params, body }) => {
      const db = c.get("db")
      const customer = await Config.getCustomer(db, ctx.orgId, params.id!)
      const accessId = await Change.change(db, ctx, async ({ tx, audit }) => {
        const id = await PiAccess.record(tx, ctx, {
          entityType: "customer",
          entityId: customer.id,
          fields: REVEALED,
          reason: body.reason ?? null,
        })
        await audit({
          action: "pi.revealed",
          entityType: "customer",
          entityId: customer.id,
          after: { accessId: id, fields: REVEALED, reason: body.reason ?? null },
        })
        return id
      })
      return { ...customer, accessId }
    },
  }),
  endpoint({
    method: "get",
    path: "/api/v1/pi-access",
    exportable: true,
    operationId: "listPiAccess",
    summary:
      "The PI access log: who revealed which personal fields of which record, when and why (newest first)",
    tag: "Audit",
    access: "audit:read",
    query: AccessQuery,
    handler: async (c, { ctx, query }) => ({
      items: await PiAccess.list(c.get("db").kysely, ctx.orgId, query),
      retentionDays: PiAccess.MIN_RETENTION_DAYS,
    }),
  }),
]
