/**
 * The incident register: service and data-security incidents with their severity (from the calculator),
 * start / detection / containment / resolution times, affected cases and customers, and the regulatory
 * notification clocks they start (rows in `risk.incident_notice`, each marked sent with who and when).
 *
 * @since 0.1.0
 */
import { Errors, Id } from "@tenet/core"
import { type Selectable, sql } from "kysely"
import type { IncidentNoticeTable, IncidentTable } from "./migrations/schema"
import * as Severity from "./Severity"
import { actorOf, type Ctx, change, type Database, tables } from "./store"
import * as Templates from "./Templates"

/**
 * Finds service cases of an organisation by id or by number (`"1024"` or `"#1024"`). Risk does not know
 * cases: the API, which has both, gives incidents this lookup. Refs it does not find are left out.
 * @category models
 * @since 0.2.0
 */
export type CaseLookup = (
  orgId: string,
  refs: ReadonlyArray<string>,
) => Promise<ReadonlyMap<string, { readonly id: string; readonly number: number }>>

/**
 * The case ids behind the refs (deduplicated, in order), or a validation error naming each ref that is
 * not a case of the organisation (`affectedCases[i]`, code `unknownCase`).
 * @category constructors
 * @since 0.2.0
 */
export const resolveCases = async (
  orgId: string,
  refs: ReadonlyArray<string>,
  lookup: CaseLookup | undefined,
): Promise<string[]> => {
  const wanted = refs.map((r) => r.trim())
  if (!wanted.length) return []
  if (!lookup) throw new Error("affected cases need a case lookup")
  const found = await lookup(orgId, wanted)
  const issues = wanted.flatMap((r, i) =>
    found.has(r)
      ? []
      : [{ path: ["affectedCases", i], message: `no case ${r} in this organisation`, code: "unknownCase" }],
  )
  if (issues.length) throw new Errors.ValidationError({ message: "invalid incident", issues })
  return [...new Set(wanted.map((r) => found.get(r)!.id))]
}

/** What a new incident needs. @category models @since 0.1.0 */
export interface IncidentInput {
  readonly title: string
  readonly kind: "service" | "data_security"
  readonly startedAt: Date
  readonly detectedAt: Date
  readonly affectedCustomers: number
  readonly affectedCases?: ReadonlyArray<string> | undefined
  readonly dataCategories?: ReadonlyArray<string> | undefined
  readonly durationMinutes?: number | undefined
  readonly regimes?: ReadonlyArray<Severity.Regime> | undefined
  readonly criticalInfrastructure?: boolean | undefined
}

const toNotice = (n: Selectable<IncidentNoticeTable>, now: Date) => ({
  regime: n.regime,
  notice: n.notice,
  dueAt: n.due_at.toISOString(),
  sentAt: n.sent_at?.toISOString() ?? null,
  sentBy: n.sent_by,
  remainingMs: n.sent_at ? null : Severity.remainingMs(n.due_at, now),
  overdue: !n.sent_at && n.due_at.getTime() < now.getTime(),
})

const toIncident = (
  r: Selectable<IncidentTable>,
  notices: ReadonlyArray<Selectable<IncidentNoticeTable>>,
  now: Date,
) => ({
  id: r.id,
  number: r.number,
  title: r.title,
  kind: r.kind,
  severity: r.severity,
  severityInputs: r.severity_inputs,
  status: r.status,
  startedAt: r.started_at.toISOString(),
  detectedAt: r.detected_at.toISOString(),
  containedAt: r.contained_at?.toISOString() ?? null,
  resolvedAt: r.resolved_at?.toISOString() ?? null,
  affectedCustomers: r.affected_customers,
  affectedCases: r.affected_cases,
  dataCategories: r.data_categories,
  regimes: r.regimes,
  criticalInfrastructure: r.critical_infrastructure,
  lessons: r.lessons,
  cycleId: r.cycle_id,
  notices: notices.filter((n) => n.incident_id === r.id).map((n) => toNotice(n, now)),
})
/** @category models @since 0.1.0 */
export type Incident = ReturnType<typeof toIncident>

