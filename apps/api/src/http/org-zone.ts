/**
 * The organisation's time zone, where a request names none: local days, weeks and months of metrics,
 * evaluations and improvement measurements are the organisation's (never a zone written in the code).
 * Read once per organisation and kept for a few seconds (a statement saved on the dashboard's hot path);
 * changing the organisation forgets it at once in this process.
 */
import type { Db } from "@tenet/core"
import { sql } from "kysely"

const TTL_MS = 10_000
const zones = new Map<string, { zone: string; until: number }>()

export const orgTimeZone = async (db: Db.Database, orgId: string): Promise<string> => {
  const hit = zones.get(orgId)
  if (hit && hit.until > Date.now()) return hit.zone
  const r = await sql<{
    time_zone: string
  }>`select time_zone from core.organization where id = ${orgId}`.execute(db.kysely)
  const zone = r.rows[0]?.time_zone ?? "UTC"
  zones.set(orgId, { zone, until: Date.now() + TTL_MS })
  return zone
}

/** After a change of the organisation (its zone may have changed). */
export const forgetOrgTimeZone = (orgId: string) => {
  zones.delete(orgId)
}
