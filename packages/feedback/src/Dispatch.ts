/**
 * Dispatch: which resolved cases are asked which survey, and when. A rule filters cases (type,
 * channel, segment, team), samples them, waits `delay_minutes` after resolution and, with quiet
 * hours on, moves the send time to the next opening of the organisation's calendar. A case gets at
 * most one dispatched invitation (a unique index), planned when the resolution event arrives and
 * sent by `sendDue` from the durable scheduler: each invitation is claimed with `for update skip
 * locked` and sent in the same transaction that records it sent, so several dispatchers send each
 * survey once. Opt-outs and the per-customer cap are checked at planning and again at sending.
 *
 * @since 0.1.0
 */
import { type Calendar, isOpen, nextOpening } from "@tenet/calendar"
import { ContactPermissions, type Db, Errors, Id, Tenancy } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import type { DispatchRuleTable } from "./migrations/schema"
import { markDirtyAt } from "./Rollups"
import type { Definition } from "./Survey"
import { change, fdb, type Tx } from "./store"
import { hashToken, newToken } from "./Tokens"

/** What the dispatcher needs to know of a resolved case (given by the API: process owns cases). @category models @since 0.1.0 */
export interface CaseFacts {
  readonly caseId: string
  readonly customerId: string | null
  /** The e-mail address to send to, if any. */
  readonly email: string | null
  readonly locale: "zh-CN" | "en"
  readonly caseType: string
  readonly channel: string
  readonly segment: string | null
  readonly team: string | null
  readonly agentId: string | null
  readonly resolvedAt: Date
  /** The organisation's business calendar (quiet hours are its closed hours). */
  readonly calendar?: Calendar | undefined
}

/** A rule as the API shows it. @category models @since 0.1.0 */
export interface Rule {
  readonly id: string
  readonly name: string
  readonly surveyId: string
  readonly enabled: boolean
  readonly position: number
  readonly delayMinutes: number
  readonly withinHours: number
  readonly expiryDays: number
  readonly caseTypes: ReadonlyArray<string>
  readonly channels: ReadonlyArray<string>
  readonly segments: ReadonlyArray<string>
  readonly teams: ReadonlyArray<string>
  readonly sampleRate: number
  readonly capDays: number
  readonly quietHours: boolean
}

/** @category models @since 0.1.0 */
export type RuleInput = Omit<Rule, "id" | "position" | "enabled"> & {
  readonly enabled?: boolean
  readonly position?: number
}

type RuleRow = Selectable<DispatchRuleTable>

const toRule = (r: RuleRow): Rule => ({
  id: r.id,
  name: r.name,
  surveyId: r.survey_id,
  enabled: r.enabled,
  position: r.position,
  delayMinutes: r.delay_minutes,
  withinHours: r.within_hours,
  expiryDays: r.expiry_days,
  caseTypes: r.case_types,
  channels: r.channels,
  segments: r.segments,
  teams: r.teams,
  sampleRate: Number(r.sample_rate),
  capDays: r.cap_days,
  quietHours: r.quiet_hours,
})

/** Default dispatch values (seed 000 §3.3: the survey within 24 hours of resolution). @category models @since 0.1.0 */
export const DEFAULTS = {
  delayMinutes: 60,
  withinHours: 24,
  expiryDays: 14,
  sampleRate: 1,
  capDays: 30,
  quietHours: true,
} as const

