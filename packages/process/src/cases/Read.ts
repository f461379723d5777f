import { type Db, Encryption, Errors } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import { allowedTransitions, type Target } from "../Case"
import { toCustomer } from "../Config"
import type { CaseTable, CustomerTable, FollowUpTable, ProcessTables } from "../migrations/schema"
import { openCase, openCustomer, openEvent } from "../privacy/fields"
import * as Sla from "../Sla"
import {
  type ClockRow,
  loadCalendar,
  loadClocks,
  loadPolicyVersion,
  processDb,
  toCase,
  toEvent,
} from "../Store"

type Database = Db.Database

/**
 * SLA policy versions are written once and never changed (a change makes a new version), so a
 * case page reads each one from the database once per process (bounded; per open database).
 */
const policyVersions = new WeakMap<Database, Map<string, ReturnType<typeof loadPolicyVersion>>>()
const policyVersion = (db: Database, orgId: string, policyId: string, version: number) => {
  let cache = policyVersions.get(db)
  if (!cache) {
    cache = new Map()
    policyVersions.set(db, cache)
  }
  const key = `${orgId}|${policyId}|${version}`
  const hit = cache.get(key)
  if (hit) return hit
  if (cache.size >= 1000) cache.clear()
  const loaded = loadPolicyVersion(processDb(db), orgId, policyId, version)
  cache.set(key, loaded)
  loaded.catch(() => cache.delete(key))
  return loaded
}

// ---------------------------------------------------------------------------
// reading
// ---------------------------------------------------------------------------

/**
 * A case with its customer, timeline, SLA ledger (with explanations), follow-ups and the
 * transitions allowed from its status.
 * @category constructors
 * @since 0.1.0
 */
/** Whether a case exists in an organisation (for modules that refer to cases by id). @category guards @since 0.2.0 */
export const caseExists = async (db: Database, orgId: string, id: string): Promise<boolean> =>
  (await sql`select 1 from process.case where org_id = ${orgId} and id = ${id}`.execute(db.kysely)).rows
    .length > 0

/** One clock of a case's SLA ledger, with its explanation. @category models @since 0.1.0 */
export interface LedgerEntry {
  readonly target: Target
  readonly seq: number
  readonly status: ClockRow["status"]
  readonly targetSeconds: number
  readonly startedAt: Date
  readonly dueAt: Date | null
  readonly warnAt: Date | null
  readonly warnedAt: Date | null
  readonly stoppedAt: Date | null
  readonly breachedAt: Date | null
  readonly elapsedSeconds: number | null
  readonly pauses: ClockRow["pauses"]
  readonly escalationsFired: number
  readonly explanation: Sla.ClockExplanation
}

export const getCase = async (db: Database, orgId: string, id: string, now = new Date()) => {
  const r = await sql<
    Selectable<CaseTable>
  >`select * from process.case where org_id = ${orgId} and id = ${id}`.execute(db.kysely)
  if (!r.rows[0]) throw new Errors.NotFoundError({ entity: "case", id })
  const c = toCase(r.rows[0])
  const pdb = processDb(db)
  // independent reads issued together: on PGlite they queue in the engine back to back, on
  // PostgreSQL they run on several connections
  const [customerRows, eventRows, followUpRows, clocks, pv] = await Promise.all([
    c.customerId
      ? sql<
          Selectable<CustomerTable>
        >`select * from process.customer where org_id = ${orgId} and id = ${c.customerId}`.execute(db.kysely)
      : undefined,
    sql<
      Selectable<ProcessTables["process.case_event"]>
    >`select * from process.case_event where org_id = ${orgId} and case_id = ${id} order by seq`.execute(
      db.kysely,
    ),
    sql<
      Selectable<FollowUpTable>
    >`select * from process.follow_up where org_id = ${orgId} and case_id = ${id} order by due_at`.execute(
      db.kysely,
    ),
    loadClocks(pdb, orgId, id),
    c.policyId && c.policyVersion ? policyVersion(db, orgId, c.policyId, c.policyVersion) : undefined,
  ])
  // personal fields opened (keys read after the rows, so a rotation in between is seen)
  const cipher = await Encryption.cipherFor(db.kysely, orgId)
  const customer = customerRows ? openCustomer(cipher, toCustomer(customerRows.rows[0]!)) : null
  const events = eventRows.rows.map((e) => openEvent(cipher, toEvent(e)))
  const followUps = followUpRows.rows.map((f) => ({
    id: f.id,
    kind: f.kind,
    dueAt: f.due_at,
    doneAt: f.done_at,
    outcome: f.outcome,
  }))
  let policy: {
    id: string
    name: string
    version: number
    calendar: { id: string; name: string; timeZone: string }
  } | null = null
  let ledger: Array<LedgerEntry> = []
  if (c.policyId && c.policyVersion && pv) {
    const { calendar, record } = await loadCalendar(pdb, orgId, pv.definition.calendarId)
    policy = {
      id: c.policyId,
      name: pv.name,
      version: c.policyVersion,
      calendar: { id: record.id, name: record.name, timeZone: record.spec.timeZone },
    }
    ledger = clocks.map((k) => ({
      target: k.target,
      seq: k.seq,
      status: k.status,
      targetSeconds: k.targetSeconds,
      startedAt: k.startedAt,
      dueAt: k.dueAt,
      warnAt: k.warnAt,
      warnedAt: k.warnedAt,
      stoppedAt: k.stoppedAt,
      breachedAt: k.breachedAt,
      elapsedSeconds: k.elapsedSeconds,
      pauses: k.pauses,
      escalationsFired: k.escalationsFired,
      explanation: Sla.explain(calendar, k, now),
    }))
  }
  return {
    case: openCase(cipher, c),
    customer,
    events,
    followUps,
    ledger,
    policy,
    allowedTransitions: allowedTransitions(c.status),
  }
}
