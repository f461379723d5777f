import { type Db, Id, type Jobs, Teams, type Tenancy } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import { DEFAULT_ESCALATION_NOTIFY, OPEN_STATUSES, raiseTier, type Target, type Tier } from "../Case"
import { FOLLOW_UP_JOB, JOB_KIND, nextSlaEvent, SWEEP_JOB, saveScheduled } from "../Intake"
import type { CaseTable, FollowUpTable, SlaClockTable } from "../migrations/schema"
import * as Sla from "../Sla"
import { addEvent, change, toCase, toClock } from "../Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

import { refreshSummary, withPolicy } from "./clocks"
// ---------------------------------------------------------------------------
// the scheduler
// ---------------------------------------------------------------------------

/** Identifies one SLA clock. @category models @since 0.2.0 */
export interface ClockKey {
  readonly orgId: string
  readonly caseId: string
  readonly target: Target
  readonly seq: number
}

/**
 * Fire what is due on one clock, in order — the warning, the breach, each escalation level —
 * and record when its next event is due. Runs in its own transaction with the case locked
 * (skipped when another transaction holds it: the next sweep comes back). Each event is recorded
 * on the clock, so none fires twice, whichever process runs the sweep. Returns the events fired.
 * @category constructors
 * @since 0.2.0
 */
export const advanceClock = async (db: Database, key: ClockKey, now = new Date()): Promise<number> => {
  const ctx: Ctx = { orgId: key.orgId, actor: { type: "system", id: "sla" } }
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const locked = await sql<
      Selectable<CaseTable>
    >`select * from process.case where org_id = ${key.orgId} and id = ${key.caseId} for update skip locked`.execute(
      tx,
    )
    if (!locked.rows[0]) return 0
    let c = toCase(locked.rows[0])
    const r = await sql<
      Selectable<SlaClockTable>
    >`select * from process.sla_clock where org_id = ${key.orgId} and case_id = ${key.caseId}
      and target = ${key.target} and seq = ${key.seq} for update`.execute(tx)
    if (!r.rows[0]) return 0
    let clock = toClock(r.rows[0])
    const pol = await withPolicy(tx, key.orgId, c)
    if (!pol) {
      await sql`update process.sla_clock set next_event_at = null where org_id = ${key.orgId} and case_id = ${key.caseId}
        and target = ${key.target} and seq = ${key.seq}`.execute(tx)
      return 0
    }
    let fired = 0
    for (
      let next = nextSlaEvent(clock, pol.definition, pol.calendar);
      next && next.at <= now;
      next = nextSlaEvent(clock, pol.definition, pol.calendar)
    ) {
      fired++
      const data = { target: key.target, dueAt: clock.dueAt!.toISOString() }
      if (next.event === "warn") {
        clock = { ...clock, warnedAt: now }
        await addEvent(tx, key.orgId, key.caseId, {
          kind: "sla_warning",
          at: now,
          actorType: "system",
          actorId: "sla",
          data,
        })
        await emit({
          type: "process.sla.warning",
          aggregateType: "case",
          aggregateId: key.caseId,
          payload: data,
        })
      } else if (next.event === "breach") {
        clock = { ...clock, ...Sla.breach(clock, clock.dueAt!) }
        await addEvent(tx, key.orgId, key.caseId, {
          kind: "sla_breach",
          at: now,
          actorType: "system",
          actorId: "sla",
          data,
        })
        await audit({ action: "sla.breached", entityType: "case", entityId: key.caseId, after: data })
        await emit({
          type: "process.sla.breached",
          aggregateType: "case",
          aggregateId: key.caseId,
          payload: data,
        })
      } else {
        const level = next.level!
        const step = pol.definition.escalations[level - 1]!
        clock = { ...clock, escalationsFired: level }
        const raise: boolean =
          step.action === "raise_tier" && c.tier !== "L3" && OPEN_STATUSES.includes(c.status)
        const tier: Tier = raise ? raiseTier(c.tier) : c.tier
        c = {
          ...c,
          escalationLevel: Math.max(c.escalationLevel, level),
          tier,
          ...(raise ? { status: "escalated" as const } : {}),
          ...(step.action === "reassign" && step.team ? { team: step.team, ownerId: null } : {}),
        }
        if (step.action === "reassign" && step.team) await Teams.ensure(tx, key.orgId, [step.team])
        await sql`update process.case set tier = ${c.tier}, status = ${c.status}, team = ${c.team}, owner_id = ${c.ownerId},
            escalation_level = ${c.escalationLevel} where org_id = ${key.orgId} and id = ${key.caseId}`.execute(
          tx,
        )
        await addEvent(tx, key.orgId, key.caseId, {
          kind: "escalation",
          at: now,
          actorType: "system",
          actorId: "sla",
          data: { target: key.target, level, action: step.action, team: step.team ?? null, tier },
        })
        await audit({
          action: "case.escalated",
          entityType: "case",
          entityId: key.caseId,
          after: { level, action: step.action },
        })
        await emit({
          type: "process.case.escalated",
          aggregateType: "case",
          aggregateId: key.caseId,
          payload: {
            level,
            action: step.action,
            target: key.target,
            notify: step.notify ?? DEFAULT_ESCALATION_NOTIFY,
          },
        })
      }
    }
    await saveScheduled(tx, key.orgId, { clock, ...pol })
    if (fired) await refreshSummary(tx, key.orgId, key.caseId, now)
    return fired
  })
}

