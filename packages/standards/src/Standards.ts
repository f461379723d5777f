/**
 * Standards in the database: libraries imported from JSON or YAML (a newer version of an
 * imported library becomes a draft upgrade with its diff), drafts, the review lifecycle with
 * who and when, immutable published versions, due reviews, mappings between requirements, and
 * compliance evaluation against the metric registry with stored evaluations and breaches.
 *
 * @since 0.1.0
 */
import { Change, type Contracts, type Db, Errors, Id, Organizations, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import YAML from "yaml"
import {
  diff,
  judge,
  refuseStep,
  requirements,
  type StandardDocument,
  type Status,
  type TargetStatus,
  validate,
} from "./Standard"

type Database = Db.Database
type Ctx = Tenancy.OrgContext

/** What the standards module needs from the metric registry. @category models @since 0.1.0 */
export interface Registry {
  readonly get: (id: string) => Contracts.MetricDefinition | undefined
  readonly list: () => ReadonlyArray<Contracts.MetricDefinition>
}

const toVersion = (r: any) => ({
  standardId: r.standard_id as string,
  version: r.version as number,
  label: r.label as string,
  status: r.status as Status,
  document: r.document as StandardDocument,
  reviewCadenceDays: r.review_cadence_days as number | null,
  nextReviewAt: r.next_review_at as Date | null,
  history: r.history as Array<{ status: string; by: string; at: string; note?: string }>,
  basedOn: r.based_on as number | null,
  sourceCycleId: r.source_cycle_id as string | null,
  createdAt: r.created_at as Date,
  publishedAt: r.published_at as Date | null,
})
export type VersionRecord = ReturnType<typeof toVersion>

/** Parse a library document (JSON or YAML); syntax errors name the line. @category constructors @since 0.1.0 */
export const parseLibrary = (text: string, format: "json" | "yaml"): unknown => {
  try {
    if (format === "json") return JSON.parse(text)
    const doc = YAML.parseDocument(text)
    if (doc.errors.length) {
      const e = doc.errors[0]!
      const line = e.linePos?.[0]?.line ?? "?"
      const detail = e.message.split("\n")[0] ?? ""
      throw new Errors.ValidationError({
        message: "invalid YAML",
        issues: [
          { path: ["document"], message: `line ${line}: ${detail}`, code: "yaml", params: { line, detail } },
        ],
      })
    }
    return doc.toJS()
  } catch (e) {
    if (Errors.isTenetError(e)) throw e
    throw new Errors.ValidationError({
      message: "invalid JSON",
      issues: [{ path: ["document"], message: (e as Error).message, code: "json" }],
    })
  }
}

const check = (doc: unknown, registry: Registry) => {
  const issues = validate(doc, (id) => registry.get(id) !== undefined)
  if (issues.length)
    throw new Errors.ValidationError({
      message: "invalid standard",
      issues: issues.map((i) => ({ ...i, path: ["document", ...i.path] })),
    })
  return doc as StandardDocument
}

/**
 * Import a library. A new standard starts as a draft; a newer version of a standard already
 * imported (same `id`) becomes a draft upgrade, returned with its diff against the latest version.
 * @category constructors
 * @since 0.1.0
 */
export const importLibrary = async (db: Database, ctx: Ctx, registry: Registry, raw: unknown) => {
  const doc = check(raw, registry)
  return Change.change(db, ctx, async ({ tx, audit, emit }) => {
    const existing =
      await sql<any>`select * from standards.standard where org_id = ${ctx.orgId} and key = ${doc.id} for update`.execute(
        tx,
      )
    let standardId: string
    let version = 1
    let changes: ReturnType<typeof diff> = []
    if (existing.rows[0]) {
      standardId = existing.rows[0].id
      const latest =
        await sql<any>`select * from standards.version where org_id = ${ctx.orgId} and standard_id = ${standardId} order by version desc limit 1`.execute(
          tx,
        )
      const l = latest.rows[0]
      if (l && l.label === doc.version)
        throw new Errors.ConflictError({
          message: `version ${doc.version} of ${doc.id} is already imported`,
          field: "document/version",
          code: "versionImported",
          params: { version: String(doc.version), id: String(doc.id) },
        })
      version = (l?.version ?? 0) + 1
      changes = l ? diff(l.document, doc) : []
    } else {
      standardId = Id.make("std")
      await sql`insert into standards.standard (org_id, id, key, title, provider, copyright, licence)
        values (${ctx.orgId}, ${standardId}, ${doc.id}, ${JSON.stringify(doc.title)}::jsonb, ${doc.provider ?? null}, ${doc.copyright ?? null}, ${doc.licence ?? null})`.execute(
        tx,
      )
    }
    const history = [
      {
        status: "draft",
        by: ctx.actor.id,
        at: new Date().toISOString(),
        note: existing.rows[0] ? `upgrade to ${doc.version}` : "imported",
      },
    ]
    await sql`insert into standards.version (org_id, standard_id, version, label, status, document, review_cadence_days, history, based_on, created_by)
      values (${ctx.orgId}, ${standardId}, ${version}, ${doc.version}, 'draft', ${JSON.stringify(doc)}::jsonb, ${doc.reviewCadenceDays ?? null},
        ${JSON.stringify(history)}::jsonb, ${version > 1 ? version - 1 : null}, ${ctx.actor.id})`.execute(tx)
    await audit({
      action: existing.rows[0] ? "standard.upgrade_imported" : "standard.imported",
      entityType: "standard",
      entityId: standardId,
      after: { key: doc.id, version, label: doc.version, changes: changes.length },
    })
    await emit({
      type: "standards.version.created",
      aggregateType: "standard",
      aggregateId: standardId,
      payload: { version },
    })
    return { standardId, version, upgrade: Boolean(existing.rows[0]), diff: changes }
  })
}

/** Export a version as a library document. @category constructors @since 0.1.0 */
export const exportVersion = async (
  db: Database,
  orgId: string,
  standardId: string,
  version: number,
  format: "json" | "yaml",
) => {
  const v = await getVersion(db, orgId, standardId, version)
  return format === "json" ? JSON.stringify(v.document, null, 2) : YAML.stringify(v.document)
}

/** Standards with their versions (newest first). @category constructors @since 0.1.0 */
export const listStandards = async (db: Database, orgId: string) => {
  const s =
    await sql<any>`select * from standards.standard where org_id = ${orgId} order by created_at`.execute(
      db.kysely,
    )
  const v =
    await sql<any>`select * from standards.version where org_id = ${orgId} order by version desc`.execute(
      db.kysely,
    )
  return s.rows.map((r) => ({
    id: r.id as string,
    key: r.key as string,
    title: r.title,
    provider: r.provider,
    copyright: r.copyright,
    licence: r.licence,
    versions: v.rows
      .filter((x) => x.standard_id === r.id)
      .map((x) => {
        const { document: _d, ...rest } = toVersion(x)
        return { ...rest, requirements: requirements(x.document).length }
      }),
  }))
}

/** @category constructors @since 0.1.0 */
export const getVersion = async (
  db: Database | { kysely: any },
  orgId: string,
  standardId: string,
  version: number,
) => {
  const r =
    await sql<any>`select * from standards.version where org_id = ${orgId} and standard_id = ${standardId} and version = ${version}`.execute(
      db.kysely,
    )
  if (!r.rows[0])
    throw new Errors.NotFoundError({ entity: "standard_version", id: `${standardId}@${version}` })
  return toVersion(r.rows[0])
}

/** The published version of a standard, if any. @category constructors @since 0.1.0 */
export const publishedVersion = async (db: Database, orgId: string, standardId: string) => {
  const r =
    await sql<any>`select * from standards.version where org_id = ${orgId} and standard_id = ${standardId} and status = 'published'`.execute(
      db.kysely,
    )
  return r.rows[0] ? toVersion(r.rows[0]) : undefined
}

/**
 * A new draft from an existing version (optionally with a changed document), linked to the
 * improvement cycle that proposes it.
 * @category constructors
 * @since 0.1.0
 */
export const createDraft = async (
  db: Database,
  ctx: Ctx,
  registry: Registry,
  standardId: string,
  input: {
    fromVersion: number
    document?: unknown
    cycleId?: string | undefined
    label?: string | undefined
  },
) => {
  const base = await getVersion(db, ctx.orgId, standardId, input.fromVersion)
  const doc = check(
    input.document ?? { ...base.document, version: input.label ?? `${base.label}+1` },
    registry,
  )
  return Change.change(db, ctx, async ({ tx, audit, emit }) => {
    const n = await sql<{
      n: number
    }>`select coalesce(max(version), 0)::int + 1 as n from standards.version where org_id = ${ctx.orgId} and standard_id = ${standardId}`.execute(
      tx,
    )
    const version = n.rows[0]!.n
    const history = [
      {
        status: "draft",
        by: ctx.actor.id,
        at: new Date().toISOString(),
        note: input.cycleId
          ? `proposed by improvement cycle ${input.cycleId}`
          : `from version ${base.version}`,
      },
    ]
    await sql`insert into standards.version (org_id, standard_id, version, label, status, document, review_cadence_days, history, based_on, source_cycle_id, created_by)
      values (${ctx.orgId}, ${standardId}, ${version}, ${doc.version}, 'draft', ${JSON.stringify(doc)}::jsonb, ${doc.reviewCadenceDays ?? null},
        ${JSON.stringify(history)}::jsonb, ${base.version}, ${input.cycleId ?? null}, ${ctx.actor.id})`.execute(
      tx,
    )
    await audit({
      action: "standard.draft_created",
      entityType: "standard",
      entityId: standardId,
      after: { version, basedOn: base.version, cycleId: input.cycleId ?? null },
    })
    await emit({
      type: "standards.version.created",
      aggregateType: "standard",
      aggregateId: standardId,
      payload: { version, cycleId: input.cycleId ?? null },
    })
    return { standardId, version, diff: diff(base.document, doc) }
  })
}

/** Replace a draft's document (only drafts change; published versions are immutable). @category constructors @since 0.1.0 */
export const updateDraft = async (
  db: Database,
  ctx: Ctx,
  registry: Registry,
  standardId: string,
  version: number,
  document: unknown,
) => {
  const doc = check(document, registry)
  return Change.change(db, ctx, async ({ tx, audit }) => {
    const r =
      await sql<any>`select * from standards.version where org_id = ${ctx.orgId} and standard_id = ${standardId} and version = ${version} for update`.execute(
        tx,
      )
    if (!r.rows[0])
      throw new Errors.NotFoundError({ entity: "standard_version", id: `${standardId}@${version}` })
    if (r.rows[0].status !== "draft")
      throw new Errors.ConflictError({
        message: `version ${version} is ${r.rows[0].status}; only drafts can change — create a new draft`,
        field: "document",
        code: "onlyDrafts",
        params: { version },
      })
    await sql`update standards.version set document = ${JSON.stringify(doc)}::jsonb, label = ${doc.version}, review_cadence_days = ${doc.reviewCadenceDays ?? null}
      where org_id = ${ctx.orgId} and standard_id = ${standardId} and version = ${version}`.execute(tx)
    await audit({
      action: "standard.draft_updated",
      entityType: "standard",
      entityId: standardId,
      before: { changes: 0 },
      after: { version, changes: diff(r.rows[0].document, doc).length },
    })
  })
}

/**
 * Move a version through draft → in review → approved → published → superseded / retired.
 * Publishing supersedes the previously published version and schedules the next review.
 * @category constructors
 * @since 0.1.0
 */
export const step = async (
  db: Database,
  ctx: Ctx,
  standardId: string,
  version: number,
  to: Status,
  note?: string,
) =>
  Change.change(db, ctx, async ({ tx, audit, emit }) => {
    const r =
      await sql<any>`select * from standards.version where org_id = ${ctx.orgId} and standard_id = ${standardId} and version = ${version} for update`.execute(
        tx,
      )
    if (!r.rows[0])
      throw new Errors.NotFoundError({ entity: "standard_version", id: `${standardId}@${version}` })
    const from = r.rows[0].status as Status
    const refusal = refuseStep(from, to)
    if (refusal)
      throw new Errors.ConflictError({
        message: refusal,
        field: "to",
        code: to === "published" ? "publishBeforeApproval" : "versionStepNotAllowed",
        params: { from, to },
      })
    const at = new Date()
    const entry = { status: to, by: ctx.actor.id, at: at.toISOString(), ...(note ? { note } : {}) }
    if (to === "published") {
      const prev = await sql<any>`update standards.version set status = 'superseded',
          history = history || ${JSON.stringify([{ status: "superseded", by: ctx.actor.id, at: at.toISOString(), note: `by version ${version}` }])}::jsonb
        where org_id = ${ctx.orgId} and standard_id = ${standardId} and status = 'published' returning version`.execute(
        tx,
      )
      const cadence = r.rows[0].review_cadence_days as number | null
      await sql`update standards.version set status = 'published', published_at = ${at},
          next_review_at = ${cadence ? new Date(at.getTime() + cadence * 86_400_000) : null},
          history = history || ${JSON.stringify([entry])}::jsonb
        where org_id = ${ctx.orgId} and standard_id = ${standardId} and version = ${version}`.execute(tx)
      await emit({
        type: "standards.version.published",
        aggregateType: "standard",
        aggregateId: standardId,
        payload: {
          version,
          superseded: prev.rows.map((x) => x.version),
          sourceCycleId: r.rows[0].source_cycle_id,
        },
      })
    } else {
      await sql`update standards.version set status = ${to}, history = history || ${JSON.stringify([entry])}::jsonb
        where org_id = ${ctx.orgId} and standard_id = ${standardId} and version = ${version}`.execute(tx)
    }
    await audit({
      action: `standard.${to}`,
      entityType: "standard",
      entityId: standardId,
      before: { version, status: from },
      after: { version, status: to, note: note ?? null },
    })
    return toVersion(
      (
        await sql<any>`select * from standards.version where org_id = ${ctx.orgId} and standard_id = ${standardId} and version = ${version}`.execute(
          tx,
        )
      ).rows[0],
    )
  })

/** A readable diff between two versions. @category constructors @since 0.1.0 */
export const diffVersions = async (db: Database, orgId: string, standardId: string, a: number, b: number) =>
  diff(
    (await getVersion(db, orgId, standardId, a)).document,
    (await getVersion(db, orgId, standardId, b)).document,
  )

/** Published versions whose review is due within `days`. @category constructors @since 0.1.0 */
export const dueReviews = async (db: Database, orgId: string, days = 30) =>
  (
    await sql<any>`select v.*, s.key, s.title from standards.version v join standards.standard s on s.org_id = v.org_id and s.id = v.standard_id
      where v.org_id = ${orgId} and v.status = 'published' and v.next_review_at is not null
        and v.next_review_at < now() + make_interval(days => ${days}) order by v.next_review_at`.execute(
      db.kysely,
    )
  ).rows.map((r) => ({
    standardId: r.standard_id,
    key: r.key,
    title: r.title,
    version: r.version,
    label: r.label,
    nextReviewAt: r.next_review_at,
  }))

// ---------------------------------------------------------------------------
// compliance
// ---------------------------------------------------------------------------

/** One target's evidence. @category models @since 0.1.0 */
export interface TargetResult {
  readonly clause: string
  readonly requirementId: string
  readonly requirementTitle: unknown
  readonly targetId: string
  readonly metric: string
  readonly operator: string
  readonly target: number
  readonly warningBand: number
  readonly filter: Readonly<Record<string, string>>
  readonly value: number | null
  readonly numerator?: number | undefined
  readonly denominator?: number | undefined
  readonly n: number
  readonly interval?: { lower: number; upper: number; confidence: number } | undefined
  readonly status: TargetStatus
  readonly breachId?: string
}

/**
 * Evaluate a published standard (or a given version) for a period: every target's metric is
 * computed with its filter and judged met / at risk / breached / no data. The evaluation is
 * stored, and each breach gets an identity an improvement cycle can answer.
 * @category constructors
 * @since 0.1.0
 */
export const evaluate = async (
  db: Database,
  ctx: Ctx,
  registry: Registry,
  standardId: string,
  input: { from: Date; to: Date; timeZone: string; version?: number | undefined },
) => {
  if (!(input.from < input.to))
    throw new Errors.ValidationError({
      message: "invalid period",
      issues: [{ path: ["to"], message: "must be after from", code: "after", params: { other: "from" } }],
    })
  // the evaluation is stored with its time zone: only an IANA zone (not "Mars/Olympus")
  if (typeof input.timeZone !== "string" || !Organizations.isValidTimeZone(input.timeZone))
    throw new Errors.ValidationError({
      message: "invalid time zone",
      issues: [
        {
          path: ["timeZone"],
          message: `unknown time zone "${String(input.timeZone).slice(0, 100)}"`,
          code: "timeZone",
          params: { value: String(input.timeZone).slice(0, 100) },
        },
      ],
    })
  const v = input.version
    ? await getVersion(db, ctx.orgId, standardId, input.version)
    : await publishedVersion(db, ctx.orgId, standardId)
  if (!v)
    throw new Errors.ConflictError({
      message: "the standard has no published version to evaluate",
      field: "version",
      code: "noPublishedVersion",
    })
  const results: TargetResult[] = []
  for (const { clause, requirement } of requirements(v.document)) {
    for (const t of requirement.targets ?? []) {
      const def = registry.get(t.metric)
      const values = def
        ? await def.compute(
            {
              orgId: ctx.orgId,
              from: input.from,
              to: input.to,
              timeZone: input.timeZone,
              bucket: "none",
              filter: t.filter ?? {},
            },
            db,
          )
        : []
      const m = values[0]
      const value = m?.value ?? null
      results.push({
        clause,
        requirementId: requirement.id,
        requirementTitle: requirement.title,
        targetId: t.id,
        metric: t.metric,
        operator: t.operator,
        target: t.value,
        warningBand: t.warningBand ?? 0,
        filter: t.filter ?? {},
        value,
        numerator: m?.numerator,
        denominator: m?.denominator,
        n: m?.n ?? 0,
        interval: m?.interval,
        status: judge(t, value, m?.n ?? 0),
      })
    }
  }
  const summary = {
    met: results.filter((r) => r.status === "met").length,
    atRisk: results.filter((r) => r.status === "at_risk").length,
    breached: results.filter((r) => r.status === "breached").length,
    noData: results.filter((r) => r.status === "no_data").length,
  }
  return Change.change(db, ctx, async ({ tx, audit, emit }) => {
    const id = Id.make("eval")
    const stored: TargetResult[] = []
    for (const r of results) {
      if (r.status !== "breached") {
        stored.push(r)
        continue
      }
      const breachId = Id.make("brch")
      await sql`insert into standards.breach (org_id, id, evaluation_id, standard_id, version, requirement_id, target_id, metric_id, filter,
          value, target, operator, n, period_from, period_to)
        values (${ctx.orgId}, ${breachId}, ${id}, ${standardId}, ${v.version}, ${r.requirementId}, ${r.targetId}, ${r.metric},
          ${JSON.stringify(r.filter)}::jsonb, ${r.value}, ${r.target}, ${r.operator}, ${r.n}, ${input.from}, ${input.to})`.execute(
        tx,
      )
      await emit({
        type: "standards.target.breached",
        aggregateType: "breach",
        aggregateId: breachId,
        payload: {
          standardId,
          version: v.version,
          requirementId: r.requirementId,
          targetId: r.targetId,
          metric: r.metric,
          value: r.value,
          target: r.target,
        },
      })
      stored.push({ ...r, breachId })
    }
    await sql`insert into standards.evaluation (org_id, id, standard_id, version, period_from, period_to, time_zone, results, summary, created_by)
      values (${ctx.orgId}, ${id}, ${standardId}, ${v.version}, ${input.from}, ${input.to}, ${input.timeZone}, ${JSON.stringify(stored)}::jsonb,
        ${JSON.stringify(summary)}::jsonb, ${ctx.actor.id})`.execute(tx)
    await audit({
      action: "standard.evaluated",
      entityType: "evaluation",
      entityId: id,
      after: { standardId, version: v.version, ...summary },
    })
    return {
      id,
      standardId,
      version: v.version,
      label: v.label,
      from: input.from,
      to: input.to,
      timeZone: input.timeZone,
      results: stored,
      summary,
    }
  })
}

/** Stored evaluations of a standard, newest first. @category constructors @since 0.1.0 */
export const listEvaluations = async (db: Database, orgId: string, standardId?: string) =>
  (
    await sql<any>`select id, standard_id, version, period_from, period_to, time_zone, summary, created_at from standards.evaluation
      where org_id = ${orgId} ${standardId ? sql`and standard_id = ${standardId}` : sql``} order by created_at desc limit 100`.execute(
      db.kysely,
    )
  ).rows.map((r) => ({
    id: r.id,
    standardId: r.standard_id,
    version: r.version,
    from: r.period_from,
    to: r.period_to,
    timeZone: r.time_zone,
    summary: r.summary,
    createdAt: r.created_at,
  }))

/** @category constructors @since 0.1.0 */
export const getEvaluation = async (db: Database, orgId: string, id: string) => {
  const r = await sql<any>`select * from standards.evaluation where org_id = ${orgId} and id = ${id}`.execute(
    db.kysely,
  )
  if (!r.rows[0]) throw new Errors.NotFoundError({ entity: "evaluation", id })
  const e = r.rows[0]
  return {
    id: e.id,
    standardId: e.standard_id,
    version: e.version,
    from: e.period_from,
    to: e.period_to,
    timeZone: e.time_zone,
    results: e.results as TargetResult[],
    summary: e.summary,
    createdAt: e.created_at,
  }
}

/** Breaches, optionally only open ones. @category constructors @since 0.1.0 */
export const listBreaches = async (db: Database, orgId: string, status?: "open" | "answered") =>
  (
    await sql<any>`select * from standards.breach where org_id = ${orgId} ${status ? sql`and status = ${status}` : sql``} order by created_at desc limit 200`.execute(
      db.kysely,
    )
  ).rows.map((r) => ({
    id: r.id,
    evaluationId: r.evaluation_id,
    standardId: r.standard_id,
    version: r.version,
    requirementId: r.requirement_id,
    targetId: r.target_id,
    metric: r.metric_id,
    filter: r.filter,
    value: r.value,
    target: r.target,
    operator: r.operator,
    n: r.n,
    from: r.period_from,
    to: r.period_to,
    status: r.status,
    cycleId: r.cycle_id,
    createdAt: r.created_at,
  }))

/** Link a breach to the improvement cycle answering it. @category constructors @since 0.1.0 */
export const answerBreach = async (db: Database, ctx: Ctx, breachId: string, cycleId: string) =>
  Change.change(db, ctx, async ({ tx, audit }) => {
    const r =
      await sql`update standards.breach set status = 'answered', cycle_id = ${cycleId} where org_id = ${ctx.orgId} and id = ${breachId}`.execute(
        tx,
      )
    if (Number(r.numAffectedRows ?? 0) === 0)
      throw new Errors.NotFoundError({ entity: "breach", id: breachId })
    await audit({ action: "breach.answered", entityType: "breach", entityId: breachId, after: { cycleId } })
  })

// ---------------------------------------------------------------------------
// mappings
// ---------------------------------------------------------------------------

/** @category models @since 0.1.0 */
export const RELATIONS = ["equal", "subset", "superset", "intersect"] as const

/**
 * The requirements of a standard's newest version (id, clause, title), for choosing what to map.
 * @category constructors
 * @since 0.1.0
 */
export const requirementsOfStandard = async (
  db: Database | { kysely: any },
  orgId: string,
  standardId: string,
) => {
  const r =
    await sql<any>`select document from standards.version where org_id = ${orgId} and standard_id = ${standardId} order by version desc limit 1`.execute(
      db.kysely,
    )
  if (!r.rows[0]) return undefined
  return requirements(r.rows[0].document as StandardDocument).map(({ clause, requirement }) => ({
    id: requirement.id,
    clause,
    title: requirement.title,
  }))
}

/** Map a requirement of one standard to a requirement of another (so one metric serves several). @category constructors @since 0.1.0 */
export const createMapping = async (
  db: Database,
  ctx: Ctx,
  input: {
    fromStandard: string
    fromRequirement: string
    toStandard: string
    toRequirement: string
    relation: string
    strength: number
    rationale?: string | undefined
  },
) => {
  const issues: Errors.FieldIssue[] = []
  if (!(RELATIONS as readonly string[]).includes(input.relation))
    issues.push({
      path: ["relation"],
      message: `must be one of ${RELATIONS.join(", ")}`,
      code: "oneOf",
      params: { values: RELATIONS.join(", ") },
    })
  if (!(Number.isInteger(input.strength) && input.strength >= 0 && input.strength <= 10))
    issues.push({
      path: ["strength"],
      message: "must be a whole number from 0 to 10",
      code: "wholeRange",
      params: { min: 0, max: 10 },
    })
  for (const side of ["from", "to"] as const) {
    const standard = input[`${side}Standard`]
    const reqs = await requirementsOfStandard(db, ctx.orgId, standard)
    if (!reqs)
      issues.push({
        path: [`${side}Standard`],
        message: `no standard "${standard}" in this organisation`,
        code: "unknownStandard",
        params: { value: standard },
      })
    else if (!reqs.some((r) => r.id === input[`${side}Requirement`]))
      issues.push({
        path: [`${side}Requirement`],
        message: `no requirement "${input[`${side}Requirement`]}" in the newest version of that standard`,
        code: "unknownRequirement",
        params: { value: String(input[`${side}Requirement`]) },
      })
  }
  if (input.fromStandard === input.toStandard && input.fromRequirement === input.toRequirement)
    issues.push({
      path: ["toRequirement"],
      message: "a requirement cannot be mapped to itself",
      code: "selfMapping",
    })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid mapping", issues })
  const id = Id.make("map")
  await Change.change(db, ctx, async ({ tx, audit }) => {
    await sql`insert into standards.mapping (org_id, id, from_standard, from_requirement, to_standard, to_requirement, relation, strength, rationale)
      values (${ctx.orgId}, ${id}, ${input.fromStandard}, ${input.fromRequirement}, ${input.toStandard}, ${input.toRequirement}, ${input.relation}, ${input.strength}, ${input.rationale ?? null})`.execute(
      tx,
    )
    await audit({ action: "mapping.created", entityType: "mapping", entityId: id, after: input })
  })
  return { id, ...input }
}

/** @category constructors @since 0.1.0 */
export const listMappings = async (db: Database, orgId: string) =>
  (
    await sql<any>`select * from standards.mapping where org_id = ${orgId} order by created_at`.execute(
      db.kysely,
    )
  ).rows.map((r) => ({
    id: r.id,
    fromStandard: r.from_standard,
    fromRequirement: r.from_requirement,
    toStandard: r.to_standard,
    toRequirement: r.to_requirement,
    relation: r.relation,
    strength: r.strength,
    rationale: r.rationale,
  }))
