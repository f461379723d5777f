/**
 * Certification before live work (COPC): what a person must hold to work a queue (a team), a
 * channel or a case type — the courses to pass and a minimum score — for how long, with
 * re-certification before expiry, reminders, suspension and revocation. `eligibility` is culture's
 * implementation of core's eligibility contract: process asks it, through core, before a case is
 * assigned to a person.
 *
 * @since 0.1.0
 */
import { type Eligibility, Errors, Id, type Jobs, Notifications, Tenancy } from "@tenet/core"
import { sql } from "kysely"
import { addDays, type Ctx, type CultureDb, change, type Database, isoDate, tables } from "../db"
import type { GrantStatus, ScopeKind } from "../migrations/schema"

/** @category models @since 0.1.0 */
export interface CertificationInput {
  readonly id: string
  readonly name: { readonly "zh-CN": string; readonly en: string }
  readonly scope: { readonly kind: ScopeKind; readonly value: string }
  readonly requiredCourses: ReadonlyArray<string>
  readonly minScore?: number | undefined
  readonly validityDays: number
  readonly remindDays?: number | undefined
}

/** Create or change a certification. @category constructors @since 0.1.0 */
export const saveCertification = async (db: Database, ctx: Ctx, input: CertificationInput) => {
  const issues: Errors.FieldIssue[] = []
  if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(input.id))
    issues.push({ path: ["id"], message: "lowercase letters, digits, _ and -", code: "invalidId" })
  if (!["queue", "channel", "case_type"].includes(input.scope.kind))
    issues.push({ path: ["scope", "kind"], message: "queue, channel or case_type", code: "invalidEnum" })
  if (!Number.isInteger(input.validityDays) || input.validityDays < 1 || input.validityDays > 3650)
    issues.push({ path: ["validityDays"], message: "from 1 to 3650 days", code: "invalidValue" })
  if (input.minScore !== undefined && (input.minScore < 0 || input.minScore > 100))
    issues.push({ path: ["minScore"], message: "from 0 to 100", code: "invalidValue" })
  if (issues.length) throw new Errors.ValidationError({ message: "invalid certification", issues })
  return change(db, ctx, async ({ tx, audit }) => {
    for (const [i, c] of input.requiredCourses.entries()) {
      const found = await tx
        .selectFrom("culture.course")
        .select("id")
        .where("org_id", "=", ctx.orgId)
        .where("id", "=", c)
        .executeTakeFirst()
      if (!found)
        throw new Errors.ValidationError({
          message: "invalid certification",
          issues: [{ path: ["requiredCourses", i], message: "no such course", code: "unknownCourse" }],
        })
    }
    const row = {
      name_zh: input.name["zh-CN"],
      name_en: input.name.en,
      scope_kind: input.scope.kind,
      scope_value: input.scope.value,
      required_courses: JSON.stringify(input.requiredCourses),
      min_score: input.minScore === undefined ? null : String(input.minScore),
      validity_days: input.validityDays,
      remind_days: input.remindDays ?? 30,
    }
    await tx
      .insertInto("culture.certification")
      .values({ org_id: ctx.orgId, id: input.id, ...row })
      .onConflict((oc) => oc.columns(["org_id", "id"]).doUpdateSet(row))
      .execute()
    await audit({
      action: "culture.certification_saved",
      entityType: "certification",
      entityId: input.id,
      after: input,
    })
    return input
  })
}

/** Every certification. @category getters @since 0.1.0 */
export const listCertifications = async (db: Database, orgId: string) =>
  (
    await tables(db)
      .selectFrom("culture.certification")
      .selectAll()
      .where("org_id", "=", orgId)
      .orderBy("id")
      .execute()
  ).map((r) => ({
    id: r.id,
    name: { "zh-CN": r.name_zh, en: r.name_en },
    scope: { kind: r.scope_kind, value: r.scope_value },
    requiredCourses: r.required_courses,
    minScore: r.min_score === null ? null : Number(r.min_score),
    validityDays: r.validity_days,
    remindDays: r.remind_days,
  }))

/**
 * Grant every certification whose requirements the person now meets (each required course passed,
 * the best score at least the minimum) and which they do not hold valid; renewal counts from now.
 * Runs in the caller's transaction. Returns the certifications granted.
 * @category constructors
 * @since 0.1.0
 */
