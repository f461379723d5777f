/**
 * Organisations: the tenants. Every other table keys on `org_id`.
 *
 * @since 0.1.0
 */
import { sql } from "kysely"
import { change } from "./Change"
import type { Database } from "./Db"
import { ConflictError, NotFoundError, ValidationError } from "./Errors"
import * as Id from "./Id"
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

const toOrg = (r: any): Organization => ({
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
    const r = await sql<any>`insert into core.organization (id, slug, name, time_zone, locale)
      values (${id}, ${input.slug}, ${input.name.trim()}, ${input.timeZone ?? "Asia/Shanghai"}, ${input.locale ?? "zh-CN"})
      returning *`.execute(tx)
    const org = toOrg(r.rows[0])
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
  const r = await sql<any>`select * from core.organization where slug = ${slug}`.execute(db.kysely)
  return r.rows[0] ? toOrg(r.rows[0]) : undefined
}

/** @category constructors @since 0.1.0 */
export const get = async (db: Database, id: string): Promise<Organization> => {
  const r = await sql<any>`select * from core.organization where id = ${id}`.execute(db.kysely)
  if (!r.rows[0]) throw new NotFoundError({ entity: "organization", id })
  return toOrg(r.rows[0])
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
    const before = await sql<any>`select * from core.organization where id = ${orgId} for update`.execute(tx)
    if (!before.rows[0]) throw new NotFoundError({ entity: "organization", id: orgId })
    const r = await sql<any>`update core.organization set
        name = coalesce(${patch.name?.trim() ?? null}, name),
        time_zone = coalesce(${patch.timeZone ?? null}, time_zone),
        locale = coalesce(${patch.locale ?? null}, locale),
        updated_at = now()
      where id = ${orgId} returning *`.execute(tx)
    const org = toOrg(r.rows[0])
    await audit({
      action: "org.updated",
      entityType: "organization",
      entityId: orgId,
      before: toOrg(before.rows[0]),
      after: org,
    })
    return org
  })
}
