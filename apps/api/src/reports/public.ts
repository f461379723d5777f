/**
 * The public service report (seed S000 §7.3: publish results through public channels): the KPIs
 * an organisation chooses, with n and the 95% interval (the dashboard's computation, @tenet/stats
 * intervals), for a recent period, on a page anyone can open — and the latest file of a chosen
 * scheduled report. Off until an owner or admin turns it on; the answer is the same 404 for an
 * unknown organisation and for one that publishes nothing.
 */
import { Change, type Db, Errors, Organizations, type Tenancy } from "@tenet/core"
import { Cadence } from "@tenet/standards"
import type { Kysely } from "kysely"
import { startOfLocalDay } from "../routes/standards"
import { formatValue, type Locale, pick } from "./labels"
import type { PublicPeriod, ReportsTables } from "./schema"
import { dashboardSection } from "./sources"

export const PERIODS = ["last_7_days", "last_30_days", "last_month"] as const

export interface PublicSettingsInput {
  readonly enabled: boolean
  readonly title: string
  readonly intro?: string | null | undefined
  readonly kpis: ReadonlyArray<string>
  readonly period: PublicPeriod
  readonly scheduleId?: string | null | undefined
}

const t = (db: Db.Database) => db.as<ReportsTables>()

export const getSettings = async (db: Db.Database, orgId: string) => {
  const r = await t(db)
    .selectFrom("reports.public_settings")
    .selectAll()
    .where("org_id", "=", orgId)
    .executeTakeFirst()
  const org = await Organizations.get(db, orgId)
  return {
    slug: org.slug,
    enabled: r?.enabled ?? false,
    title: r?.title ?? org.name,
    intro: r?.intro ?? null,
    kpis: (r?.kpis as unknown as string[] | undefined) ?? [],
    period: (r?.period as PublicPeriod | undefined) ?? "last_30_days",
    scheduleId: r?.schedule_id ?? null,
    updatedAt: (r?.updated_at as Date | undefined) ?? null,
  }
}

export const saveSettings = async (db: Db.Database, ctx: Tenancy.OrgContext, input: PublicSettingsInput) => {
  const issues: Errors.FieldIssue[] = []
  input.kpis.forEach((k, i) => {
    if (!/^[^/\s]{1,200}\/[^/\s]{1,200}$/.test(k))
      issues.push({ path: ["kpis", i], message: "must be <standardId>/<targetId>", code: "kpiRef" })
  })
  if (input.scheduleId) {
    const s = await t(db)
      .selectFrom("reports.schedule")
      .select("id")
      .where("org_id", "=", ctx.orgId)
      .where("id", "=", input.scheduleId)
      .executeTakeFirst()
    if (!s)
      issues.push({
        path: ["scheduleId"],
        message: "must be a report schedule of this organisation",
        code: "unknownSchedule",
      })
  }
  if (issues.length) throw new Errors.ValidationError({ message: "invalid public report settings", issues })
  await Change.change(db, ctx, async ({ tx, audit }) => {
    const values = {
      enabled: input.enabled,
      title: input.title,
      intro: input.intro ?? null,
      kpis: JSON.stringify([...new Set(input.kpis)]),
      period: input.period,
      schedule_id: input.scheduleId ?? null,
      updated_by: ctx.actor.id,
    }
    await (tx as unknown as Kysely<ReportsTables>)
      .insertInto("reports.public_settings")
      .values({ org_id: ctx.orgId, ...values })
      .onConflict((oc) => oc.column("org_id").doUpdateSet({ ...values, updated_at: new Date() }))
      .execute()
    await audit({
      action: "public_report.updated",
      entityType: "public_report",
      entityId: ctx.orgId,
      after: input,
    })
  })
  return getSettings(db, ctx.orgId)
}

