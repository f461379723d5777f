/**
 * SLA policies: ordered and versioned (cases keep the version pinned to them), with a preview.
 *
 * @since 0.1.0
 */

import { explainAddBusinessTime } from "@tenet/calendar"
import { type Db, Errors, Id, type Tenancy } from "@tenet/core"
import type { Selectable } from "kysely"
import { sql } from "kysely"
import { type MatchFacts, matchPolicy, type PolicyDefinition, validatePolicy } from "../Case"
import type { SlaPolicyTable } from "../migrations/schema"
import {
  change,
  type Ex,
  loadCalendar,
  loadPolicies,
  loadSettings,
  onCalendar,
  processDb,
  toPolicy,
} from "../Store"

type PolicyRow = Selectable<SlaPolicyTable>

type Database = Db.Database
type Ctx = Tenancy.OrgContext

// ---------------------------------------------------------------------------
// policies
// ---------------------------------------------------------------------------

export const listPolicies = (db: Database, orgId: string) => loadPolicies(processDb(db), orgId)

const checkPolicy = async (
  ex: Ex,
  orgId: string,
  name: string | undefined,
  d: PolicyDefinition | undefined,
) => {
  const issues: Errors.FieldIssue[] = []
  if (name !== undefined && !name.trim())
    issues.push({ path: ["name"], message: "must not be empty", code: "required" })
  if (d) {
    issues.push(...validatePolicy(d))
    const cal =
      await sql`select 1 from process.calendar where org_id = ${orgId} and id = ${d.calendarId ?? ""}`.execute(
        ex,
      )
    if (cal.rows.length === 0)
      issues.push({
        path: ["definition", "calendarId"],
        message: "no such calendar in this organisation",
        code: "unknownCalendar",
      })
  }
  if (issues.length) throw new Errors.ValidationError({ message: "invalid SLA policy", issues })
}

export const createPolicy = async (
  db: Database,
  ctx: Ctx,
  input: { name: string; definition: PolicyDefinition; position?: number | undefined },
) => {
  await checkPolicy(processDb(db), ctx.orgId, input.name, input.definition)
  const id = Id.make("sla")
  return change(db, ctx, async ({ tx, audit }) => {
    const pos = await sql<{
      n: number
    }>`select coalesce(max(position), 0)::int + 1 as n from process.sla_policy where org_id = ${ctx.orgId}`.execute(
      tx,
    )
    const position = input.position ?? pos.rows[0]!.n
    const r = await sql<PolicyRow>`insert into process.sla_policy (org_id, id, name, position, definition)
      values (${ctx.orgId}, ${id}, ${input.name.trim()}, ${position}, ${JSON.stringify(input.definition)}::jsonb) returning *`.execute(
      tx,
    )
    await sql`insert into process.sla_policy_version (org_id, policy_id, version, name, definition)
      values (${ctx.orgId}, ${id}, 1, ${input.name.trim()}, ${JSON.stringify(input.definition)}::jsonb)`.execute(
      tx,
    )
    const p = toPolicy(r.rows[0]!)
    await audit({ action: "sla_policy.created", entityType: "sla_policy", entityId: id, after: p })
    return p
  })
}

/** A new version: cases already received keep the version pinned to them. */
export const updatePolicy = async (
  db: Database,
  ctx: Ctx,
  id: string,
  input: {
    name?: string | undefined
    definition?: PolicyDefinition | undefined
    active?: boolean | undefined
    position?: number | undefined
    expectedVersion?: number | undefined
  },
) => {
  await checkPolicy(processDb(db), ctx.orgId, input.name, input.definition)
  return change(db, ctx, async ({ tx, audit }) => {
    const row0 = await tx
      .selectFrom("process.sla_policy")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!row0) throw new Errors.NotFoundError({ entity: "sla_policy", id })
    const before = toPolicy(row0)
    if (input.expectedVersion !== undefined && input.expectedVersion !== before.version)
      throw new Errors.ConflictError({
        message: `the policy changed meanwhile (now version ${before.version}); reload and try again`,
        field: "version",
        code: "changedMeanwhile",
        params: { version: before.version },
      })
    const newVersion = input.definition || input.name ? before.version + 1 : before.version
    const r = await sql<PolicyRow>`update process.sla_policy set name = ${input.name?.trim() ?? before.name},
      definition = ${JSON.stringify(input.definition ?? before.definition)}::jsonb, active = ${input.active ?? before.active},
      position = ${input.position ?? before.position}, version = ${newVersion}, updated_at = now()
      where org_id = ${ctx.orgId} and id = ${id} returning *`.execute(tx)
    const after = toPolicy(r.rows[0]!)
    if (newVersion !== before.version)
      await sql`insert into process.sla_policy_version (org_id, policy_id, version, name, definition)
        values (${ctx.orgId}, ${id}, ${newVersion}, ${after.name}, ${JSON.stringify(after.definition)}::jsonb)`.execute(
        tx,
      )
    await audit({ action: "sla_policy.updated", entityType: "sla_policy", entityId: id, before, after })
    return after
  })
}

/** Which policy a case with these facts would get, and its due times from `receivedAt`. */
export const previewPolicy = async (db: Database, orgId: string, facts: MatchFacts, receivedAt: Date) => {
  const policies = await loadPolicies(processDb(db), orgId)
  // as at intake: a case that matches no policy gets the organisation's default
  const fallback = (await loadSettings(processDb(db), orgId)).defaultPolicyId
  const policy = matchPolicy(policies, facts) ?? policies.find((p) => p.id === fallback)
  if (!policy) return { policy: null, targets: [] }
  const { calendar, record } = await loadCalendar(processDb(db), orgId, policy.definition.calendarId)
  const targets = Object.entries(policy.definition.targets).map(([target, seconds]) => {
    const e = onCalendar(["receivedAt"], () =>
      explainAddBusinessTime(calendar, receivedAt, seconds as number),
    )
    return { target, seconds, due: e.due.toISOString(), days: e.days }
  })
  return {
    policy: { id: policy.id, name: policy.name, version: policy.version },
    calendar: { id: record.id, name: record.name },
    targets,
  }
}
