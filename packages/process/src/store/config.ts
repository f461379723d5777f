// The configuration an intake reads: settings, SLA policies (and their versions), in one statement.
import type { Calendar } from "@tenet/calendar"
import { Errors } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import {
  DEFAULT_PRIORITY_MATRIX,
  DEFAULT_RECORD_REQUIRES,
  DEFAULT_RETURN_VISIT,
  type Policy,
  type PolicyDefinition,
  type PriorityMatrix,
  type RecordField,
  type ReturnVisit,
} from "../Case"
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
  /** The policy a case that matches no policy gets (null only before one is chosen). */
  readonly defaultPolicyId: string | null
  /** What makes an intake record complete (the initial-record clock runs until then). */
  readonly recordRequires: ReadonlyArray<RecordField>
  /** When return visits follow a resolution. */
  readonly returnVisit: ReturnVisit
}

const DEFAULT_SETTINGS: Settings = {
  priorityMatrix: DEFAULT_PRIORITY_MATRIX,
  reopenWindowDays: 7,
  repeatWindowDays: 7,
  defaultPolicyId: null,
  recordRequires: DEFAULT_RECORD_REQUIRES,
  returnVisit: DEFAULT_RETURN_VISIT,
}

const toSettings = (row: {
  priority_matrix: PriorityMatrix
  reopen_window_days: number
  repeat_window_days: number
  default_policy_id: string | null
  record_requires: ReadonlyArray<RecordField>
  return_visit: ReturnVisit
}): Settings => ({
  priorityMatrix: row.priority_matrix,
  reopenWindowDays: row.reopen_window_days,
  repeatWindowDays: row.repeat_window_days,
  defaultPolicyId: row.default_policy_id,
  recordRequires: row.record_requires,
  returnVisit: row.return_visit,
})

export const loadSettings = async (ex: Ex, orgId: string): Promise<Settings> => {
  const row = await ex
    .selectFrom("process.settings")
    .selectAll()
    .where("org_id", "=", orgId)
    .executeTakeFirst()
  return row ? toSettings(row) : DEFAULT_SETTINGS
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
    vocabulary: Array<{ kind: "type" | "category"; code: string }>
  }>`select (select row_to_json(s) from process.settings s where s.org_id = ${orgId}) as settings,
      coalesce((select json_agg(p order by p.position, p.id) from process.sla_policy p where p.org_id = ${orgId}), '[]'::json) as policies,
      coalesce((select json_agg(json_build_object('id', c.id, 'version', c.version)) from process.calendar c
        where c.org_id = ${orgId}), '[]'::json) as calendars,
      coalesce((select json_agg(json_build_object('kind', v.kind, 'code', v.code)) from process.case_vocabulary v
        where v.org_id = ${orgId} and v.active), '[]'::json) as vocabulary`.execute(ex)
  const row = r.rows[0]!
  const settings: Settings = row.settings ? toSettings(row.settings) : DEFAULT_SETTINGS
  // versions only: a calendar's spec (its holiday lists) is read when this version is not compiled yet
  const calendars = new Map<string, Calendar>()
  for (const c of row.calendars) {
    const known = calendarCache.get(`${orgId}:${c.id}:${c.version}`)
    calendars.set(c.id, known ?? (await loadCalendar(ex, orgId, c.id)).calendar)
  }
  return {
    settings,
    vocabulary: vocabularyOf(row.vocabulary),
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

// ---------------------------------------------------------------------------
// vocabulary
// ---------------------------------------------------------------------------

/** The active codes of an organisation's vocabularies (what intake accepts). */
export interface Vocabulary {
  readonly type: ReadonlySet<string>
  readonly category: ReadonlySet<string>
}

export const vocabularyOf = (
  rows: ReadonlyArray<{ kind: "type" | "category"; code: string }>,
): Vocabulary => ({
  type: new Set(rows.filter((r) => r.kind === "type").map((r) => r.code)),
  category: new Set(rows.filter((r) => r.kind === "category").map((r) => r.code)),
})

/** The active codes, read from the database. */
export const loadVocabulary = async (ex: Ex, orgId: string): Promise<Vocabulary> =>
  vocabularyOf(
    await ex
      .selectFrom("process.case_vocabulary")
      .select(["kind", "code"])
      .where("org_id", "=", orgId)
      .where("active", "=", true)
      .execute(),
  )
