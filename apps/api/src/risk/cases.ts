/**
 * Incidents and service cases: risk does not know cases, so the API gives it the lookup that finds an
 * organisation's cases by id or number, and adds each incident's cases (id and number) to what it answers.
 */
import type { Db } from "@tenet/core"
import type { ProcessTables } from "@tenet/process"
import type { Incidents } from "@tenet/risk"

const NUMBER = /^#?(\d{1,15})$/

/** Cases of an organisation by id or by number ("1024" or "#1024"). */
export const caseLookup =
  (db: Db.Database): Incidents.CaseLookup =>
  async (orgId, refs) => {
    const numbers = refs.flatMap((r) => {
      const m = NUMBER.exec(r)
      return m ? [Number(m[1])] : []
    })
    const ids = refs.filter((r) => !NUMBER.test(r))
    if (!numbers.length && !ids.length) return new Map()
    const rows = await db
      .as<ProcessTables>()
      .selectFrom("process.case")
      .select(["id", "number"])
      .where("org_id", "=", orgId)
      .where((w) =>
        w.or([
          ...(ids.length ? [w("id", "in", ids)] : []),
          ...(numbers.length ? [w("number", "in", numbers)] : []),
        ]),
      )
      .execute()
    const out = new Map<string, { id: string; number: number }>()
    for (const r of refs) {
      const m = NUMBER.exec(r)
      const hit = rows.find((x) => (m ? Number(x.number) === Number(m[1]) : x.id === r))
      if (hit) out.set(r, { id: hit.id, number: Number(hit.number) })
    }
    return out
  }

/** Incidents with `cases`: each affected case's id and number (null when the case is gone). */
export const withCases = async <I extends { affectedCases: ReadonlyArray<string> }>(
  db: Db.Database,
  orgId: string,
  incidents: ReadonlyArray<I>,
): Promise<Array<I & { cases: Array<{ id: string; number: number | null }> }>> => {
  const ids = [...new Set(incidents.flatMap((i) => i.affectedCases))]
  const found = ids.length ? await caseLookup(db)(orgId, ids) : new Map<string, { number: number }>()
  return incidents.map((i) => ({
    ...i,
    cases: i.affectedCases.map((id) => ({ id, number: found.get(id)?.number ?? null })),
  }))
}
