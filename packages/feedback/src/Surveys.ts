/**
 * Surveys and their versions. A draft version changes in place; editing a survey whose latest
 * version is published makes a new draft version; publishing a version supersedes the one before.
 * Invitations pin the published version at the time they are made, so a response always names the
 * exact questions it answered.
 *
 * @since 0.1.0
 */
import { type Db, Errors, Id, type Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { assertValid, type Definition, type Kind } from "./Survey"
import { change, fdb } from "./store"

/** @category models @since 0.1.0 */
export interface SurveyVersion {
  readonly version: number
  readonly status: "draft" | "published" | "superseded"
  readonly definition: Definition
  readonly publishedAt: Date | null
  readonly createdAt: Date
}

/** @category models @since 0.1.0 */
export interface SurveySummary {
  readonly id: string
  readonly name: string
  readonly kind: Kind
  readonly latestVersion: number
  readonly publishedVersion: number | null
  readonly archived: boolean
  readonly updatedAt: Date
}

const checkName = (name: string) => {
  if (name.trim() === "" || name.length > 200)
    throw new Errors.ValidationError({
      message: "invalid survey",
      issues: [{ path: ["name"], message: "must be 1 to 200 characters", code: "required" }],
    })
}

/** Create a survey with its first (draft) version. @category constructors @since 0.1.0 */
export const createSurvey = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  input: { readonly name: string; readonly definition: Definition },
): Promise<SurveySummary> => {
  checkName(input.name)
  assertValid(input.definition)
  const id = Id.make("srv")
  await change(db, ctx, async ({ tx, audit, emit }) => {
    await tx
      .insertInto("feedback.survey")
      .values({
        org_id: ctx.orgId,
        id,
        name: input.name,
        kind: input.definition.kind,
        latest_version: 1,
        published_version: null,
        created_by: ctx.actor.id,
      })
      .execute()
    await tx
      .insertInto("feedback.survey_version")
      .values({
        org_id: ctx.orgId,
        survey_id: id,
        version: 1,
        status: "draft",
        definition: JSON.stringify(input.definition),
        published_at: null,
        created_by: ctx.actor.id,
      })
      .execute()
    await audit({
      action: "survey.created",
      entityType: "survey",
      entityId: id,
      after: { name: input.name, kind: input.definition.kind },
    })
    await emit({
      type: "feedback.survey.created",
      aggregateType: "survey",
      aggregateId: id,
      payload: { version: 1 },
    })
  })
  return getSurvey(db, ctx.orgId, id)
}

/**
 * Change a survey's questions (and name). A draft latest version is changed in place; a published
 * one is left as it is and a new draft version is made. Returns the version now edited.
 * @category constructors
 * @since 0.1.0
 */
export const updateSurvey = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  id: string,
  input: { readonly name?: string | undefined; readonly definition: Definition },
): Promise<SurveySummary & { readonly editedVersion: number }> => {
  if (input.name !== undefined) checkName(input.name)
  assertValid(input.definition)
  const edited = await change(db, ctx, async ({ tx, audit }) => {
    const s = await tx
      .selectFrom("feedback.survey")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!s) throw new Errors.NotFoundError({ entity: "survey", id })
    if (input.definition.kind !== s.kind)
      throw new Errors.ConflictError({
        message: "a survey keeps its kind",
        field: "definition.kind",
        code: "surveyKindFixed",
      })
    const latest = await tx
      .selectFrom("feedback.survey_version")
      .select(["status"])
      .where("org_id", "=", ctx.orgId)
      .where("survey_id", "=", id)
      .where("version", "=", s.latest_version)
      .executeTakeFirstOrThrow()
    let version = s.latest_version
    if (latest.status === "draft") {
      await tx
        .updateTable("feedback.survey_version")
        .set({ definition: JSON.stringify(input.definition) })
        .where("org_id", "=", ctx.orgId)
        .where("survey_id", "=", id)
        .where("version", "=", version)
        .execute()
    } else {
      version = s.latest_version + 1
      await tx
        .insertInto("feedback.survey_version")
        .values({
          org_id: ctx.orgId,
          survey_id: id,
          version,
          status: "draft",
          definition: JSON.stringify(input.definition),
          published_at: null,
          created_by: ctx.actor.id,
        })
        .execute()
    }
    await tx
      .updateTable("feedback.survey")
      .set({ latest_version: version, name: input.name ?? s.name, updated_at: new Date() })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .execute()
    await audit({
      action: "survey.edited",
      entityType: "survey",
      entityId: id,
      after: { version, name: input.name ?? s.name },
    })
    return version
  })
  return { ...(await getSurvey(db, ctx.orgId, id)), editedVersion: edited }
}

