// Intake's customers: upserted with their cases, or named by id (and locked).
import { Encryption, Errors } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import { toCustomer, upsertCustomersIn } from "../Config"
import type { CustomerTable } from "../migrations/schema"
import { openCustomer } from "../privacy/fields"
import type { Ex } from "../Store"
import type { HistoricalCaseInput } from "./input"

/** The customer of each input (by index), and the ids of the customers this intake created. */
export const intakeCustomers = async (tx: Ex, orgId: string, inputs: ReadonlyArray<HistoricalCaseInput>) => {
  // customers: upserted together; those named by id read together
  const withCustomer = inputs.flatMap((input, i) => (input.customer ? [i] : []))
  const upserted = await upsertCustomersIn(
    tx,
    orgId,
    withCustomer.map((i) => inputs[i]!.customer!),
  )
  const customers = new Map<number, ReturnType<typeof toCustomer>>(
    withCustomer.map((i, k) => [i, upserted[k]!.customer]),
  )
  const createdCustomers = new Set(upserted.filter((u) => u.inserted).map((u) => u.customer.id))
  const byId = [
    ...new Set(inputs.flatMap((input) => (!input.customer && input.customerId ? [input.customerId] : []))),
  ]
  if (byId.length) {
    // locked (in id order) like an upsert would, so that two intakes of one customer see each other's cases
    const r = await sql<
      Selectable<CustomerTable>
    >`select * from process.customer where org_id = ${orgId} and id in (${sql.join(byId.sort())})
      order by id for update`.execute(tx)
    const open = (c: Encryption.FieldCipher) =>
      new Map(r.rows.map((x) => [x.id, openCustomer(c, toCustomer(x))]))
    let found: ReturnType<typeof open>
    try {
      found = open(await Encryption.cipherFor(tx, orgId))
    } catch (e) {
      // sealed under a key version newer than the cached keys: read them again
      if (!(e instanceof Encryption.EncryptionKeyError)) throw e
      found = open(await Encryption.refreshCipher(tx, orgId))
    }
    for (const [i, input] of inputs.entries()) {
      if (input.customer || !input.customerId) continue
      const c = found.get(input.customerId)
      if (!c)
        throw new Errors.ValidationError({
          message: "invalid case",
          issues: [
            {
              path: ["customerId"],
              message: "no such customer in this organisation",
              code: "unknownCustomer",
            },
          ],
        })
      customers.set(i, c)
    }
  }
  return { customers, createdCustomers }
}