/** Record an incident: its severity is computed, its clocks start from its detection. @category constructors @since 0.1.0 */
export const createIncident = async (
  db: Database,
  ctx: Ctx,
  input: IncidentInput,
  now = new Date(),
  cases?: CaseLookup,
): Promise<Incident> => {
  const categories = input.dataCategories ?? []
  const issues = [
    ...(input.title.trim() ? [] : [{ path: ["title"], message: "must not be empty", code: "required" }]),
    ...(input.detectedAt.getTime() >= input.startedAt.getTime()
      ? []
      : [{ path: ["detectedAt"], message: "cannot be before the start", code: "order" }]),
    ...(Number.isInteger(input.affectedCustomers) && input.affectedCustomers >= 0
      ? []
      : [{ path: ["affectedCustomers"], message: "must be a whole number ≥ 0", code: "range" }]),
    ...categories
      .map((c, i) => [c, i] as const)
      .filter(([c]) => !(Severity.DATA_CATEGORIES as readonly string[]).includes(c))
      .map(([c, i]) => ({
        path: ["dataCategories", i],
        message: `unknown data category ${c}`,
        code: "unknownCategory",
      })),
  ]
  if (issues.length) throw new Errors.ValidationError({ message: "invalid incident", issues })
  const affected = await resolveCases(ctx.orgId, input.affectedCases ?? [], cases)
  const inputs = {
    affectedCustomers: input.affectedCustomers,
    dataCategories: categories,
    durationMinutes: input.durationMinutes ?? 0,
  }
  const sev = Severity.severity(inputs).level
  const regimes = input.regimes ?? ["cn"]
  const cii = input.criticalInfrastructure ?? false
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const id = Id.make("inc")
    const n = await sql<{
      n: number
    }>`select coalesce(max(number), 0)::int + 1 as n from risk.incident where org_id = ${ctx.orgId}`.execute(
      tx,
    )
    const row = await tx
      .insertInto("risk.incident")
      .values({
        org_id: ctx.orgId,
        id,
        number: n.rows[0]!.n,
        title: input.title.trim(),
        kind: input.kind,
        severity: sev,
        severity_inputs: JSON.stringify(inputs),
        started_at: input.startedAt,
        detected_at: input.detectedAt,
        affected_customers: input.affectedCustomers,
        affected_cases: JSON.stringify(affected),
        data_categories: JSON.stringify(categories),
        regimes: JSON.stringify(regimes),
        critical_infrastructure: cii,
        created_by: actorOf(ctx),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const cl = Severity.clocks({
      kind: input.kind,
      severity: sev,
      detectedAt: input.detectedAt,
      regimes,
      criticalInfrastructure: cii,
    })
    const notices = cl.length
      ? await tx
          .insertInto("risk.incident_notice")
          .values(
            cl.map((c) => ({
              org_id: ctx.orgId,
              incident_id: id,
              regime: c.regime,
              notice: c.notice,
              due_at: c.dueAt,
            })),
          )
          .returningAll()
          .execute()
      : []
    await audit({
      action: "risk.incident.recorded",
      entityType: "risk_incident",
      entityId: id,
      after: { severity: sev, clocks: cl },
    })
    await emit({
      type: "risk.incident.recorded",
      aggregateType: "risk_incident",
      aggregateId: id,
      payload: { severity: sev, number: row.number },
    })
    return toIncident(row, notices, now)
  })
}

/**
 * Record containment, resolution or lessons learned (times may be in the past), or replace the affected
 * cases (by id or number, each checked with `cases`). @category constructors @since 0.1.0
 */
export const updateIncident = async (
  db: Database,
  ctx: Ctx,
  id: string,
  patch: {
    containedAt?: Date | undefined
    resolvedAt?: Date | undefined
    lessons?: string | undefined
    cycleId?: string | undefined
    affectedCases?: ReadonlyArray<string> | undefined
  },
  now = new Date(),
  cases?: CaseLookup,
) => {
  const affected = patch.affectedCases ? await resolveCases(ctx.orgId, patch.affectedCases, cases) : undefined
  return change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .selectFrom("risk.incident")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!r) throw new Errors.NotFoundError({ entity: "risk_incident", id })
    for (const [k, v] of [
      ["containedAt", patch.containedAt],
      ["resolvedAt", patch.resolvedAt],
    ] as const)
      if (v && v.getTime() < r.started_at.getTime())
        throw new Errors.ValidationError({
          message: "invalid incident",
          issues: [{ path: [k], message: "cannot be before the start", code: "order" }],
        })
    const resolvedAt = patch.resolvedAt ?? r.resolved_at
    const containedAt = patch.containedAt ?? r.contained_at ?? (patch.resolvedAt ? patch.resolvedAt : null)
    const row = await tx
      .updateTable("risk.incident")
      .set({
        contained_at: containedAt,
        resolved_at: resolvedAt,
        status: resolvedAt ? "resolved" : containedAt ? "contained" : "open",
        ...(patch.lessons !== undefined ? { lessons: patch.lessons } : {}),
        ...(patch.cycleId ? { cycle_id: patch.cycleId } : {}),
        ...(affected ? { affected_cases: JSON.stringify(affected) } : {}),
      })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await audit({
      action: "risk.incident.updated",
      entityType: "risk_incident",
      entityId: id,
      ...(affected ? { before: { affectedCases: r.affected_cases } } : {}),
      after: { ...patch, ...(affected ? { affectedCases: affected } : {}) },
    })
    const notices = await tx
      .selectFrom("risk.incident_notice")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("incident_id", "=", id)
      .execute()
    return toIncident(row, notices, now)
  })
}

