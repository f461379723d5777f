/**
 * The subject-request clock's calendar: the business calendar named in the organisation's privacy
 * settings, or else its service calendar (the calendar of its first active SLA policy); calendar
 * days when it has neither.
 */
import { makeCalendar } from "@tenet/calendar"
import type { Db } from "@tenet/core"
import { PrivacyRequests, type RiskTables } from "@tenet/risk"
import { sql } from "kysely"
import { orgCalendar } from "../feedback/metrics"

/** A calendar of the organisation by id (undefined when it has none by that id). */
export const calendarById = async (db: Db.Database, orgId: string, id: string) => {
  const r = await sql<{ name: string; spec: Parameters<typeof makeCalendar>[0] }>`select name, spec
    from process.calendar where org_id = ${orgId} and id = ${id}`.execute(db.kysely)
  return r.rows[0]
}

/** The calendar the request clock counts business days on, and where it came from. */
export const requestCalendar = async (db: Db.Database, orgId: string) => {
  const s = await PrivacyRequests.settings(db.as<RiskTables>(), orgId)
  if (s.calendarId) {
    const c = await calendarById(db, orgId, s.calendarId)
    if (c) return { calendar: makeCalendar(c.spec), source: "settings" as const }
  }
  const service = await orgCalendar(db, orgId)
  return service
    ? { calendar: service, source: "service" as const }
    : { calendar: undefined, source: "none" as const }
}
