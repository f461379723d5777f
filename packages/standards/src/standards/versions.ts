/**
 * Versions of a standard: drafts, the review lifecycle with who and when, immutable published
 * versions, diffs and due reviews.
 *
 * @since 0.5.0
 */
import { Errors } from "@tenet/core"
import { sql } from "kysely"
import type { HistoryEntry, VersionRow } from "../migrations/schema"
import { diff, refuseStep, requirements, type Status } from "../Standard"
import { check } from "./library"
import { type Ctx, change, type Database, type Registry, type StandardsDb, tables } from "./types"

const toVersion = (r: VersionRow) => ({
  standardId: r.standard_id,
  version: r.version,
  label: r.label,
  status: r.status,
  document: r.document,
  reviewCadenceDays: r.review_cadence_days,
  nextReviewAt: r.next_review_at,
  history: r.history as Array<HistoryEntry>,
  basedOn: r.based_on,
  sourceCycleId: r.source_cycle_id,
  createdAt: r.created_at,
  publishedAt: r.published_at,
})
/** A version as the API returns it. @category models @since 0.1.0 */
export type VersionRecord = ReturnType<typeof toVersion>

const versionQuery = (db: StandardsDb, orgId: string, standardId: string) =>
  db
    .selectFrom("standards.version")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("standard_id", "=", standardId)

const notFound = (standardId: string, version: number) =>
  new Errors.NotFoundError({ entity: "standard_version", id: `${standardId}@${version}` })

/** Standards with their versions (newest first). @category constructors @since 0.1.0 */
export const listStandards = async (db: Database, orgId: string) => {
  const t = tables(db)
  const s = await t
    .selectFrom("standards.standard")
    .selectAll()
    .where("org_id", "=", orgId)
    .orderBy("created_at")
    .execute()
  const v = await t
    .selectFrom("standards.version")
    .selectAll()
    .where("org_id", "=", orgId)
    .orderBy("version", "desc")
    .execute()
  return s.map((r) => ({
    id: r.id,
    key: r.key,
    title: r.title,
    provider: r.provider,
    copyright: r.copyright,
    licence: r.licence,
    versions: v
      .filter((x) => x.standard_id === r.id)
      .map((x) => {
        const { document: _d, ...rest } = toVersion(x)
        return { ...rest, requirements: requirements(x.document).length }
      }),
  }))
}

/** @category constructors @since 0.1.0 */
export const getVersion = async (db: Database, orgId: string, standardId: string, version: number) => {
  const r = await versionQuery(tables(db), orgId, standardId)
    .where("version", "=", version)
    .executeTakeFirst()
  if (!r) throw notFound(standardId, version)
  return toVersion(r)
}

/** The published version of a standard, if any. @category constructors @since 0.1.0 */
export const publishedVersion = async (db: Database, orgId: string, standardId: string) => {
  const r = await versionQuery(tables(db), orgId, standardId)
    .where("status", "=", "published")
    .executeTakeFirst()
  return r ? toVersion(r) : undefined
}

