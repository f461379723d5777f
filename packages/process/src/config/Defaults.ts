import { chinaMainland } from "@tenet/calendar/presets/cn"
import { type Db, Id, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { DEFAULT_PRIORITY_MATRIX, type PolicyDefinition } from "../Case"
import { change } from "../Store"
import { seedVocabulary } from "./Vocabulary"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

const H = 3600

// ---------------------------------------------------------------------------
// defaults (seed targets)
// ---------------------------------------------------------------------------

/** The seed targets (domain.md §A3): inquiry 15 min response and 30 min record; problems 24 h; complex 48 h; surveys 24 h after resolution. */
export const defaultPolicies = (
  calendarId: string,
): Array<{ name: string; definition: PolicyDefinition }> => {
  const escalations = [
    { afterSeconds: 0, action: "notify" as const },
    { afterSeconds: 4 * H, action: "raise_tier" as const },
  ]
  return [
    {
      name: "咨询 · Inquiry",
      definition: {
        conditions: { type: ["inquiry"] },
        calendarId,
        targets: { first_response: 15 * 60, initial_record: 30 * 60, resolution: 8 * H, follow_up: 24 * H },
        pauseStatuses: ["pending_customer", "pending_third_party"],
        warnAt: 0.8,
        escalations,
      },
    },
    {
      name: "复杂问题 · Complex problem (L2/L3)",
      definition: {
        conditions: { type: ["problem"], tier: ["L2", "L3"] },
        calendarId,
        targets: { first_response: 48 * H, initial_record: 30 * 60, resolution: 80 * H, follow_up: 24 * H },
        pauseStatuses: ["pending_customer", "pending_third_party"],
        warnAt: 0.8,
        escalations,
      },
    },
    {
      name: "问题 · Problem",
      definition: {
        conditions: { type: ["problem", "request"] },
        calendarId,
        targets: {
          first_response: 24 * H,
          initial_record: 30 * 60,
          next_reply: 8 * H,
          resolution: 40 * H,
          follow_up: 24 * H,
        },
        pauseStatuses: ["pending_customer", "pending_third_party"],
        warnAt: 0.8,
        escalations,
      },
    },
    {
      name: "投诉 · Complaint",
      definition: {
        conditions: { type: ["complaint"] },
        calendarId,
        targets: { first_response: 24 * H, initial_record: 30 * 60, resolution: 40 * H, follow_up: 24 * H },
        pauseStatuses: ["pending_third_party"],
        warnAt: 0.75,
        escalations: [...escalations, { afterSeconds: 8 * H, action: "reassign", team: "complaints" }],
      },
    },
  ]
}

/** Give an organisation its settings, calendars and seed policies once. Idempotent. */
const withDefaults = new WeakMap<Database, Set<string>>()

export const ensureDefaults = async (db: Database, ctx: Ctx): Promise<void> => {
  const known = withDefaults.get(db) ?? new Set<string>()
  withDefaults.set(db, known)
  if (known.has(ctx.orgId)) return
  const existing = await sql`select 1 from process.settings where org_id = ${ctx.orgId}`.execute(db.kysely)
  if (existing.rows.length > 0) {
    known.add(ctx.orgId)
    return
  }
  await change(db, ctx, async ({ tx, audit }) => {
    const inserted = await sql`insert into process.settings (org_id, priority_matrix) values (${ctx.orgId},
      ${JSON.stringify(DEFAULT_PRIORITY_MATRIX)}::jsonb) on conflict do nothing`.execute(tx)
    if (Number(inserted.numAffectedRows ?? 0) === 0) return
    const office = Id.make("cal")
    const always = Id.make("cal")
    const all = [["00:00", "24:00"]] as const
    await sql`insert into process.calendar (org_id, id, name, spec) values
      (${ctx.orgId}, ${office}, ${"中国大陆工作日 · China office hours"}, ${JSON.stringify(chinaMainland())}::jsonb),
      (${ctx.orgId}, ${always}, ${"7×24"}, ${JSON.stringify({
        timeZone: "Asia/Shanghai",
        hours: { mon: all, tue: all, wed: all, thu: all, fri: all, sat: all, sun: all },
      })}::jsonb)`.execute(tx)
    let position = 1
    let fallback: string | undefined
    for (const p of defaultPolicies(office)) {
      const id = Id.make("sla")
      // the general problem/request policy is the default of a case that matches none
      if (p.definition.conditions.type?.includes("request")) fallback = id
      await sql`insert into process.sla_policy (org_id, id, name, position, definition)
        values (${ctx.orgId}, ${id}, ${p.name}, ${position}, ${JSON.stringify(p.definition)}::jsonb)`.execute(
        tx,
      )
      await sql`insert into process.sla_policy_version (org_id, policy_id, version, name, definition)
        values (${ctx.orgId}, ${id}, 1, ${p.name}, ${JSON.stringify(p.definition)}::jsonb)`.execute(tx)
      position++
    }
    await sql`update process.settings set default_policy_id = ${fallback ?? null} where org_id = ${ctx.orgId}`.execute(
      tx,
    )
    await seedVocabulary(tx, ctx.orgId)
    await audit({
      action: "process.defaults_created",
      entityType: "process_settings",
      entityId: ctx.orgId,
      after: { calendars: 2, policies: 4 },
    })
  })
}
