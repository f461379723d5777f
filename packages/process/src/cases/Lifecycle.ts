import { addBusinessTime } from "@tenet/calendar"
import {
  Change,
  ContactPermissions,
  type Db,
  Eligibility,
  Errors,
  Id,
  Jobs,
  Teams,
  type Tenancy,
} from "@tenet/core"
import { sql } from "kysely"
import { isReopen, raiseTier, returnVisitDates, type Status, transitionRefusal } from "../Case"
import { MAX_KEY_LENGTH, tooLong } from "../Config"
import { FOLLOW_UP_JOB, saveScheduled } from "../Intake"
import * as Sla from "../Sla"
import {
  addEvent,
  asProcess,
  type CaseRecord,
  type ClockRow,
  change,
  loadClocks,
  loadSettings,
  lockCase,
} from "../Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

import { notEligible } from "./Create"
import { clockAfter, refreshSummary, withPolicy } from "./clocks"
/**
 * Move a case to another status. Refused transitions throw a ConflictError with the reason.
 * @category constructors
 * @since 0.1.0
 */
export const transition = async (
  db: Database,
  ctx: Ctx,
  caseId: string,
  input: {
    to: string
    reason?: string | undefined
    resolutionCode?: string | undefined
    handleSeconds?: number | undefined
  },
  options: { now?: Date } = {},
): Promise<CaseRecord> =>
  Change.change(db, ctx, (scope) => transitionIn(scope, caseId, input, options.now ?? new Date()))

/** `transition` inside the caller's change (same rules, same records). @category constructors @since 0.1.0 */
export const transitionIn = async (
  { tx: coreTx, ctx, audit, emit }: Change.ChangeScope,
  caseId: string,
  input: {
    to: string
    reason?: string | undefined
    resolutionCode?: string | undefined
    /** Seconds of work done on the case since the last record of it, added to its handling time. */
    handleSeconds?: number | undefined
  },
  now: Date,
): Promise<CaseRecord> => {
  const tx = asProcess(coreTx)
  if (
    input.handleSeconds !== undefined &&
    !(Number.isInteger(input.handleSeconds) && input.handleSeconds >= 1 && input.handleSeconds <= 86_400)
  )
    throw new Errors.ValidationError({
      message: "invalid handling time",
      issues: [{ path: ["handleSeconds"], message: "must be whole seconds from 1 to 86400", code: "number" }],
    })
  {
    const c = await lockCase(tx, ctx.orgId, caseId)
    const settings = await loadSettings(tx, ctx.orgId)
    const to = input.to as Status
    const refusal = transitionRefusal(c, to, { now, reopenWindowDays: settings.reopenWindowDays })
    if (refusal) throw new Errors.ConflictError({ ...refusal, field: "to" })
    const p = await withPolicy(tx, ctx.orgId, c)
    const pauseSet = new Set<string>(p?.definition.pauseStatuses ?? [])
    const reopen = isReopen(c.status, to)
    const sets: Record<string, unknown> = { status: to }
    if (to === "acknowledged" && !c.firstResponseAt) sets.first_response_at = now
    if (to === "escalated") {
      sets.tier = raiseTier(c.tier)
      sets.escalation_level = c.escalationLevel + 1
    }
    if (to === "resolved") {
      sets.resolved_at = now
      sets.resolution_code = input.resolutionCode ?? null
      if (!c.firstResponseAt) sets.first_response_at = now
    }
    if (to === "closed") sets.closed_at = now
    if (reopen) {
      sets.reopen_count = c.reopenCount + 1
      sets.resolved_at = null
      sets.closed_at = null
    }
    await sql`update process.case set status = ${to}, tier = ${(sets.tier as string) ?? c.tier},
        escalation_level = ${(sets.escalation_level as number) ?? c.escalationLevel},
        first_response_at = ${"first_response_at" in sets ? (sets.first_response_at as Date) : c.firstResponseAt},
        resolved_at = ${"resolved_at" in sets ? (sets.resolved_at as Date | null) : c.resolvedAt},
        resolution_code = ${"resolution_code" in sets ? (sets.resolution_code as string | null) : c.resolutionCode},
        closed_at = ${"closed_at" in sets ? (sets.closed_at as Date | null) : c.closedAt},
        reopen_count = ${(sets.reopen_count as number) ?? c.reopenCount},
        handle_seconds = ${input.handleSeconds === undefined ? sql`handle_seconds` : sql`coalesce(handle_seconds, 0) + ${input.handleSeconds}::int`},
        version = version + 1, updated_at = now()
      where org_id = ${ctx.orgId} and id = ${caseId}`.execute(tx)
    if (p) {
      const clocks = await loadClocks(tx, ctx.orgId, caseId)
      for (const clock of clocks) {
        let next: ClockRow = clock
        if (clock.stoppedAt) continue
        const pausable = clock.target === "resolution" || clock.target === "next_reply"
        if ((to === "acknowledged" || to === "resolved") && clock.target === "first_response")
          next = { ...next, ...Sla.stop(p.calendar, next, now) }
        if (to === "resolved" && (clock.target === "resolution" || clock.target === "next_reply"))
          next = { ...next, ...Sla.stop(p.calendar, next, now) }
        // a record never completed is closed with the case's resolution (late when past its target)
        if (to === "resolved" && clock.target === "initial_record")
          next = { ...next, ...Sla.stop(p.calendar, next, now) }
        if (to === "closed" && clock.target === "follow_up")
          next = { ...next, ...Sla.stop(p.calendar, next, now) }
        if (!next.stoppedAt && pausable) {
          if (pauseSet.has(to) && !next.pausedAt) next = { ...next, ...Sla.pause(p.calendar, next, now, to) }
          else if (!pauseSet.has(to) && next.pausedAt)
            next = { ...next, ...Sla.resume(p.calendar, next, now, p.definition.warnAt) }
        }
        if (next !== clock) {
          await saveScheduled(tx, ctx.orgId, { clock: next, ...p })
        }
      }
      // the confirmation and the return visit reach the customer: not when their preferences refuse it (PR-02)
      if (
        to === "resolved" &&
        (!c.customerId || (await ContactPermissions.check(tx, ctx.orgId, c.customerId, "service")).allowed)
      ) {
        const fu = clockAfter(clocks, caseId, "follow_up", p, now)
        if (fu) {
          await saveScheduled(tx, ctx.orgId, { clock: fu, ...p })
        }
        const confirmDue = fu?.dueAt ?? addBusinessTime(p.calendar, now, 24 * 3600)
        // the return visits: the organisation's schedule (seed 000 §3.3: periodic)
        for (const [kind, due] of [
          ["confirmation", confirmDue] as const,
          ...returnVisitDates(settings.returnVisit, now).map((d) => ["return_visit", d] as const),
        ]) {
          const fid = Id.make("fup")
          await sql`insert into process.follow_up (org_id, id, case_id, kind, due_at) values (${ctx.orgId}, ${fid}, ${caseId}, ${kind}, ${due})`.execute(
            tx,
          )
          await Jobs.scheduleIn(tx, {
            orgId: ctx.orgId,
            kind: FOLLOW_UP_JOB,
            key: `due:${fid}`,
            runAt: due,
            payload: { event: "due", followUpId: fid, caseId },
          })
        }
      }
      if (reopen) {
        const rc = clockAfter(clocks, caseId, "resolution", p, now)
        if (rc) {
          await saveScheduled(tx, ctx.orgId, { clock: rc, ...p })
        }
      }
    }
    await addEvent(tx, ctx.orgId, caseId, {
      kind: reopen ? "reopened" : "transition",
      at: now,
      direction: "internal",
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      content: input.reason ?? null,
      data: {
        from: c.status,
        to,
        ...(input.resolutionCode ? { resolutionCode: input.resolutionCode } : {}),
        ...(to === "escalated" ? { tier: sets.tier } : {}),
        ...(input.handleSeconds !== undefined ? { handleSeconds: input.handleSeconds } : {}),
      },
    })
    await refreshSummary(tx, ctx.orgId, caseId, now)
    await audit({
      action: "case.status_changed",
      entityType: "case",
      entityId: caseId,
      before: { status: c.status },
      after: { status: to, reason: input.reason ?? null },
    })
    await emit({
      type: "process.case.status_changed",
      aggregateType: "case",
      aggregateId: caseId,
      payload: { from: c.status, to, reopen },
    })
    return lockCase(tx, ctx.orgId, caseId)
  }
}