/** The next version number of a standard, inside a change. */
const nextVersion = async (tx: StandardsDb, orgId: string, standardId: string) => {
  const n = await sql<{
    n: number
  }>`select coalesce(max(version), 0)::int + 1 as n from standards.version where org_id = ${orgId} and standard_id = ${standardId}`.execute(
    tx,
  )
  return n.rows[0]!.n
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
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const version = await nextVersion(tx, ctx.orgId, standardId)
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
    await tx
      .insertInto("standards.version")
      .values({
        org_id: ctx.orgId,
        standard_id: standardId,
        version,
        label: doc.version,
        status: "draft",
        document: JSON.stringify(doc),
        review_cadence_days: doc.reviewCadenceDays ?? null,
        history: JSON.stringify(history),
        based_on: base.version,
        source_cycle_id: input.cycleId ?? null,
        created_by: ctx.actor.id,
      })
      .execute()
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
  return change(db, ctx, async ({ tx, audit }) => {
    const r = await versionQuery(tx, ctx.orgId, standardId)
      .where("version", "=", version)
      .forUpdate()
      .executeTakeFirst()
    if (!r) throw notFound(standardId, version)
    if (r.status !== "draft")
      throw new Errors.ConflictError({
        message: `version ${version} is ${r.status}; only drafts can change — create a new draft`,
        field: "document",
        code: "onlyDrafts",
        params: { version },
      })
    await tx
      .updateTable("standards.version")
      .set({
        document: JSON.stringify(doc),
        label: doc.version,
        review_cadence_days: doc.reviewCadenceDays ?? null,
      })
      .where("org_id", "=", ctx.orgId)
      .where("standard_id", "=", standardId)
      .where("version", "=", version)
      .execute()
    await audit({
      action: "standard.draft_updated",
      entityType: "standard",
      entityId: standardId,
      before: { changes: 0 },
      after: { version, changes: diff(r.document, doc).length },
    })
  })
}

/** `history || entries`: appends to a version's history in the same statement (typed as the column's written form). */
const appendHistory = (entries: ReadonlyArray<HistoryEntry>) =>
  sql<string>`history || ${JSON.stringify(entries)}::jsonb`

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
  change(db, ctx, async ({ tx, audit, emit }) => {
    const r = await versionQuery(tx, ctx.orgId, standardId)
      .where("version", "=", version)
      .forUpdate()
      .executeTakeFirst()
    if (!r) throw notFound(standardId, version)
    const from = r.status
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
    const thisVersion = tx
      .updateTable("standards.version")
      .where("org_id", "=", ctx.orgId)
      .where("standard_id", "=", standardId)
      .where("version", "=", version)
    if (to === "published") {
      const prev = await tx
        .updateTable("standards.version")
        .set({
          status: "superseded",
          history: appendHistory([
            { status: "superseded", by: ctx.actor.id, at: at.toISOString(), note: `by version ${version}` },
          ]),
        })
        .where("org_id", "=", ctx.orgId)
        .where("standard_id", "=", standardId)
        .where("status", "=", "published")
        .returning("version")
        .execute()
      const cadence = r.review_cadence_days
      await thisVersion
        .set({
          status: "published",
          published_at: at,
          next_review_at: cadence ? new Date(at.getTime() + cadence * 86_400_000) : null,
          history: appendHistory([entry]),
        })
        .execute()
      await emit({
        type: "standards.version.published",
        aggregateType: "standard",
        aggregateId: standardId,
        payload: {
          version,
          superseded: prev.map((x) => x.version),
          sourceCycleId: r.source_cycle_id,
        },
      })
    } else {
      await thisVersion.set({ status: to, history: appendHistory([entry]) }).execute()
    }
    await audit({
      action: `standard.${to}`,
      entityType: "standard",
      entityId: standardId,
      before: { version, status: from },
      after: { version, status: to, note: note ?? null },
    })
    return toVersion(
      await versionQuery(tx, ctx.orgId, standardId).where("version", "=", version).executeTakeFirstOrThrow(),
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
    await tables(db)
      .selectFrom("standards.version as v")
      .innerJoin("standards.standard as s", (j) =>
        j.onRef("s.org_id", "=", "v.org_id").onRef("s.id", "=", "v.standard_id"),
      )
      .select(["v.standard_id", "s.key", "s.title", "v.version", "v.label", "v.next_review_at"])
      .where("v.org_id", "=", orgId)
      .where("v.status", "=", "published")
      .where("v.next_review_at", "is not", null)
      .where("v.next_review_at", "<", sql<Date>`now() + make_interval(days => ${days})`)
      .orderBy("v.next_review_at")
      .execute()
  ).map((r) => ({
    standardId: r.standard_id,
    key: r.key,
    title: r.title,
    version: r.version,
    label: r.label,
    nextReviewAt: r.next_review_at,
  }))