/** The period a public report covers, in whole local days ending today (or the last calendar month). */
export const publicPeriod = (period: PublicPeriod, tz: string, now: Date = new Date()) => {
  if (period === "last_month")
    return Cadence.periodOf({ frequency: "monthly", time: "00:00", monthDay: 1, timeZone: tz }, now)
  const to = startOfLocalDay(now, tz)
  const days = period === "last_7_days" ? 7 : 30
  const from = startOfLocalDay(new Date(to.getTime() - days * 86_400_000 + 12 * 3_600_000), tz)
  return { from, to }
}

const cache = new Map<string, { at: number; body: unknown }>()
/** How long a public answer is reused (the page is open to anyone: it must not cost a query each time). */
export const PUBLIC_CACHE_MS = 60_000

/** The published report of an organisation by slug, in a language; 404 when it publishes nothing. */
export const publicReport = async (db: Db.Database, slug: string, locale: Locale) => {
  const key = `${slug}\u0000${locale}`
  const hit = cache.get(key)
  if (hit && Date.now() - hit.at < PUBLIC_CACHE_MS) return hit.body
  const org = await Organizations.findBySlug(db, slug)
  const settings = org ? await getSettings(db, org.id) : undefined
  if (!org || !settings?.enabled) throw new Errors.NotFoundError({ entity: "public_report", id: slug })
  const { from, to } = publicPeriod(settings.period, org.timeZone)
  const { items } = await dashboardSection(
    db,
    { orgId: org.id, source: "dashboard", params: {}, from, to, timeZone: org.timeZone, locale },
    new Set(settings.kpis),
  )
  const latest = settings.scheduleId
    ? await t(db)
        .selectFrom("reports.file")
        .select(["id", "name", "format", "created_at", "period_from", "period_to"])
        .where("org_id", "=", org.id)
        .where("schedule_id", "=", settings.scheduleId)
        .orderBy("created_at", "desc")
        .limit(1)
        .executeTakeFirst()
    : undefined
  const body = {
    organization: org.name,
    slug: org.slug,
    title: settings.title,
    intro: settings.intro,
    from: from.toISOString(),
    to: to.toISOString(),
    timeZone: org.timeZone,
    generatedAt: new Date().toISOString(),
    items: items.map((k) => ({
      key: `${k.standardId}/${k.targetId}`,
      metric: pick(k.metric.name, locale),
      requirement: pick(k.requirementTitle, locale),
      code: k.metric.code ?? null,
      unit: k.metric.unit,
      direction: k.metric.direction,
      value: k.value,
      valueText: formatValue(k.metric.unit, k.value, locale),
      target: k.target,
      targetText: `${k.operator} ${formatValue(k.metric.unit, k.target, locale)}`,
      status: k.status,
      n: k.n,
      interval: k.interval ?? null,
      series: k.series,
    })),
    report: latest
      ? {
          name: latest.name,
          format: latest.format,
          createdAt: (latest.created_at as Date).toISOString(),
          downloadPath: `/api/v1/public/${org.slug}/report/file`,
        }
      : null,
  }
  cache.set(key, { at: Date.now(), body })
  return body
}

/** Forget cached public answers (after a settings change). */
export const forgetPublic = (slug: string) => {
  for (const k of cache.keys()) if (k.startsWith(`${slug}\u0000`)) cache.delete(k)
}

/** The latest file of the schedule the public report offers (404 when none or not published). */
export const publicFile = async (db: Db.Database, slug: string) => {
  const org = await Organizations.findBySlug(db, slug)
  const settings = org ? await getSettings(db, org.id) : undefined
  if (!org || !settings?.enabled || !settings.scheduleId)
    throw new Errors.NotFoundError({ entity: "public_report", id: slug })
  const f = await t(db)
    .selectFrom("reports.file")
    .selectAll()
    .where("org_id", "=", org.id)
    .where("schedule_id", "=", settings.scheduleId)
    .orderBy("created_at", "desc")
    .limit(1)
    .executeTakeFirst()
  if (!f) throw new Errors.NotFoundError({ entity: "public_report", id: slug })
  return f
}
