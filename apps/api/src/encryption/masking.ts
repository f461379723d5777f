/**
 * Masking per role (PR-10): a caller without `pi:read` sees customers' names, phone numbers,
 * e-mail addresses and external ids masked (张*, 138****1234, z***@example.com) in every response
 * that carries them; `pi:write` lets them reveal one record's values, each reveal written to the
 * PI access log. Message texts stay readable to whoever may read the case (ID and bank card
 * numbers in them were redacted on intake).
 */
import { Redaction, Tenancy } from "@tenet/core"
import { Privacy } from "@tenet/process"

/** Whether the caller sees personal fields in clear (system actors and roles with `pi:read`). */
export const seesPi = (ctx: Tenancy.OrgContext): boolean =>
  ctx.actor.type === "system" || Tenancy.can(ctx.actor.role, "pi:read")

type Customer = {
  name: string
  externalId: string | null
  contacts: Array<{ channel: string; value: string }>
}

/** A customer (or a list item) masked unless the caller sees PI. */
export const customerFor = <C extends Customer>(ctx: Tenancy.OrgContext, c: C): C =>
  seesPi(ctx) ? c : { ...Privacy.maskCustomer(c), masked: true }

/** A page of customers. */
export const customersFor = <C extends Customer, P extends { items: C[] }>(
  ctx: Tenancy.OrgContext,
  page: P,
): P => (seesPi(ctx) ? page : { ...page, items: page.items.map((c) => customerFor(ctx, c)) })

/** A case's customer name masked. */
export const caseFor = <C extends { customerName?: string | null }>(ctx: Tenancy.OrgContext, c: C): C =>
  seesPi(ctx) || c.customerName == null ? c : { ...c, customerName: Redaction.maskName(c.customerName) }

/** A page of cases. */
export const casesFor = <C extends { customerName?: string | null }, P extends { items: C[] }>(
  ctx: Tenancy.OrgContext,
  page: P,
): P => (seesPi(ctx) ? page : { ...page, items: page.items.map((c) => caseFor(ctx, c)) })

/** A case page: the case, its customer and the names in its timeline. */
export const caseDetailFor = <
  D extends {
    case: { customerName?: string | null }
    customer: Customer | null
    events: ReadonlyArray<{ participants: ReadonlyArray<string> }>
  },
>(
  ctx: Tenancy.OrgContext,
  d: D,
): D =>
  seesPi(ctx)
    ? d
    : {
        ...d,
        case: caseFor(ctx, d.case),
        customer: d.customer ? customerFor(ctx, d.customer) : null,
        events: d.events.map((e) => ({
          ...e,
          participants: e.participants.map((p) => Redaction.maskName(p)),
        })),
      }