/** Publish the latest (draft) version; the version published before is superseded. @category constructors @since 0.1.0 */
export const publishSurvey = async (
  db: Db.Database,
  ctx: Tenancy.OrgContext,
  id: string,
): Promise<SurveySummary> => {
  await change(db, ctx, async ({ tx, audit, emit }) => {
    const s = await tx
      .selectFrom("feedback.survey")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .forUpdate()
      .executeTakeFirst()
    if (!s) throw new Errors.NotFoundError({ entity: "survey", id })
    if (s.published_version === s.latest_version)
      throw new Errors.ConflictError({
        message: "this version is already published",
        code: "surveyAlreadyPublished",
      })
    await tx
      .updateTable("feedback.survey_version")
      .set({ status: "superseded" })
      .where("org_id", "=", ctx.orgId)
      .where("survey_id", "=", id)
      .where("status", "=", "published")
      .execute()
    await tx
      .updateTable("feedback.survey_version")
      .set({ status: "published", published_at: new Date() })
      .where("org_id", "=", ctx.orgId)
      .where("survey_id", "=", id)
      .where("version", "=", s.latest_version)
      .execute()
    await tx
      .updateTable("feedback.survey")
      .set({ published_version: s.latest_version, updated_at: new Date() })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", id)
      .execute()
    await audit({
      action: "survey.published",
      entityType: "survey",
      entityId: id,
      after: { version: s.latest_version },
    })
    await emit({
      type: "feedback.survey.published",
      aggregateType: "survey",
      aggregateId: id,
      payload: { version: s.latest_version },
    })
  })
  return getSurvey(db, ctx.orgId, id)
}

const toSummary = (r: {
  id: string
  name: string
  kind: Kind
  latest_version: number
  published_version: number | null
  archived: boolean
  updated_at: Date
}): SurveySummary => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  latestVersion: r.latest_version,
  publishedVersion: r.published_version,
  archived: r.archived,
  updatedAt: r.updated_at,
})

/** @category constructors @since 0.1.0 */
export const getSurvey = async (db: Db.Database, orgId: string, id: string): Promise<SurveySummary> => {
  const r = await fdb(db)
    .selectFrom("feedback.survey")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("id", "=", id)
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "survey", id })
  return toSummary(r)
}

/** Every survey of the organisation, newest change first. @category constructors @since 0.1.0 */
export const listSurveys = async (db: Db.Database, orgId: string): Promise<SurveySummary[]> =>
  (
    await fdb(db)
      .selectFrom("feedback.survey")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("updated_at", "desc")
      .orderBy("id")
      .execute()
  ).map(toSummary)

/** One version (or the latest) of a survey. @category constructors @since 0.1.0 */
export const getVersion = async (
  db: Db.Database,
  orgId: string,
  id: string,
  version?: number,
): Promise<SurveyVersion> => {
  const r = await fdb(db)
    .selectFrom("feedback.survey_version")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("survey_id", "=", id)
    .$if(version !== undefined, (q) => q.where("version", "=", version!))
    .orderBy("version", "desc")
    .limit(1)
    .executeTakeFirst()
  if (!r) throw new Errors.NotFoundError({ entity: "survey_version", id: `${id}@${version ?? "latest"}` })
  return {
    version: r.version,
    status: r.status,
    definition: r.definition,
    publishedAt: r.published_at,
    createdAt: r.created_at,
  }
}

/** Every version of a survey, newest first. @category constructors @since 0.1.0 */
export const listVersions = async (db: Db.Database, orgId: string, id: string): Promise<SurveyVersion[]> =>
  (
    await sql<{
      version: number
      status: SurveyVersion["status"]
      definition: Definition
      published_at: Date | null
      created_at: Date
    }>`
      select version, status, definition, published_at, created_at from feedback.survey_version
      where org_id = ${orgId} and survey_id = ${id} order by version desc`.execute(db.kysely)
  ).rows.map((r) => ({
    version: r.version,
    status: r.status,
    definition: r.definition,
    publishedAt: r.published_at,
    createdAt: r.created_at,
  }))