export const grantIfQualified = async (
  tx: CultureDb,
  orgId: string,
  userId: string,
  at: Date,
): Promise<string[]> => {
  const certs = await tx.selectFrom("culture.certification").selectAll().where("org_id", "=", orgId).execute()
  const passed = await tx
    .selectFrom("culture.assignment")
    .select(["course_id", "score", "completed_at"])
    .where("org_id", "=", orgId)
    .where("user_id", "=", userId)
    .where("status", "=", "passed")
    .execute()
  const granted: string[] = []
  for (const c of certs) {
    if (!c.required_courses.length) continue
    const ok = c.required_courses.every((course) =>
      passed.some(
        (p) =>
          p.course_id === course && (c.min_score === null || Number(p.score ?? 0) >= Number(c.min_score)),
      ),
    )
    if (!ok) continue
    const held = await tx
      .selectFrom("culture.grant")
      .select(["id", "expires_at", "status"])
      .where("org_id", "=", orgId)
      .where("user_id", "=", userId)
      .where("certification_id", "=", c.id)
      .where("status", "in", ["active", "revoked"])
      .orderBy("expires_at", "desc")
      .executeTakeFirst()
    // revoked stays revoked until a supervisor reinstates; valid and not inside its reminder window stays as it is
    if (held?.status === "revoked") continue
    if (held && held.expires_at.getTime() - at.getTime() > c.remind_days * 86_400_000) continue
    await tx
      .insertInto("culture.grant")
      .values({
        org_id: orgId,
        id: Id.make("cgr"),
        certification_id: c.id,
        user_id: userId,
        granted_at: at,
        expires_at: addDays(held && held.expires_at > at ? held.expires_at : at, c.validity_days),
        status: "active",
        status_reason: held ? "recertified" : null,
      })
      .execute()
    granted.push(c.id)
  }
  return granted
}

/** Suspend, revoke or reinstate a person's certification (with a reason, audited). @category constructors @since 0.1.0 */
export const setGrantStatus = async (
  db: Database,
  ctx: Ctx,
  grantId: string,
  status: GrantStatus,
  reason: string,
) => {
  if (!reason.trim())
    throw new Errors.ValidationError({
      message: "invalid status change",
      issues: [{ path: ["reason"], message: "required", code: "required" }],
    })
  return change(db, ctx, async ({ tx, audit, emit }) => {
    const g = await tx
      .selectFrom("culture.grant")
      .selectAll()
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", grantId)
      .forUpdate()
      .executeTakeFirst()
    if (!g) throw new Errors.NotFoundError({ entity: "grant", id: grantId })
    await tx
      .updateTable("culture.grant")
      .set({ status, status_reason: reason.trim() })
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", grantId)
      .execute()
    await audit({
      action: `culture.certification_${status}`,
      entityType: "person",
      entityId: g.user_id,
      before: { status: g.status },
      after: { grantId, status, reason },
    })
    await emit({
      type: `culture.certification.${status}`,
      aggregateType: "person",
      aggregateId: g.user_id,
      payload: { grantId, certificationId: g.certification_id },
    })
    return { id: grantId, status }
  })
}

/** A grant as shown: its state at `at` (valid, expiring within the reminder window, expired, suspended, revoked). */
export const grantsOf = async (db: Database, orgId: string, options: { userId?: string; at?: Date } = {}) => {
  const at = options.at ?? new Date()
  const rows = await tables(db)
    .selectFrom("culture.grant as g")
    .innerJoin("culture.certification as c", (j) =>
      j.onRef("c.org_id", "=", "g.org_id").onRef("c.id", "=", "g.certification_id"),
    )
    .select([
      "g.id",
      "g.user_id",
      "g.certification_id",
      "c.name_zh",
      "c.name_en",
      "c.remind_days",
      "g.granted_at",
      "g.expires_at",
      "g.status",
      "g.status_reason",
    ])
    .where("g.org_id", "=", orgId)
    .$if(Boolean(options.userId), (q) => q.where("g.user_id", "=", options.userId!))
    .orderBy("g.expires_at", "desc")
    .execute()
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    certificationId: r.certification_id,
    name: { "zh-CN": r.name_zh, en: r.name_en },
    grantedAt: r.granted_at,
    expiresAt: r.expires_at,
    status: r.status,
    reason: r.status_reason,
    state:
      r.status !== "active"
        ? r.status
        : r.expires_at <= at
          ? "expired"
          : r.expires_at.getTime() - at.getTime() <= r.remind_days * 86_400_000
            ? "expiring"
            : "valid",
  }))
}

