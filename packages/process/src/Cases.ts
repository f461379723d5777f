/**
 * Service cases end to end: intake (with the customer, priority, policy and repeat detection),
 * transitions, replies and notes on a timeline, SLA clocks with their ledger, escalation from
 * the durable scheduler (exactly once), follow-ups, the queue and its CSV export.
 *
 * @since 0.1.0
 */
import type { Calendar } from "@tenet/calendar"
import { addBusinessTime } from "@tenet/calendar"
import { Batching, Change, type Db, Errors, Id, Jobs, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import {
  allowedTransitions,
  CHANNELS,
  DEFAULT_ESCALATION_NOTIFY,
  isReopen,
  OPEN_STATUSES,
  type PolicyDefinition,
  raiseTier,
  STATUSES,
  type Status,
  type Target,
  type Tier,
  transitionRefusal,
} from "./Case"
import { ensureDefaults, MAX_KEY_LENGTH, toCustomer, tooLong } from "./Config"
import {
  type CaseInput,
  checkCaseInput,
  FOLLOW_UP_JOB,
  type IntakeCache,
  intakeCache,
  intakeMany,
  JOB_KIND,
  loadIntakeCache,
  newClock,
  nextSlaEvent,
  SWEEP_JOB,
  saveScheduled,
} from "./Intake"
import * as Sla from "./Sla"
import {
  addEvent,
  type CaseRecord,
  type ClockRow,
  type Ex,
  loadCalendar,
  loadClocks,
  loadPolicyVersion,
  loadSettings,
  lockCase,
  summarize,
  toCase,
  toClock,
  toEvent,
} from "./Store"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

export {
  type CaseInput,
  checkCaseInput,
  FOLLOW_UP_JOB,
  type HistoricalCaseInput,
  type IntakeCache,
  type IntakeOptions,
  intakeCache,
  intakeMany,
  JOB_KIND,
  nextSlaEvent,
  routeTeam,
  SWEEP_JOB,
  saveScheduled,
} from "./Intake"

const refreshSummary = async (tx: Ex, orgId: string, caseId: string, now: Date) => {
  const { slaState, nextDueAt } = summarize(await loadClocks(tx, orgId, caseId), now)
  await sql`update process.case set sla_state = ${slaState}, next_due_at = ${nextDueAt} where org_id = ${orgId} and id = ${caseId}`.execute(
    tx,
  )
}

/**
 * Receive a case: customer, priority from urgency × impact, routing, repeat detection, the
 * first matching SLA policy (its version pinned to the case), clocks and their next event.
 *
 * Concurrent calls for one organisation and actor share transactions (group commit, see
 * `Batching` in @tenet/core): an idle organisation's case is written at once; under load, the
 * cases that arrive while one transaction runs go together in the next one, each with its own
 * audit record (and request id) and event. A case that fails is retried alone, so it fails
 * alone. A call with an explicit `now` runs by itself.
 * @category constructors
 * @since 0.1.0
 */
export const createCase = async (
  db: Database,
  ctx: Ctx,
  input: CaseInput,
  options: { now?: Date } = {},
): Promise<CaseRecord> => {
  const issues = checkCaseInput(input)
  if (issues.length) throw new Errors.ValidationError({ message: "invalid case", issues })
  await ensureDefaults(db, ctx)
  if (options.now) return (await createCases(db, ctx, [{ input, requestId: ctx.requestId }], options))[0]!
  let batcher = batchers.get(db)
  // One batch of an organisation at a time while the load is light (fewer, larger transactions,
  // no wait on the audit chain's lock); when 16 calls wait, a second one is written while the
  // first commits (PostgreSQL only: PGlite has one connection).
  if (!batcher) {
    batcher = Batching.make({ concurrency: db.kind === "postgres" ? 2 : 1, parallelFrom: 16 })
    batchers.set(db, batcher)
  }
  const lane = `${ctx.orgId}\u0000${ctx.actor.type}\u0000${ctx.actor.id}`
  return batcher.submit(lane, { input, requestId: ctx.requestId }, (items) => createCases(db, ctx, items))
}

const batchers = new WeakMap<
  Database,
  Batching.Batcher<{ input: CaseInput; requestId: string | undefined }, CaseRecord>
>()

/**
 * Receive several cases in one transaction (all or none), each with its audit record and
 * event. Inputs must have passed `checkCaseInput`.
 * @category constructors
 * @since 0.2.0
 */
export const createCases = async (
  db: Database,
  ctx: Ctx,
  items: ReadonlyArray<{ readonly input: CaseInput; readonly requestId?: string | undefined }>,
  options: { now?: Date } = {},
): Promise<CaseRecord[]> => {
  // On PostgreSQL the configuration in force (settings, policies, calendars) is read before the
  // transaction, in one statement that writes nothing; the numbers are taken in the statement that
  // writes the cases (see `intakeMany`).
  const cache = db.kind === "postgres" ? await loadIntakeCache(db.kysely, ctx.orgId) : intakeCache()
  return Change.change(db, ctx, async ({ tx, auditAll, emitAll, lockAuditHead, auditHeadLocked }) => {
    const created = await intakeMany(
      tx,
      ctx,
      items.map((item) => item.input),
      options.now ?? new Date(),
      cache,
      { auditHead: { lock: lockAuditHead, locked: auditHeadLocked } },
    )
    await auditAll(
      created.map((c, i) => ({
        action: "case.created",
        entityType: "case",
        entityId: c.id,
        after: { number: c.number, type: c.type, priority: c.priority, policyId: c.policyId },
        requestId: items[i]!.requestId,
      })),
    )
    await emitAll(
      created.map((c) => ({
        type: "process.case.created",
        aggregateType: "case",
        aggregateId: c.id,
        payload: { number: c.number, type: c.type, channel: c.channel, priority: c.priority },
      })),
    )
    return created
  })
}

/** One intake inside a transaction (the demo data uses it with a cache). */
export const createCaseIn = async (
  tx: Ex,
  ctx: Ctx,
  input: CaseInput,
  now: Date,
  cache?: IntakeCache,
): Promise<CaseRecord> => (await intakeMany(tx, ctx, [input], now, cache))[0]!

// ---------------------------------------------------------------------------
// changes
// ---------------------------------------------------------------------------

const withPolicy = async (tx: Ex, orgId: string, c: CaseRecord) => {
  if (!c.policyId || !c.policyVersion) return undefined
  const { definition } = await loadPolicyVersion(tx, orgId, c.policyId, c.policyVersion)
  const { calendar } = await loadCalendar(tx, orgId, definition.calendarId)
  return { definition, calendar }
}

/** A new clock for `target`, numbered after the case's earlier clocks of that target. */
const clockAfter = (
  clocks: ReadonlyArray<ClockRow>,
  caseId: string,
  target: Target,
  p: { definition: PolicyDefinition; calendar: Calendar },
  now: Date,
) =>
  newClock(
    caseId,
    target,
    clocks.filter((x) => x.target === target).length + 1,
    p.definition.calendarId,
    p.calendar,
    p.definition,
    now,
  )

const updateClocks = async (
  tx: Ex,
  orgId: string,
  c: CaseRecord,
  fn: (clock: ClockRow, p: { definition: PolicyDefinition; calendar: Calendar }) => ClockRow | undefined,
) => {
  const p = await withPolicy(tx, orgId, c)
  if (!p) return
  for (const clock of await loadClocks(tx, orgId, c.id)) {
    const next = fn(clock, p)
    if (next && next !== clock) {
      await saveScheduled(tx, orgId, { clock: next, ...p })
    }
  }
}

/**
 * Move a case to another status. Refused transitions throw a ConflictError with the reason.
 * @category constructors
 * @since 0.1.0
 */
export const transition = async (
  db: Database,
  ctx: Ctx,
  caseId: string,
  input: { to: string; reason?: string | undefined; resolutionCode?: string | undefined },
  options: { now?: Date } = {},
): Promise<CaseRecord> =>
  Change.change(db, ctx, (scope) => transitionIn(scope, caseId, input, options.now ?? new Date()))

/** `transition` inside the caller's change (same rules, same records). @category constructors @since 0.1.0 */
export const transitionIn = async (
  { tx, ctx, audit, emit }: Change.ChangeScope,
  caseId: string,
  input: { to: string; reason?: string | undefined; resolutionCode?: string | undefined },
  now: Date,
): Promise<CaseRecord> => {
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
      if (to === "resolved") {
        const fu = clockAfter(clocks, caseId, "follow_up", p, now)
        if (fu) {
          await saveScheduled(tx, ctx.orgId, { clock: fu, ...p })
        }
        const confirmDue = fu?.dueAt ?? addBusinessTime(p.calendar, now, 24 * 3600)
        for (const [kind, due] of [
          ["confirmation", confirmDue],
          ["return_visit", new Date(now.getTime() + 7 * 86_400_000)],
        ] as const) {
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

/**
 * A reply on the case's timeline. Outbound replies stop the first-response and next-reply
 * clocks; an inbound message starts the next-reply clock and takes a case waiting for the
 * customer back to in progress.
 * @category constructors
 * @since 0.1.0
 */
export const reply = async (
  db: Database,
  ctx: Ctx,
  caseId: string,
  input: {
    content: string
    direction?: "outbound" | "inbound" | undefined
    channel?: string | undefined
    participants?: ReadonlyArray<string> | undefined
  },
  options: { now?: Date } = {},
) => {
  if (!input.content?.trim())
    throw new Errors.ValidationError({
      message: "invalid reply",
      issues: [{ path: ["content"], message: "must not be empty", code: "required" }],
    })
  if (input.channel !== undefined && !(CHANNELS as readonly string[]).includes(input.channel))
    throw new Errors.ValidationError({
      message: "invalid reply",
      issues: [
        {
          path: ["channel"],
          message: `must be one of ${CHANNELS.join(", ")}`,
          code: "oneOf",
          params: { values: CHANNELS.join(", ") },
        },
      ],
    })
  return Change.change(db, ctx, (scope) => replyIn(scope, caseId, input, options.now ?? new Date()))
}

/** `reply` inside the caller's change. @category constructors @since 0.1.0 */
export const replyIn = async (
  { tx, ctx, audit, emit }: Change.ChangeScope,
  caseId: string,
  input: {
    content: string
    direction?: "outbound" | "inbound" | undefined
    channel?: string | undefined
    participants?: ReadonlyArray<string> | undefined
  },
  now: Date,
) => {
  const direction = input.direction ?? "outbound"
  {
    const c = await lockCase(tx, ctx.orgId, caseId)
    if (c.status === "closed")
      throw new Errors.ConflictError({
        message: "the case is closed; reopen it to reply",
        field: "content",
        code: "closedCase",
      })
    await addEvent(tx, ctx.orgId, caseId, {
      kind: "reply",
      at: now,
      channel: input.channel ?? c.channel,
      direction,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      participants: input.participants ?? [],
      content: input.content,
    })
    const p = await withPolicy(tx, ctx.orgId, c)
    if (direction === "outbound") {
      if (!c.firstResponseAt)
        await sql`update process.case set first_response_at = ${now} where org_id = ${ctx.orgId} and id = ${caseId}`.execute(
          tx,
        )
      await updateClocks(tx, ctx.orgId, c, (clock, pp) =>
        !clock.stoppedAt && (clock.target === "first_response" || clock.target === "next_reply")
          ? { ...clock, ...Sla.stop(pp.calendar, clock, now) }
          : clock,
      )
    } else if (p) {
      const clocks = await loadClocks(tx, ctx.orgId, caseId)
      const running = clocks.some((x) => x.target === "next_reply" && !x.stoppedAt)
      if (c.firstResponseAt && !running) {
        const nr = clockAfter(clocks, caseId, "next_reply", p, now)
        if (nr) {
          await saveScheduled(tx, ctx.orgId, { clock: nr, ...p })
        }
      }
      if (c.status === "pending_customer") {
        await sql`update process.case set status = 'in_progress' where org_id = ${ctx.orgId} and id = ${caseId}`.execute(
          tx,
        )
        await updateClocks(tx, ctx.orgId, c, (clock, pp) =>
          clock.pausedAt && !clock.stoppedAt
            ? { ...clock, ...Sla.resume(pp.calendar, clock, now, pp.definition.warnAt) }
            : clock,
        )
        await addEvent(tx, ctx.orgId, caseId, {
          kind: "transition",
          at: now,
          direction: "internal",
          actorType: "system",
          actorId: "process",
          data: { from: "pending_customer", to: "in_progress" },
          content: "customer replied",
        })
      }
    }
    await sql`update process.case set version = version + 1, updated_at = now() where org_id = ${ctx.orgId} and id = ${caseId}`.execute(
      tx,
    )
    await refreshSummary(tx, ctx.orgId, caseId, now)
    await audit({
      action: "case.replied",
      entityType: "case",
      entityId: caseId,
      after: { direction, length: input.content.length },
    })
    await emit({
      type: "process.case.replied",
      aggregateType: "case",
      aggregateId: caseId,
      payload: { direction },
    })
    return lockCase(tx, ctx.orgId, caseId)
  }
}

/** An internal note on the timeline. @category constructors @since 0.1.0 */
export const note = async (db: Database, ctx: Ctx, caseId: string, input: { content: string }) => {
  if (!input.content?.trim())
    throw new Errors.ValidationError({
      message: "invalid note",
      issues: [{ path: ["content"], message: "must not be empty", code: "required" }],
    })
  return Change.change(db, ctx, async ({ tx, audit }) => {
    await lockCase(tx, ctx.orgId, caseId)
    await addEvent(tx, ctx.orgId, caseId, {
      kind: "note",
      at: new Date(),
      direction: "internal",
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      content: input.content,
    })
    await sql`update process.case set updated_at = now() where org_id = ${ctx.orgId} and id = ${caseId}`.execute(
      tx,
    )
    await audit({ action: "case.noted", entityType: "case", entityId: caseId })
  })
}

/** Assign an owner and/or a team. @category constructors @since 0.1.0 */
export const assign = async (
  db: Database,
  ctx: Ctx,
  caseId: string,
  input: { ownerId?: string | null | undefined; team?: string | undefined },
) =>
  Change.change(db, ctx, async ({ tx, audit }) => {
    const issues = (["ownerId", "team"] as const)
      .filter((f) => typeof input[f] === "string" && input[f]!.length > MAX_KEY_LENGTH)
      .map((f) => tooLong([f]))
    if (issues.length) throw new Errors.ValidationError({ message: "invalid assignment", issues })
    const c = await lockCase(tx, ctx.orgId, caseId)
    const ownerId = input.ownerId === undefined ? c.ownerId : input.ownerId
    const team = input.team ?? c.team
    await sql`update process.case set owner_id = ${ownerId}, team = ${team}, version = version + 1, updated_at = now()
      where org_id = ${ctx.orgId} and id = ${caseId}`.execute(tx)
    await addEvent(tx, ctx.orgId, caseId, {
      kind: "assignment",
      at: new Date(),
      direction: "internal",
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      data: { ownerId, team },
    })
    await audit({
      action: "case.assigned",
      entityType: "case",
      entityId: caseId,
      before: { ownerId: c.ownerId, team: c.team },
      after: { ownerId, team },
    })
    return lockCase(tx, ctx.orgId, caseId)
  })

/** Complete a follow-up task (a done confirmation stops the follow-up clock). @category constructors @since 0.1.0 */
export const completeFollowUp = async (
  db: Database,
  ctx: Ctx,
  followUpId: string,
  input: { outcome: string },
) =>
  Change.change(db, ctx, async ({ tx, audit }) => {
    const r = await sql<any>`update process.follow_up set done_at = now(), outcome = ${input.outcome}
      where org_id = ${ctx.orgId} and id = ${followUpId} and done_at is null returning *`.execute(tx)
    if (!r.rows[0]) throw new Errors.NotFoundError({ entity: "follow_up", id: followUpId })
    const f = r.rows[0]
    const c = await lockCase(tx, ctx.orgId, f.case_id)
    if (f.kind === "confirmation")
      await updateClocks(tx, ctx.orgId, c, (clock, p) =>
        clock.target === "follow_up" && !clock.stoppedAt
          ? { ...clock, ...Sla.stop(p.calendar, clock, new Date()) }
          : clock,
      )
    await addEvent(tx, ctx.orgId, c.id, {
      kind: "follow_up_done",
      at: new Date(),
      direction: "outbound",
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      content: input.outcome,
      data: { kind: f.kind },
    })
    await refreshSummary(tx, ctx.orgId, c.id, new Date())
    await audit({
      action: "follow_up.completed",
      entityType: "follow_up",
      entityId: followUpId,
      after: { outcome: input.outcome },
    })
  })

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
  return Change.change(db, ctx, async ({ tx, audit, emit }) => {
    const locked =
      await sql<any>`select * from process.case where org_id = ${key.orgId} and id = ${key.caseId} for update skip locked`.execute(
        tx,
      )
    if (!locked.rows[0]) return 0
    let c = toCase(locked.rows[0])
    const r =
      await sql<any>`select * from process.sla_clock where org_id = ${key.orgId} and case_id = ${key.caseId}
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
    const todo = due.rows.filter((r) => !seen.has(`${r.org_id}:${r.case_id}:${r.target}:${r.seq}`))
    if (todo.length === 0) break
    for (const r of todo) {
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
    await Change.change(db, ctx, async ({ tx, emit, emitAll }) => {
      if (p.event === "due") {
        const f =
          await sql<any>`select * from process.follow_up where org_id = ${job.orgId} and id = ${p.followUpId ?? ""}`.execute(
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

export const getCase = async (db: Database, orgId: string, id: string, now = new Date()) => {
  const r = await sql<any>`select * from process.case where org_id = ${orgId} and id = ${id}`.execute(
    db.kysely,
  )
  if (!r.rows[0]) throw new Errors.NotFoundError({ entity: "case", id })
  const c = toCase(r.rows[0])
  // independent reads issued together: on PGlite they queue in the engine back to back, on
  // PostgreSQL they run on several connections
  const [customerRows, eventRows, followUpRows, clocks, pv] = await Promise.all([
    c.customerId
      ? sql<any>`select * from process.customer where org_id = ${orgId} and id = ${c.customerId}`.execute(
          db.kysely,
        )
      : undefined,
    sql<any>`select * from process.case_event where org_id = ${orgId} and case_id = ${id} order by seq`.execute(
      db.kysely,
    ),
    sql<any>`select * from process.follow_up where org_id = ${orgId} and case_id = ${id} order by due_at`.execute(
      db.kysely,
    ),
    loadClocks(db.kysely, orgId, id),
    c.policyId && c.policyVersion
      ? loadPolicyVersion(db.kysely, orgId, c.policyId, c.policyVersion)
      : undefined,
  ])
  const customer = customerRows ? toCustomer(customerRows.rows[0]) : null
  const events = eventRows.rows.map(toEvent)
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
  let ledger: Array<Record<string, any>> = []
  if (c.policyId && c.policyVersion && pv) {
    const { calendar, record } = await loadCalendar(db.kysely, orgId, pv.definition.calendarId)
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
    case: c,
    customer,
    events,
    followUps,
    ledger,
    policy,
    allowedTransitions: allowedTransitions(c.status),
  }
}

/** Queue query. @category models @since 0.1.0 */
export interface CaseQuery {
  readonly status?: ReadonlyArray<string> | undefined
  readonly channel?: ReadonlyArray<string> | undefined
  readonly priority?: ReadonlyArray<string> | undefined
  readonly type?: ReadonlyArray<string> | undefined
  readonly team?: ReadonlyArray<string> | undefined
  readonly sla?: ReadonlyArray<string> | undefined
  readonly ownerId?: string | undefined
  readonly customerId?: string | undefined
  readonly q?: string | undefined
  readonly open?: boolean | undefined
  readonly from?: Date | undefined
  readonly to?: Date | undefined
  readonly sort?: string | undefined
  readonly cursor?: string | undefined
  readonly limit?: number | undefined
}

const SORTS: Record<string, string> = {
  receivedAt: "received_at",
  number: "number",
  priority: "priority",
  dueAt: "next_due_at",
  status: "status",
  updatedAt: "updated_at",
}

const enc = (v: unknown, id: string) =>
  Buffer.from(JSON.stringify([v instanceof Date ? v.toISOString() : v, id])).toString("base64url")
const dec = (cursor: string): [unknown, string] => {
  try {
    const x = JSON.parse(Buffer.from(cursor, "base64url").toString())
    if (Array.isArray(x) && x.length === 2 && typeof x[1] === "string") return x as [unknown, string]
  } catch {}
  throw new Errors.ValidationError({
    message: "invalid cursor",
    issues: [{ path: ["cursor"], message: "is not a cursor this API returned", code: "notACursor" }],
  })
}

const where = (orgId: string, q: CaseQuery) => {
  const parts = [sql`c.org_id = ${orgId}`]
  const list = (col: string, values?: ReadonlyArray<string>) => {
    if (values?.length) parts.push(sql`${sql.ref(`c.${col}`)} in (${sql.join(values)})`)
  }
  list("status", q.status)
  list("channel", q.channel)
  list("priority", q.priority)
  list("type", q.type)
  list("team", q.team)
  list("sla_state", q.sla)
  if (q.open) parts.push(sql`c.status in (${sql.join(OPEN_STATUSES)})`)
  if (q.ownerId) parts.push(sql`c.owner_id = ${q.ownerId}`)
  if (q.customerId) parts.push(sql`c.customer_id = ${q.customerId}`)
  if (q.from) parts.push(sql`c.received_at >= ${q.from}`)
  if (q.to) parts.push(sql`c.received_at < ${q.to}`)
  if (q.q) {
    const n = /^#?(\d+)$/.exec(q.q.trim())
    parts.push(
      n ? sql`c.number = ${Number(n[1])}` : sql`(c.subject ilike ${`%${q.q}%`} or c.external_id = ${q.q})`,
    )
  }
  return sql.join(parts, sql` and `)
}

/**
 * The queue: filter, sort and keyset-page on the server. `total` is exact up to 1 000 and
 * reported as `totalCapped` beyond (counting millions of rows per page view is not free).
 * @category constructors
 * @since 0.1.0
 */
export const listCases = async (db: Database, orgId: string, q: CaseQuery) => {
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 500)
  const sortKey = (q.sort ?? "-receivedAt").replace(/^-/, "")
  // own properties only: "toString" or "__proto__" are not sort keys
  const col = Object.hasOwn(SORTS, sortKey) ? SORTS[sortKey] : undefined
  if (!col)
    throw new Errors.ValidationError({
      message: "invalid sort",
      issues: [
        {
          path: ["sort"],
          message: `must be one of ${Object.keys(SORTS).join(", ")} (prefix - for descending)`,
          code: "oneOf",
          params: { values: Object.keys(SORTS).join(", ") },
        },
      ],
    })
  const desc = (q.sort ?? "-receivedAt").startsWith("-")
  const dir = desc ? sql`desc` : sql`asc`
  const ref = sql.ref(`c.${col}`)
  let keyset = sql`true`
  if (q.cursor) {
    const [v, id] = dec(q.cursor)
    const value =
      col === "received_at" || col === "next_due_at" || col === "updated_at"
        ? v === null
          ? null
          : new Date(v as string)
        : v
    // nulls sort last in both directions
    if (col === "number")
      keyset = desc ? sql`c.number < ${value}` : sql`c.number > ${value}` // unique: no tie to break
    else if (value === null)
      keyset = desc ? sql`(${ref} is null and c.id < ${id})` : sql`(${ref} is null and c.id > ${id})`
    else
      keyset = desc
        ? sql`(${ref} < ${value} or (${ref} = ${value} and c.id < ${id}) or ${ref} is null)`
        : sql`(${ref} > ${value} or (${ref} = ${value} and c.id > ${id}) or ${ref} is null)`
  }
  const w = where(orgId, q)
  const rows = await sql<any>`select c.*, cu.name as customer_name from process.case c
    left join process.customer cu on cu.org_id = c.org_id and cu.id = c.customer_id
    where ${w} and ${keyset}
    order by ${ref} ${dir} ${col === "next_due_at" ? sql`nulls last` : sql``}${col === "number" ? sql`` : sql`, c.id ${dir}`} limit ${limit + 1}`.execute(
    db.kysely,
  )
  const count = await sql<{
    n: number
  }>`select count(*)::int as n from (select 1 from process.case c where ${w} limit 1001) t`.execute(db.kysely)
  const items = rows.rows.slice(0, limit).map(toCase)
  const last = rows.rows[limit - 1]
  return {
    items,
    nextCursor: rows.rows.length > limit && last ? enc(last[col], last.id) : null,
    total: Math.min(count.rows[0]!.n, 1000),
    totalCapped: count.rows[0]!.n > 1000,
  }
}

/** The columns of the case export (CSV and XLSX), in order. @category models @since 0.2.0 */
export const CSV_COLUMNS = [
  "number",
  "subject",
  "type",
  "channel",
  "status",
  "priority",
  "tier",
  "team",
  "customer",
  "segment",
  "receivedAt",
  "firstResponseAt",
  "resolvedAt",
  "slaState",
  "nextDueAt",
] as const

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString() : String(v)
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s // no formula injection in spreadsheets
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/**
 * The current view as CSV, page by page (streamed by the API). First line is the header.
 * @category constructors
 * @since 0.1.0
 */
export async function* exportCases(db: Database, orgId: string, q: CaseQuery): AsyncGenerator<string> {
  yield `\uFEFF${CSV_COLUMNS.join(",")}\n`
  let cursor: string | undefined = q.cursor
  for (let pages = 0; pages < 2000; pages++) {
    const page = await listCases(db, orgId, { ...q, cursor, limit: 500 })
    let chunk = ""
    for (const c of page.items) {
      const row = { ...c, customer: c.customerName ?? "" } as Record<string, unknown>
      chunk += `${CSV_COLUMNS.map((k) => csvCell(row[k])).join(",")}\n`
    }
    if (chunk) yield chunk
    if (!page.nextCursor) return
    cursor = page.nextCursor
  }
}

export { STATUSES }

/** Resolved cases in a period with their owner (the population QA samples from). @category constructors @since 0.1.0 */
export const resolvedWithOwner = async (db: Database, orgId: string, from: Date, to: Date) =>
  (
    await sql<{
      id: string
      number: number
      owner_id: string
    }>`select id, number, owner_id from process.case where org_id = ${orgId}
      and owner_id is not null and resolved_at >= ${from} and resolved_at < ${to} order by id`.execute(
      db.kysely,
    )
  ).rows.map((r) => ({ id: r.id, number: Number(r.number), agent: r.owner_id }))

// ---------------------------------------------------------------------------
// saved views
// ---------------------------------------------------------------------------

/** A person's saved queue views. @category constructors @since 0.1.0 */
export const listViews = async (db: Database, orgId: string, ownerId: string) =>
  (
    await sql<any>`select id, name, query, created_at from process.saved_view where org_id = ${orgId} and owner_id = ${ownerId} order by name`.execute(
      db.kysely,
    )
  ).rows.map((r) => ({
    id: r.id as string,
    name: r.name as string,
    query: r.query as Record<string, string>,
    createdAt: r.created_at as Date,
  }))

/** Save a queue view (same name replaces). @category constructors @since 0.1.0 */
export const saveView = async (
  db: Database,
  ctx: Ctx,
  input: { name: string; query: Record<string, string> },
) => {
  if (!input.name?.trim())
    throw new Errors.ValidationError({
      message: "invalid view",
      issues: [{ path: ["name"], message: "must not be empty", code: "required" }],
    })
  return Change.change(db, ctx, async ({ tx, audit }) => {
    await sql`delete from process.saved_view where org_id = ${ctx.orgId} and owner_id = ${ctx.actor.id} and name = ${input.name.trim()}`.execute(
      tx,
    )
    const id = Id.make("view")
    await sql`insert into process.saved_view (org_id, id, owner_id, name, query) values (${ctx.orgId}, ${id}, ${ctx.actor.id}, ${input.name.trim()}, ${JSON.stringify(input.query)}::jsonb)`.execute(
      tx,
    )
    await audit({ action: "view.saved", entityType: "saved_view", entityId: id, after: input })
    return { id, name: input.name.trim(), query: input.query }
  })
}

/** @category constructors @since 0.1.0 */
export const deleteView = async (db: Database, ctx: Ctx, id: string) =>
  Change.change(db, ctx, async ({ tx, audit }) => {
    const r =
      await sql`delete from process.saved_view where org_id = ${ctx.orgId} and id = ${id} and owner_id = ${ctx.actor.id}`.execute(
        tx,
      )
    if (Number(r.numAffectedRows ?? 0) === 0) throw new Errors.NotFoundError({ entity: "saved_view", id })
    await audit({ action: "view.deleted", entityType: "saved_view", entityId: id })
  })