/** Create or replace a rule. @category constructors @since 0.1.0 */
export const saveRule = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  input: RuleInput,
  id: string = Id.make("drule"),
  options: { readonly replace?: boolean } = {},
): Promise<Rule> => {
  const s = await fdb(db)
    .selectFrom("feedback.survey")
    .select("id")
    .where("org_id", "=", ctx.orgId)
    .where("id", "=", input.surveyId)
    .executeTakeFirst()
  if (!s)
    throw new Errors.ValidationError({
      message: "invalid rule",
      issues: [{ path: ["surveyId"], message: "is not a survey of this organisation", code: "unknown" }],
    })
  await change(db, ctx, async ({ tx, audit }) => {
    if (options.replace) {
      const existing = await tx
        .selectFrom("feedback.dispatch_rule")
        .select("id")
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst()
      if (!existing) throw new Errors.NotFoundError({ entity: "survey_rule", id })
    }
    const values = {
      org_id: ctx.orgId,
      id,
      name: input.name,
      survey_id: input.surveyId,
      enabled: input.enabled ?? true,
      position: input.position ?? 0,
      delay_minutes: input.delayMinutes,
      within_hours: input.withinHours,
      expiry_days: input.expiryDays,
      case_types: [...input.caseTypes],
      channels: [...input.channels],
      segments: [...input.segments],
      teams: [...input.teams],
      sample_rate: input.sampleRate,
      cap_days: input.capDays,
      quiet_hours: input.quietHours,
      created_by: ctx.actor.id,
    }
    const { org_id: _o, id: _i, created_by: _c, ...update } = values
    await tx
      .insertInto("feedback.dispatch_rule")
      .values(values)
      .onConflict((oc) => oc.columns(["org_id", "id"]).doUpdateSet({ ...update, updated_at: new Date() }))
      .execute()
    await audit({ action: "survey_rule.saved", entityType: "survey_rule", entityId: id, after: update })
  })
  return (await listRules(db, ctx.orgId)).find((r) => r.id === id)!
}

/** The rules in the order they are tried. @category constructors @since 0.1.0 */
export const listRules = async (db: Db.Database, orgId: string): Promise<Rule[]> =>
  (
    await fdb(db)
      .selectFrom("feedback.dispatch_rule")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("position")
      .orderBy("id")
      .execute()
  ).map(toRule)

/** Whether a rule's filters take a case (an empty list takes every value). @category guards @since 0.1.0 */
export const matches = (rule: Rule, facts: CaseFacts): boolean =>
  rule.enabled &&
  (rule.caseTypes.length === 0 || rule.caseTypes.includes(facts.caseType)) &&
  (rule.channels.length === 0 || rule.channels.includes(facts.channel)) &&
  (rule.segments.length === 0 || (facts.segment !== null && rule.segments.includes(facts.segment))) &&
  (rule.teams.length === 0 || (facts.team !== null && rule.teams.includes(facts.team)))

/**
 * Whether a case falls in a rule's sample: a stable hash of the case id under the rate, so a
 * replayed event decides the same way.
 * @category guards
 * @since 0.1.0
 */
export const sampled = (caseId: string, rate: number): boolean => {
  if (rate >= 1) return true
  if (rate <= 0) return false
  let h = 2166136261
  for (let i = 0; i < caseId.length; i++) h = Math.imul(h ^ caseId.charCodeAt(i), 16777619)
  return (h >>> 0) / 0x1_0000_0000 < rate
}

/**
 * When a survey for a case resolved at `resolvedAt` is sent: after the delay, moved out of quiet
 * hours (the calendar's closed time) to its next opening.
 * @category constructors
 * @since 0.1.0
 */
export const sendTime = (
  rule: Pick<Rule, "delayMinutes" | "quietHours">,
  resolvedAt: Date,
  calendar?: Calendar,
): Date => {
  const at = new Date(resolvedAt.getTime() + rule.delayMinutes * 60_000)
  if (!rule.quietHours || !calendar || isOpen(calendar, at)) return at
  return nextOpening(calendar, at)
}

/** The customer's key for opt-out and the cap: their id, else their e-mail. */
const keyOf = (f: CaseFacts) => f.customerId ?? (f.email ? `email:${f.email.toLowerCase()}` : null)

const isOptedOut = async (tx: Tx | Db.Executor, orgId: string, key: string | null) =>
  key !== null &&
  (await sql`select 1 from feedback.opt_out where org_id = ${orgId} and customer_key = ${key}`.execute(tx))
    .rows.length > 0

/** What planning decided. @category models @since 0.1.0 */
export type SkipReason =
  | "no_rule"
  | "no_published_version"
  | "already_planned"
  | "sampled_out"
  | "opted_out"
  | "window_passed"
/** @category models @since 0.1.0 */
export type PlanResult =
  | { readonly planned: true; readonly invitationId: string; readonly dueAt: Date }
  | { readonly planned: false; readonly reason: SkipReason }

