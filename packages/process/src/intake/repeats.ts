// Intake's repeat contacts: the earlier case a new one repeats, and the reminder for recurring issues.
import { Jobs } from "@tenet/core"
import { sql } from "kysely"
import type { Ex } from "../Store"
import { FOLLOW_UP_JOB } from "./clocks"
import { type PlannedCase, RESOLVED } from "./plan"
import { json, ts } from "./recordset"

/**
 * Set each case's `repeatOf` (and the `repeatedBy` of an earlier case of the batch); returns the
 * stored cases repeated by this batch, each with the first case that repeats it.
 */
export const findRepeats = async (
  tx: Ex,
  orgId: string,
  cases: PlannedCase[],
  createdCustomers: ReadonlySet<string>,
  repeatWindowDays: number,
) => {
  const windowMs = repeatWindowDays * 86_400_000
  // repeat contacts: the latest earlier case of the same customer and category within the
  // window — stored ones in one query, earlier cases of this batch from memory
  const withCust = cases.filter((c) => c.customer)
  if (withCust.length) {
    // a customer this batch created has no stored case to repeat
    const probe = withCust
      .filter((c) => !createdCustomers.has(c.customer!.id))
      .map((c) => ({
        i: c.i,
        customer_id: c.customer!.id,
        category: c.input.category || "",
        received_at: c.receivedAt.getTime(),
        since: c.receivedAt.getTime() - windowMs,
      }))
    // two statements so that each uses the (customer, category, received_at) index (the order
    // by names its columns, so that no other index looks cheaper while statistics are young)
    const lookup = (rows: typeof probe, category: ReturnType<typeof sql>) =>
      rows.length === 0
        ? Promise.resolve([] as Array<{ i: number; id: string; received_at: Date }>)
        : sql<{ i: number; id: string; received_at: Date }>`select x.i, p.id, p.received_at
      from json_to_recordset(${json(rows)}) as x(i int, customer_id text, category text, received_at float8, since float8)
      cross join lateral (select c.id, c.received_at from process.case c where c.org_id = ${orgId} and c.customer_id = x.customer_id
        and ${category} and c.received_at < ${ts("received_at")} and c.received_at >= ${ts("since")}
        order by c.customer_id desc, c.category desc, c.received_at desc limit 1) p`
            .execute(tx)
            .then((r) => r.rows)
    const stored = {
      rows: [
        ...(await lookup(
          probe.filter((p) => p.category !== ""),
          sql`c.category = x.category`,
        )),
        ...(await lookup(
          probe.filter((p) => p.category === ""),
          sql`c.category is null`,
        )),
      ],
    }
    const found = new Map(
      stored.rows.map((r) => [Number(r.i), { id: r.id, at: new Date(r.received_at).getTime() }]),
    )
    const earlier = new Map<string, Array<(typeof cases)[number]>>()
    for (const c of withCust) {
      const key = `${c.customer!.id}\u0000${c.input.category || ""}`
      const t = c.receivedAt.getTime()
      let best = found.get(c.i)
      let bestCase: (typeof cases)[number] | undefined
      for (const e of earlier.get(key) ?? []) {
        const et = e.receivedAt.getTime()
        if (et < t && et >= t - windowMs && (!best || et > best.at)) {
          best = { id: e.id, at: et }
          bestCase = e
        }
      }
      if (best) {
        c.repeatOf = best.id
        if (bestCase && bestCase.repeatedBy === null) bestCase.repeatedBy = c.id
      }
      earlier.set(key, [...(earlier.get(key) ?? []), c])
    }
  }
  const batchIds = new Set(cases.map((c) => c.id))
  const storedRepeats = new Map<string, string>()
  for (const c of cases)
    if (c.repeatOf && !batchIds.has(c.repeatOf) && !storedRepeats.has(c.repeatOf))
      storedRepeats.set(c.repeatOf, c.id)
  return storedRepeats
}

/** Schedule the follow-up for the batch's recurring issues. */
export const scheduleRecurring = async (tx: Ex, orgId: string, cases: PlannedCase[], now: Date) => {
  // one reminder job for the recurring issues of the batch that are still open (history already
  // resolved needs none)
  const recurring = cases
    .filter((c) => c.repeatOf && !RESOLVED.includes(c.status))
    .map((c) => ({ caseId: c.id, repeatOf: c.repeatOf! }))
  if (recurring.length)
    await Jobs.scheduleIn(tx, {
      orgId,
      kind: FOLLOW_UP_JOB,
      key: `recurring:${recurring[0]!.caseId}`,
      runAt: now,
      payload: { event: "recurring", cases: recurring },
    })
}
