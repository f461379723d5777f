// Intake's write: the cases, their timeline, their clocks and the repeat links in one statement.
import { type Audit, Encryption, Id, Redaction, Teams, type Tenancy } from "@tenet/core"
import { type RawBuilder, sql } from "kysely"
import { FIELDS } from "../privacy/fields"
import type { Ex, Settings } from "../Store"
import { nextSlaEvent } from "./clocks"
import type { PlannedCase } from "./plan"
import { json, ms, ts } from "./recordset"

/** How `intakeMany` writes. @category models @since 0.3.0 */
export interface IntakeOptions {
  /** false: read nothing back (returns []). */
  readonly records?: boolean
  /** Lock the audit chain head in the statement that writes the cases (see `Change`'s `lockAuditHead`). */
  readonly auditHead?: {
    readonly lock: (options: { readonly after?: ReadonlyArray<string> }) => RawBuilder<Audit.Head>
    readonly locked: (head: Audit.Head) => void
  }
}

/**
 * Write the planned cases (numbering the `unnumbered` ones from the counter), the timeline, the
 * clocks and the links to stored cases they repeat; returns the statement's result and the case rows.
 */
export const writeIntake = async (
  tx: Ex,
  ctx: Tenancy.OrgContext,
  cases: PlannedCase[],
  settings: Settings,
  storedRepeats: ReadonlyMap<string, string>,
  unnumbered: number,
  options: IntakeOptions,
) => {
  const orgId = ctx.orgId
  // every team a case is routed to is a record (core.team): the ones nobody created yet are made
  await Teams.ensure(
    tx,
    orgId,
    cases.map((c) => c.team),
  )
  // personal texts: sensitive numbers redacted (PR-08), then sealed under the organisation's key
  const cipher = await Encryption.cipherFor(tx, orgId)
  const texts = new Map(
    cases.map((c) => [
      c.id,
      {
        subject: Redaction.redact(c.input.subject.trim()).text,
        content: Redaction.redact(c.input.content ?? "").text,
      },
    ]),
  )
  // the writes: cases, their timeline, their clocks and the repeat links in one statement
  const events = cases.flatMap((c) => [
    {
      case_id: c.id,
      seq: 1,
      id: Id.make("cev"),
      at: c.receivedAt.getTime(),
      kind: "created",
      channel: c.input.channel,
      direction: "inbound",
      actor_type: ctx.actor.type,
      actor_id: ctx.actor.id,
      participants: c.customer ? [cipher.seal(FIELDS.participant, c.customer.name)] : [],
      content: cipher.seal(
        FIELDS.eventContent,
        c.input.content !== undefined ? texts.get(c.id)!.content : texts.get(c.id)!.subject,
      ),
      data: {
        type: c.input.type,
        priority: c.priority,
        team: c.team,
        tier: c.tier,
        policy: c.policy ? { id: c.policy.id, name: c.policy.name, version: c.policy.version } : null,
        ...(c.input.status && c.input.status !== "new" ? { importedStatus: c.input.status } : {}),
      },
    },
    ...(c.repeatOf
      ? [
          {
            case_id: c.id,
            seq: 2,
            id: Id.make("cev"),
            at: c.receivedAt.getTime(),
            kind: "repeat_detected",
            channel: undefined,
            direction: undefined,
            actor_type: "system",
            actor_id: "process",
            participants: [],
            content: undefined,
            data: { repeatOf: c.repeatOf, windowDays: settings.repeatWindowDays },
          },
        ]
      : []),
  ])
  const clocks = cases.flatMap((c) =>
    c.clocks.map((k) => ({ k, next: nextSlaEvent(k, c.policy!.definition, c.calendar!)?.at ?? null })),
  )
  const stored = [...storedRepeats].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, by]) => ({ id, by }))
  const caseRows = cases.map((c) => ({
    id: c.id,
    number: c.number,
    ordinal: c.ordinal,
    external_id: c.input.externalId ?? undefined,
    customer_id: c.customer?.id ?? undefined,
    segment: c.segment ?? undefined,
    type: c.input.type,
    channel: c.input.channel,
    subject: texts.get(c.id)!.subject,
    content: texts.get(c.id)!.content,
    status: c.status,
    urgency: c.urgency,
    impact: c.impact,
    priority: c.priority,
    category: c.input.category || undefined,
    tier: c.tier,
    team: c.team ?? undefined,
    owner_id: c.input.ownerId ?? undefined,
    received_at: ms(c.receivedAt),
    recorded_at: ms(c.recordedAt),
    first_response_at: ms(c.resolvedAt),
    resolved_at: ms(c.resolvedAt),
    closed_at: c.status === "closed" ? ms(c.resolvedAt) : undefined,
    repeat_of: c.repeatOf ?? undefined,
    repeated_by: c.repeatedBy ?? undefined,
    policy_id: c.policy?.id ?? undefined,
    policy_version: c.policy?.version ?? undefined,
    sla_state: c.slaState,
    next_due_at: ms(c.nextDueAt),
    milestones: c.input.milestones ?? [],
  }))
  const rows = await sql<{
    written: number
    now: Date
    last: number | bigint | null
    audit_head?: Audit.Head | null
  }>`with
    e as (insert into process.case_event (org_id, case_id, seq, id, at, kind, channel, direction, actor_type, actor_id, participants, content, data)
    select ${orgId}, x.case_id, x.seq, x.id, ${ts("at")}, x.kind, x.channel, x.direction, x.actor_type, x.actor_id, x.participants, x.content, x.data
    from json_to_recordset(${json(events)}) as x(case_id text, seq int, id text, at float8, kind text, channel text, direction text,
      actor_type text, actor_id text, participants jsonb, content text, data jsonb)),
    ${
      clocks.length
        ? sql`cl as (insert into process.sla_clock (org_id, case_id, target, seq, calendar_id, target_seconds, started_at, segment_started_at,
        consumed_seconds, due_at, warn_at, paused_at, pauses, stopped_at, elapsed_seconds, warned_at, breached_at, status, escalations_fired,
        next_event_at)
      select ${orgId}, x.case_id, x.target, x.seq, x.calendar_id, x.target_seconds, ${ts("started_at")}, ${ts("segment_started_at")},
        x.consumed_seconds, ${ts("due_at")}, ${ts("warn_at")}, ${ts("paused_at")}, x.pauses, ${ts("stopped_at")}, x.elapsed_seconds,
        ${ts("warned_at")}, ${ts("breached_at")}, x.status, x.escalations_fired, ${ts("next_event_at")}
      from json_to_recordset(${json(
        clocks.map(({ k, next }) => ({
          case_id: k.caseId,
          target: k.target,
          seq: k.seq,
          calendar_id: k.calendarId,
          target_seconds: k.targetSeconds,
          started_at: ms(k.startedAt),
          segment_started_at: ms(k.segmentStartedAt),
          consumed_seconds: k.consumedSeconds,
          due_at: ms(k.dueAt),
          warn_at: ms(k.warnAt),
          paused_at: ms(k.pausedAt),
          pauses: k.pauses,
          stopped_at: ms(k.stoppedAt),
          elapsed_seconds: k.elapsedSeconds,
          warned_at: ms(k.warnedAt),
          breached_at: ms(k.breachedAt),
          status: k.status,
          escalations_fired: k.escalationsFired,
          next_event_at: ms(next),
        })),
      )}) as x(case_id text, target text, seq int, calendar_id text, target_seconds int, started_at float8, segment_started_at float8,
        consumed_seconds int, due_at float8, warn_at float8, paused_at float8, pauses jsonb, stopped_at float8,
        elapsed_seconds int, warned_at float8, breached_at float8, status text, escalations_fired int, next_event_at float8)),`
        : sql``
    }
    ${
      stored.length
        ? sql`u as (update process.case c set repeated_by = x.by from json_to_recordset(${json(stored)}) as x(id text, by text)
      where c.org_id = ${orgId} and c.id = x.id and c.repeated_by is null returning c.id),`
        : sql``
    }
    ${
      unnumbered
        ? sql`n as (insert into process.case_counter (org_id, last) values (${orgId}, ${unnumbered})
      on conflict (org_id) do update set last = process.case_counter.last + ${unnumbered} returning last),`
        : sql``
    }
    c as (insert into process.case (org_id, id, number, external_id, customer_id, segment, type, channel, subject, content,
      status, urgency, impact, priority, category, tier, team, owner_id, received_at, recorded_at, first_response_at, resolved_at, closed_at,
      repeat_of, repeated_by, policy_id, policy_version, sla_state, next_due_at, milestones)
    select ${orgId}, x.id, ${unnumbered ? sql`coalesce(x.number, (select last from n) - ${unnumbered} + x.ordinal)` : sql`x.number`}, x.external_id, x.customer_id, x.segment, x.type, x.channel, x.subject, x.content, x.status, x.urgency,
      x.impact, x.priority, x.category, x.tier, x.team, x.owner_id, ${ts("received_at")}, ${ts("recorded_at")}, ${ts("first_response_at")},
      ${ts("resolved_at")}, ${ts("closed_at")}, x.repeat_of, x.repeated_by, x.policy_id, x.policy_version, x.sla_state, ${ts("next_due_at")}, x.milestones
    from json_to_recordset(${json(caseRows.map((r) => ({ ...r, content: cipher.seal(FIELDS.caseContent, r.content) })))}) as x(id text, number bigint, ordinal int, external_id text, customer_id text, segment text, type text, channel text, subject text, content text,
      status text, urgency text, impact text, priority text, category text, tier text, team text, owner_id text, received_at float8,
      recorded_at float8, first_response_at float8, resolved_at float8, closed_at float8, repeat_of text, repeated_by text,
      policy_id text, policy_version int, sla_state text, next_due_at float8, milestones jsonb)
    returning id)
    ${options.auditHead ? sql`, h as (${options.auditHead.lock({ after: ["c", ...(stored.length ? ["u"] : [])] })})` : sql``}
    select count(*) as written, now() as now, ${unnumbered ? sql`(select last from n)` : sql`null`} as last${
      options.auditHead
        ? sql`, (select json_build_object('seq', h.seq, 'hash', h.hash) from h) as audit_head`
        : sql``
    } from c`.execute(tx)
  if (options.auditHead) {
    const head = rows.rows[0]?.audit_head
    if (!head) throw new Error("intake: the audit head was not returned")
    options.auditHead.locked(head)
  }
  return { rows, caseRows }
}

/** What `writeIntake` wrote. */
export type Written = Awaited<ReturnType<typeof writeIntake>>