/**
 * Plan the survey of a resolved case (idempotent: a case already planned is left alone). A case
 * skipped by sampling, opt-out or a passed window is recorded as skipped, with its reason.
 * @category constructors
 * @since 0.1.0
 */
export const planForResolvedCase = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  facts: CaseFacts,
  options: { readonly now?: Date } = {},
): Promise<PlanResult> => {
  const now = options.now ?? new Date()
  const rule = (await listRules(db, ctx.orgId)).find((r) => matches(r, facts))
  if (!rule) return { planned: false, reason: "no_rule" }
  const survey = await fdb(db)
    .selectFrom("feedback.survey")
    .select(["published_version"])
    .where("org_id", "=", ctx.orgId)
    .where("id", "=", rule.surveyId)
    .executeTakeFirst()
  if (!survey?.published_version) return { planned: false, reason: "no_published_version" }
  const key = keyOf(facts)
  const dueAt = sendTime(rule, facts.resolvedAt, facts.calendar)
  const skip: SkipReason | null = !sampled(facts.caseId, rule.sampleRate)
    ? "sampled_out"
    : (await isOptedOut(db.kysely, ctx.orgId, key))
      ? "opted_out"
      : now.getTime() > facts.resolvedAt.getTime() + rule.withinHours * 3_600_000
        ? "window_passed"
        : null
  const id = Id.make("finv")
  const inserted = await change(db, ctx, async ({ tx, audit }) => {
    const r =
      await sql`insert into feedback.invitation (org_id, id, source, case_id, rule_id, survey_id, survey_version,
        customer_id, customer_key, email, locale, status, skip_reason, case_type, channel, segment, team, agent_id, resolved_at, due_at)
      values (${ctx.orgId}, ${id}, 'dispatch', ${facts.caseId}, ${rule.id}, ${rule.surveyId}, ${survey.published_version},
        ${facts.customerId}, ${key}, ${facts.email}, ${facts.locale}, ${skip ? "skipped" : "scheduled"}, ${skip},
        ${facts.caseType}, ${facts.channel}, ${facts.segment}, ${facts.team}, ${facts.agentId}, ${facts.resolvedAt}, ${dueAt})
      on conflict (org_id, case_id) where source = 'dispatch' do nothing`.execute(tx)
    if (Number(r.numAffectedRows ?? 0) === 0) return false
    await markDirtyAt(tx, ctx.orgId, [facts.resolvedAt])
    await audit({
      action: skip ? "survey.skipped" : "survey.planned",
      entityType: "survey_invitation",
      entityId: id,
      after: { caseId: facts.caseId, ruleId: rule.id, dueAt: dueAt.toISOString(), reason: skip },
    })
    return true
  })
  if (!inserted) return { planned: false, reason: "already_planned" }
  return skip ? { planned: false, reason: skip } : { planned: true, invitationId: id, dueAt }
}

/** An invitation being sent, handed to the delivery inside its transaction. @category models @since 0.1.0 */
export interface Outgoing {
  readonly orgId: string
  readonly invitationId: string
  readonly caseId: string | null
  readonly email: string | null
  readonly locale: "zh-CN" | "en"
  readonly token: string
  readonly expiresAt: Date
  readonly title: Definition["title"]
}

/**
 * Record the delivery of an invitation in the sending transaction (the API writes the e-mail to
 * its mail queue there), so an invitation is marked sent exactly when its e-mail exists.
 * @category models
 * @since 0.1.0
 */
export type Deliver = (tx: Tx, out: Outgoing) => Promise<void>

/** What a sending pass did. @category models @since 0.1.0 */
export interface SendReport {
  readonly sent: number
  readonly skipped: number
}

/**
 * Send the invitations that are due (every organisation), each in its own transaction: claim it
 * (`for update skip locked`), check opt-out and the cap again, make its token, hand it to
 * `deliver`, mark it sent. Safe to run from several processes at once.
 * @category constructors
 * @since 0.1.0
 */
