// The configuration an intake reads: settings, SLA policies (and their versions), in one statement.
import type { Calendar } from "@tenet/calendar"
import { Errors } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import { DEFAULT_PRIORITY_MATRIX, type Policy, type PolicyDefinition, type PriorityMatrix } from "../Case"
import type { ProcessTables, SlaPolicyTable } from "../migrations/schema"
import { calendarCache, loadCalendar } from "./calendars"
import type { AsJson, Ex } from "./db"

// ---------------------------------------------------------------------------
// settings
// ---------------------------------------------------------------------------

export interface Settings {
  readonly priorityMatrix: PriorityMatrix
  readonly reopenWindowDays: number
  readonly repeatWindowDays: number
}

export const loadSettings = async (ex: Ex, orgId: string): Promise<Settings> => {
  const row = await ex
    .selectFrom("process.settings")
    .selectAll()
    .where("org_id", "=", orgId)
    .executeTakeFirst()
  return row
    ? {
        priorityMatrix: row.priority_matrix,
        reopenWindowDays: row.reopen_window_days,
        repeatWindowDays: row.repeat_window_days,
      }
    : { priorityMatrix: DEFAULT_PRIORITY_MATRIX, reopenWindowDays: 7, repeatWindowDays: 7 }
}
// ---------------------------------------------------------------------------
// policies
// ---------------------------------------------------------------------------

export const toPolicy = (
  r: Pick<
    Selectable<SlaPolicyTable>,
    "id" | "name" | "position" | "active" | "version" | "definition" | "updated_at"
  >,
): Policy & { updatedAt: Date } => ({
  id: r.id,
  name: r.name,
  position: r.position,
  active: r.active,
  version: r.version,
  definition: r.definition,
  updatedAt: r.updated_at,
})

export const loadPolicies = async (ex: Ex, orgId: string) =>
  (
    await ex
      .selectFrom("process.sla_policy")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("position")
      .orderBy("id")
      .execute()
  ).map(toPolicy)

/**
 * What an intake reads before it computes, in one statement that writes nothing: settings,
 * policies, calendars (compiled ones from the cache).
 */
export const loadIntakeConfig = async (ex: Ex, orgId: string) => {
  const r = await sql<{
    settings: AsJson<Selectable<ProcessTables["process.settings"]>> | null
    policies: Array<AsJson<Selectable<SlaPolicyTable>>>
    calendars: Array<{ id: string; version: number }>
  }>`select (select row_to_json(s) from process.settings s where s.org_id = ${orgId}) as settings,
      coalesce((select json_agg(p order by p.position, p.id) from process.sla_policy p where p.org_id = ${orgId}), '[]'::json) as policies,
      coalesce((select json_agg(json_build_object('id', c.id, 'version', c.version)) from process.calendar c
        where c.org_id = ${orgId}), '[]'::json) as calendars`.execute(ex)
  const row = r.rows[0]!
  const settings: Settings = row.settings
    ? {
        priorityMatrix: row.settings.priority_matrix,
        reopenWindowDays: row.settings.reopen_window_days,
        repeatWindowDays: row.settings.repeat_window_days,
      }
    : { priorityMatrix: DEFAULT_PRIORITY_MATRIX, reopenWindowDays: 7, repeatWindowDays: 7 }
  // versions only: a calendar's spec (its holiday lists) is read when this version is not compiled yet
  const calendars = new Map<string, Calendar>()
  for (const c of row.calendars) {
    const known = calendarCache.get(`${orgId}:${c.id}:${c.version}`)
    calendars.set(c.id, known ?? (await loadCalendar(ex, orgId, c.id)).calendar)
  }
  return {
    settings,
    policies: row.policies.map((p) => toPolicy({ ...p, updated_at: new Date(p.updated_at) })),
    calendars,
  }
}

export const loadPolicyVersion = async (
  ex: Ex,
  orgId: string,
  id: string,
  version: number,
): Promise<{ name: string; definition: PolicyDefinition }> => {
  const row = await ex
    .selectFrom("process.sla_policy_version")
    .select(["name", "definition"])
    .where("org_id", "=", orgId)
    .where("policy_id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst()
  if (!row) throw new Errors.NotFoundError({ entity: "sla_policy_version", id: `${id}@${version}` })
  return row
}
