/**
 * Organisations: the tenants. Every other table keys on `org_id`.
 *
 * @since 0.1.0
 */
import { type Selectable, sql } from "kysely"
import { change } from "./Change"
import type { Database } from "./Db"
import { ConflictError, NotFoundError, ValidationError } from "./Errors"
import * as Id from "./Id"
import type { OrganizationTable } from "./migrations/schema"
import type { Actor } from "./Tenancy"

/** @category models @since 0.1.0 */
export interface Organization {
  readonly id: string
  readonly slug: string
  readonly name: string
  readonly timeZone: string
  readonly locale: string
  readonly createdAt: Date
}

const toOrg = (r: Selectable<OrganizationTable>): Organization => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  timeZone: r.time_zone,
  locale: r.locale,
  createdAt: r.created_at,
})

/** @category guards @since 0.1.0 */
export const isValidTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz })
    return tz.length > 0
  } catch {
    return false
  }
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/

const timeZoneIssue = (value: string) => ({
  path: ["timeZone"],
  message: `unknown time zone "${value}"`,
  code: "timeZone",
  params: { value },
})

/** @category constructors @since 0.1.0 */
export const create = async (
  db: Database,
  actor: Actor,
  input: {
    readonly name: string
    readonly slug: string
    readonly timeZone?: string
    readonly locale?: string
  },
): Promise<Organization> => {
  const issues = []
  if (!SLUG.test(input.slug))
    issues.push({
      path: ["slug"],
      message: "must be 1–48 lowercase letters, digits or hyphens",
      code: "slug",
    })
  if (input.name.trim().length === 0)
    issues.push({ path: ["name"], message: "must not be empty", code: "required" })
  if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone))
    issues.push(timeZoneIssue(input.timeZone))
  if (issues.length > 0) throw new ValidationError({ message: "invalid organisation", issues })
  const existing = await findBySlug(db, input.slug)
  if (existing)
    throw new ConflictError({
      message: `an organisation with slug "${input.slug}" exists`,
      field: "slug",
      code: "slugTaken",
      params: { value: input.slug },
    })
  const id = Id.make("org")
  return change(db, { orgId: id, actor }, async ({ tx, audit, emit }) => {
    const row = await tx
      .insertInto("core.organization")
      .values({
        id,
        slug: input.slug,
        name: input.name.trim(),
        time_zone: input.timeZone ?? "Asia/Shanghai",
        locale: input.locale ?? "zh-CN",
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const org = toOrg(row)
    await audit({ action: "org.created", entityType: "organization", entityId: id, after: org })
    await emit({
      type: "core.organization.created",
      aggregateType: "organization",
      aggregateId: id,
      payload: org,
    })
    return org
  })
}

/** @category constructors @since 0.1.0 */
export const findBySlug = async (db: Database, slug: string): Promise<Organization | undefined> => {
  const row = await db.kysely
    .selectFrom("core.organization")
    .selectAll()
    .where("slug", "=", slug)
    .executeTakeFirst()
  return row ? toOrg(row) : undefined
}

/** @category constructors @since 0.1.0 */
export const get = async (db: Database, id: string): Promise<Organization> => {
  const row = await db.kysely
    .selectFrom("core.organization")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst()
  if (!row) throw new NotFoundError({ entity: "organization", id })
  return toOrg(row)
}

/** @category constructors @since 0.1.0 */
export const update = async (
  db: Database,
  actor: Actor,
  orgId: string,
  patch: {
    readonly name?: string | undefined
    readonly timeZone?: string | undefined
    readonly locale?: string | undefined
  },
): Promise<Organization> => {
  const issues = []
  if (patch.name !== undefined && patch.name.trim().length === 0)
    issues.push({ path: ["name"], message: "must not be empty", code: "required" })
  if (patch.timeZone !== undefined && !isValidTimeZone(patch.timeZone))
    issues.push(timeZoneIssue(patch.timeZone))
  if (patch.locale !== undefined && !["zh-CN", "en"].includes(patch.locale))
    issues.push({
      path: ["locale"],
      message: 'must be "zh-CN" or "en"',
      code: "oneOf",
      params: { values: "zh-CN, en" },
    })
  if (issues.length > 0) throw new ValidationError({ message: "invalid organisation", issues })
  return change(db, { orgId, actor }, async ({ tx, audit }) => {
    const before = await tx
      .selectFrom("core.organization")
      .selectAll()
      .where("id", "=", orgId)
      .forUpdate()
      .executeTakeFirst()
    if (!before) throw new NotFoundError({ entity: "organization", id: orgId })
    const row = await tx
      .updateTable("core.organization")
      .set((eb) => ({
        name: patch.name?.trim() ?? eb.ref("name"),
        time_zone: patch.timeZone ?? eb.ref("time_zone"),
        locale: patch.locale ?? eb.ref("locale"),
        updated_at: sql<Date>`now()`,
      }))
      .where("id", "=", orgId)
      .returningAll()
      .executeTakeFirstOrThrow()
    const org = toOrg(row)
    await audit({
      action: "org.updated",
      entityType: "organization",
      entityId: orgId,
      before: toOrg(before),
      after: org,
    })
    return org
  })
}