export const sendDue = async (
  db: Db.Database,
  deliver: Deliver,
  options: { readonly now?: Date; readonly limit?: number } = {},
): Promise<SendReport> => {
  const now = options.now ?? new Date()
  const due = await sql<{ org_id: string; id: string }>`select org_id, id from feedback.invitation
    where status = 'scheduled' and due_at <= ${now} order by due_at limit ${options.limit ?? 500}`.execute(
    db.kysely,
  )
  let sent = 0
  let skipped = 0
  for (const d of due.rows) {
    const outcome = await change(
      db,
      Tenancy.system(d.org_id, "survey-dispatch"),
      async ({ tx, audit, emit }) => {
        const inv = await tx
          .selectFrom("feedback.invitation as i")
          .innerJoin("feedback.dispatch_rule as r", (j) =>
            j.onRef("r.org_id", "=", "i.org_id").onRef("r.id", "=", "i.rule_id"),
          )
          .innerJoin("feedback.survey_version as v", (j) =>
            j
              .onRef("v.org_id", "=", "i.org_id")
              .onRef("v.survey_id", "=", "i.survey_id")
              .onRef("v.version", "=", "i.survey_version"),
          )
          .select([
            "i.id",
            "i.case_id",
            "i.customer_id",
            "i.customer_key",
            "i.email",
            "i.locale",
            "i.resolved_at",
            "r.cap_days",
            "r.expiry_days",
            "v.definition",
          ])
          .where("i.org_id", "=", d.org_id)
          .where("i.id", "=", d.id)
          .where("i.status", "=", "scheduled")
          .forUpdate("i")
          .skipLocked()
          .executeTakeFirst()
        if (!inv) return "taken" as const
        const capped =
          inv.customer_key !== null &&
          inv.cap_days > 0 &&
          (
            await sql`select 1 from feedback.invitation where org_id = ${d.org_id} and customer_key = ${inv.customer_key}
            and sent_at > ${new Date(now.getTime() - inv.cap_days * 86_400_000)} and id <> ${inv.id} limit 1`.execute(
              tx,
            )
          ).rows.length > 0
        // a withdrawn survey consent or a restriction (core's contact-permission contract) counts as an opt-out
        const denied =
          inv.customer_id !== null &&
          !(await ContactPermissions.check(tx, d.org_id, inv.customer_id, "survey")).allowed
        const reason =
          denied || (await isOptedOut(tx, d.org_id, inv.customer_key))
            ? "opted_out"
            : capped
              ? "recently_surveyed"
              : inv.email === null
                ? "no_address"
                : null
        if (reason) {
          await tx
            .updateTable("feedback.invitation")
            .set({ status: "skipped", skip_reason: reason })
            .where("org_id", "=", d.org_id)
            .where("id", "=", inv.id)
            .execute()
          await markDirtyAt(tx, d.org_id, [inv.resolved_at])
          await audit({
            action: "survey.skipped",
            entityType: "survey_invitation",
            entityId: inv.id,
            after: { reason },
          })
          return "skipped" as const
        }
        const token = newToken()
        const expiresAt = new Date(now.getTime() + inv.expiry_days * 86_400_000)
        await tx
          .updateTable("feedback.invitation")
          .set({ status: "sent", sent_at: now, expires_at: expiresAt, token_hash: hashToken(token) })
          .where("org_id", "=", d.org_id)
          .where("id", "=", inv.id)
          .execute()
        await markDirtyAt(tx, d.org_id, [inv.resolved_at, now])
        await deliver(tx, {
          orgId: d.org_id,
          invitationId: inv.id,
          caseId: inv.case_id,
          email: inv.email,
          locale: inv.locale,
          token,
          expiresAt,
          title: inv.definition.title,
        })
        await audit({
          action: "survey.sent",
          entityType: "survey_invitation",
          entityId: inv.id,
          after: { caseId: inv.case_id, channel: "email" },
        })
        await emit({
          type: "feedback.survey.sent",
          aggregateType: "survey_invitation",
          aggregateId: inv.id,
          payload: { caseId: inv.case_id },
        })
        return "sent" as const
      },
    )
    if (outcome === "sent") sent++
    else if (outcome === "skipped") skipped++
  }
  return { sent, skipped }
}

/** The durable job that sends due invitations. @category models @since 0.1.0 */
export const SEND_JOB = "feedback.send-due"