/** Mark a notice sent. @category constructors @since 0.1.0 */
export const markSent = async (
  db: Database,
  ctx: Ctx,
  id: string,
  regime: string,
  notice: string,
  sentAt = new Date(),
) =>
  change(db, ctx, async ({ tx, audit }) => {
    const r = await tx
      .updateTable("risk.incident_notice")
      .set({ sent_at: sentAt, sent_by: actorOf(ctx) })
      .where("org_id", "=", ctx.orgId)
      .where("incident_id", "=", id)
      .where("regime", "=", regime)
      .where("notice", "=", notice)
      .where("sent_at", "is", null)
      .returning("due_at")
      .executeTakeFirst()
    if (!r)
      throw new Errors.ConflictError({
        message: `no pending ${regime} ${notice} notice on incident ${id}`,
        field: "notice",
        code: "noticeNotPending",
      })
    await audit({
      action: "risk.incident.notified",
      entityType: "risk_incident",
      entityId: id,
      after: { regime, notice, late: sentAt > r.due_at },
    })
    return { regime, notice, sentAt: sentAt.toISOString(), late: sentAt.getTime() > r.due_at.getTime() }
  })

/** Incidents, newest first, with their clocks (with `caseId`, those that affected that case). @category constructors @since 0.1.0 */
export const listIncidents = async (
  db: Database,
  orgId: string,
  now = new Date(),
  filter: { readonly caseId?: string | undefined } = {},
) => {
  const t = tables(db)
  let q = t.selectFrom("risk.incident").selectAll().where("org_id", "=", orgId)
  if (filter.caseId) q = q.where(sql<boolean>`affected_cases @> ${JSON.stringify([filter.caseId])}::jsonb`)
  const rows = await q.orderBy("detected_at", "desc").limit(500).execute()
  const notices = rows.length
    ? await t
        .selectFrom("risk.incident_notice")
        .selectAll()
        .where("org_id", "=", orgId)
        .where(
          "incident_id",
          "in",
          rows.map((r) => r.id),
        )
        .execute()
    : []
  return rows.map((r) => toIncident(r, notices, now))
}

/** One incident with its clocks. @category constructors @since 0.1.0 */
export const getIncident = async (db: Database, orgId: string, id: string, now = new Date()) => {
  const t = tables(db)
  const r = await t
    .selectFrom("risk.incident")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "risk_incident", id })
  const notices = await t
    .selectFrom("risk.incident_notice")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("incident_id", "=", id)
    .execute()
  return toIncident(r, notices, now)
}

/** The draft of an incident's notice in both languages. @category constructors @since 0.1.0 */
export const draftNotice = async (
  db: Database,
  orgId: string,
  id: string,
  regime: Severity.Regime,
  notice: string,
  facts: { cause: string; harm: string; remedies: string; advice: string; contact: string },
  timeZone = "UTC",
) => {
  const i = await getIncident(db, orgId, id)
  const f: Templates.NoticeFacts = {
    ...facts,
    number: i.number,
    title: i.title,
    detectedAt: i.detectedAt,
    startedAt: i.startedAt,
    severity: i.severity,
    affectedCustomers: i.affectedCustomers,
    dataCategories: i.dataCategories,
    timeZone,
  }
  return {
    "zh-CN": Templates.render(regime, notice, "zh-CN", f),
    en: Templates.render(regime, notice, "en", f),
  }
}