export const assign = async (
  db: Database,
  ctx: Ctx,
  caseId: string,
  input: {
    ownerId?: string | null | undefined
    team?: string | undefined
    /** A supervisor's override of the eligibility gate: the reason is required and audited. */
    override?: { readonly reason: string } | undefined
  },
) =>
  change(db, ctx, async ({ tx, audit }) => {
    const issues = (["ownerId", "team"] as const)
      .filter((f) => typeof input[f] === "string" && input[f]!.length > MAX_KEY_LENGTH)
      .map((f) => tooLong([f]))
    if (input.override && !input.override.reason.trim())
      issues.push({ path: ["override", "reason"], message: "an override needs a reason", code: "required" })
    if (issues.length) throw new Errors.ValidationError({ message: "invalid assignment", issues })
    const c = await lockCase(tx, ctx.orgId, caseId)
    const ownerId = input.ownerId === undefined ? c.ownerId : input.ownerId
    const team = input.team ?? c.team
    await Teams.ensure(tx, ctx.orgId, [team])
    // the eligibility gate: a person not certified for the case is refused unless a supervisor overrides
    let overridden: Eligibility.Decision | undefined
    if (ownerId && (ownerId !== c.ownerId || team !== c.team)) {
      const decision = await Eligibility.check(tx, ctx.orgId, ownerId, {
        caseId,
        team,
        channel: c.channel,
        type: c.type,
      })
      if (!decision.eligible) {
        if (!input.override) throw notEligible(ownerId, decision, ["ownerId"])
        if (!ctx.actor.role || !Eligibility.OVERRIDE_ROLES.includes(ctx.actor.role))
          throw new Errors.ForbiddenError({ message: "only a supervisor may override the eligibility gate" })
        overridden = decision
      }
    }
    await sql`update process.case set owner_id = ${ownerId}, team = ${team}, version = version + 1, updated_at = now()
      where org_id = ${ctx.orgId} and id = ${caseId}`.execute(tx)
    await addEvent(tx, ctx.orgId, caseId, {
      kind: "assignment",
      at: new Date(),
      direction: "internal",
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      data: { ownerId, team, ...(overridden ? { override: input.override!.reason.trim() } : {}) },
    })
    await audit({
      action: "case.assigned",
      entityType: "case",
      entityId: caseId,
      before: { ownerId: c.ownerId, team: c.team },
      after: { ownerId, team },
    })
    if (overridden)
      await audit({
        action: "case.eligibility_overridden",
        entityType: "case",
        entityId: caseId,
        before: { refusals: overridden.refusals },
        after: { ownerId, team, reason: input.override!.reason.trim() },
      })
    return lockCase(tx, ctx.orgId, caseId)
  })