/**
 * The SLA sweep: advance every clock whose next event is due, a page at a time, until none is
 * left or `budgetMs` has passed. Safe to run from several processes at once.
 * @category constructors
 * @since 0.2.0
 */
export const sweepSla = async (
  db: Database,
  options: { readonly now?: Date; readonly limit?: number; readonly budgetMs?: number } = {},
) => {
  const started = Date.now()
  const seen = new Set<string>()
  let clocks = 0
  let events = 0
  const failed: Array<{ caseId: string; target: string; error: string }> = []
  for (;;) {
    const now = options.now ?? new Date()
    const due = await sql<{
      org_id: string
      case_id: string
      target: Target
      seq: number
    }>`select org_id, case_id, target, seq
      from process.sla_clock where next_event_at <= ${now} order by next_event_at limit ${options.limit ?? 200}`.execute(
      db.kysely,
    )
    const unswept = due.rows.filter((r) => !seen.has(`${r.org_id}:${r.case_id}:${r.target}:${r.seq}`))
    if (unswept.length === 0) break
    for (const r of unswept) {
      seen.add(`${r.org_id}:${r.case_id}:${r.target}:${r.seq}`)
      try {
        events += await advanceClock(
          db,
          { orgId: r.org_id, caseId: r.case_id, target: r.target, seq: r.seq },
          now,
        )
        clocks++
      } catch (e) {
        // one clock that cannot advance must not hold up the others: it is looked at again in 5 minutes
        failed.push({
          caseId: r.case_id,
          target: r.target,
          error: e instanceof Error ? e.message : String(e),
        })
        await sql`update process.sla_clock set next_event_at = ${new Date(now.getTime() + 300_000)} where org_id = ${r.org_id}
          and case_id = ${r.case_id} and target = ${r.target} and seq = ${r.seq}`.execute(db.kysely)
      }
    }
    if (Date.now() - started > (options.budgetMs ?? 10_000)) break
  }
  return { clocks, events, failed }
}

/**
 * Job handlers for the durable scheduler: the SLA sweep (warnings, breaches and escalations,
 * see `sweepSla`), follow-up reminders, recurring-issue reminders.
 * @category constructors
 * @since 0.1.0
 */