/**
 * Re-certification reminders: each active grant inside its reminder window and not yet reminded
 * gets one `culture.certification.expiring` event (the notifications service tells the person).
 * @category constructors
 * @since 0.1.0
 */
export const remindExpiring = async (db: Database, ctx: Ctx, at: Date = new Date()) =>
  change(db, ctx, async ({ tx, emitAll }) => {
    const due = await sql<{
      id: string
      user_id: string
      certification_id: string
      expires_at: Date
      name_zh: string
      name_en: string
    }>`
      update culture.grant g set reminded_at = ${at}
      from culture.certification c
      where g.org_id = ${ctx.orgId} and c.org_id = g.org_id and c.id = g.certification_id
        and g.status = 'active' and g.reminded_at is null and g.expires_at > ${at}
        and g.expires_at <= ${at}::timestamptz + make_interval(days => c.remind_days)
      returning g.id, g.user_id, g.certification_id, g.expires_at, c.name_zh, c.name_en`.execute(tx)
    await emitAll(
      due.rows.flatMap((r) => [
        {
          type: "culture.certification.expiring",
          aggregateType: "person",
          aggregateId: r.user_id,
          payload: { grantId: r.id, certificationId: r.certification_id, expiresAt: r.expires_at },
        },
        // the person is told (in the app, and by e-mail unless they chose otherwise)
        {
          type: Notifications.REQUESTED,
          aggregateType: "person",
          aggregateId: r.user_id,
          payload: {
            kind: "certification.expiring",
            recipients: [{ type: "user", id: r.user_id }],
            subject: { type: "certification", id: r.certification_id },
            params: { name: `${r.name_zh} · ${r.name_en}`, expiresAt: isoDate(r.expires_at) },
            dedupeKey: `certification.expiring:${r.id}`,
          },
        },
      ]),
    )
    return due.rows.length
  })

const REFUSAL: Readonly<Record<string, string>> = {
  none: "notCertified",
  expired: "certificationExpired",
  suspended: "certificationSuspended",
  revoked: "certificationRevoked",
}

/**
 * Culture's answer to core's eligibility contract: a person may work a case when they hold a valid,
 * active grant of every certification whose scope covers the case (its team/queue, channel or type).
 * @category constructors
 * @since 0.1.0
 */
export const eligibility: Eligibility.Provider = {
  id: "culture.certification",
  check: async (ex, orgId, personId, item, at) => {
    const rows = await sql<{
      id: string
      name_en: string
      status: GrantStatus | null
      expires_at: Date | null
    }>`
      select c.id, c.name_en, g.status, g.expires_at
      from culture.certification c
      left join lateral (
        select status, expires_at from culture.grant g
        where g.org_id = c.org_id and g.certification_id = c.id and g.user_id = ${personId}
        order by (g.status = 'active' and g.expires_at > ${at}) desc, g.expires_at desc limit 1
      ) g on true
      where c.org_id = ${orgId}
        and ((c.scope_kind = 'queue' and c.scope_value = ${item.team ?? ""})
          or (c.scope_kind = 'channel' and c.scope_value = ${item.channel})
          or (c.scope_kind = 'case_type' and c.scope_value = ${item.type}))
      order by c.id`.execute(ex)
    const refusals = rows.rows.flatMap((r) => {
      const state =
        r.status === null
          ? "none"
          : r.status !== "active"
            ? r.status
            : r.expires_at! <= at
              ? "expired"
              : "valid"
      return state === "valid"
        ? []
        : [
            {
              code: REFUSAL[state]!,
              requirement: r.id,
              message: `${r.name_en}: ${state === "none" ? "not certified" : state}`,
            },
          ]
    })
    return { eligible: refusals.length === 0, refusals }
  },
}

/** The re-certification reminder sweep's job kind (hourly). @category models @since 0.1.0 */
export const REMINDER_JOB = "culture.recertification-reminders"

/** Remind in every organisation that holds certifications. @category constructors @since 0.1.0 */
export const remindAll = async (db: Database, at: Date = new Date()): Promise<number> => {
  const orgs = await tables(db).selectFrom("culture.grant").select("org_id").distinct().execute()
  let n = 0
  for (const o of orgs) n += await remindExpiring(db, Tenancy.system(o.org_id, "culture"), at)
  return n
}

/** The module's jobs. @category constructors @since 0.1.0 */
export const jobHandlers: Jobs.JobHandlers = {
  [REMINDER_JOB]: async (_job, db) => {
    await remindAll(db)
  },
}