export const jobHandlers: Jobs.JobHandlers = {
  [SWEEP_JOB]: async (_job, db) => {
    const r = await sweepSla(db)
    if (r.failed.length)
      console.error(
        `SLA sweep: ${r.failed.length} clock(s) could not advance, first: ${JSON.stringify(r.failed[0])}`,
      )
  },
  // jobs scheduled by earlier versions, one per clock event: they advance their clock the same way
  [JOB_KIND]: async (job, db) => {
    const p = job.payload as { caseId: string; target: Target; seq: number }
    await advanceClock(db, { orgId: job.orgId, caseId: p.caseId, target: p.target, seq: p.seq })
  },
  [FOLLOW_UP_JOB]: async (job, db) => {
    const p = job.payload as {
      event: "due" | "recurring"
      followUpId?: string
      caseId?: string
      repeatOf?: string
      /** A batch of recurring issues (one job per intake batch). */
      cases?: ReadonlyArray<{ caseId: string; repeatOf: string }>
    }
    const ctx: Ctx = { orgId: job.orgId, actor: { type: "system", id: "follow-up" } }
    await change(db, ctx, async ({ tx, emit, emitAll }) => {
      if (p.event === "due") {
        const f = await sql<
          Selectable<FollowUpTable>
        >`select * from process.follow_up where org_id = ${job.orgId} and id = ${p.followUpId ?? ""}`.execute(
          tx,
        )
        if (!f.rows[0] || f.rows[0].done_at) return
        await addEvent(tx, job.orgId, p.caseId!, {
          kind: "follow_up_overdue",
          at: new Date(),
          actorType: "system",
          actorId: "follow-up",
          data: { followUpId: p.followUpId, kind: f.rows[0].kind },
        })
        await emit({
          type: "process.follow_up.overdue",
          aggregateType: "case",
          aggregateId: p.caseId!,
          payload: { followUpId: p.followUpId },
        })
        return
      }
      // the whole batch in one statement: each case's chain of repeats counted, a reminder added to
      // its timeline (cases gone since are skipped)
      const at = new Date()
      const list = [
        ...new Map(
          (p.cases ?? [{ caseId: p.caseId!, repeatOf: p.repeatOf! }]).map((r) => [r.caseId, r] as const),
        ).values(),
      ].map((r) => ({ case_id: r.caseId, repeat_of: r.repeatOf, id: Id.make("cev") }))
      const added = await sql<{ case_id: string; contacts: number }>`with recursive
        x as (select * from json_to_recordset(${JSON.stringify(list)}::json) as x(case_id text, repeat_of text, id text)),
        chain as (
          select x.case_id as head, c.id, c.repeat_of from x join process.case c on c.org_id = ${job.orgId} and c.id = x.case_id
          union all
          select chain.head, c.id, c.repeat_of from process.case c join chain on c.org_id = ${job.orgId} and c.id = chain.repeat_of),
        counts as (select head, count(*)::int as contacts from chain group by head),
        ins as (insert into process.case_event (org_id, case_id, seq, id, at, kind, actor_type, actor_id, participants, content, data)
          select ${job.orgId}, x.case_id,
            (select coalesce(max(e.seq), 0) + 1 from process.case_event e where e.org_id = ${job.orgId} and e.case_id = x.case_id),
            x.id, ${at}, 'reminder', 'system', 'follow-up', '[]'::jsonb,
            'recurring issue: ' || k.contacts || ' contacts on the same category',
            jsonb_build_object('contacts', k.contacts, 'repeatOf', x.repeat_of)
          from x join counts k on k.head = x.case_id
          returning case_id)
        select k.head as case_id, k.contacts from counts k join ins on ins.case_id = k.head order by k.head`.execute(
        tx,
      )
      await emitAll(
        added.rows.map((r) => ({
          type: "process.case.recurring_issue",
          aggregateType: "case",
          aggregateId: r.case_id,
          payload: { contacts: r.contacts },
        })),
      )
    })
  },
}
